"""Sea routes between two ports compared: via Suez, via the Cape of Good Hope, via the NSR.

Computed on the routing network (`corridors.seanetwork`: searoute's maritime network with the
project's NSR track joined in) between ports of searoute's list (`corridors.ports`), never typed
in, and shown beside the published figures and caveats of geodata/sea-routes.json
(`corridors.routedata`).

Each route is the shortest path with some passages closed (`VARIANTS`), and applies only where
it makes sense: the Suez route must pass the canal; the Cape route must round the Cape and be at
most `CAPE_MAX_RATIO` times the Suez route; the NSR route is the shortest path with every
passage but the Northwest Passage open, so it applies only where the NSR is the shortest way
(a ship takes on its season, ice class, escort and permit only for a shorter voyage). A route
that does not apply has a reason instead of a number.

Distances are geodesic on WGS84 along the drawn line, port to port (`corridors.geodesy`).
Routes are computed once per port pair per process, whichever session asks first
(`compare`); the network loads once per process. Plain Python: the page and the command line
(``python -m corridors.routes CNSHA NLRTM``) call the same functions.
"""

from __future__ import annotations

import argparse
import functools
import itertools
import json
import math
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, Final, TypeVar

import networkx as nx
import shapely
from shapely.geometry import LineString, MultiLineString
from shapely.geometry.base import BaseGeometry

from corridors import registry
from corridors.antimeridian import split_line_at_antimeridian
from corridors.geodesy import distance_km, length_km
from corridors.ports import (
    AmbiguousPort,
    InlandPort,
    Port,
    RouteInputError,
    SamePort,
    UnknownPort,
    find_port,
    ports,
    quoted,
)
from corridors.routedata import Caveat, Published, SeaRoutesData, sea_routes_data
from corridors.seanetwork import (
    NSR_APPROACH_TAG,
    NSR_TAG,
    Network,
    Node,
    check_inland,
    drawn_points,
    nearest_node,
    network,
    unwrapped,
)

# What the page and the command line use, the ports' names included.
__all__ = [
    "CACHED_PAIRS",
    "AmbiguousPort",
    "BadSpeed",
    "Comparison",
    "InlandPort",
    "OncePerKey",
    "Outcome",
    "Port",
    "PublishedCheck",
    "Route",
    "RouteInputError",
    "RouteRow",
    "SamePort",
    "UnknownPort",
    "check_speed",
    "compare",
    "find_port",
    "main",
    "port",
    "ports",
    "table",
]

KM_PER_NM: Final = registry.LENGTH_KM["nmi"]
# Beyond twice the Suez distance the Cape of Good Hope is no alternative (Jeddah to Port Said
# round Africa is 17 times the canal route). Asia, India and the Gulf to Europe come out at
# 1.3-1.8 times, the detours actually sailed during the Red Sea crisis.
CAPE_MAX_RATIO: Final = 2.0

T = TypeVar("T")


# --- Speeds -------------------------------------------------------------------------------------


class BadSpeed(RouteInputError):
    """A speed that is not a number of knots within `registry.SHIP_SPEED_KN`."""


def check_speed(speed: object) -> float:
    """``speed`` in knots as a float, if it is a number within `registry.SHIP_SPEED_KN`; else
    `BadSpeed`."""
    speeds = registry.SHIP_SPEED_KN
    if isinstance(speed, bool) or not isinstance(speed, int | float | str):
        raise BadSpeed(f"speed {quoted(str(speed))} is not a number of knots")
    try:
        knots = float(speed)
    except ValueError:
        raise BadSpeed(f"speed {quoted(str(speed))} is not a number of knots") from None
    if not math.isfinite(knots):
        raise BadSpeed(f"speed {quoted(str(speed))} is not a finite number of knots")
    if not speeds.low <= knots <= speeds.high:
        raise BadSpeed(
            f"speed {quoted(str(speed))} knots is outside {speeds.low:g}-{speeds.high:g} knots"
        )
    return knots


# --- Passages, derived from the route ----------------------------------------------------------


@dataclass(frozen=True)
class Passage:
    """A strait, canal or cape a route may pass. ``tag`` is the label searoute's network puts on
    its edges there; ``gate`` a line across the passage that a route passing it must cross
    (lon/lat degrees, within ±180)."""

    id: str
    label: str
    tag: str | None = None
    gate: tuple[Node, Node] | None = None


