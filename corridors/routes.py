"""Sea routes between two ports compared: via Suez, via the Cape of Good Hope, via the NSR.

Computed on the maritime network of the ``searoute`` package (Eurostat's network, with its
3,962-port list), never typed in. ``searoute`` 1.6 has an Arctic track along Russia, but its only
link to the Bering Strait is tagged ``northwest`` (its name for the Northwest Passage), which it
blocks by default: with the default restrictions the NSR is cut off, and with none the
Northwest Passage opens too. So the network here is searoute's, with the project's own sourced
NSR track (`NSR_TRACK` in corridors.geojson) joined into it as edges tagged ``nsr``
(searoute's ``passage`` attribute, so they are switched on and off like its own passages), and
``northwest`` always closed.

Ships bound for the NSR cross open sea to its gates, the two ends of its legal extent: from the
North Cape across the Barents Sea to the Kara Gate, and across the Bering Sea to the Bering
Strait. searoute's network reaches neither gate, and the track's Murmansk approach follows the
Kola coast, so each gate is joined straight to every node of the network on its open-sea side
(west of the Kara Gate, south of the Bering Strait) that it sees across open water
(`Approach`): along the geodesic, drawn through a point every `APPROACH_STEP_KM`, touching no
land at all at 1:50m, which is stricter than the network's own `LAND_TOLERANCE_KM`. The
approaches are tagged ``nsr-approach``: closed with the NSR on the Suez and Cape routes, and no
NSR passage on their own. Without them Rotterdam to the Kara Gate by the Kola coast came out 6%
over a line of sight through the same waters; with them it is 2% over, as searoute's lanes are
in the northern seas (within 1% on the Suez route).

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
import difflib
import itertools
import json
import math
import re
import sys
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, TypeVar

import networkx as nx
import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry import LineString, MultiLineString
from shapely.geometry.base import BaseGeometry

from corridors import registry
from corridors.antimeridian import split_line_at_antimeridian
from corridors.errors import DataError
from corridors.geodesy import WGS84, length_km
from corridors.reading import check_fields, read_utf8
from corridors.schema import CORRIDORS, COUNTRIES, LOCODE, SEA_ROUTES_FIELDS

GEODATA: Final = Path(__file__).resolve().parent.parent / "geodata"

KM_PER_NM: Final = registry.LENGTH_KM["nmi"]
# Speeds a merchant ship sails at: a slow-steaming bulk carrier makes about 10 knots, a fast
# container ship about 25; 1 and 40 bound them with room to spare and keep days finite.
MIN_SPEED_KN: Final = 1.0
MAX_SPEED_KN: Final = 40.0
DEFAULT_SPEED_KN: Final = 14.0

# The project's NSR track, Murmansk to the Bering Strait, in order. Its Providence Bay spur is
# left out: it is drawn only to compare a published length like with like, and is no route.
NSR_TRACK: Final = ("northern-sea-route/murmansk-approach", "northern-sea-route/legal-extent")
NSR_TAG: Final = "nsr"
# A track vertex this close to a node of searoute's network is joined to it (the Kola Bay and
# its mouth, where Murmansk's traffic meets the track); both ends of the track are joined to
# their nearest node whatever the distance (17 km at the Bering Strait). Farther joins would let
# a route hop between the track and searoute's own Arctic track, 15-200 km away.
JOIN_KM: Final = 10.0
# The edges from the NSR's gates across open sea to searoute's network (`Approach`), tagged
# apart from the track: closed with it on the Suez and Cape routes, no NSR passage on their own.
NSR_APPROACH_TAG: Final = "nsr-approach"
# The gates (the legal extent's first and last vertex) and the side ships come from.
NSR_GATES: Final = (("Kara Gate", "west"), ("Bering Strait", "south"))
# How far from a gate to look for nodes it sees: a bound on the search, not on the answer. From
# 1,000 km to the whole network, every published pair's route is the same (measured; a test
# doubles it).
APPROACH_SEARCH_KM: Final = 2000.0
# An approach is drawn through a point of its geodesic at least this often, so that the line
# drawn and checked against land is the line measured.
APPROACH_STEP_KM: Final = 50.0
# searoute's mean Earth radius for its edge weights (searoute.utils.distance).
EARTH_RADIUS_KM: Final = 6371.0088

# The network's own tolerance for land at the scale of geodata/countries.geojson (Natural
# Earth 1:50m): of searoute's sea edges between 30°W and 180° that touch it, 99% cross at most
# 50 km of it (measured in tests/test_routes.py: 1:50m coasts do not resolve every strait,
# fjord or estuary). A port whose way to the network crosses more land than this is inland.
LAND_TOLERANCE_KM: Final = 50.0

# Beyond twice the Suez distance the Cape of Good Hope is no alternative (Jeddah to Port Said
# round Africa is 17 times the canal route). Asia, India and the Gulf to Europe come out at
# 1.3-1.8 times, the detours actually sailed during the Red Sea crisis.
CAPE_MAX_RATIO: Final = 2.0

Node = tuple[float, float]
T = TypeVar("T")


# --- Errors: one line each, saying what is wrong and what to do ---------------------------------


class RouteInputError(ValueError):
    """A port or speed the comparison cannot use; ``str()`` is a one-line message for a reader."""


class UnknownPort(RouteInputError):
    """No port in the list has that UN/LOCODE or name."""


class AmbiguousPort(RouteInputError):
    """Several ports have that name; the message lists their UN/LOCODEs."""


class SamePort(RouteInputError):
    """Origin and destination are the same port."""


class InlandPort(RouteInputError):
    """The port lies inland: the sea network does not reach it."""


class BadSpeed(RouteInputError):
    """A speed that is not a number of knots between `MIN_SPEED_KN` and `MAX_SPEED_KN`."""


def _shown(text: str, limit: int = 40) -> str:
    """User input quoted in a message, cut short so a 60 KB value cannot flood it."""
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


# --- Ports --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Port:
    """A port from searoute's list: its UN/LOCODE, name, country and position (WGS84)."""

    locode: str
    name: str
    country: str
    lon: float
    lat: float

    @property
    def label(self) -> str:
        """ "Shanghai (CNSHA)": how the port is named in tables and messages."""
        return f"{self.name} ({self.locode})"


