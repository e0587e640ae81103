"""Detailed borders for the map's closer zooms: Natural Earth 1:10m, cut into square tiles.

Below `registry.DETAIL_ZOOM` the map draws countries from its data document (1:50m, simplified
for a whole-continent view; `corridors.mapdata`). From that zoom up, the browser fetches only the
tiles its view covers from ``registry.DETAIL_FILE``, built by `corridors.naturalearth` (``make
data``), so the first view stays small while a reader zoomed on the Fergana Valley sees borders
within about a kilometre of the source.

The file holds, per tile, each country or disputed area's polygons clipped to the tile, in the
map document's encoding (`corridors.encoding`) and its unwrapped longitudes.
Countries and disputed areas are simplified as one coverage before clipping, so a border shared
by two countries is the same points in both; the browser strokes a ring except where it runs
along the tile's edge. The file is read like every other data file: a malformed one is refused
as a whole (the map then keeps the 1:50m borders at every zoom).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry.base import BaseGeometry

from corridors.antimeridian import polygonal_parts
from corridors.encoding import encode_polygons, shift_east, to_json
from corridors.errors import DataError
from corridors.reading import read_json_object
from corridors.schema import ISO_A3, SLUG

# A tile's side in degrees: a zoom-6 view of Central Asia needs about six of them, a zoom-8 view
# of the CKU railway one to four.
TILE_DEGREES: Final = 10
# 0.001° (about 110 m): well inside the kilometre the simplification allows.
SCALE: Final = 1000
_KEY = re.compile(r"^-?\d{1,2}_-?\d{1,2}$")

# One tile: (country or disputed-area id, encoded polygons) pairs.
Tile = list[tuple[str, list[list[list[int]]]]]


def tile_key(col: int, row: int) -> str:
    """The tile whose south-west corner is (col, row) × `TILE_DEGREES`."""
    return f"{col}_{row}"


def cut(ids: Sequence[str], geometries: Sequence[BaseGeometry]) -> dict[str, Tile]:
    """Each geometry moved into the map's longitudes and clipped to every tile it touches.

    Keys are `tile_key`s in sorted order, and within a tile pieces follow ``ids``, so the same
    input always gives the same file.
    """
    shifted = np.asarray([shift_east(g) for g in geometries], dtype=object)
    tree = shapely.STRtree(shifted)
    west, south, east, north = shapely.total_bounds(shifted)
    tiles: dict[str, Tile] = {}
    for col in range(math.floor(west / TILE_DEGREES), math.ceil(east / TILE_DEGREES)):
        for row in range(math.floor(south / TILE_DEGREES), math.ceil(north / TILE_DEGREES)):
            bounds = (
                col * TILE_DEGREES,
                row * TILE_DEGREES,
                (col + 1) * TILE_DEGREES,
                (row + 1) * TILE_DEGREES,
            )
            pieces: Tile = []
            for index in sorted(tree.query(shapely.box(*bounds), predicate="intersects")):
                # clip_by_rect keeps the source's vertices and adds only points on the tile's
                # edge, so shared borders stay shared.
                clipped = _polygonal(shapely.clip_by_rect(shifted[index], *bounds))
                # Holes run against their shell, so the browser can fill with "nonzero".
                encoded = encode_polygons(shapely.orient_polygons(clipped), SCALE)
                if encoded:
                    pieces.append((ids[index], encoded))
            if pieces:
                tiles[tile_key(col, row)] = pieces
    return dict(sorted(tiles.items()))


def _polygonal(geometry: BaseGeometry) -> BaseGeometry:
    """The polygons of a clipping result, which can also hold the lines where shapes touch."""
    return shapely.MultiPolygon(list(polygonal_parts(geometry)))


def file_text(
    ids: Sequence[str],
    names: Mapping[str, str],
    geometries: Sequence[BaseGeometry],
    metadata: Mapping[str, Any],
) -> str:
    """The text of ``registry.DETAIL_FILE``: metadata, each id's name, and the tiles."""
    document = {
        "metadata": dict(metadata),
        "tileDegrees": TILE_DEGREES,
        "scale": SCALE,
        "names": {i: names[i] for i in ids},
    }
    # One tile per line: a rebuild's diff says which tiles changed.
    lines = [f"{json.dumps(k)}:{to_json(v).decode()}" for k, v in cut(ids, geometries).items()]
    head = json.dumps(document, ensure_ascii=False, separators=(",", ":"))[:-1]
    return head + ',"tiles":{\n' + ",\n".join(lines) + "\n}}\n"