PASSAGES: tuple[Passage, ...] = (
    Passage("suez", "Suez Canal", tag="suez"),
    Passage("babalmandab", "Bab-el-Mandeb", tag="babalmandab"),
    Passage("hormuz", "Strait of Hormuz", tag="ormuz"),
    Passage("malacca", "Strait of Malacca", tag="malacca"),
    Passage("sunda", "Sunda Strait", tag="sunda"),
    Passage("gibraltar", "Strait of Gibraltar", tag="gibraltar"),
    Passage("bosporus", "Bosporus", tag="bosporus"),
    Passage("dardanelles", "Dardanelles", tag="dardanelles"),
    Passage("panama", "Panama Canal", tag="panama"),
    Passage("magellan", "Cape Horn or the Strait of Magellan", tag="chili"),
    # Round Africa: south from Cape Agulhas (20°E, 34.83°S), the continent's southern tip.
    Passage("cape", "Cape of Good Hope", gate=((20.0, -34.83), (20.0, -75.0))),
    Passage("nsr", "Northern Sea Route", tag=NSR_TAG),
    # Cape Dezhnev to Cape Prince of Wales.
    Passage("bering", "Bering Strait", tag="bering", gate=((-169.65, 66.08), (-168.08, 65.64))),
    Passage("northwest", "Northwest Passage", tag="northwest"),
)
_PASSAGE = {p.id: p for p in PASSAGES}


@dataclass(frozen=True)
class Variant:
    """How one sea route is computed: the shortest path with the ``closed`` searoute passages
    blocked, which must then pass ``passage`` to apply."""

    route: str
    passage: str
    closed: frozenset[str]


VARIANTS: tuple[Variant, ...] = (
    Variant("suez", "suez", frozenset({NSR_TAG, NSR_APPROACH_TAG, "northwest"})),
    # Closing Suez alone sends Shanghai–Rotterdam through Panama: the Cape needs both closed.
    Variant("cape", "cape", frozenset({"suez", "panama", NSR_TAG, NSR_APPROACH_TAG, "northwest"})),
    Variant("nsr", "nsr", frozenset({"northwest"})),
)
_VARIANT = {v.route: v for v in VARIANTS}


# --- Computing routes ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """One computed sea route, port to port."""

    route: str
    km: float
    passages: tuple[str, ...]  # `Passage` ids, in the order the route passes them
    geometry: LineString | MultiLineString  # lon/lat within ±180, cut at the antimeridian
    nsr_km: float  # how much of it runs on the NSR track's edges

    @property
    def nm(self) -> float:
        """Length in international nautical miles."""
        return self.km / KM_PER_NM

    def days(self, speed_kn: float) -> float:
        """Days at sea at ``speed_kn`` knots, without port calls, canal waits or ice."""
        return self.nm / check_speed(speed_kn) / 24.0


@dataclass(frozen=True)
class Outcome:
    """A route between the pair, or why there is none."""

    route: str
    computed: Route | None
    reason: str | None


def _passages(path: Sequence[Node], line: BaseGeometry, graph: Any) -> tuple[str, ...]:
    """The passages a path uses, in order: by searoute's edge tags, then by gates crossed."""
    found: dict[str, float] = {}
    by_tag = {p.tag: p.id for p in PASSAGES if p.tag}
    for i, (u, v) in enumerate(itertools.pairwise(path)):
        tag = graph.edges[u, v].get("passage")
        if tag in by_tag:
            found.setdefault(by_tag[tag], i / max(len(path) - 1, 1))
    for passage in PASSAGES:
        if passage.gate and passage.id not in found:
            crossing = line.intersection(LineString(passage.gate))
            if not crossing.is_empty:
                point = shapely.get_coordinates(crossing)[0]
                found[passage.id] = line.project(shapely.Point(point), normalized=True)
    return tuple(sorted(found, key=lambda p: found[p]))


def _route(net: Network, a: Port, b: Port, variant: Variant) -> Route | str:
    """The variant's route from ``a`` to ``b``, or why there is none."""
    closed = variant.closed

    def weight(u: Node, v: Node, data: Mapping[str, Any]) -> float | None:
        # None hides the edge from networkx: a closed passage.
        return None if data.get("passage") in closed else float(data["weight"])

    start, end = nearest_node(net, a), nearest_node(net, b)
    try:
        _, path = nx.bidirectional_dijkstra(net.graph, start, end, weight=weight)
    except nx.NetworkXNoPath:
        shut = _and([_PASSAGE[p].label for p in _passages_closed(closed)])
        return f"with the {shut} closed, no sea route joins {{a}} and {{b}}"
    points = unwrapped([(a.lon, a.lat), *drawn_points(path, net.graph), (b.lon, b.lat)])
    geometry = split_line_at_antimeridian(points)
    nsr_km = sum(
        distance_km(u, v)
        for u, v in itertools.pairwise(path)
        if net.graph.edges[u, v].get("passage") == NSR_TAG
    )
    return Route(
        variant.route, length_km(geometry), _passages(path, geometry, net.graph), geometry, nsr_km
    )