def _country(raw: str) -> str:
    # searoute writes "South_korea", "United_states".
    return " ".join(w[:1].upper() + w[1:] for w in raw.replace("_", " ").split())


def _read_ports() -> dict[str, Port]:
    import searoute

    path = Path(searoute.__file__).parent / "data" / "ports.geojson"
    ports: dict[str, Port] = {}
    for feature in json.loads(path.read_text(encoding="utf-8"))["features"]:
        props, (lon, lat) = feature["properties"], feature["geometry"]["coordinates"]
        code = props.get("port")
        # 45 codes appear twice at different positions; the first one listed is kept.
        if isinstance(code, str) and LOCODE.match(code) and code not in ports:
            ports[code] = Port(code, props["name"], _country(props["cty"]), lon, lat)
    return ports


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


# --- The network --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Approach:
    """An edge from a gate of the NSR across open sea to a node of searoute's network: along the
    geodesic, drawn through ``via`` (from the gate), touching no land at 1:50m."""

    gate: str
    vertex: Node  # the gate: an end of the track's legal extent
    node: Node
    km: float
    via: tuple[Node, ...]


@dataclass(frozen=True)
class Network:
    """searoute's maritime network with the NSR track joined in, the port list, and land."""

    graph: Any  # searoute.Marnet: a networkx Graph with a k-d tree of its nodes
    ports: Mapping[str, Port]
    land: shapely.STRtree
    land_parts: tuple[BaseGeometry, ...]
    nsr_edges: int
    joins: tuple[tuple[Node, Node, float], ...]  # track vertex, network node, km
    approaches: tuple[Approach, ...]


def _unwrapped(points: Iterable[Node]) -> list[Node]:
    """Longitudes made continuous (each within 180° of the previous); repeats dropped."""
    out: list[Node] = []
    for lon, lat in points:
        if out:
            lon += 360.0 * round((out[-1][0] - lon) / 360.0)
            if (lon, lat) == out[-1]:
                continue
        out.append((lon, lat))
    return out


