"""The browser's data document: compact, deterministic, unwrapped, and complete."""

from __future__ import annotations

import gzip
import json
from typing import Any

import numpy as np
import pytest
import shapely
from shapely.geometry import LineString, Polygon

from corridors import registry
from corridors.dataset import Dataset
from corridors.encoding import encode_lines, encode_polygons, to_json
from corridors.layers import build_catalogue
from corridors.mapdata import COUNTRY_SCALE, LINE_SCALE, build_map_data, change_days

# Issue 5's budget for the default view's map data (raw bytes).
BUDGET_BYTES = 150 * 1024


def decode(flat: list[int], scale: int) -> np.ndarray:
    """What webmap.js's decode() does: running sums of [lat, lon] pairs, over ``scale``."""
    return np.cumsum(np.asarray(flat, dtype=np.int64).reshape(-1, 2), axis=0) / scale


@pytest.fixture(scope="module")
def document(dataset: Dataset) -> dict[str, Any]:
    return build_map_data(dataset, build_catalogue(dataset.corridors))


def test_encoding_round_trips_at_its_precision() -> None:
    line = LineString([(75.987, 39.467), (76.06, 39.52), (76.06, 39.52), (-179.5, 65.01)])
    (flat,) = encode_lines(line, LINE_SCALE)
    back = decode(flat, LINE_SCALE)
    # [lat, lon] order, the repeated vertex dropped.
    assert back.tolist() == [[39.467, 75.987], [39.52, 76.06], [65.01, -179.5]]


def test_rings_that_collapse_when_rounded_are_dropped() -> None:
    tiny = Polygon([(10, 10), (10.001, 10), (10.001, 10.001), (10, 10)])
    assert encode_polygons(tiny, COUNTRY_SCALE) == []
    square = Polygon([(10, 10), (11, 10), (11, 11), (10, 11), (10, 10)])
    assert decode(encode_polygons(square, COUNTRY_SCALE)[0][0], 100).tolist()[0] == [10.0, 10.0]


def test_document_is_deterministic_and_within_budget(
    dataset: Dataset, document: dict[str, Any]
) -> None:
    again = build_map_data(dataset, build_catalogue(dataset.corridors))
    data = to_json(document)
    assert data == to_json(again)
    assert len(data) <= BUDGET_BYTES, f"{len(data):,} bytes"
    assert len(gzip.compress(data)) < len(data) / 2.5
    json.loads(data)  # valid JSON: no NaN, no stray types


def test_every_corridor_feature_and_country_is_there(
    dataset: Dataset, document: dict[str, Any]
) -> None:
    assert [f["id"] for f in document["features"]] == list(dataset.corridors["id"])
    ids = [c["id"] for c in document["countries"]]
    drawn = [*dataset.countries["iso_a3"], *dataset.disputed["id"]]
    # Territories only 1:10m draws get a tooltip for their detailed shapes, and no shape here.
    assert ids == [*drawn, "GIB", "TUV", "UMI"]
    assert all(c["polygons"] for c in document["countries"][: len(drawn)])
    assert [c["polygons"] for c in document["countries"][len(drawn) :]] == [[], [], []]
    # Members come as spans of days: [from, to, [iso_a3, ...]] (tests/test_as_of.py reads them).
    assert document["blocs"]["eaeu"] == [
        ["2015-01-01", None, ["BLR", "KAZ", "RUS"]],
        ["2015-01-02", None, ["ARM"]],
        ["2015-08-06", None, ["KGZ"]],
    ]
    italy = [s[:2] for s in document["blocs"]["bri"] if "ITA" in s[2]]
    assert italy == [["2019-04-01", "2023-12-06"], ["2020-01-01", "2024-03-01"]]  # two sources
    crimea = next(c for c in document["countries"] if c["id"] == "crimea")
    assert crimea["owners"] == {
        "un": [[None, None, "UKR"]],
        "de-facto": [[None, "2014-03-18", "UKR"], ["2014-03-18", None, "RUS"]],
    }