def _passages_closed(closed: frozenset[str]) -> list[str]:
    return [p.id for p in PASSAGES if p.tag in closed]


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _outcomes(a: Port, b: Port) -> tuple[Outcome, ...]:
    """Every variant between ``a`` and ``b``, with the applicability rules applied; reasons
    name the ports as ``{a}`` and ``{b}``, in the order a reader asked for them."""
    net = network()
    computed = {v.route: _route(net, a, b, v) for v in VARIANTS}
    suez = computed["suez"]
    outcomes = []
    for variant in VARIANTS:
        result = computed[variant.route]
        label = _PASSAGE[variant.passage].label
        reason: str | None = None
        if isinstance(result, str):
            reason = result
        elif variant.passage not in result.passages:
            # In declaration order, not the route's: the reason reads the same both ways.
            used = [p.label for p in PASSAGES if p.id in result.passages]
            via = f"via the {_and(used)}" if used else "by open sea"
            if variant.route == "nsr":
                reason = (
                    "the Northern Sea Route is no shortcut between {a} and {b}: "
                    f"with it open the shortest route still goes {via}"
                )
            else:
                reason = f"the shortest route between {{a}} and {{b}} with the {label} open "
                reason += f"does not pass it (it goes {via})"
        elif variant.route == "cape" and isinstance(suez, Route) and suez.passages:
            ratio = result.km / suez.km
            if "suez" in suez.passages and ratio > CAPE_MAX_RATIO:
                reason = (
                    f"round the Cape of Good Hope is {ratio:.1f} times the Suez route "
                    f"(more than {CAPE_MAX_RATIO:g}): no alternative"
                )
        if reason is not None:
            outcomes.append(Outcome(variant.route, None, reason[:1].upper() + reason[1:] + "."))
        elif isinstance(result, Route):
            outcomes.append(Outcome(variant.route, result, None))
    return tuple(outcomes)


class OncePerKey:
    """Compute a value once per key per process, whichever thread asks first; the others wait
    for that computation instead of repeating it. A failed computation is not kept.

    At most ``size`` values are kept, the least recently used going first: a reader may ask for
    any of the 3,919 × 3,918 port pairs, and memory must not grow with every pair asked.
    """

    def __init__(self, size: int) -> None:
        self._lock = threading.Lock()
        self._futures: OrderedDict[Any, Future[Any]] = OrderedDict()
        self._size = size
        self.computed = 0

    def get(self, key: Any, compute: Callable[[], T]) -> T:
        with self._lock:
            future = self._futures.get(key)
            owner = future is None
            if future is None:
                future = self._futures[key] = Future()
                while len(self._futures) > self._size:
                    self._futures.popitem(last=False)
            else:
                self._futures.move_to_end(key)
        if not owner:
            result: T = future.result()
            return result
        try:
            value = compute()
        except BaseException as exc:
            with self._lock:
                if self._futures.get(key) is future:
                    del self._futures[key]
            future.set_exception(exc)
            raise
        with self._lock:
            self.computed += 1
        future.set_result(value)
        return value

    def __len__(self) -> int:
        return len(self._futures)

    def clear(self) -> None:
        """Forget every value (for tests and benchmarks that measure a cold start)."""
        with self._lock:
            self._futures.clear()
            self.computed = 0


# About 30 KB each (three routes of about 150 points): 256 pairs stay under 10 MB.
CACHED_PAIRS: Final = 256
_CACHE = OncePerKey(CACHED_PAIRS)


@dataclass(frozen=True)
class PublishedCheck:
    """A published figure beside the computed one: ``difference`` is in per cent of the
    published distance, or in percentage points for a saving (None: nothing computed)."""

    figure: Published
    computed: float | None
    difference: float | None


@dataclass(frozen=True)
class RouteRow:
    """Everything the page and the command line show for one route between the pair."""

    route: registry.SeaRoute
    nm: float | None
    km: float | None
    days: float | None
    vs_suez_nm: float | None
    vs_suez_pct: float | None
    passages: tuple[str, ...]  # labels, in order
    reason: str | None
    published: tuple[PublishedCheck, ...]
    caveats: tuple[Caveat, ...]