def _km(a: Node, b: Node) -> float:
    return float(WGS84.inv(a[0], a[1], b[0], b[1])[2]) / 1000.0


def _great_circle_km(
    point: Node, lons: npt.NDArray[np.float64], lats: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """Haversine km from ``point`` to many points: searoute's own measure of its edges."""
    lon0, lat0 = np.radians(point[0]), np.radians(point[1])
    lon1, lat1 = np.radians(lons), np.radians(lats)
    a = (
        np.sin((lat1 - lat0) / 2) ** 2
        + np.cos(lat0) * np.cos(lat1) * np.sin((lon1 - lon0) / 2) ** 2
    )
    km: npt.NDArray[np.float64] = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(a))
    return km


def _nsr_track(geodata: Path) -> dict[str, list[list[Node]]]:
    """The NSR track's lines by feature, from Murmansk, as corridors.geojson stores them."""
    from corridors.loader import read_layer

    frame = read_layer(geodata / registry.CORRIDORS_FILE, CORRIDORS).set_index("id")
    missing = [i for i in NSR_TRACK if i not in frame.index]
    if missing:
        raise DataError(registry.CORRIDORS_FILE, f"the NSR track has no feature {missing[0]!r}")
    lines: dict[str, list[list[Node]]] = {}
    for feature in NSR_TRACK:
        geometry = frame.geometry[feature]
        lines[feature] = [
            [(float(x), float(y)) for x, y, *_ in part.coords]
            for part in getattr(geometry, "geoms", [geometry])
        ]
    return lines


def _join_nsr(graph: Any, lines: list[list[Node]]) -> tuple[int, list[tuple[Node, Node, float]]]:
    """Add the track's edges (tagged `NSR_TAG`) and the joins to the network (untagged)."""
    network_nodes = list(graph.nodes)
    track: list[Node] = []
    added = 0
    for line in lines:
        for u, v in itertools.pairwise(line):
            if u != v:
                # searoute's own weight (great-circle km); a step from +180° to -180° weighs 0.
                graph.add_edge(u, v, passage=NSR_TAG)
                added += 1
        track.extend(p for p in line if p not in track)
    # The track is split at ±180° like every line in geodata; its two cut ends are one point.
    for line, following in itertools.pairwise(lines):
        if line[-1] != following[0]:
            graph.add_edge(line[-1], following[0], passage=NSR_TAG)
            added += 1
    joins: list[tuple[Node, Node, float]] = []
    lons = np.array([n[0] for n in network_nodes])
    lats = np.array([n[1] for n in network_nodes])
    for i, vertex in enumerate(track):
        km = _great_circle_km(vertex, lons, lats)
        nearest = float(km.min())
        if nearest > JOIN_KM and i not in (0, len(track) - 1):
            continue
        # searoute keeps some places twice, at lon and lon + 360° (the Bering Strait at
        # -169.15° and 190.85°), each linked to its own side of the network: join every copy.
        for j in np.flatnonzero(km <= nearest + 0.001):
            graph.add_edge(vertex, network_nodes[j])
            joins.append((vertex, network_nodes[j], float(km[j])))
    return added, joins


def _outside(gate: Node, side: str, point: Node) -> bool:
    """True if ``point`` is on a gate's open-sea side: west of its meridian or south of its
    parallel. A whole approach must be, or a gate could join the seas on its two sides."""
    return point[0] < gate[0] if side == "west" else point[1] < gate[1]


def _geodesic(a: Node, b: Node, step_km: float) -> tuple[Node, ...]:
    """Points of the geodesic from ``a`` to ``b``, strictly between them, ``step_km`` or less
    apart (longitudes within ±180)."""
    count = math.ceil(_km(a, b) / step_km) - 1
    if count < 1:
        return ()
    return tuple((float(x), float(y)) for x, y in WGS84.npts(a[0], a[1], b[0], b[1], count))