def test_longitudes_are_unwrapped_east_of_the_antimeridian(document: dict[str, Any]) -> None:
    nsr = next(f for f in document["features"] if f["id"] == "northern-sea-route/legal-extent")
    lons = np.concatenate([decode(part, LINE_SCALE)[:, 1] for part in nsr["lines"]])
    assert lons.max() > 180  # Chukotka and the Bering Strait sit east of 180°, beside Russia
    assert lons.min() > -30
    (_, west), (_, east) = document["bounds"]
    assert 0 < west < 40 and 180 < east < 200


def test_tooltips_are_short_status_lengths_and_where_the_rest_is(
    document: dict[str, Any],
) -> None:
    for feature in document["features"]:
        labels = [label for label, _ in feature["tip"]["facts"]]
        # The status line comes with each dated state; the rest of the tooltip once.
        assert "Status" not in labels, feature["id"]
        states = [s[2] for s in feature["states"] if s[2]]
        assert states and all(s["fact"][0] == "Status" for s in states), feature["id"]
        # Three or four lines: the full record and the sources are the panel's, on a click.
        assert len(labels) <= 2 and len(set(labels)) == len(labels), feature["id"]
        assert feature["tip"]["sources"] == [] and "source" in feature["tip"]["more"]
        if "lines" in feature:
            assert labels[0] == "Drawn", feature["id"]
    cku = next(f for f in document["features"] if f["id"] == "cku-railway/china")
    assert [label for label, _ in cku["tip"]["facts"]] == ["Drawn", "Published"]
    assert cku["tip"]["more"].startswith("Click for ") and "more facts" in cku["tip"]["more"]
    ns1 = next(f for f in document["features"] if f["id"] == "nord-stream-1")
    damaged = ns1["states"][-1]
    assert damaged[:2] == ["2022-09-26", None] and damaged[2]["status"] == "damaged"
    assert damaged[2]["style"]["dashArray"]


def test_countries_keep_their_outline_at_display_simplification(
    dataset: Dataset, document: dict[str, Any]
) -> None:
    by_id = {c["id"]: c for c in document["countries"]}
    for iso in ("KAZ", "KGZ", "CHN", "UZB"):
        polygons = [
            Polygon(decode(rings[0], 100)[:, ::-1], [decode(r, 100)[:, ::-1] for r in rings[1:]])
            for rings in by_id[iso]["polygons"]
        ]
        shown = shapely.MultiPolygon(polygons)
        original = dataset.countries.set_index("iso_a3").geometry[iso]
        assert abs(shown.area / original.area - 1) < 0.03, iso


def test_the_days_the_map_changes_are_those_of_the_data(document: dict[str, Any]) -> None:
    days = {d.isoformat() for d in change_days(document)}
    # Nord Stream 1 starts, stops and is damaged; Crimea changes hands in the de facto view;
    # Italy signs (a month: certain from the next) and leaves (per GFDC, and per Reuters).
    for day in ("2011-11-08", "2022-08-31", "2022-09-26", "2014-03-18", "2019-04-01",
                "2023-12-06", "2024-03-01", "2015-01-01", "1869-11-17"):  # fmt: skip
        assert day in days, day
    assert "2024-04-25" not in days  # the article's date changes nothing on the map


def test_a_seasonal_route_is_drawn_and_summarised_as_seasonal(document: dict[str, Any]) -> None:
    seasonal = registry.status("seasonal")
    # The legend lists statuses from the document: the seasonal one with its label and dashes.
    assert document["statuses"]["seasonal"] == {"label": seasonal.label, "dashArray": seasonal.dash}
    dashes = {s["dashArray"] for s in document["statuses"].values()}
    assert len(dashes) == len(document["statuses"])
    nsr = [f for f in document["features"] if f["corridor"] == "northern-sea-route"]
    assert len(nsr) == 3
    for feature in nsr:
        ((since, until, state),) = feature["states"]
        assert (since, until) == (None, None)  # on the map on every date, as in season
        assert state["status"] == "seasonal"
        assert state["style"]["dashArray"] == seasonal.dash
        label, text = state["fact"]
        assert label == "Status"
        assert text.startswith("operational in season (July to late November; ice-dependent)")
