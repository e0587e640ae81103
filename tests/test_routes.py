"""Sea routes between ports compared (corridors.routes): figures against published ones, the
rules for when a route applies, the passages and geometry, land, bad input, the command line,
the cache."""

from __future__ import annotations

import json
import math
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest
import shapely
from shapely.geometry import LineString, Point

from corridors import routedata, routes, seanetwork
from corridors.antimeridian import split_line_at_antimeridian
from corridors.geodesy import length_km

ROOT = Path(__file__).resolve().parent.parent
EAST_ASIA = ("CNSHA", "KRPUS", "JPYOK")
NORTHERN_EUROPE = ("NLRTM", "DEHAM")
MEDITERRANEAN = ("GRPIR", "ITGOA")
CHINA = ("CNSHA", "CNTAO", "HKHKG")
DATA = routedata.read_sea_routes(ROOT / "geodata" / "sea-routes.json")
DISTANCES = [f for f in DATA.published if f.quantity == "distance"]
SAVINGS = [f for f in DATA.published if f.quantity == "saving"]


def _id(figure: routedata.Published) -> str:
    return f"{figure.origin}-{figure.destination}-{figure.route}-{figure.value:g}{figure.unit}"


def _computed(figure: routedata.Published) -> routes.Route:
    route = routes.compare(figure.origin, figure.destination).computed(figure.route)
    assert route is not None, f"{_id(figure)}: no route computed"
    return route


@pytest.mark.parametrize("figure", DISTANCES, ids=_id)
def test_computed_distance_is_within_3_percent_of_each_published_figure(
    figure: routedata.Published,
) -> None:
    assert figure.nm is not None
    difference = (_computed(figure).nm - figure.nm) / figure.nm * 100
    assert abs(difference) <= 3.0, f"{_id(figure)}: computed differs by {difference:+.1f}%"


@pytest.mark.parametrize("figure", SAVINGS, ids=_id)
def test_computed_saving_is_near_the_published_one(figure: routedata.Published) -> None:
    comparison = routes.compare(figure.origin, figure.destination)
    suez, other = comparison.computed("suez"), comparison.computed(figure.route)
    assert suez and other
    saving = (suez.nm - other.nm) / suez.nm * 100
    # Yokohama–Rotterdam: 34% computed against 37% published.
    assert abs(saving - figure.value) <= 5, f"{_id(figure)}: computed {saving:.0f}%"


# --- Which routes apply ------------------------------------------------------------------------

PAIRS_EAST_ASIA_EUROPE = [(a, b) for a in EAST_ASIA for b in NORTHERN_EUROPE]


@pytest.mark.parametrize(("a", "b"), PAIRS_EAST_ASIA_EUROPE)
def test_the_cape_is_longer_than_suez_for_east_asia_to_northern_europe(a: str, b: str) -> None:
    comparison = routes.compare(a, b)
    cape, suez = comparison.computed("cape"), comparison.computed("suez")
    assert cape and suez
    assert cape.km > suez.km


@pytest.mark.parametrize(("a", "b"), PAIRS_EAST_ASIA_EUROPE)
def test_the_nsr_is_shorter_than_suez_for_northeast_asia_to_northern_europe(a: str, b: str) -> None:
    comparison = routes.compare(a, b)
    nsr, suez = comparison.computed("nsr"), comparison.computed("suez")
    assert nsr and suez
    assert nsr.km < suez.km


@pytest.mark.parametrize(("a", "b"), [(a, b) for a in MEDITERRANEAN for b in CHINA])
def test_no_nsr_answer_between_the_mediterranean_and_china(a: str, b: str) -> None:
    for first, second in ((a, b), (b, a)):
        comparison = routes.compare(first, second)
        outcome = comparison.outcome("nsr")
        assert outcome.computed is None
        assert outcome.reason and "no shortcut" in outcome.reason
        assert comparison.computed("suez") is not None
        assert comparison.as_json()["nsr"] is None