def _join_approaches(
    graph: Any,
    network_nodes: Sequence[Node],
    gates: Sequence[tuple[str, Node, str]],
    land: shapely.STRtree,
) -> list[Approach]:
    """Join each gate to every node of searoute's network within `APPROACH_SEARCH_KM` that it
    sees across open water on its open-sea side (tagged `NSR_APPROACH_TAG`)."""
    lons = np.array([n[0] for n in network_nodes])
    lats = np.array([n[1] for n in network_nodes])
    approaches: list[Approach] = []
    for name, vertex, side in gates:
        candidates = []
        km = _great_circle_km(vertex, lons, lats)
        for j in np.flatnonzero(km <= APPROACH_SEARCH_KM).tolist():
            node = network_nodes[j]
            via = _geodesic(vertex, node, APPROACH_STEP_KM)
            if not graph.has_edge(vertex, node) and all(
                _outside(vertex, side, p) for p in (*via, node)
            ):
                candidates.append(Approach(name, vertex, node, _km(vertex, node), via))
        lines = [
            split_line_at_antimeridian(_unwrapped([a.vertex, *a.via, a.node])) for a in candidates
        ]
        blocked = set(land.query(lines, predicate="intersects")[0].tolist()) if lines else set()
        for i, approach in enumerate(candidates):
            if i not in blocked:
                graph.add_edge(
                    vertex, approach.node, passage=NSR_APPROACH_TAG, gate=vertex, via=approach.via
                )
                approaches.append(approach)
    return approaches


def _read_land(geodata: Path) -> tuple[shapely.STRtree, tuple[BaseGeometry, ...]]:
    from corridors.loader import read_layer

    frame = read_layer(geodata / registry.COUNTRIES_FILE, COUNTRIES)
    parts = tuple(p for g in frame.geometry for p in getattr(g, "geoms", [g]))
    for part in parts:
        shapely.prepare(part)
    return shapely.STRtree(parts), parts


def load_network(geodata: Path = GEODATA) -> Network:
    """Build the routing network: searoute's, plus the NSR track from ``geodata``, plus land."""
    import searoute
    from searoute.data.marnet_dict import edge_list, node_list

    graph = searoute.Marnet()
    # Fresh node and adjacency dicts: searoute's module-level ones back its own shared graph,
    # which must not gain the NSR edges. Edge attribute dicts are shared and never changed.
    searoute.from_nodes_edges_set(
        graph,
        {node: dict(attrs) for node, attrs in node_list.items()},
        {node: dict(neighbours) for node, neighbours in edge_list.items()},
    )
    network_nodes = list(graph.nodes)
    track = _nsr_track(geodata)
    added, joins = _join_nsr(graph, [line for lines in track.values() for line in lines])
    land, parts = _read_land(geodata)
    legal = track[NSR_TRACK[-1]]
    ends = (legal[0][0], legal[-1][-1])
    gates = [(name, end, side) for (name, side), end in zip(NSR_GATES, ends, strict=True)]
    approaches = _join_approaches(graph, network_nodes, gates, land)
    return Network(graph, _read_ports(), land, parts, added, tuple(joins), tuple(approaches))


_NETWORK_LOCK = threading.Lock()
_NETWORK: list[Network] = []


def network() -> Network:
    """The routing network, built on first use and then shared by every session of the process."""
    with _NETWORK_LOCK:
        if not _NETWORK:
            _NETWORK.append(load_network())
        return _NETWORK[0]


def ports() -> Mapping[str, Port]:
    """searoute's port list by UN/LOCODE."""
    return network().ports


def land_km(line: BaseGeometry, net: Network | None = None) -> list[float]:
    """Geodesic length of each stretch of ``line`` (lon/lat within ±180) that lies on land."""
    net = net or network()
    pieces: list[BaseGeometry] = []
    for i in net.land.query(line):
        inside = net.land_parts[int(i)].intersection(line)
        pieces.extend(getattr(inside, "geoms", [inside]))
    merged = shapely.line_merge(shapely.union_all(pieces)) if pieces else None
    if merged is None or merged.is_empty:
        return []
    return [length_km(p) for p in getattr(merged, "geoms", [merged]) if p.length > 0]


# --- Looking up ports and checking speeds -------------------------------------------------------

