"""The map's data as the browser fetches it: one compact JSON document, built once per process.

The page's script (``webmap.js``) draws every layer from this document, so the geometry never
travels in the Streamlit component's arguments, which are re-sent whole on every rerun that
changes any of them. Three things keep it small:

* Countries are simplified for display as one coverage (shared borders stay shared), islands
  under `MIN_PART_KM2` are dropped unless they are a country's largest part, and coordinates
  are rounded to 0.01° (about 1 km, finer than a border drawn at this simplification).
* Coordinates are delta-encoded integers, longitudes unwrapped (`corridors.encoding`).
* Country geometry is sent once; the land, EAEU and BRI layers all draw from it.
* Detailed borders for closer zooms stay out: the document lists which tiles exist, and the
  map fetches those its view needs (`corridors.borders`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, Final

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Point
from shapely.geometry.base import BaseGeometry

from corridors import registry
from corridors.boundaries import owner
from corridors.dataset import Dataset
from corridors.details import corridor_details, country_details, disputed_details
from corridors.encoding import encode_lines, encode_polygons, shift_east
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


def display_geometries(geometries: Sequence[BaseGeometry]) -> list[BaseGeometry]:
    """Countries simplified as one coverage for display, small islands dropped, unwrapped."""
    simplified = shapely.coverage_simplify(np.asarray(geometries, dtype=object), DISPLAY_TOLERANCE)
    out = []
    for geometry in simplified:
        parts = list(getattr(geometry, "geoms", [geometry]))
        largest = max(parts, key=lambda p: p.area)
        kept = [p for p in parts if p is largest or area_km2(p) >= MIN_PART_KM2]
        out.append(shift_east(MultiPolygon(kept) if len(kept) > 1 else kept[0]))
    return out


def display_shapes(data: Dataset) -> dict[str, BaseGeometry]:
    """Each country and disputed area as the map draws it below the detail zoom, by id."""
    ids = [*data.countries["iso_a3"], *data.disputed["id"]]
    shapes = display_geometries([*data.countries.geometry, *data.disputed.geometry])
    return dict(zip(ids, shapes, strict=True))


def _corridor_features(data: Dataset, catalogue: Catalogue, when: dt.date) -> list[dict[str, Any]]:
    features = []
    for corridor, rows in data.corridors.groupby("corridor", sort=False):
        layer = catalogue.layer_of(str(corridor))
        for _, row in rows.iterrows():
            # Before its first dated status a feature is drawn as proposed.
            status = str((status_on(row["status"], when) or {"status": "proposed"})["status"])
            geometry = shift_east(row.geometry)
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
                feature["lines"] = encode_lines(geometry, LINE_SCALE)
                feature["style"] = line_style(layer, status)
            features.append(feature)
    return features


def _countries(data: Dataset, when: dt.date) -> list[dict[str, Any]]:
    detail = data.detail
    names = dict(zip(data.countries["iso_a3"], data.countries["name"], strict=True))
    shapes = display_shapes(data)
    memberships: list[dict[str, Any]] = [
        {str(k): v for k, v in row.items()} for row in data.memberships.to_dict("records")
    ]
    out = []
    for row in data.countries.itertuples():
        shape = shapes[row.iso_a3]
        rows = [m for m in memberships if m["iso_a3"] == row.iso_a3]
        out.append(
            {
                "id": row.iso_a3,
                "polygons": encode_polygons(shape, COUNTRY_SCALE),
                "tip": country_details(str(row.name), rows).tooltip(sources=False),
            }
        )
    for row in data.disputed.to_dict("records"):
        out.append(
            {
                "id": row["id"],
                "polygons": encode_polygons(shapes[row["id"]], COUNTRY_SCALE),
                "tip": disputed_details(row, names).tooltip(),
                "owners": {view.id: owner(row, view.id, when) for view in registry.VIEWS},
            }
        )
    # Territories only the detailed borders draw (Gibraltar, Tuvalu): a tooltip, no 1:50m shape.
    drawn = {c["id"] for c in out}
    for code, name in sorted((detail.names if detail else {}).items()):
        if code not in drawn:
            rows = [m for m in memberships if m["iso_a3"] == code]
            tip = country_details(name, rows).tooltip(sources=False)
            out.append({"id": code, "polygons": [], "tip": tip})
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
    """The document ``webmap.js`` draws from, with memberships as in force on ``when``.

    It says which tiles of detailed borders exist (if they loaded), for the map to fetch from
    `registry.DETAIL_ZOOM` up.
    """
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
        "countries": _countries(data, when),
        "blocs": {bloc: sorted(members_on(data.memberships, bloc, when)) for bloc in blocs},
        "detail": data.detail.cells(registry.DETAIL_ZOOM) if data.detail else None,
    }