@dataclass(frozen=True)
class Detail:
    """The detailed borders as checked on loading: names by id, and each tile's bytes."""

    tile_degrees: int
    scale: int
    names: Mapping[str, str]
    tiles: Mapping[str, bytes]

    def cells(self, zoom: int) -> dict[str, Any]:
        """What the map document says about the tiles: which exist, as a grid of '0'/'1'."""
        keys = [tuple(int(v) for v in k.split("_")) for k in self.tiles]
        cols = [c for c, _ in keys]
        rows = [r for _, r in keys]
        origin = (min(cols), min(rows))
        width, height = max(cols) - origin[0] + 1, max(rows) - origin[1] + 1
        grid = np.zeros((height, width), dtype=bool)
        for col, row in keys:
            grid[row - origin[1], col - origin[0]] = True
        return {
            "zoom": zoom,
            "tileDegrees": self.tile_degrees,
            "scale": self.scale,
            "origin": list(origin),
            "cols": width,
            # Row-major from the south-west: cell (col, row) is at (row - r0) * cols + (col - c0).
            "cells": "".join("1" if v else "0" for v in grid.ravel()),
        }


def _ints(ring: Any) -> bool:
    return (
        isinstance(ring, list)
        and len(ring) >= 8
        and len(ring) % 2 == 0
        and all(type(v) is int for v in ring)
    )


def read_detail(path: Path) -> Detail:
    """The detailed borders in ``path``; raises `DataError` if any part is malformed."""
    name = path.name
    document = read_json_object(path)
    degrees, scale = document.get("tileDegrees"), document.get("scale")
    if type(degrees) is not int or type(scale) is not int or degrees <= 0 or scale <= 0:
        raise DataError(name, "tileDegrees and scale must be positive integers")
    names, tiles = document.get("names"), document.get("tiles")
    if not isinstance(names, dict) or not isinstance(tiles, dict) or not tiles:
        raise DataError(name, "expected objects 'names' and 'tiles'")
    for key, value in names.items():
        if not (ISO_A3.match(key) or SLUG.match(key)) or not isinstance(value, str):
            raise DataError(name, "a name's id is not an ISO code or slug", str(key)[:40])
    published: dict[str, bytes] = {}
    for key, pieces in tiles.items():
        if not _KEY.match(key) or not isinstance(pieces, list):
            raise DataError(name, "not a tile", str(key)[:40])
        for piece in pieces:
            ok = (
                isinstance(piece, list)
                and len(piece) == 2
                and piece[0] in names
                and isinstance(piece[1], list)
                and all(isinstance(p, list) and all(_ints(r) for r in p) for p in piece[1])
            )
            if not ok:
                raise DataError(name, "a piece is not [known id, encoded polygons]", key)
        published[key] = to_json(pieces)
    return Detail(degrees, scale, names, published)


def decode_ring(ring: Sequence[int], scale: int) -> npt.NDArray[np.float64]:
    """An encoded ring back to (lon, lat) pairs, as the browser decodes it."""
    lat_lon = np.cumsum(np.asarray(ring, dtype=np.int64).reshape(-1, 2), axis=0) / scale
    return lat_lon[:, ::-1]


def tile_shapes(detail: Detail, key: str) -> list[tuple[str, BaseGeometry]]:
    """One tile's pieces as the browser decodes them, by id."""
    out = []
    for piece_id, polygons in json.loads(detail.tiles[key]):
        parts = []
        for rings in polygons:
            coords = [decode_ring(r, detail.scale) for r in rings]
            parts.append(shapely.Polygon(coords[0], coords[1:]))
        # Rounding to 1/scale degree can make a ring touch itself; make_valid keeps its area.
        out.append((piece_id, _polygonal(shapely.make_valid(shapely.MultiPolygon(parts)))))
    return out


def drawn_shapes(detail: Detail) -> dict[str, BaseGeometry]:
    """Each id's pieces from every tile, merged: the shape the map draws."""
    pieces: dict[str, list[BaseGeometry]] = {}
    for key in detail.tiles:
        for piece_id, shape in tile_shapes(detail, key):
            pieces.setdefault(piece_id, []).append(shape)
    return {i: _polygonal(shapely.union_all(p)) for i, p in sorted(pieces.items())}


def vertex_errors_km(
    reference: Mapping[str, BaseGeometry], drawn: Mapping[str, BaseGeometry]
) -> npt.NDArray[np.float64]:
    """For every vertex of each reference outline, the distance to the same id's drawn outline.

    Both in the map's longitudes (`shift_east`). Distances are in degrees times 111.32 km, an
    upper bound (a degree of longitude is shorter away from the equator). An id not drawn at
    all counts every vertex as infinitely far.
    """
    errors = []
    for key, geometry in reference.items():
        vertices = shapely.get_coordinates(shift_east(geometry).boundary)
        if key not in drawn:
            errors.append(np.full(len(vertices), np.inf))
            continue
        segments = [
            np.stack([line[:-1], line[1:]], axis=1)
            for line in map(shapely.get_coordinates, shapely.get_parts(drawn[key].boundary))
        ]
        tree = shapely.STRtree(np.asarray(shapely.linestrings(np.concatenate(segments))))
        _, distance = tree.query_nearest(
            shapely.points(vertices), return_distance=True, all_matches=False
        )
        errors.append(np.asarray(distance) * 111.32)
    return np.concatenate(errors) if errors else np.zeros(0)