_LABELLED = re.compile(r"^.*\(\s*([A-Za-z]{2}[A-Za-z2-9]{3})\s*\)\s*$")


def find_port(text: str, ports_by_code: Mapping[str, Port] | None = None) -> Port:
    """The port named by ``text``: a UN/LOCODE ("CNSHA"), a name ("Shanghai", any case) or a
    label ("Shanghai (CNSHA)"). Raises `UnknownPort` or `AmbiguousPort` with a one-line message.
    """
    known = ports_by_code if ports_by_code is not None else ports()
    if not isinstance(text, str) or not text.strip():
        raise UnknownPort("no port given: name one by UN/LOCODE (CNSHA) or by name (Shanghai)")
    wanted = text.strip()
    labelled = _LABELLED.match(wanted)
    code = (labelled.group(1) if labelled else wanted).upper()
    if code in known:
        return known[code]
    if labelled:
        raise UnknownPort(f"no port has the UN/LOCODE {_shown(code)} in searoute's port list")
    named = [p for p in known.values() if p.name.casefold() == wanted.casefold()]
    if len(named) == 1:
        return named[0]
    if named:
        codes = ", ".join(sorted(p.locode for p in named))
        raise AmbiguousPort(f"{len(named)} ports are called {_shown(wanted)}: give one of {codes}")
    names = {p.name.casefold(): p for p in known.values()}
    close = difflib.get_close_matches(wanted.casefold()[:60], list(names), n=3, cutoff=0.8)
    hint = f"; close: {', '.join(names[c].label for c in close)}" if close else ""
    what = "UN/LOCODE or name" if LOCODE.match(code) else "name"
    raise UnknownPort(f"no port has the {what} {_shown(wanted)} in searoute's port list{hint}")


def check_speed(speed: object) -> float:
    """``speed`` in knots as a float, if it is a number from 1 to 40; else `BadSpeed`."""
    if isinstance(speed, bool) or not isinstance(speed, int | float | str):
        raise BadSpeed(f"speed {_shown(str(speed))} is not a number of knots")
    try:
        knots = float(speed)
    except ValueError:
        raise BadSpeed(f"speed {_shown(str(speed))} is not a number of knots") from None
    if not math.isfinite(knots):
        raise BadSpeed(f"speed {_shown(str(speed))} is not a finite number of knots")
    if not MIN_SPEED_KN <= knots <= MAX_SPEED_KN:
        raise BadSpeed(
            f"speed {_shown(str(speed))} knots is outside {MIN_SPEED_KN:g}-{MAX_SPEED_KN:g} knots"
        )
    return knots


# --- The data file: published figures and caveats -----------------------------------------------


@dataclass(frozen=True)
class Source:
    """A publication cited by a figure or a caveat."""

    id: str
    publisher: str
    title: str
    date: str
    url: str
    note: str | None = None


@dataclass(frozen=True)
class Published:
    """A published figure for a port pair and route: a ``distance`` or a ``saving`` against
    Suez in per cent."""

    origin: str
    destination: str
    route: str
    quantity: str
    value: float
    unit: str
    source: Source
    note: str | None = None

    def between(self, a: str, b: str) -> bool:
        """True if the figure is for ports ``a`` and ``b``, in either order."""
        return {self.origin, self.destination} == {a, b}

    @property
    def nm(self) -> float | None:
        """The distance in nautical miles (None for a saving)."""
        if self.quantity != "distance":
            return None
        return self.value * registry.LENGTH_KM[self.unit] / KM_PER_NM


@dataclass(frozen=True)
class Caveat:
    """Something the distance does not say about a route, with its sources."""

    route: str
    id: str
    text: str
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class SeaRoutesData:
    """geodata/sea-routes.json, checked."""

    sources: Mapping[str, Source]
    published: tuple[Published, ...]
    caveats: tuple[Caveat, ...]


