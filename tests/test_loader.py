"""Broken data files fail with a message naming the file, the feature and the problem."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from corridors.dataset import load_dataset
from corridors.errors import DataError, Problems
from corridors.loader import load_corridors, read_layer
from corridors.schema import COUNTRIES

Mutation = Callable[[dict[str, Any]], None]


def corridors_json(geodata: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((geodata / "corridors.geojson").read_text(encoding="utf-8"))
    return data


def feature(data: dict[str, Any], feature_id: str) -> dict[str, Any]:
    return next(f for f in data["features"] if f["properties"]["id"] == feature_id)


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def mutated(geodata: Path, tmp_path: Path, mutate: Mutation) -> Path:
    data = corridors_json(geodata)
    mutate(data)
    return write(tmp_path, "corridors.geojson", json.dumps(data))


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


def _drop_sources(d: dict[str, Any]) -> None:
    del feature(d, "nord-stream-1")["properties"]["sources"]


def _no_crs(d: dict[str, Any]) -> None:
    del d["crs"]


def _web_mercator(d: dict[str, Any]) -> None:
    d["crs"]["properties"]["name"] = "urn:ogc:def:crs:EPSG::3857"


def _metres(d: dict[str, Any]) -> None:
    feature(d, "suez-canal")["geometry"]["coordinates"][0] = [3595000.0, 3667000.0]


def _nan(d: dict[str, Any]) -> None:
    feature(d, "suez-canal")["geometry"]["coordinates"][1] = [float("nan"), 31.0]


def _one_point_line(d: dict[str, Any]) -> None:
    feature(d, "suez-canal")["geometry"]["coordinates"] = [[32.3, 31.2]]


def _polygon(d: dict[str, Any]) -> None:
    feature(d, "suez-canal")["geometry"] = {
        "type": "Polygon",
        "coordinates": [[[32, 30], [33, 30], [33, 31], [32, 30]]],
    }


def _unknown_type(d: dict[str, Any]) -> None:
    feature(d, "suez-canal")["geometry"]["type"] = "Curve"


def _duplicate(d: dict[str, Any]) -> None:
    feature(d, "boao-forum")["properties"]["id"] = "suez-canal"


def _wrong_type(d: dict[str, Any]) -> None:
    feature(d, "cku-railway/china")["properties"]["gauge_mm"] = "1435"


def _unknown_property(d: dict[str, Any]) -> None:
    feature(d, "suez-canal")["properties"]["lenght_km"] = 193


def _dangling_source(d: dict[str, Any]) -> None:
    feature(d, "suez-canal")["properties"]["figures"][0]["source"] = "nobody"


def _bad_status(d: dict[str, Any]) -> None:
    feature(d, "nord-stream-1")["properties"]["status"][0]["status"] = "fine"


def _status_out_of_order(d: dict[str, Any]) -> None:
    feature(d, "nord-stream-1")["properties"]["status"].reverse()


def _bad_date(d: dict[str, Any]) -> None:
    feature(d, "nord-stream-1")["properties"]["status"][0]["since"] = "8 Nov 2011"


def _javascript_url(d: dict[str, Any]) -> None:
    feature(d, "suez-canal")["properties"]["sources"][0]["url"] = "javascript:alert(1)"


def _point_for_rail(d: dict[str, Any]) -> None:
    feature(d, "suez-canal")["geometry"] = {"type": "Point", "coordinates": [32.3, 30.5]}


def _segments_disagree(d: dict[str, Any]) -> None:
    feature(d, "cku-railway/uzbekistan")["properties"]["kind"] = "pipeline"


@pytest.mark.parametrize(
    ("mutate", "fragments"),
    [
        (_drop_sources, ["feature nord-stream-1", "missing required property 'sources'"]),
        (_no_crs, ["no CRS declared"]),
        (_web_mercator, ["is not WGS84"]),
        (_metres, ["feature suez-canal", "not longitude/latitude degrees"]),
        (_nan, ["feature suez-canal", "NaN"]),
        (_one_point_line, ["feature suez-canal", "geometry cannot be read"]),
        (_polygon, ["feature suez-canal", "geometry type 'Polygon'"]),
        (_unknown_type, ["feature suez-canal", "geometry type 'Curve'"]),
        (_duplicate, ["feature suez-canal", "duplicate id"]),
        (_wrong_type, ["feature cku-railway/china", "'gauge_mm' should be a number, not string"]),
        (_unknown_property, ["feature suez-canal", "unknown property ['lenght_km']"]),
        (_dangling_source, ["feature suez-canal", "cites source 'nobody'"]),
        (_bad_status, ["feature nord-stream-1", "status[0]", "'fine' is not one of"]),
        (_status_out_of_order, ["feature nord-stream-1", "not in date order"]),
        (_bad_date, ["feature nord-stream-1", "'8 Nov 2011' is not a date"]),
        (_javascript_url, ["feature suez-canal", "not an http(s) URL"]),
        (_point_for_rail, ["feature suez-canal", "must be drawn as a line"]),
        (_segments_disagree, ["feature cku-railway/uzbekistan", "'kind' differs"]),
    ],
    ids=lambda v: v.__name__.strip("_") if callable(v) else None,
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


def _copy_geodata(geodata: Path, tmp_path: Path) -> Path:
    root = tmp_path / "geodata"
    shutil.copytree(geodata, root)
    return root


def test_membership_for_unknown_country(geodata: Path, tmp_path: Path) -> None:
    root = _copy_geodata(geodata, tmp_path)
    with (root / "memberships.csv").open("a", encoding="utf-8") as out:
        out.write("ZZZ,eaeu,member,confirmed,2015-01-01,,Test source,,\n")
    with pytest.raises(DataError, match=r"memberships.csv, feature ZZZ: country 'ZZZ' is not in"):
        load_dataset(root)


def test_article_pointing_at_unknown_corridor(geodata: Path, tmp_path: Path) -> None:
    root = _copy_geodata(geodata, tmp_path)
    path = next(p for p in (root / "articles").glob("*.json") if not p.name.endswith(".meta.json"))
    article = json.loads(path.read_text(encoding="utf-8"))
    article["paragraphs"][0]["corridors"] = ["atlantis-tunnel"]
    path.write_text(json.dumps(article, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(DataError, match=r"feature p1: links unknown corridor 'atlantis-tunnel'"):
        load_dataset(root)
