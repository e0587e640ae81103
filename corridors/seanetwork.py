"""The sea routing network: searoute's maritime network with the project's NSR track joined in
as tagged edges, the NSR's gates joined across open sea, and land to check routes against.

The network is the ``searoute`` package's (Eurostat's maritime network). ``searoute`` 1.6 has an
Arctic track along Russia, but its only link to the Bering Strait is tagged ``northwest`` (its
name for the Northwest Passage), which it blocks by default: with the default restrictions the
NSR is cut off, and with none the Northwest Passage opens too. So the project's own sourced NSR
track (`NSR_TRACK` in corridors.geojson) is joined into it as edges tagged ``nsr`` (searoute's
``passage`` attribute, so they are switched on and off like its own passages); the routes keep
``northwest`` closed.

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

The network loads once per process (`network`), whichever session asks first.
"""

from __future__ import annotations

import gc
import itertools
import math
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry.base import BaseGeometry

from corridors import registry
from corridors.antimeridian import split_line_at_antimeridian
from corridors.errors import DataError
from corridors.geodesy import WGS84, distance_km, length_km
from corridors.ports import InlandPort, Port
from corridors.registry import GEODATA
from corridors.schema import CORRIDORS, COUNTRIES

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
# 50 km of it (measured in tests/test_seanetwork.py: 1:50m coasts do not resolve every strait,
# fjord or estuary). A port whose way to the network crosses more land than this is inland.
LAND_TOLERANCE_KM: Final = 50.0

Node = tuple[float, float]


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
    """searoute's maritime network with the NSR track and its approaches joined in, and land."""

    graph: Any  # searoute.Marnet: a networkx Graph with a k-d tree of its nodes
    land: shapely.STRtree
    land_parts: tuple[BaseGeometry, ...]
    nsr_edges: int
    joins: tuple[tuple[Node, Node, float], ...]  # track vertex, network node, km
    approaches: tuple[Approach, ...]


def unwrapped(points: Iterable[Node]) -> list[Node]:
    """Longitudes made continuous (each within 180° of the previous); repeats dropped."""
    out: list[Node] = []
    for lon, lat in points:
        if out:
            lon += 360.0 * round((out[-1][0] - lon) / 360.0)
            if (lon, lat) == out[-1]:
                continue
        out.append((lon, lat))
    return out


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
    count = math.ceil(distance_km(a, b) / step_km) - 1
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
                candidates.append(Approach(name, vertex, node, distance_km(vertex, node), via))
        lines = [
            split_line_at_antimeridian(unwrapped([a.vertex, *a.via, a.node])) for a in candidates
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
    """Build the routing network: searoute's, the NSR track from ``geodata`` and its gates'
    approaches joined in, and land."""
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
    return Network(graph, land, parts, added, tuple(joins), tuple(approaches))


_NETWORK_LOCK = threading.Lock()
_NETWORK: list[Network] = []


def network() -> Network:
    """The routing network, built on first use and then shared by every session of the process."""
    with _NETWORK_LOCK:
        if not _NETWORK:
            _NETWORK.append(load_network())
            gc.freeze()  # kept for the process's life: out of the collector's reach (site.py)
        return _NETWORK[0]


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


def nearest_node(net: Network, port: Port) -> Node:
    """The network's node nearest ``port``, where its routes start and end (searoute's k-d tree
    of nodes, in lon/lat degrees)."""
    node: Node = net.graph.kdtree.query((port.lon, port.lat))
    return node


def check_inland(net: Network, port: Port) -> None:
    """Raise `InlandPort` if the way from ``port`` to the network crosses more land than
    `LAND_TOLERANCE_KM`."""
    leg = split_line_at_antimeridian(unwrapped([(port.lon, port.lat), nearest_node(net, port)]))
    on_land = sum(land_km(leg, net))
    if on_land > LAND_TOLERANCE_KM:
        raise InlandPort(
            f"{port.label} lies inland: the way to the sea network crosses {on_land:,.0f} km "
            f"of land (more than {LAND_TOLERANCE_KM:g} km); choose a seaport"
        )


def drawn_points(path: Sequence[Node], graph: Any) -> list[Node]:
    """A path's points as drawn: an approach's points along its geodesic included."""
    points = [path[0]]
    for u, v in itertools.pairwise(path):
        data = graph.edges[u, v]
        via = data.get("via", ())
        points.extend(via if data.get("gate") == u else via[::-1])  # via runs from the gate
        points.append(v)
    return points
