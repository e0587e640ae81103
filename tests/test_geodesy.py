"""Geodesic measures: lengths and areas on the ellipsoid, not in planar degrees."""

from __future__ import annotations

import pytest
from shapely.geometry import LineString, MultiPolygon, Point, Polygon, box

from corridors.geodesy import area_km2, distance_km, length_km


def test_one_degree_of_longitude_on_the_equator_is_111_km() -> None:
    assert length_km(LineString([(0, 0), (1, 0)])) == pytest.approx(111.32, abs=0.01)


def test_distance_between_two_points_is_the_length_of_the_line_between_them() -> None:
    assert distance_km((0, 60), (1, 60)) == pytest.approx(length_km(LineString([(0, 60), (1, 60)])))


def test_length_shrinks_with_latitude_where_planar_degrees_would_not() -> None:
    assert length_km(LineString([(0, 60), (1, 60)])) == pytest.approx(55.8, abs=0.1)


def test_point_has_no_length() -> None:
    assert length_km(Point(0, 0)) == 0


def test_area_ignores_ring_orientation_even_when_parts_disagree() -> None:
    square = box(0, 0, 1, 1)
    clockwise = Polygon(list(square.exterior.coords)[::-1])
    both = MultiPolygon([Polygon(box(2, 0, 3, 1).exterior.coords), clockwise])
    assert area_km2(clockwise) == pytest.approx(area_km2(square))
    assert area_km2(both) == pytest.approx(2 * area_km2(square), rel=1e-3)
