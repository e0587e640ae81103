"""geodata/sea-routes.json (corridors.routedata): the figures the issue asks for, every port in
the port list, every figure and caveat cited, and a broken file refused saying where."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corridors import ports, routedata, seanetwork
from corridors.errors import DataError

ROOT = Path(__file__).resolve().parent.parent
DATA = routedata.read_sea_routes(ROOT / "geodata" / "sea-routes.json")


def test_every_published_pair_names_ports_in_the_port_list() -> None:
    known = ports.ports()
    assert {c for f in DATA.published for c in (f.origin, f.destination)} <= set(known)


def test_every_offered_port_is_a_sea_port_of_the_list_and_the_figures_ports_come_first() -> None:
    net = seanetwork.network()
    for code in DATA.ports:
        seanetwork.check_inland(net, ports.ports()[code])  # raises InlandPort
    named = {c for f in DATA.published for c in (f.origin, f.destination)}
    assert set(DATA.ports[: len(named)]) == named


def test_each_alias_names_a_port_of_the_list_that_is_spelt_otherwise() -> None:
    known = ports.ports()
    for alias, code in DATA.aliases.items():
        assert code in known, alias
        assert known[code].name.casefold() != alias.casefold(), alias


def test_the_brief_published_pairs_are_in_the_data() -> None:
    pairs = {(frozenset((f.origin, f.destination)), f.route) for f in DATA.published}
    assert (frozenset(("CNSHA", "NLRTM")), "suez") in pairs
    assert (frozenset(("CNSHA", "NLRTM")), "nsr") in pairs
    assert (frozenset(("CNSHA", "NLRTM")), "cape") in pairs
    yokohama = {route for ports, route in pairs if "JPYOK" in ports and ports & {"NLRTM", "DEHAM"}}
    assert {"suez", "nsr"} <= yokohama


def test_every_caveat_and_figure_cites_a_source_with_an_address() -> None:
    assert {(c.route, c.id) for c in DATA.caveats} >= {
        ("nsr", "season"),
        ("nsr", "ice-class"),
        ("nsr", "permit"),
        ("suez", "red-sea"),
    }
    for source in DATA.sources.values():
        assert source.url.startswith("https://") and source.publisher and source.date


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda d: d["published"][0].update(source="nobody"), "which no source has as id"),
        (lambda d: d["published"][0].update(unit="%"), "a saving is given in %"),
        (lambda d: d["published"][0].update(route="panama"), "'route'"),
        (lambda d: d["published"][0].update(value=-1), "must be positive"),
        (lambda d: d["sources"][0].pop("url"), "missing required property 'url'"),
        (lambda d: d["caveats"][0].update(sources=[]), "at least 1"),
        (lambda d: d["caveats"].append(dict(d["caveats"][0])), "listed twice"),
        (lambda d: d.update(extra=1), "unknown property"),
        (lambda d: d["ports"].append("Shanghai"), "not a UN/LOCODE"),
        (lambda d: d["ports"].append(d["ports"][0]), "listed twice"),
        (lambda d: d["aliases"].update(Bombay="Mumbai"), "'Mumbai' is not a UN/LOCODE"),
    ],
)
def test_a_broken_data_file_is_refused_saying_where(tmp_path: Path, change, problem: str) -> None:
    data = json.loads((ROOT / "geodata" / "sea-routes.json").read_text())
    change(data)
    path = tmp_path / "sea-routes.json"
    path.write_text(json.dumps(data))
    with pytest.raises(DataError, match=r"sea-routes\.json") as raised:
        routedata.read_sea_routes(path)
    assert problem in str(raised.value)
