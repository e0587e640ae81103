"""Geodesic measures on the WGS84 ellipsoid: lengths and areas are never taken in planar degrees."""

from __future__ import annotations

import shapely
from pyproj import Geod
from shapely.geometry.base import BaseGeometry

WGS84 = Geod(ellps="WGS84")


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Geodesic distance in kilometres between two (lon, lat) points."""
    return float(WGS84.inv(a[0], a[1], b[0], b[1])[2]) / 1000.0


def length_km(geometry: BaseGeometry) -> float:
    """Geodesic length of a (multi)line in kilometres; 0 for points."""
    return float(WGS84.geometry_length(geometry)) / 1000.0


def area_km2(geometry: BaseGeometry) -> float:
    """Geodesic area of a (multi)polygon in square kilometres, whatever its ring orientation."""
    # pyproj signs each ring's area by its orientation; parts wound oppositely (as make_valid
    # or coverage_simplify may leave them) would cancel out unless oriented consistently first.
    area, _perimeter = WGS84.geometry_area_perimeter(shapely.orient_polygons(geometry))
    return abs(float(area)) / 1e6