def read_sea_routes(path: Path) -> SeaRoutesData:
    """Read and check the sea-routes file; any problem raises `DataError` (file, entry, problem)."""
    file = path.name
    try:
        raw = json.loads(read_utf8(path))
    except json.JSONDecodeError as exc:
        raise DataError(file, f"not valid JSON at line {exc.lineno}: {exc.msg}") from exc
    if not isinstance(raw, dict):
        raise DataError(file, "should be a JSON object")
    try:
        check_fields(raw, SEA_ROUTES_FIELDS)
    except ValueError as exc:
        raise DataError(file, str(exc)) from exc
    sources: dict[str, Source] = {}
    for entry in raw["sources"]:
        if entry["id"] in sources:
            raise DataError(file, "source id is used twice", feature=entry["id"])
        sources[entry["id"]] = Source(**entry)

    def cited(source_id: Any, where: str) -> Source:
        if not isinstance(source_id, str) or source_id not in sources:
            raise DataError(file, f"cites {source_id!r}, which no source has as id", where)
        return sources[source_id]

    published = []
    for i, entry in enumerate(raw["published"]):
        where = f"published[{i}]"
        if entry["from"] == entry["to"]:
            raise DataError(file, "'from' and 'to' are the same port", where)
        percent = entry["unit"] == "%"
        if percent != (entry["quantity"] == "saving"):
            raise DataError(file, "a saving is given in %, a distance in nmi, km or m", where)
        if entry["quantity"] == "saving" and entry["route"] == "suez":
            raise DataError(file, "a saving is measured against Suez, so not for Suez", where)
        if entry["value"] <= 0:
            raise DataError(file, "'value' must be positive", where)
        published.append(
            Published(
                entry["from"],
                entry["to"],
                entry["route"],
                entry["quantity"],
                float(entry["value"]),
                entry["unit"],
                cited(entry["source"], where),
                entry.get("note"),
            )
        )
    caveats = []
    seen: set[tuple[str, str]] = set()
    for entry in raw["caveats"]:
        key = (entry["route"], entry["id"])
        where = f"caveat {entry['route']}/{entry['id']}"
        if key in seen:
            raise DataError(file, "caveat is listed twice", where)
        seen.add(key)
        caveats.append(
            Caveat(
                entry["route"],
                entry["id"],
                entry["text"],
                tuple(cited(s, where) for s in entry["sources"]),
            )
        )
    return SeaRoutesData(sources, tuple(published), tuple(caveats))


_DATA_LOCK = threading.Lock()
_DATA: list[SeaRoutesData] = []


def sea_routes_data() -> SeaRoutesData:
    """geodata/sea-routes.json, read once per process."""
    with _DATA_LOCK:
        if not _DATA:
            _DATA.append(read_sea_routes(GEODATA / registry.SEA_ROUTES_FILE))
        return _DATA[0]


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


def _nodes(net: Network, port: Port) -> Node:
    node: Node = net.graph.kdtree.query((port.lon, port.lat))
    return node


def _check_inland(net: Network, port: Port) -> None:
    leg = split_line_at_antimeridian(_unwrapped([(port.lon, port.lat), _nodes(net, port)]))
    on_land = sum(land_km(leg, net))
    if on_land > LAND_TOLERANCE_KM:
        raise InlandPort(
            f"{port.label} lies inland: the way to the sea network crosses {on_land:,.0f} km "
            f"of land (more than {LAND_TOLERANCE_KM:g} km); choose a seaport"
        )


def _route(net: Network, a: Port, b: Port, variant: Variant) -> Route | str:
    """The variant's route from ``a`` to ``b``, or why there is none."""
    closed = variant.closed

    def weight(u: Node, v: Node, data: Mapping[str, Any]) -> float | None:
        # None hides the edge from networkx: a closed passage.
        return None if data.get("passage") in closed else float(data["weight"])

    start, end = _nodes(net, a), _nodes(net, b)
    try:
        _, path = nx.bidirectional_dijkstra(net.graph, start, end, weight=weight)
    except nx.NetworkXNoPath:
        shut = _and([_PASSAGE[p].label for p in _passages_closed(closed)])
        return f"no sea route between {{a}} and {{b}} with the {shut} closed"
    points = _unwrapped([(a.lon, a.lat), *_drawn(path, net.graph), (b.lon, b.lat)])
    geometry = split_line_at_antimeridian(points)
    nsr_km = sum(
        _km(u, v)
        for u, v in itertools.pairwise(path)
        if net.graph.edges[u, v].get("passage") == NSR_TAG
    )
    return Route(
        variant.route, length_km(geometry), _passages(path, geometry, net.graph), geometry, nsr_km
    )