def test_the_cape_does_not_apply_where_it_is_no_alternative() -> None:
    jeddah = routes.compare("SAJED", "EGPSD").outcome("cape")
    assert jeddah.computed is None and jeddah.reason and "times the Suez route" in jeddah.reason
    neighbours = routes.compare("NLRTM", "DEHAM")
    assert all(o.computed is None and o.reason for o in neighbours.outcomes)


def test_reasons_name_the_ports_in_the_order_asked() -> None:
    assert "between Genova and Shanghai" in (
        routes.compare("ITGOA", "CNSHA").outcome("nsr").reason or ""
    )
    assert "between Shanghai and Genova" in (
        routes.compare("CNSHA", "ITGOA").outcome("nsr").reason or ""
    )


# --- Passages and geometry ---------------------------------------------------------------------


def _suez_canal() -> LineString:
    corridors = json.loads((ROOT / "geodata" / "corridors.geojson").read_text())
    (canal,) = [f for f in corridors["features"] if f["properties"]["id"] == "suez-canal"]
    return LineString(canal["geometry"]["coordinates"])


def _lats(route: routes.Route) -> np.ndarray:
    return shapely.get_coordinates(route.geometry)[:, 1]


@pytest.mark.parametrize(("a", "b"), PAIRS_EAST_ASIA_EUROPE)
def test_only_the_nsr_route_uses_the_nsr_edges(a: str, b: str) -> None:
    comparison = routes.compare(a, b)
    suez, cape, nsr = (comparison.computed(r) for r in ("suez", "cape", "nsr"))
    assert suez and cape and nsr
    assert "nsr" in nsr.passages and "bering" in nsr.passages and "suez" not in nsr.passages
    assert nsr.nsr_km > 4000  # Kara Gate to the Bering Strait alone is about 4,900 km
    assert _lats(nsr).max() > 77  # the Vilkitsky Strait
    for other in (suez, cape):
        assert other.nsr_km == 0 and "nsr" not in other.passages
        assert _lats(other).max() < 62
    assert {"suez", "babalmandab", "malacca", "gibraltar"} <= set(suez.passages)
    assert "cape" in cape.passages and "suez" not in cape.passages
    assert _lats(cape).min() < -34
    # Within a few kilometres of the canal the project draws (0.05° is about 5 km there).
    assert suez.geometry.distance(_suez_canal()) < 0.05


def test_passages_are_in_the_order_sailed() -> None:
    there = routes.compare("CNSHA", "NLRTM").computed("suez")
    back = routes.compare("NLRTM", "CNSHA").computed("suez")
    assert there and back
    assert there.passages == ("malacca", "babalmandab", "suez", "gibraltar")
    assert back.passages == there.passages[::-1]
    assert back.km == there.km


def test_routes_are_cut_at_the_antimeridian_with_longitudes_within_180() -> None:
    nsr = routes.compare("CNSHA", "NLRTM").computed("nsr")
    assert nsr is not None
    assert nsr.geometry.geom_type == "MultiLineString"
    coords = shapely.get_coordinates(nsr.geometry)
    assert np.abs(coords[:, 0]).max() <= 180
    # Measured along the drawn line: the cut adds or loses nothing.
    assert nsr.km == pytest.approx(length_km(nsr.geometry))


def test_a_route_starts_and_ends_at_its_ports() -> None:
    comparison = routes.compare("CNSHA", "NLRTM")
    route = comparison.computed("suez")
    assert route is not None
    coords = shapely.get_coordinates(route.geometry)
    assert tuple(coords[0]) == (comparison.origin.lon, comparison.origin.lat)
    assert tuple(coords[-1]) == (comparison.destination.lon, comparison.destination.lat)


