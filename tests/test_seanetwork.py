"""The routing network (corridors.seanetwork): the NSR track and its approaches joined into
searoute's network without changing searoute's own, and the land tolerance measured from it."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from shapely.geometry import LineString

from corridors import seanetwork
from corridors.antimeridian import split_line_at_antimeridian
from corridors.geodesy import distance_km, length_km


def test_the_nsr_track_is_joined_at_its_ends_and_the_kola_bay() -> None:
    net = seanetwork.network()
    joined = {vertex for vertex, _node, _km in net.joins}
    assert (33.099, 68.968) in joined  # Murmansk
    assert (35.5, 69.55) in joined  # off the Kola Bay
    assert (-169.4, 66.08) in joined  # the Bering Strait, to both of searoute's copies of it
    assert sum(1 for v, _n, _k in net.joins if v == (-169.4, 66.08)) == 2
    assert net.nsr_edges > 40
    tags = [d.get("passage") for _u, _v, d in net.graph.edges(data=True)]
    assert tags.count(seanetwork.NSR_TAG) == net.nsr_edges


def test_the_gates_of_the_nsr_are_approached_across_open_sea() -> None:
    """Each gate is joined to nodes on its open-sea side, along geodesics that touch no land."""
    net = seanetwork.network()
    gates = {a.gate: a.vertex for a in net.approaches}
    assert gates == {"Kara Gate": (58.2, 70.4), "Bering Strait": (-169.4, 66.08)}
    for approach in net.approaches:
        assert (
            net.graph.edges[approach.vertex, approach.node]["passage"]
            == seanetwork.NSR_APPROACH_TAG
        )
        points = [approach.vertex, *approach.via, approach.node]
        if approach.gate == "Kara Gate":
            assert all(lon < 58.2 for lon, _lat in points[1:])  # the Barents Sea side
        else:
            assert all(lat < 66.08 for _lon, lat in points[1:])  # the Bering Sea side
        steps = [distance_km(u, v) for u, v in itertools.pairwise(points)]
        assert max(steps) <= seanetwork.APPROACH_STEP_KM + 1e-6
        line = split_line_at_antimeridian(seanetwork.unwrapped(points))
        assert len(net.land.query(line, predicate="intersects")) == 0, approach
        assert length_km(line) == pytest.approx(approach.km, rel=1e-6)  # drawn as measured
    # The North Cape and the Kola Bay are in sight of the Kara Gate.
    kara = {a.node for a in net.approaches if a.gate == "Kara Gate"}
    assert {(32.034679, 70.633107), (33.5778, 69.3538)} <= kara


def test_searoute_own_shared_network_does_not_gain_the_nsr_edges() -> None:
    import searoute

    seanetwork.network()
    shared = searoute.setup_M()
    tags = {d.get("passage") for _u, _v, d in shared.edges(data=True)}
    assert seanetwork.NSR_TAG not in tags and seanetwork.NSR_APPROACH_TAG not in tags


def test_the_land_tolerance_is_the_network_own() -> None:
    """Of searoute's sea edges between 30°W and 180° that touch 1:50m land, 99% cross at most
    LAND_TOLERANCE_KM of it (the rest: the Volga–Don waterway and such, on no route here)."""
    net = seanetwork.network()
    crossings = []
    for u, v, data in net.graph.edges(data=True):
        if data.get("passage") or not all(-30 <= lon <= 180 for lon, _ in (u, v)):
            continue  # canals, straits and the network's meridian links; the Americas' lakes
        if on_land := seanetwork.land_km(LineString([u, v]), net):
            crossings.append(max(on_land))
    measured = float(np.percentile(crossings, 99))
    assert 20 < measured <= seanetwork.LAND_TOLERANCE_KM, f"99th percentile: {measured:.1f} km"
