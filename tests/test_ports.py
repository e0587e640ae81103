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
    ("text", "code"),
    [
        ("busan", "KRPUS"),  # an alias: searoute spells it Pusan
        ("Mumbai", "INBOM"),
        ("St Petersburg", "RULED"),  # "St" is "Saint"; of the three, the one offered
        ("st. petersburg", "RULED"),
        ("Vladiv", "RUVVO"),  # the start of one name
        ("Hamburg", "DEHAM"),  # and Hamburg, USA: the one offered
        ("Ust Luga", "RUULU"),  # "Ust-Luga"
    ],
)
def test_aliases_name_starts_and_offered_ports_settle_what_a_reader_typed(
    text: str, code: str
) -> None:
    offered = ("RULED", "DEHAM", "RUVVO", "NLRTM")
    found = ports.find_port(text, aliases={"Busan": "KRPUS", "Mumbai": "INBOM"}, preferred=offered)
    assert found.locode == code


@pytest.mark.parametrize(
    ("text", "error", "words"),
    [
        ("", ports.UnknownPort, "No port given"),
        ("   ", ports.UnknownPort, "No port given"),
        ("XXXXX", ports.UnknownPort, "UN/LOCODE or name 'XXXXX'"),
        ("Atlantis", ports.UnknownPort, "No port has the name 'Atlantis'"),
        ("Busan", ports.UnknownPort, "did you mean Ulsan (KRUSN), Pusan (KRPUS)?"),  # no aliases
        ("Newcastle", ports.AmbiguousPort, "AUNTL (Australia), CANCT (Canada)"),
        ("Saint Petersburg", ports.AmbiguousPort, "RULED (Russia), USSPG (United States)"),
        ("Port", ports.AmbiguousPort, "ports have names starting 'Port': give one of"),
        ("Nowhere (ZZZZZ)", ports.UnknownPort, "UN/LOCODE 'ZZZZZ'"),
        ("x" * 60_000, ports.UnknownPort, "No port has the name"),
    ],
)
def test_bad_ports_get_a_one_line_message(text: str, error: type, words: str) -> None:
    with pytest.raises(error) as raised:
        ports.find_port(text)
    message = str(raised.value)
    assert words in message
    assert "\n" not in message and len(message) < 300