def _drawn(path: Sequence[Node], graph: Any) -> list[Node]:
    """A path's points as drawn: an approach's points along its geodesic included."""
    points = [path[0]]
    for u, v in itertools.pairwise(path):
        data = graph.edges[u, v]
        via = data.get("via", ())
        points.extend(via if data.get("gate") == u else via[::-1])  # via runs from the gate
        points.append(v)
    return points


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


class _OncePerKey:
    """Compute a value once per key per process, whichever thread asks first; the others wait
    for that computation instead of repeating it. A failed computation is not kept."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._futures: dict[Any, Future[Any]] = {}
        self.computed = 0

    def get(self, key: Any, compute: Callable[[], T]) -> T:
        with self._lock:
            future = self._futures.get(key)
            owner = future is None
            if future is None:
                future = self._futures[key] = Future()
        if not owner:
            result: T = future.result()
            return result
        try:
            value = compute()
        except BaseException as exc:
            with self._lock:
                del self._futures[key]
            future.set_exception(exc)
            raise
        with self._lock:
            self.computed += 1
        future.set_result(value)
        return value

    def clear(self) -> None:
        """Forget every value (for tests and benchmarks that measure a cold start)."""
        with self._lock:
            self._futures.clear()
            self.computed = 0


_CACHE = _OncePerKey()


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


def compare(
    origin: str | Port, destination: str | Port, speed_kn: object = DEFAULT_SPEED_KN
) -> Comparison:
    """The routes via Suez, the Cape and the NSR between two ports at ``speed_kn`` knots.

    Ports are `Port`s or anything `find_port` reads. Raises a `RouteInputError` (one-line
    message) for an unknown or ambiguous port, the same port twice, an inland port or a bad
    speed. Computed once per port pair per process (either order) and thread-safe.
    """
    knots = check_speed(speed_kn)
    a = origin if isinstance(origin, Port) else find_port(origin)
    b = destination if isinstance(destination, Port) else find_port(destination)
    if a.locode == b.locode:
        raise SamePort(f"{a.label} is both origin and destination: choose two different ports")
    net = network()
    for port in (a, b):
        _check_inland(net, port)
    first, second = sorted((a, b), key=lambda p: p.locode)
    outcomes = _CACHE.get((first.locode, second.locode), lambda: _outcomes(first, second))
    asked = tuple(_oriented(o, a, b, reverse=first is not a) for o in outcomes)
    return Comparison(a, b, knots, asked)


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
    lines = [f"{c.origin.label} → {c.destination.label} at {c.speed_kn:g} knots", ""]
    header = f"{'route':<28}{'nm':>9}{'km':>9}{'days':>7}{'vs Suez':>16}  passages"
    lines += [header, "-" * len(header)]
    notes = []
    for row in c.rows():
        if row.nm is None or row.km is None or row.days is None:
            lines.append(f"{row.route.label:<28}{'—':>9}{'—':>9}{'—':>7}{'':>16}  (does not apply)")
            notes.append(f"{row.route.label}: {row.reason}")
            continue
        vs = (
            f"{row.vs_suez_nm:+,.0f} ({row.vs_suez_pct:+.0f}%)"
            if row.vs_suez_nm is not None and row.vs_suez_pct is not None and row.route.id != "suez"
            else ""
        )
        lines.append(
            f"{row.route.label:<28}{row.nm:>9,.0f}{row.km:>9,.0f}{row.days:>7.1f}{vs:>16}  "
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
                f" · computed {check.computed:,.0f} nm ({check.difference:+.1f}%)"
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
    parser.add_argument(
        "--speed",
        default=str(DEFAULT_SPEED_KN),
        help=f"knots, {MIN_SPEED_KN:g}-{MAX_SPEED_KN:g} (default {DEFAULT_SPEED_KN:g})",
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