@dataclass(frozen=True)
class Comparison:
    """The three routes between two ports at one speed."""

    origin: Port
    destination: Port
    speed_kn: float
    outcomes: tuple[Outcome, ...]

    def outcome(self, route: str) -> Outcome:
        """The outcome for route id ``route`` ("suez", "cape", "nsr")."""
        for outcome in self.outcomes:
            if outcome.route == route:
                return outcome
        raise KeyError(route)

    def computed(self, route: str) -> Route | None:
        """The computed route, or None where it does not apply."""
        return self.outcome(route).computed

    def rows(self, data: SeaRoutesData | None = None) -> tuple[RouteRow, ...]:
        """One row per route, in `registry.SEA_ROUTES` order, with published figures and caveats."""
        data = data or sea_routes_data()
        suez = self.computed("suez")
        pair = (self.origin.locode, self.destination.locode)
        rows = []
        for declared in registry.SEA_ROUTES:
            outcome = self.outcome(declared.id)
            route = outcome.computed
            checks = []
            for figure in data.published:
                if figure.route != declared.id or not figure.between(*pair):
                    continue
                computed_value: float | None = None
                difference: float | None = None
                if figure.quantity == "distance" and route and figure.nm:
                    computed_value = route.nm
                    difference = (route.nm - figure.nm) / figure.nm * 100.0
                elif figure.quantity == "saving" and route and suez:
                    computed_value = (suez.nm - route.nm) / suez.nm * 100.0
                    difference = computed_value - figure.value
                checks.append(PublishedCheck(figure, computed_value, difference))
            rows.append(
                RouteRow(
                    route=declared,
                    nm=route.nm if route else None,
                    km=route.km if route else None,
                    days=route.days(self.speed_kn) if route else None,
                    vs_suez_nm=route.nm - suez.nm if route and suez else None,
                    vs_suez_pct=(route.nm - suez.nm) / suez.nm * 100.0 if route and suez else None,
                    passages=tuple(_PASSAGE[p].label for p in route.passages) if route else (),
                    reason=outcome.reason,
                    published=tuple(checks),
                    caveats=tuple(c for c in data.caveats if c.route == declared.id),
                )
            )
        return tuple(rows)

    def as_json(self) -> dict[str, Any]:
        """The command line's ``--json`` object: ``suez``, ``cape`` and ``nsr`` each
        ``{"nm", "km", "days", "passages"}`` or null, plus the ports, speed and reasons."""
        out: dict[str, Any] = {
            "origin": self.origin.locode,
            "destination": self.destination.locode,
            "speed_kn": self.speed_kn,
        }
        reasons = {}
        for row in self.rows():
            if row.nm is None or row.km is None or row.days is None:
                out[row.route.id] = None
                reasons[row.route.id] = row.reason
            else:
                out[row.route.id] = {
                    "nm": round(row.nm, 1),
                    "km": round(row.km, 1),
                    "days": round(row.days, 2),
                    "passages": list(row.passages),
                }
        out["reasons"] = reasons
        return out


def port(text: str) -> Port:
    """`find_port`, with the data's aliases, and its suggested ports meant where a name or its
    start is shared ("Hamburg" is Hamburg, Germany)."""
    data = sea_routes_data()
    return find_port(text, aliases=data.aliases, preferred=data.ports)


def compare(
    origin: str | Port, destination: str | Port, speed_kn: object = registry.SHIP_SPEED_KN.default
) -> Comparison:
    """The routes via Suez, the Cape and the NSR between two ports at ``speed_kn`` knots.

    Ports are `Port`s or anything `port` reads. Raises a `RouteInputError` (one-line
    message) for an unknown or ambiguous port, the same port twice, an inland port or a bad
    speed. Computed once per port pair per process (either order) and thread-safe.
    """
    knots = check_speed(speed_kn)
    a = origin if isinstance(origin, Port) else port(origin)
    b = destination if isinstance(destination, Port) else port(destination)
    if a.locode == b.locode:
        raise SamePort(f"{a.label} is both origin and destination: choose two different ports")
    for end in (a, b):
        inland = _inland(end)
        if inland is not None:
            raise InlandPort(inland)
    first, second = sorted((a, b), key=lambda p: p.locode)
    outcomes = _CACHE.get((first.locode, second.locode), lambda: _outcomes(first, second))
    asked = tuple(_oriented(o, a, b, reverse=first is not a) for o in outcomes)
    return Comparison(a, b, knots, asked)


@functools.lru_cache(maxsize=CACHED_PAIRS)
def _inland(end: Port) -> str | None:
    """Why ``end`` is inland (`check_inland`), or None: once per port, not on every rerun that
    shows its comparison (it measures the port's way to the network against land)."""
    try:
        check_inland(network(), end)
    except InlandPort as exc:
        return str(exc)
    return None


