"""The CKU railway's length by country: drawn inside each border (by intersection, not by the
segment a country is written on) beside every published split, and the sources' own
contradiction shown rather than hidden."""

from __future__ import annotations

import datetime as dt

import pytest
from shapely.geometry import LineString, box

from corridors.check import lines
from corridors.dataset import Dataset
from corridors.details import corridor_details
from corridors.geodesy import length_km
from corridors.measure import length_in_countries

DAY = dt.date(2026, 11, 28)


def test_a_line_is_split_where_it_crosses_each_border() -> None:
    line = LineString([(70.0, 40.0), (72.0, 40.0)])
    split = length_in_countries([line], {"A": box(69, 39, 71, 41), "B": box(71, 39, 73, 41)})
    assert split["A"] == pytest.approx(length_km(line) / 2, rel=1e-3)
    assert split["B"] == pytest.approx(length_km(line) / 2, rel=1e-3)
    assert length_in_countries([line], {"C": box(0, 0, 1, 1)}) == {}


def panel(dataset: Dataset) -> dict[str, str]:
    rows = dataset.corridors[dataset.corridors["corridor"] == "cku-railway"]
    facts = corridor_details(rows, DAY, countries=dataset.countries).facts
    return {f.label: f.text for f in facts if f.label.startswith("In ")}


def test_each_published_split_is_beside_the_drawn_length_in_that_country(
    dataset: Dataset,
) -> None:
    said = panel(dataset)
    assert list(said) == ["In China", "In Kyrgyzstan", "In Uzbekistan"]
    assert "published 213 km (Railway Gazette International): drawn" in said["In China"]
    kyrgyz = said["In Kyrgyzstan"]
    # The cabinet's December 2025 figure beside the older ones, each with its source.
    for figure in ("260 km (Railway Gazette", "311.8 km (eurasia.sk", "304.94 km (24.kg"):
        assert figure in kyrgyz, figure
    assert "Trend News Agency (reporting the Kyrgyz Cabinet of Ministers)" in kyrgyz
    assert "published 50 km (Railway Gazette International)" in said["In Uzbekistan"]
    # Each part quoted as the approximate line supports ("≈ 150 km drawn"), and nothing lost.
    assert all(text.startswith("≈ ") for text in said.values())
    drawn = [float(text.split(" km drawn")[0][2:].replace(",", "")) for text in said.values()]
    assert all(km % 10 == 0 for km in drawn)
    whole = dataset.corridors[dataset.corridors["corridor"] == "cku-railway"]["length_km"].sum()
    assert sum(drawn) == pytest.approx(whole, abs=3 * 5)


def test_the_standard_gauge_contradiction_is_shown(dataset: Dataset) -> None:
    rows = dataset.corridors[dataset.corridors["corridor"] == "cku-railway"]
    tip = corridor_details(rows, DAY, "cku-railway/kyrgyzstan-standard-gauge").tooltip()
    (segment,) = [text for label, text in tip["facts"] if label == "This segment"]
    assert "160 km" in segment and "373 km of standard gauge" in segment and "344 km" in segment


def test_make_check_prints_the_split(dataset: Dataset) -> None:
    report = "\n".join(lines(dataset, DAY))
    assert "In Kyrgyzstan:" in report and "304.94 km" in report and "In China:" in report
