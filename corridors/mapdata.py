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
import functools
import itertools
from collections.abc import Mapping, Sequence
from typing import Any, Final

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Point
from shapely.geometry.base import BaseGeometry

from corridors import registry
from corridors.boundaries import owner_spans
from corridors.dataset import Dataset
from corridors.dates import Span, certain_start, piecewise, span
from corridors.details import corridor_details, country_details, disputed_details
from corridors.encoding import encode_lines, encode_polygons, shift_east
from corridors.escape import visible_text
from corridors.geodesy import area_km2
from corridors.layers import (
    Catalogue,
    Layer,
    bloc_style,
    line_style,
    overlap_labels,
    point_style,
    stacked,
)
from corridors.memberships import member_spans
from corridors.status import status_on

FORMAT_VERSION: Final = 2
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


def _day(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _dated(pieces: Sequence[tuple[Span, Any]]) -> list[list[Any]]:
    """Spans of days as ``[from, to, value]``, ISO days or None for an open end: the browser
    shows a day's value by comparing ISO strings, and never has to know the dating rules."""
    return [[_day(days.start), _day(days.end), value] for days, value in pieces]


def _tip(rows: Any, row: Any, when: dt.date) -> dict[str, Any]:
    return corridor_details(rows, when, row["id"]).hover()


def _state_on(layer: Layer, rows: Any, row: Any, when: dt.date) -> dict[str, Any] | None:
    """A feature's status, style and tooltip status line on ``when``."""
    entry = status_on(row["status"], when)
    if entry is None:
        return None  # before its first dated status: not drawn (the legend says so)
    status = str(entry["status"])
    is_point = row.geometry.geom_type == "Point"
    style = point_style(layer, status) if is_point else line_style(layer, status)
    return {"status": status, "style": style, "fact": _tip(rows, row, when)["facts"][0]}


def _corridor_features(data: Dataset, catalogue: Catalogue) -> list[dict[str, Any]]:
    features = []
    for corridor, rows in data.corridors.groupby("corridor", sort=False):
        layer = catalogue.layer_of(str(corridor))
        # The panel and tooltips tell a segment's status with its corridor's (`corridor_details`),
        # so every segment changes on any of their days.
        changes = [
            day
            for history in rows["status"]
            for entry in history
            for day in span(entry.get("since"), entry.get("until"))
            if day is not None
        ]
        for _, row in rows.iterrows():
            geometry = shift_east(row.geometry)

            states = piecewise(changes, functools.partial(_state_on, layer, rows, row))
            tip = _tip(rows, row, states[-1][0].start or dt.date.min)
            feature: dict[str, Any] = {
                "id": row["id"],
                "corridor": corridor,
                "layer": layer.id,
                "kind": row["kind"],
                # The status is the tooltip's first fact and the only one that changes with the
                # date: each state carries its own, the rest is sent once.
                "tip": {**tip, "facts": tip["facts"][1:]},
                "states": _dated(states),
            }
            if isinstance(geometry, Point):
                feature["point"] = [round(geometry.y, 4), round(geometry.x, 4)]
            else:
                feature["lines"] = encode_lines(geometry, LINE_SCALE)
            features.append(feature)
    return features


# A country's or disputed area's hover ends by saying what a click on it shows (app.py);
# sent once, not in each of ~250 tooltips.
PLACE_MORE: Final = "Click for its sources and what the article says about it"


def _disputed_tip(
    row: Mapping[str, Any], names: Mapping[str, str], when: dt.date
) -> dict[str, Any]:
    return disputed_details(row, names, when).tooltip()


def _countries(data: Dataset) -> list[dict[str, Any]]:
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
                # Before the area changed hands, its tooltip says so.
                "tips": _dated(
                    piecewise(
                        [certain_start(str(row["since"]))],
                        functools.partial(_disputed_tip, row, names),
                    )
                ),
                "owners": {view.id: _dated(owner_spans(row, view.id)) for view in registry.VIEWS},
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


def _members(data: Dataset, bloc: str) -> list[list[Any]]:
    """A bloc's members as ``[from, to, [iso_a3, ...]]``: countries grouped by their span."""
    grouped: dict[Span, list[str]] = {}
    for iso_a3, days in member_spans(data.memberships, bloc):
        grouped.setdefault(days, []).append(iso_a3)
    by_start = sorted(grouped.items(), key=lambda i: (i[0].start or dt.date.min, str(i[0])))
    return [[_day(days.start), _day(days.end), sorted(codes)] for days, codes in by_start]


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


def build_map_data(data: Dataset, catalogue: Catalogue) -> dict[str, Any]:
    """The document ``webmap.js`` draws from, for every date at once: each feature's states,
    each disputed area's owners and each bloc's members come as spans of days, and the page
    tells the map which day to show (`corridors.webmap.view_payload`).

    It says which tiles of detailed borders exist (if they loaded), for the map to fetch from
    `registry.DETAIL_ZOOM` up.
    """
    features = _corridor_features(data, catalogue)
    blocs = {bloc.id: bloc for bloc in registry.BLOCS}
    return {
        "version": FORMAT_VERSION,
        "bounds": _bounds(features),
        "layers": [
            {
                "id": layer.id,
                "name": visible_text(layer.name),
                "group": layer.group,
                "colour": layer.colour,
                **(
                    {
                        "style": bloc_style(blocs[layer.id]),
                        "pane": blocs[layer.id].pane,
                        "cased": blocs[layer.id].cased,
                    }
                    if layer.id in blocs
                    else {}
                ),
            }
            for layer in catalogue.layers
        ],
        "statuses": {s.id: {"label": s.label, "dashArray": s.dash} for s in registry.STATUSES},
        "panes": dict(registry.PANES),
        "styles": {
            "land": dict(registry.LAND_STYLE),
            "sea": registry.SEA_COLOUR,
            "selection": registry.SELECTION_COLOUR,
            "casing": {"color": registry.CASING_COLOUR, "width": registry.CASING_WIDTH},
            "disputedDash": registry.DISPUTED_DASH,
            "placeLabelZoom": registry.PLACE_LABEL_ZOOM,
        },
        "scales": {"countries": COUNTRY_SCALE, "lines": LINE_SCALE},
        "features": features,
        "countries": _countries(data),
        "placeMore": PLACE_MORE,
        "blocs": {bloc: _members(data, bloc) for bloc in blocs},
        # Each pair of blocs, the lower first, and the legend's words for countries in both.
        "overlaps": [
            {"lower": lower.id, "upper": upper.id, "label": label, "labelAll": every}
            for lower, upper in itertools.combinations(stacked(blocs.values()), 2)
            for label, every in [overlap_labels(lower, upper)]
        ],
        "detail": data.detail.cells(registry.DETAIL_ZOOM) if data.detail else None,
    }


def change_days(document: Mapping[str, Any]) -> frozenset[dt.date]:
    """Every day on which something the map draws changes: a feature's status, a bloc's members
    or a disputed area's owner (the ends of the document's spans of days)."""
    spans = [state for f in document["features"] for state in f["states"]]
    spans += [span for c in document["countries"] for spans in c.get("owners", {}).values()
              for span in spans]  # fmt: skip
    spans += [span for spans in document["blocs"].values() for span in spans]
    return frozenset(dt.date.fromisoformat(day) for span in spans for day in span[:2] if day)
