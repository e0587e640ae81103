"""The map's data as the browser fetches it: one compact JSON document, built once per process.

The page's script (``webmap.js``) draws every layer from this document, so the geometry never
travels in the Streamlit component's arguments, which are re-sent whole on every rerun that
changes any of them. Three things keep it small:

* Countries are simplified for display as one coverage (shared borders stay shared), islands
  under `MIN_PART_KM2` are dropped unless they are a country's largest part, and coordinates
  are rounded to 0.01° (about 1 km, finer than a border drawn at this simplification).
* Coordinates are delta-encoded integers: ``[x0, y0, dx1, dy1, …]`` in units of 1/scale degree.
* Country geometry is sent once; the land, EAEU and BRI layers all draw from it.

Longitudes are unwrapped into [-30, 330), so Chukotka, the Bering Strait end of the Northern
Sea Route and Fiji sit beside the rest of Eurasia instead of at the far edge of the map.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

import numpy as np
import shapely
from shapely.geometry import LineString, MultiLineString, MultiPolygon, Point, Polygon
from shapely.geometry.base import BaseGeometry

from corridors import registry
from corridors.dataset import Dataset
from corridors.details import corridor_details, country_details, disputed_details
from corridors.escape import visible_text
from corridors.geodesy import area_km2
from corridors.layers import Catalogue, bloc_style, line_style, point_style
from corridors.memberships import members_on
from corridors.status import status_on

FORMAT_VERSION: Final = 1
# Visvalingam–Whyatt tolerance (square root of the dropped triangle's area, in degrees) for
# display. Countries are context, drawn under corridors at continental zooms; 0.25 keeps the
# whole document under the 150 KB budget (0.2 was 151 KB, 0.1 about 250 KB).
DISPLAY_TOLERANCE: Final = 0.25
MIN_PART_KM2: Final = 300.0
COUNTRY_SCALE: Final = 100  # 0.01°
LINE_SCALE: Final = 10_000  # 0.0001°, about 10 m: corridors keep their drawn detail
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


def _shift(geometry: BaseGeometry) -> BaseGeometry:
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


def encode_polygons(geometry: BaseGeometry, scale: int = COUNTRY_SCALE) -> list[list[list[int]]]:
    """Polygons → rings → encoded coordinates; rings that collapse when rounded are dropped."""
    out = []
    for polygon in getattr(geometry, "geoms", [geometry]):
        rings = [_encode(r.coords, scale) for r in (polygon.exterior, *polygon.interiors)]
        # A ring needs 3 distinct corners plus the closing point; fewer is a rounding artefact.
        rings = [r for r in rings if len(r) >= 8]
        if rings and len(rings[0]) >= 8:
            out.append(rings)
    return out


def encode_lines(geometry: BaseGeometry, scale: int = LINE_SCALE) -> list[list[int]]:
    """Line parts → encoded coordinates."""
    return [_encode(part.coords, scale) for part in getattr(geometry, "geoms", [geometry])]


def display_geometries(geometries: Sequence[BaseGeometry]) -> list[BaseGeometry]:
    """Countries simplified as one coverage for display, small islands dropped, unwrapped."""
    simplified = shapely.coverage_simplify(np.asarray(geometries, dtype=object), DISPLAY_TOLERANCE)
    out = []
    for geometry in simplified:
        parts = list(getattr(geometry, "geoms", [geometry]))
        largest = max(parts, key=lambda p: p.area)
        kept = [p for p in parts if p is largest or area_km2(p) >= MIN_PART_KM2]
        out.append(_shift(MultiPolygon(kept) if len(kept) > 1 else kept[0]))
    return out


def _corridor_features(data: Dataset, catalogue: Catalogue, when: dt.date) -> list[dict[str, Any]]:
    features = []
    for corridor, rows in data.corridors.groupby("corridor", sort=False):
        layer = catalogue.layer_of(str(corridor))
        for _, row in rows.iterrows():
            # Before its first dated status a feature is drawn as proposed.
            status = str((status_on(row["status"], when) or {"status": "proposed"})["status"])
            geometry = _shift(row.geometry)
            feature: dict[str, Any] = {
                "id": row["id"],
                "corridor": corridor,
                "layer": layer.id,
                "kind": row["kind"],
                "status": status,
                "tip": corridor_details(rows, when, row["id"]).tooltip(),
            }
            if isinstance(geometry, Point):
                feature["point"] = [round(geometry.y, 4), round(geometry.x, 4)]
                feature["style"] = point_style(layer, status)
            else:
                feature["lines"] = encode_lines(geometry)
                feature["style"] = line_style(layer, status)
            features.append(feature)
    return features


def _countries(data: Dataset) -> list[dict[str, Any]]:
    names = dict(zip(data.countries["iso_a3"], data.countries["name"], strict=True))
    shapes = display_geometries([*data.countries.geometry, *data.disputed.geometry])
    memberships: list[dict[str, Any]] = [
        {str(k): v for k, v in row.items()} for row in data.memberships.to_dict("records")
    ]
    out = []
    for row, shape in zip(data.countries.itertuples(), shapes, strict=False):
        rows = [m for m in memberships if m["iso_a3"] == row.iso_a3]
        out.append(
            {
                "id": row.iso_a3,
                "polygons": encode_polygons(shape),
                "tip": country_details(str(row.name), rows).tooltip(sources=False),
            }
        )
    for row, shape in zip(
        data.disputed.to_dict("records"), shapes[len(data.countries) :], strict=True
    ):
        out.append(
            {
                "id": row["id"],
                "polygons": encode_polygons(shape),
                "tip": disputed_details(row, names).tooltip(),
                "owners": {view.id: row[view.owner_column] for view in registry.VIEWS},
            }
        )
    return out


# Where the map opens if no corridor could be loaded: Eurasia, Suez to the Bering Strait.
EURASIA: Final = [[20.0, 25.0], [75.0, 190.0]]


def _bounds(features: Sequence[Mapping[str, Any]]) -> list[list[float]]:
    """South-west and north-east corners of the corridors as drawn (unwrapped)."""
    if not features:
        return EURASIA
    lats: list[float] = []
    lons: list[float] = []
    for f in features:
        if "point" in f:
            lats.append(f["point"][0])
            lons.append(f["point"][1])
            continue
        for part in f["lines"]:
            q = np.cumsum(np.asarray(part).reshape(-1, 2), axis=0) / LINE_SCALE
            lats.extend(q[:, 0])
            lons.extend(q[:, 1])
    return [[float(min(lats)), float(min(lons))], [float(max(lats)), float(max(lons))]]


def build_map_data(data: Dataset, catalogue: Catalogue, when: dt.date) -> dict[str, Any]:
    """The document ``webmap.js`` draws from, with memberships as in force on ``when``."""
    features = _corridor_features(data, catalogue, when)
    blocs = {bloc.id: bloc for bloc in registry.BLOCS}
    return {
        "version": FORMAT_VERSION,
        "asOf": when.isoformat(),
        "bounds": _bounds(features),
        "layers": [
            {
                "id": layer.id,
                "name": visible_text(layer.name),
                "group": layer.group,
                "colour": layer.colour,
                **(
                    {"style": bloc_style(blocs[layer.id]), "pane": blocs[layer.id].pane}
                    if layer.id in blocs
                    else {}
                ),
            }
            for layer in catalogue.layers
        ],
        "statuses": {
            s.id: {"label": s.label, "dashArray": s.dash, "opacity": s.opacity}
            for s in registry.STATUSES
        },
        "panes": dict(registry.PANES),
        "styles": {
            "land": dict(registry.LAND_STYLE),
            "sea": registry.SEA_COLOUR,
            "selection": registry.SELECTION_COLOUR,
            "disputedDash": registry.DISPUTED_DASH,
        },
        "scales": {"countries": COUNTRY_SCALE, "lines": LINE_SCALE},
        "features": features,
        "countries": _countries(data),
        "blocs": {bloc: sorted(members_on(data.memberships, bloc, when)) for bloc in blocs},
    }


def to_json(document: Mapping[str, Any]) -> bytes:
    """Compact UTF-8 JSON; the same document always gives the same bytes."""
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode()


def content_hash(data: bytes) -> str:
    """A short name for ``data``'s content, for cache-busting file names."""
    return hashlib.sha256(data).hexdigest()[:16]
