"""The map's compact encoding of geometry, shared by its data document and its detailed borders.

* Coordinates are delta-encoded integers: ``[lat0, lon0, dlat1, dlon1, …]`` in units of
  1/scale degree (a consumer picks the scale).
* Longitudes are unwrapped into [-30, 330), so Chukotka, the Bering Strait end of the Northern
  Sea Route and Fiji sit beside the rest of Eurasia instead of at the far edge of the map.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

import numpy as np
import shapely
from shapely.geometry import LineString, MultiLineString, MultiPolygon, Point, Polygon
from shapely.geometry.base import BaseGeometry

# Longitudes west of this are drawn 360° further east (see the module docstring).
WEST_EDGE: Final = -30.0


def _unwrap(lon: float) -> float:
    return lon + 360.0 if lon < WEST_EDGE else lon


def _encode(coords: Iterable[Sequence[float]], scale: int) -> list[int]:
    """``[lat0, lon0, dlat1, dlon1, …]`` integers; repeated points after rounding dropped."""
    q = np.asarray([(lat, lon) for lon, lat, *_ in coords], dtype=float)
    ints = np.rint(q * scale).astype(np.int64)
    keep = np.ones(len(ints), dtype=bool)
    keep[1:] = np.any(ints[1:] != ints[:-1], axis=1)
    ints = ints[keep]
    deltas = np.diff(ints, axis=0, prepend=np.zeros((1, 2), dtype=np.int64))
    return [int(v) for v in deltas.ravel()]


def shift_east(geometry: BaseGeometry) -> BaseGeometry:
    """``geometry`` with each part moved east by 360° if it lies west of `WEST_EDGE`."""
    parts = list(getattr(geometry, "geoms", [geometry]))
    moved = [
        shapely.affinity.translate(p, xoff=360.0) if p.centroid.x < WEST_EDGE else p for p in parts
    ]
    if isinstance(geometry, MultiPolygon | Polygon):
        return MultiPolygon(moved) if len(moved) > 1 else moved[0]
    if isinstance(geometry, MultiLineString | LineString):
        return MultiLineString(moved) if len(moved) > 1 else moved[0]
    return Point(_unwrap(geometry.x), geometry.y) if isinstance(geometry, Point) else geometry


def encode_polygons(geometry: BaseGeometry, scale: int) -> list[list[list[int]]]:
    """Polygons → rings → encoded coordinates; rings that collapse when rounded are dropped."""
    out = []
    for polygon in getattr(geometry, "geoms", [geometry]):
        rings = [_encode(r.coords, scale) for r in (polygon.exterior, *polygon.interiors)]
        # A ring needs 3 distinct corners plus the closing point; fewer is a rounding artefact.
        rings = [r for r in rings if len(r) >= 8]
        if rings and len(rings[0]) >= 8:
            out.append(rings)
    return out


def encode_lines(geometry: BaseGeometry, scale: int) -> list[list[int]]:
    """Line parts → encoded coordinates."""
    return [_encode(part.coords, scale) for part in getattr(geometry, "geoms", [geometry])]


def to_json(document: Mapping[str, Any] | Sequence[Any]) -> bytes:
    """Compact UTF-8 JSON; the same document always gives the same bytes."""
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode()
