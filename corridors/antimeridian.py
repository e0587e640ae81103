"""Repair polygons whose rings wrap across the ±180° meridian, splitting them there.

Natural Earth (as redistributed in TopoJSON by world-atlas) stores some rings "spherically":
a ring that crosses the antimeridian simply jumps from +179.9 to -179.9, and the ring round
Antarctica winds once round the South Pole. Read as planar coordinates, such a ring zig-zags
across the whole map, so the polygon is invalid and every planar or geodesic measure is wrong.

The repair, for each polygon that has such a jump:

1. unwrap each ring (add ±360° after every jump) so it becomes a continuous planar ring,
   possibly reaching past ±180°;
2. a ring that winds round a pole (it ends 360° away from where it started) is closed along
   the pole's latitude, so it bounds the cap between itself and the pole;
3. the polygon is the even-odd combination (symmetric difference) of its rings' regions, which
   holds both for ordinary shells with holes and for a polar ring paired with a coastline;
4. the result is cut into 360°-wide windows and each piece is shifted back into [-180, 180].

Pieces of a crossing polygon then meet the antimeridian from both sides and no piece crosses
it. A piece can still be 180° or more wide only when the land itself is: a polar cap such as
Antarctica necessarily spans every longitude and cannot be cut further without two parts
sharing an edge, which would make the MultiPolygon invalid.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt
import shapely
from shapely.affinity import translate
from shapely.geometry import LineString, MultiLineString, MultiPolygon, Polygon, box
from shapely.geometry.base import BaseGeometry

Polygonal = Polygon | MultiPolygon

# A step longer than half the globe cannot be a real edge between neighbouring vertices: it is
# the short way round, written with the longitudes of the other side of the antimeridian.
_JUMP_DEGREES = 180.0


def _ring_jumps(coords: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Per step, the 360° multiple to add after it: -1, 0 or +1 (in units of 360°)."""
    steps = np.diff(coords[:, 0])
    jumps = np.where(steps > _JUMP_DEGREES, -1.0, np.where(steps < -_JUMP_DEGREES, 1.0, 0.0))
    # Along a pole every longitude is the same point: a step there is no crossing. This keeps
    # the repair idempotent for the caps it closes at the pole.
    at_pole = np.abs(coords[:, 1]) == 90.0
    jumps[at_pole[:-1] & at_pole[1:]] = 0.0
    return jumps


def crosses_antimeridian(geometry: Polygonal) -> bool:
    """True when any ring of the (multi)polygon jumps more than 180° between two vertices."""
    return any(
        bool(np.any(_ring_jumps(np.asarray(ring.coords))))
        for polygon in polygons(geometry)
        for ring in (polygon.exterior, *polygon.interiors)
    )


def polygons(geometry: BaseGeometry) -> list[Polygon]:
    """The polygon parts of a Polygon or MultiPolygon."""
    if isinstance(geometry, Polygon):
        return [geometry]
    if isinstance(geometry, MultiPolygon):
        return list(geometry.geoms)
    raise TypeError(f"expected a Polygon or MultiPolygon, got {geometry.geom_type}")


def _ring_region(coords: npt.NDArray[np.float64]) -> BaseGeometry:
    """The planar region a ring bounds once unwrapped; a ring round a pole is closed at the pole."""
    lon = coords[:, 0].copy()
    lat = coords[:, 1]
    lon[1:] += 360.0 * np.cumsum(_ring_jumps(coords))
    unwrapped = np.column_stack([lon, lat])
    if math.isclose(lon[-1], lon[0], abs_tol=1e-9):
        return _valid(Polygon(unwrapped))
    # The ring winds round a pole. Either pole gives the same polygon when two such rings are
    # paired (the caps cancel in the symmetric difference); for a lone ring the nearer pole is
    # the only reading that keeps the region on the side where the ring's land lies.
    pole = -90.0 if float(np.mean(lat)) < 0 else 90.0
    closing = np.array([[lon[-1], pole], [lon[0], pole]])
    return _valid(Polygon(np.vstack([unwrapped, closing])))


def _valid(region: Polygon) -> BaseGeometry:
    """The region, with the source's own ring defects repaired.

    Natural Earth 1:10m has rings that touch or cross themselves by a few metres (Russia's
    Arctic coast, Fiji's rings on ±180°); read as one shell such a ring is invalid. The
    repair keeps every part of the area the ring encloses; valid regions are left as they are.
    """
    if region.is_valid:
        return region
    return shapely.make_valid(region, method="structure")