def test_ships_from_europe_cross_the_barents_sea_to_the_kara_gate() -> None:
    for origin in ("NLRTM", "DEHAM", "RUMMK"):
        nsr = routes.compare(origin, "JPYOK").computed("nsr")
        assert nsr is not None
        coords = shapely.get_coordinates(nsr.geometry)
        barents = coords[(coords[:, 0] > 34) & (coords[:, 0] < 58.2)]
        # Not along the Kola coast (Kanin Nos, 68.6°N) as the track is drawn from Murmansk.
        assert barents[:, 1].min() > 69.3, origin


def test_a_wider_search_for_approaches_changes_no_route(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(seanetwork, "APPROACH_SEARCH_KM", 2 * seanetwork.APPROACH_SEARCH_KM)
    wider = seanetwork.load_network()
    assert len(wider.approaches) > len(seanetwork.network().approaches)
    for figure in (f for f in DISTANCES if f.route == "nsr"):
        a, b = routes.find_port(figure.origin), routes.find_port(figure.destination)
        route = routes._route(wider, a, b, routes._VARIANT["nsr"])
        assert isinstance(route, routes.Route)
        assert route.km == pytest.approx(_computed(figure).km), _id(figure)


# --- Land ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        *PAIRS_EAST_ASIA_EUROPE,
        ("RUMMK", "JPYOK"),
        *((a, b) for a in MEDITERRANEAN for b in CHINA),
    ],
)
def test_routes_cross_no_more_land_than_the_network_tolerance(a: str, b: str) -> None:
    net = seanetwork.network()
    canal = _suez_canal().buffer(0.3)
    for outcome in routes.compare(a, b).outcomes:
        if outcome.computed is None:
            continue
        coords = shapely.get_coordinates(outcome.computed.geometry)
        # Between the ports (their legs to the network are checked on lookup), off the canal.
        inner = split_line_at_antimeridian(seanetwork.unwrapped(map(tuple, coords[1:-1])))
        stretches = seanetwork.land_km(inner.difference(canal), net)
        assert max(stretches, default=0) <= seanetwork.LAND_TOLERANCE_KM, (a, b, outcome.route)


# --- Ports and bad input ------------------------------------------------------------------------


def test_the_same_port_twice_and_an_inland_port_are_refused() -> None:
    with pytest.raises(routes.SamePort, match="both origin and destination"):
        routes.compare("CNSHA", "Shanghai")
    with pytest.raises(routes.InlandPort, match=r"Denver \(USDEN\) lies inland"):
        routes.compare("USDEN", "CNSHA")
    routes.compare("DEHAM", "NLRTM")  # up the Elbe, and still a seaport


@pytest.mark.parametrize(
    "speed", [0, -3, math.nan, math.inf, -math.inf, 1e9, 0.5, 40.5, True, None, "fast", ""]
)
def test_bad_speeds_are_refused(speed: object) -> None:
    with pytest.raises(routes.BadSpeed) as raised:
        routes.compare("CNSHA", "NLRTM", speed)
    assert "\n" not in str(raised.value)


def test_days_at_sea_follow_the_speed() -> None:
    for knots in (1, 14, "14", 40):
        comparison = routes.compare("CNSHA", "NLRTM", knots)
        (suez, *_rest) = comparison.rows()
        assert suez.nm is not None and suez.days is not None
        assert suez.days == pytest.approx(suez.nm / float(knots) / 24)


# --- Rows: published figures beside the computed ones ------------------------------------------


def test_rows_put_published_figures_beside_computed_ones() -> None:
    rows = {r.route.id: r for r in routes.compare("NLRTM", "CNSHA").rows()}
    suez = rows["suez"]
    assert [c.figure.value for c in suez.published] == [10557, 10600]
    for check in suez.published:
        assert check.difference is not None and abs(check.difference) < 3
    assert rows["nsr"].vs_suez_nm is not None and rows["nsr"].vs_suez_nm < 0
    assert rows["suez"].caveats and rows["nsr"].caveats and not rows["cape"].caveats


# --- Command line -------------------------------------------------------------------------------


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "corridors.routes", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )


