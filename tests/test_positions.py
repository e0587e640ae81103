"""Positions an analyst can quote: each point is drawn where a named, sourced position is, never
at the average of two towns, and the places checked against sources outside the project sit
where those sources put them (issue 10's measurements, each within 1 km)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pyproj import Geod

from corridors.dataset import Dataset
from corridors.details import corridor_details

WGS84 = Geod(ellps="WGS84")


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Geodesic km between two (lat, lon) points."""
    return float(WGS84.inv(a[1], a[0], b[1], b[0])[2]) / 1000


def feature(dataset: Dataset, feature_id: str) -> Any:
    rows = dataset.corridors[dataset.corridors["id"] == feature_id]
    assert len(rows) == 1, feature_id
    return rows.iloc[0]


@pytest.mark.parametrize(
    ("feature_id", "where", "source"),
    [
        # The bridge's Wikipedia article: 50.2011 N, 127.6005 E (was 9.3 km away).
        ("blagoveshchensk-heihe", (50.2011, 127.6005), "Wikipedia"),
        # Russian Wikipedia: 47°57′40″N 132°41′54″E (was 19.3 km away).
        ("nizhneleninskoye-tongjiang", (47 + 57 / 60 + 40 / 3600, 132 + 41 / 60 + 54 / 3600),
         "Wikipedia"),
        # GeoNames Bo'ao (was 9.6 km away).
        ("boao-forum", (19.158, 110.580), "GeoNames"),
    ],
)  # fmt: skip
def test_checked_positions_are_where_the_sources_put_them(
    dataset: Dataset, feature_id: str, where: tuple[float, float], source: str
) -> None:
    row = feature(dataset, feature_id)
    assert km((row.geometry.y, row.geometry.x), where) < 1.0
    assert any(w["basis"] == source for w in row["waypoints"])


def test_every_point_is_drawn_at_a_named_position_not_between_two(dataset: Dataset) -> None:
    points = dataset.corridors[dataset.corridors.geometry.geom_type == "Point"]
    for _, row in points.iterrows():
        drawn = (row.geometry.y, row.geometry.x)
        named = [(w["lat"], w["lon"]) for w in row["waypoints"]]
        assert any(km(drawn, p) < 0.05 for p in named), row["id"]
        for i, a in enumerate(named):
            for b in named[i + 1 :]:
                middle = ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
                assert km(drawn, middle) > 0.5, f"{row['id']} is drawn at a midpoint"


def test_the_tongjiang_bridge_records_both_opening_events_and_which_one_counts(
    dataset: Dataset,
) -> None:
    row = feature(dataset, "nizhneleninskoye-tongjiang")
    (status,) = row["status"]
    assert status["since"] == "2022-11-16"
    events = {(e["date"], e["source"]) for e in row["events"]}
    assert {("2022-11-16", "tongjiang-opening"), ("2022-11-16", "ria-birobidzhan"),
            ("2022-11-18", "tongjiang-train")} <= events  # fmt: skip
    rows = dataset.corridors[dataset.corridors["corridor"] == "nizhneleninskoye-tongjiang"]
    said = [f.text for f in corridor_details(rows, dt.date(2026, 1, 1)).facts if f.label == "Event"]
    assert "18 Nov 2022: first freight train crossed (PortNews / seanews.ru)" in said


def test_each_sea_route_position_is_named_for_what_it_is(dataset: Dataset) -> None:
    row = feature(dataset, "northern-sea-route/legal-extent")
    names = {w["name"]: (w["lat"], w["lon"]) for w in row["waypoints"]}
    assert "Pevek" not in names  # the point is 44 km off Pevek, off Cape Shelagsky
    (shelagsky,) = [n for n in names if "Shelagsky" in n]
    assert km(names[shelagsky], (69.703, 170.307)) > 40  # GeoNames Pevek
