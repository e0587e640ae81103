"""Broken data files fail with a message naming the file, the feature and the problem."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from corridors.dataset import load_dataset
from corridors.errors import DataError, Problems
from corridors.loader import load_corridors, read_layer
from corridors.schema import COUNTRIES
from tests import mutations as m
from tests.mutations import (
    ARTICLE,
    UNKNOWN_COUNTRY_ROW,
    Mutation,
    append_line,
    copy_geodata,
    edit_json,
)


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def mutated(geodata: Path, tmp_path: Path, mutate: Mutation) -> Path:
    return edit_json(copy_geodata(geodata, tmp_path / "geodata"), "corridors.geojson", mutate)


def expect_error(
    path: Path, *fragments: str, loader: Callable[[Path], object] = load_corridors
) -> DataError:
    with pytest.raises(DataError) as caught:
        loader(path)
    message = str(caught.value)
    assert message.startswith(path.name), message
    assert str(path.parent) not in message, "the server path must not leak"
    for fragment in fragments:
        assert fragment in message, message
    return caught.value


def test_committed_corridors_load(geodata: Path) -> None:
    assert len(load_corridors(geodata / "corridors.geojson")) >= 12


def test_truncated_json(geodata: Path, tmp_path: Path) -> None:
    text = (geodata / "corridors.geojson").read_text(encoding="utf-8")
    expect_error(
        write(tmp_path, "corridors.geojson", text[: len(text) // 2]), "not valid JSON at line"
    )


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("", "empty"),
        ("   \n", "empty"),
        ("<html>not json</html>", "not valid JSON"),
        ("[1, 2, 3]", "not a GeoJSON FeatureCollection"),
        (b"\xff\xfe{\x00}", "not UTF-8"),
    ],
)
def test_unreadable_files(tmp_path: Path, content: str | bytes, fragment: str) -> None:
    expect_error(write(tmp_path, "corridors.geojson", content), fragment)


@pytest.mark.parametrize(
    ("mutate", "fragments"),
    [
        (m.drop_sources, ["feature nord-stream-1", "missing required property 'sources'"]),
        (m.no_crs, ["no CRS declared"]),
        (m.web_mercator, ["is not WGS84"]),
        (m.metres, ["feature suez-canal", "not longitude/latitude degrees"]),
        (m.nan, ["feature suez-canal", "NaN"]),
        (m.one_point_line, ["feature suez-canal", "geometry cannot be read"]),
        (m.polygon, ["feature suez-canal", "geometry type 'Polygon'"]),
        (m.unknown_type, ["feature suez-canal", "geometry type 'Curve'"]),
        (m.duplicate, ["feature suez-canal", "duplicate id"]),
        (m.wrong_type, ["feature cku-railway/china", "'gauge_mm' should be a number, not string"]),
        (m.unknown_property, ["feature suez-canal", "unknown property ['lenght_km']"]),
        (m.dangling_source, ["feature suez-canal", "cites source 'nobody'"]),
        (m.bad_status, ["feature nord-stream-1", "status[0]", "'fine' is not one of"]),
        (m.status_out_of_order, ["feature nord-stream-1", "not in date order"]),
        (
            m.season_missing,
            ["feature northern-sea-route/legal-extent", "'seasonal' is seasonal but gives no"],
        ),
        (m.season_not_seasonal, ["feature suez-canal", "'operational' is not seasonal"]),
        (m.bad_date, ["feature nord-stream-1", "'8 Nov 2011' is not a date"]),
        (m.javascript_url, ["feature suez-canal", "not an http(s) URL"]),
        (m.point_for_rail, ["feature suez-canal", "must be drawn as a line"]),
        (m.segments_disagree, ["feature cku-railway/uzbekistan", "'kind' differs"]),
    ],
    ids=lambda v: v.__name__ if callable(v) else None,
)
def test_broken_corridor_file(
    geodata: Path, tmp_path: Path, mutate: Mutation, fragments: list[str]
) -> None:
    expect_error(mutated(geodata, tmp_path, mutate), *fragments)


def _ring(coords: list[list[float]]) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
        "features": [
            {
                "type": "Feature",
                "properties": {"iso_a3": "XXA", "iso_n3": None, "name": "Test"},
                "geometry": {"type": "Polygon", "coordinates": [coords]},
            }
        ],
    }


def test_a_ring_that_cannot_be_a_polygon_names_the_country(tmp_path: Path) -> None:
    path = write(tmp_path, "countries.geojson", json.dumps(_ring([[0, 0], [1, 0], [0, 0]])))
    expect_error(path, "feature XXA", "Too few points", loader=lambda p: read_layer(p, COUNTRIES))


def test_a_self_intersecting_ring_is_repaired_and_reported(tmp_path: Path) -> None:
    bowtie = [[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]
    path = write(tmp_path, "countries.geojson", json.dumps(_ring(bowtie)))
    problems = Problems()  # strict: a repair is recorded, not raised
    frame = read_layer(path, COUNTRIES, problems)
    (geometry,) = frame.geometry
    assert geometry.is_valid and geometry.geom_type == "MultiPolygon"  # two triangles
    assert geometry.area == pytest.approx(0.5)
    (problem,) = problems.items
    assert problem.repaired and problem.feature == "XXA"
    assert "Self-intersection" in problem.problem
    assert problems.repair_counts() == {"countries.geojson": 1}


def test_membership_for_unknown_country(geodata_copy: Path) -> None:
    append_line(geodata_copy, "memberships.csv", UNKNOWN_COUNTRY_ROW)
    with pytest.raises(DataError, match=r"memberships.csv, feature ZZZ: country 'ZZZ' is not in"):
        load_dataset(geodata_copy)


def test_article_pointing_at_unknown_corridor(geodata_copy: Path) -> None:
    edit_json(geodata_copy, ARTICLE, m.unknown_corridor_link)
    with pytest.raises(DataError, match=r"feature p9: links unknown corridor 'atlantis-tunnel'"):
        load_dataset(geodata_copy)
