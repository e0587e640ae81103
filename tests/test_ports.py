"""Ports from searoute's list (corridors.ports): found by code, name or label; bad names refused
in one line."""

from __future__ import annotations

import pytest

from corridors import ports


def test_ports_are_found_by_code_name_or_label() -> None:
    assert ports.find_port("CNSHA").name == "Shanghai"
    assert ports.find_port("cnsha").locode == "CNSHA"
    assert ports.find_port("  rotterdam ").locode == "NLRTM"
    assert ports.find_port("Shanghai (CNSHA)").locode == "CNSHA"
    assert len(ports.ports()) > 3900


@pytest.mark.parametrize(
    ("text", "error", "words"),
    [
        ("", ports.UnknownPort, "no port given"),
        ("   ", ports.UnknownPort, "no port given"),
        ("XXXXX", ports.UnknownPort, "UN/LOCODE or name 'XXXXX'"),
        ("Atlantis", ports.UnknownPort, "no port has the name 'Atlantis'"),
        ("Busan", ports.UnknownPort, "Pusan (KRPUS)"),
        ("Newcastle", ports.AmbiguousPort, "AUNTL, CANCT"),
        ("Nowhere (ZZZZZ)", ports.UnknownPort, "UN/LOCODE 'ZZZZZ'"),
        ("x" * 60_000, ports.UnknownPort, "no port has the name"),
    ],
)
def test_bad_ports_get_a_one_line_message(text: str, error: type, words: str) -> None:
    with pytest.raises(error) as raised:
        ports.find_port(text)
    message = str(raised.value)
    assert words in message
    assert "\n" not in message and len(message) < 200
