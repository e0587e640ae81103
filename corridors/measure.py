"""Lengths along a corridor between named waypoints, for comparison with published figures."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry

from corridors.geodesy import WGS84, length_km


def _vertices(geometries: Iterable[BaseGeometry]) -> list[tuple[float, float]]:
    """The corridor's vertices in drawing order; a part that resumes where the last ended
    (a segment boundary, or the same meridian seen from the other side of ±180°) is joined."""
    out: list[tuple[float, float]] = []
    for geometry in geometries:
        for part in getattr(geometry, "geoms", [geometry]):
            coords = [(float(x), float(y)) for x, y in part.coords]
            if out and (
                out[-1] == coords[0] or (abs(out[-1][0]) == 180 and out[-1][1] == coords[0][1])
            ):
                coords = coords[1:]
            out.extend(coords)
    return out


def length_between(
    geometries: Sequence[BaseGeometry], waypoints: Mapping[str, Any], start: str, end: str
) -> float:
    """Geodesic km along the drawn corridor from waypoint ``start`` to waypoint ``end``.

    ``waypoints`` maps names to ``{"lat", "lon"}``; both must be vertices of the drawing,
    which the data guarantees for every named waypoint it measures between.
    """
    vertices = _vertices(geometries)
    index = {}
    for name in (start, end):
        wp = waypoints[name]
        try:
            index[name] = vertices.index((float(wp["lon"]), float(wp["lat"])))
        except ValueError:
            raise ValueError(f"waypoint {name!r} is not a vertex of the drawn corridor") from None
    lo, hi = sorted((index[start], index[end]))
    total = 0.0
    for (x0, y0), (x1, y1) in zip(vertices[lo:hi], vertices[lo + 1 : hi + 1], strict=True):
        # Across ±180° the two vertices are one point seen from both sides: no distance.
        if abs(x0) == 180 and abs(x1) == 180 and y0 == y1:
            continue
        total += WGS84.inv(x0, y0, x1, y1)[2]
    return total / 1000.0


def length_in_countries(
    geometries: Sequence[BaseGeometry], countries: Mapping[str, BaseGeometry]
) -> dict[str, float]:
    """Geodesic km of the drawn corridor inside each of ``countries`` (id → border polygon),
    for those it enters: measured by intersecting the line with the borders, never taken
    from which segment a country is written on."""
    line = shapely.union_all(list(geometries))
    out: dict[str, float] = {}
    for country, border in countries.items():
        if line.intersects(border):
            km = length_km(line.intersection(border))
            if km > 0:
                out[country] = km
    return out