def test_the_command_line_prints_a_table() -> None:
    done = _cli("CNSHA", "NLRTM", "--speed", "16")
    assert done.returncode == 0, done.stderr
    assert "Shanghai (CNSHA) → Rotterdam (NLRTM) at 16 knots" in done.stdout
    for words in ("Via Suez", "Via the Cape of Good Hope", "Via the Northern Sea Route", "Caveats"):
        assert words in done.stdout


def test_the_command_line_json_has_the_three_routes() -> None:
    done = _cli("GRPIR", "CNSHA", "--json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["nsr"] is None and "no shortcut" in out["reasons"]["nsr"]
    assert set(out["suez"]) == {"nm", "km", "days", "passages"}
    assert out["suez"]["km"] == pytest.approx(out["suez"]["nm"] * 1.852, rel=1e-3)
    assert "Suez Canal" in out["suez"]["passages"]
    assert out["cape"]["days"] == pytest.approx(out["cape"]["nm"] / 14 / 24, rel=1e-3)


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("XXXXX", "NLRTM"), "No port has the UN/LOCODE or name 'XXXXX'"),
        (("", "NLRTM"), "No port given"),
        (("CNSHA", "CNSHA"), "both origin and destination"),
        (("CNSHA", "NLRTM", "--speed", "0"), "outside 1-40 knots"),
        (("CNSHA", "NLRTM", "--speed", "nan"), "not a finite number"),
        (("CNSHA", "NLRTM", "--speed", "1e9", "--json"), "outside 1-40 knots"),
        (("USDEN", "NLRTM"), "lies inland"),
    ],
)
def test_the_command_line_refuses_bad_input_in_one_line(args: tuple[str, ...], words: str) -> None:
    done = _cli(*args)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and words in done.stderr
    assert "Traceback" not in done.stderr


# --- The cache ----------------------------------------------------------------------------------


def test_a_second_comparison_is_fast_and_identical() -> None:
    routes.compare("KRPUS", "DEHAM")  # the network and the pair, warm
    start = time.perf_counter()
    again = routes.compare("KRPUS", "DEHAM")
    assert time.perf_counter() - start < 0.05
    assert again == routes.compare("KRPUS", "DEHAM")
    assert routes.compare("DEHAM", "KRPUS").outcomes[0].computed is not None


def test_one_computation_per_pair_under_threads() -> None:
    seanetwork.network()
    routes._CACHE.clear()
    barrier = threading.Barrier(8)
    results: list[routes.Comparison] = []

    def ask(i: int) -> None:
        barrier.wait()
        pair = ("JPYOK", "DEHAM") if i % 2 else ("DEHAM", "JPYOK")
        results.append(routes.compare(*pair))

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 8
    assert routes._CACHE.computed == 1
    assert len({r.computed("nsr").km for r in results if r.computed("nsr")}) == 1


def test_a_failed_computation_is_not_kept() -> None:
    cache = routes.OncePerKey(4)
    calls = []

    def boom() -> int:
        calls.append(1)
        raise RuntimeError("boom")

    for _ in range(2):
        with pytest.raises(RuntimeError):
            cache.get("k", boom)
    assert len(calls) == 2 and cache.get("k", lambda: 3) == 3


def test_the_least_recently_used_value_goes_first_beyond_the_size() -> None:
    cache = routes.OncePerKey(2)
    cache.get("a", lambda: 1)
    cache.get("b", lambda: 2)
    cache.get("a", lambda: 0)  # used again: "b" is now the oldest
    cache.get("c", lambda: 3)
    assert len(cache) == 2 and cache.computed == 3
    assert cache.get("a", lambda: -1) == 1  # kept
    assert cache.get("b", lambda: 20) == 20  # computed again


@pytest.mark.parametrize("module", ["routes", "ports", "seanetwork", "routedata"])
def test_routes_module_never_imports_streamlit(module: str) -> None:
    source = (ROOT / "corridors" / f"{module}.py").read_text()
    assert "streamlit" not in source
    assert Point  # shapely is used for geometry only