def _split_polygon(polygon: Polygon) -> list[Polygon]:
    """Pieces of one polygon, each within [-180, 180]; the polygon itself if it never jumps."""
    rings = [polygon.exterior, *polygon.interiors]
    if not any(np.any(_ring_jumps(np.asarray(r.coords))) for r in rings):
        return [polygon]
    region: BaseGeometry = _ring_region(np.asarray(rings[0].coords))
    for ring in rings[1:]:
        region = region.symmetric_difference(_ring_region(np.asarray(ring.coords)))
    if not region.is_valid:
        raise ValueError(
            "an unwrapped ring is self-intersecting, so the polygon cannot be split at ±180°: "
            f"{shapely.is_valid_reason(region)}"
        )
    min_lon, _, max_lon, _ = region.bounds
    first = math.floor((min_lon + 180.0) / 360.0)
    last = math.ceil((max_lon + 180.0) / 360.0) - 1
    pieces: list[Polygon] = []
    for window in range(first, last + 1):
        shift = 360.0 * window
        clipped = region.intersection(box(shift - 180.0, -90.0, shift + 180.0, 90.0))
        pieces.extend(polygonal_parts(translate(clipped, xoff=-shift)))
    return pieces


def polygonal_parts(geometry: BaseGeometry) -> Iterable[Polygon]:
    """The area-bearing parts of a clipping result (clipping can also yield lines and points)."""
    if isinstance(geometry, Polygon):
        if not geometry.is_empty:
            yield geometry
    elif isinstance(geometry, MultiPolygon):
        yield from geometry.geoms
    elif hasattr(geometry, "geoms"):
        for part in geometry.geoms:
            yield from polygonal_parts(part)


def split_at_antimeridian(geometry: Polygonal) -> Polygonal:
    """The (multi)polygon with every ring that wraps across ±180° split there.

    Geometries without such a ring come back unchanged (the same object), so the repair can be
    applied to a whole layer.
    """
    if not crosses_antimeridian(geometry):
        return geometry
    pieces = [piece for polygon in polygons(geometry) for piece in _split_polygon(polygon)]
    # Pieces from different source polygons may now share an edge on ±180° (an island the
    # source stored half-split); merging them keeps the MultiPolygon valid.
    merged = shapely.union_all(pieces)
    parts = list(polygonal_parts(merged))
    return parts[0] if len(parts) == 1 else MultiPolygon(parts)


def longitude_extents(geometry: Polygonal) -> Sequence[float]:
    """Longitude extent in degrees of each polygon part, in the geometry's part order."""
    return [p.bounds[2] - p.bounds[0] for p in polygons(geometry)]


def split_line_at_antimeridian(
    coords: Sequence[tuple[float, float]],
) -> LineString | MultiLineString:
    """A line given in continuous longitudes (which may run past ±180°, as sea routes do), as
    RFC 7946 wants it: longitudes within [-180, 180], cut where it crosses the antimeridian.

    Each crossing gets a point on +180 and the same point on -180, latitude interpolated
    linearly in degrees, the way the Northern Sea Route is cut in corridors.geojson.
    """
    if len(coords) < 2:
        raise ValueError("a line needs at least two points")
    parts: list[list[tuple[float, float]]] = [[]]
    window = math.floor((coords[0][0] + 180.0) / 360.0)
    for (lon0, lat0), (lon1, lat1) in itertools.pairwise(coords):
        if not parts[-1]:
            parts[-1].append((lon0 - 360.0 * window, lat0))
        # A step ending exactly on ±180° crosses there; one starting there was cut already.
        east = lon1 > lon0
        while True:
            edge = 360.0 * window + (180.0 if east else -180.0)
            if not (lon0 < edge <= lon1 if east else lon1 <= edge < lon0):
                break
            t = (edge - lon0) / (lon1 - lon0)
            lat = lat0 + t * (lat1 - lat0)
            side = 180.0 if east else -180.0
            parts[-1].append((side, lat))
            parts.append([(-side, lat)])
            window += 1 if east else -1
        point = (lon1 - 360.0 * window, lat1)
        if point != parts[-1][-1]:
            parts[-1].append(point)
    lines = [LineString(p) for p in parts if len(p) >= 2]
    if not lines:
        raise ValueError("a line needs at least two distinct points")
    return lines[0] if len(lines) == 1 else MultiLineString(lines)