def _oriented(outcome: Outcome, a: Port, b: Port, *, reverse: bool) -> Outcome:
    """A cached outcome as asked: names in the reader's order, the line from the origin."""
    route = outcome.computed
    if route is None:
        reason = (outcome.reason or "").format(a=a.name, b=b.name)
        return Outcome(outcome.route, None, reason)
    if not reverse:
        return outcome
    parts = list(getattr(route.geometry, "geoms", [route.geometry]))
    lines = [LineString(list(p.coords)[::-1]) for p in reversed(parts)]
    geometry = lines[0] if len(lines) == 1 else MultiLineString(lines)
    computed = Route(route.route, route.km, route.passages[::-1], geometry, route.nsr_km)
    return Outcome(outcome.route, computed, None)


# --- Command line -----------------------------------------------------------------------------


def table(comparison: Comparison) -> str:
    """The comparison as a plain-text table with published figures and caveats below."""
    c = comparison
    # Distances to the precision the network supports (`registry.ROUTE_PRECISION`): ≈ 10 nm.
    quoted = registry.ROUTE_PRECISION
    lines = [f"{c.origin.label} → {c.destination.label} at {c.speed_kn:g} knots", ""]
    header = f"{'route':<28}{'≈ nm':>9}{'≈ km':>9}{'days':>7}{'vs Suez':>16}  passages"
    lines += [header, "-" * len(header)]
    notes = []
    for row in c.rows():
        if row.nm is None or row.km is None or row.days is None:
            lines.append(f"{row.route.label:<28}{'—':>9}{'—':>9}{'—':>7}{'':>16}  (does not apply)")
            notes.append(f"{row.route.label}: {row.reason}")
            continue
        vs = (
            f"{quoted.rounded(row.vs_suez_nm):+,.0f} ({quoted.percent(row.vs_suez_pct)})"
            if row.vs_suez_nm is not None and row.vs_suez_pct is not None and row.route.id != "suez"
            else ""
        )
        nm, km = quoted.rounded(row.nm), quoted.rounded(row.km)
        lines.append(
            f"{row.route.label:<28}{nm:>9,.0f}{km:>9,.0f}{row.days:>7.1f}{vs:>16}  "
            + ", ".join(row.passages)
        )
    if notes:
        lines += ["", *notes]
    published = [(row, check) for row in c.rows() for check in row.published]
    if published:
        lines += ["", "Published figures"]
    for row, check in published:
        f = check.figure
        value = f"{f.value:,.0f} {f.unit}" if f.quantity == "distance" else f"{f.value:g}% shorter"
        vs = ""
        if check.computed is not None and check.difference is not None:
            vs = (
                f" · computed {quoted.length(check.computed, 'nm')} "
                f"({quoted.percent(check.difference)})"
                if f.quantity == "distance"
                else f" · computed {check.computed:.0f}% ({check.difference:+.0f} points)"
            )
        source = f"{f.source.publisher}, {f.source.date}, {f.source.url}"
        lines.append(f"  {row.route.label}: {value}{vs} — {source}")
    caveats = [caveat for row in c.rows() if row.nm is not None for caveat in row.caveats]
    if caveats:
        lines += ["", "Caveats"]
    for caveat in caveats:
        cited = "; ".join(f"{s.publisher}, {s.date}, {s.url}" for s in caveat.sources)
        lines.append(f"  {caveat.text} [{cited}]")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m corridors.routes CNSHA NLRTM [--speed 14] [--json]``; exit 2 on bad input."""
    parser = argparse.ArgumentParser(
        prog="python -m corridors.routes",
        description="Sea routes between two ports via Suez, the Cape of Good Hope and the "
        "Northern Sea Route, computed on searoute's network.",
    )
    parser.add_argument("origin", help="UN/LOCODE (CNSHA) or port name (Shanghai)")
    parser.add_argument("destination", help="UN/LOCODE (NLRTM) or port name (Rotterdam)")
    speeds = registry.SHIP_SPEED_KN
    parser.add_argument(
        "--speed",
        default=str(speeds.default),
        help=f"knots, {speeds.low:g}-{speeds.high:g} (default {speeds.default:g})",
    )
    parser.add_argument("--json", action="store_true", help="print a JSON object")
    args = parser.parse_args(argv)
    try:
        comparison = compare(args.origin, args.destination, args.speed)
    except RouteInputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(comparison.as_json(), ensure_ascii=False, indent=2))
    else:
        print(table(comparison))
    return 0


if __name__ == "__main__":
    sys.exit(main())
