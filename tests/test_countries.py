"""The committed geodata/countries.geojson and geodata/disputed.geojson, and views over them."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import MultiPolygon, Point, Polygon, shape

from corridors import boundaries, naturalearth, registry
from corridors.errors import DataError
from corridors.geodesy import area_km2, length_km

ROOT = Path(__file__).resolve().parent.parent
GEODATA = ROOT / "geodata"
COUNTRIES = GEODATA / registry.COUNTRIES_FILE
DISPUTED = GEODATA / registry.DISPUTED_FILE
SIMFEROPOL = (34.10, 44.95)
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def load(path: Path) -> dict[str, Any]:
    collection: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return collection


@pytest.fixture(scope="module")
def countries_json() -> dict[str, Any]:
    return load(COUNTRIES)


@pytest.fixture(scope="module")
def disputed_json() -> dict[str, Any]:
    return load(DISPUTED)


@pytest.fixture(scope="module")
def shapes(countries_json: dict[str, Any]) -> dict[str, Polygon | MultiPolygon]:
    return {f["properties"]["iso_a3"]: shape(f["geometry"]) for f in countries_json["features"]}


@pytest.fixture(scope="module")
def disputed_shapes(disputed_json: dict[str, Any]) -> dict[str, Polygon | MultiPolygon]:
    return {f["properties"]["id"]: shape(f["geometry"]) for f in disputed_json["features"]}


@pytest.fixture(scope="module")
def frames() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    return gpd.read_file(COUNTRIES), gpd.read_file(DISPUTED)


def all_geometries(
    shapes: dict[str, Polygon | MultiPolygon], disputed_shapes: dict[str, Polygon | MultiPolygon]
) -> list[Polygon | MultiPolygon]:
    return [*shapes.values(), *disputed_shapes.values()]


def parts(geometry: Polygon | MultiPolygon) -> list[Polygon]:
    return list(geometry.geoms) if isinstance(geometry, MultiPolygon) else [geometry]


@pytest.mark.parametrize("path", [COUNTRIES, DISPUTED])
def test_files_declare_crs84_and_metadata(path: Path) -> None:
    collection = load(path)
    assert collection["crs"]["properties"]["name"] == "urn:ogc:def:crs:OGC:1.3:CRS84"
    metadata = collection["metadata"]
    assert "Natural Earth 4.1.0" in metadata["source"] and "world-atlas 2.0.2" in metadata["source"]
    assert "ublic domain" in metadata["licence"]
    assert metadata["simplification"]["tolerance_degrees"] == naturalearth.SIMPLIFY_TOLERANCE
    assert gpd.read_file(path).crs.to_epsg() == 4326


def test_every_geometry_is_a_valid_nonempty_polygon(
    shapes: dict[str, Polygon | MultiPolygon], disputed_shapes: dict[str, Polygon | MultiPolygon]
) -> None:
    for geometry in all_geometries(shapes, disputed_shapes):
        assert isinstance(geometry, Polygon | MultiPolygon)
        assert geometry.is_valid and not geometry.is_empty


def test_exterior_rings_are_counter_clockwise_as_rfc_7946_asks(
    shapes: dict[str, Polygon | MultiPolygon], disputed_shapes: dict[str, Polygon | MultiPolygon]
) -> None:
    for geometry in all_geometries(shapes, disputed_shapes):
        for part in parts(geometry):
            assert part.exterior.is_ccw
            assert not any(hole.is_ccw for hole in part.interiors)


def test_no_part_spans_half_the_globe(
    shapes: dict[str, Polygon | MultiPolygon], disputed_shapes: dict[str, Polygon | MultiPolygon]
) -> None:
    for geometry in all_geometries(shapes, disputed_shapes):
        for part in parts(geometry):
            min_lon, _, max_lon, _ = part.bounds
            assert max_lon - min_lon < 180
            assert min_lon >= -180 and max_lon <= 180


@pytest.mark.parametrize("code", ["RUS", "FJI"])
def test_countries_across_the_antimeridian_meet_it_from_both_sides(
    shapes: dict[str, Polygon | MultiPolygon], code: str
) -> None:
    edges = [(p.bounds[0], p.bounds[2]) for p in parts(shapes[code])]
    assert any(max_lon == 180 for _, max_lon in edges)
    assert any(min_lon == -180 for min_lon, _ in edges)


def test_russia_area_without_crimea(shapes: dict[str, Polygon | MultiPolygon]) -> None:
    russia = area_km2(shapes["RUS"])
    assert russia == pytest.approx(17.1e6, rel=0.01)
    # The figure a naive repair of the wrapped ring gives.
    assert abs(russia - 19.3e6) > 1e6


def test_crimea_is_disputed_not_russian(
    shapes: dict[str, Polygon | MultiPolygon], disputed_shapes: dict[str, Polygon | MultiPolygon]
) -> None:
    simferopol = Point(SIMFEROPOL)
    assert disputed_shapes["crimea"].contains(simferopol)
    assert not any(geometry.covers(simferopol) for geometry in shapes.values())
    assert area_km2(disputed_shapes["crimea"]) == pytest.approx(27_000, rel=0.05)


@pytest.mark.parametrize(("view", "expected"), [("un", "UKR"), ("de-facto", "RUS")])
def test_simferopol_belongs_to_the_views_owner(
    frames: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame], view: str, expected: str
) -> None:
    countries, disputed = frames
    assert boundaries.country_at(countries, disputed, *SIMFEROPOL, view=view) == expected
    merged = boundaries.countries_in_view(countries, disputed, view)
    owner = merged.loc[merged.geometry.contains(Point(SIMFEROPOL)), "iso_a3"].tolist()
    assert owner == [expected]


def test_default_view_is_the_un_one(frames: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]) -> None:
    countries, disputed = frames
    assert registry.ids(registry.VIEWS) == ("un", "de-facto")
    assert registry.DEFAULT_VIEW == "un"
    assert boundaries.country_at(countries, disputed, *SIMFEROPOL) == "UKR"
    assert boundaries.country_at(countries, disputed, 37.62, 55.75) == "RUS"  # Moscow
    assert boundaries.country_at(countries, disputed, -30.0, 0.0) is None  # Atlantic


def test_unknown_view_is_refused(frames: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]) -> None:
    with pytest.raises(ValueError, match="unknown view 'kremlin'; choose one of un, de-facto"):
        boundaries.countries_in_view(*frames, view="kremlin")


@pytest.mark.parametrize("view", registry.VIEWS, ids=registry.ids(registry.VIEWS))
def test_views_hold_one_row_per_country_and_move_only_disputed_land(
    frames: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame], view: registry.View
) -> None:
    countries, disputed = frames
    merged = boundaries.countries_in_view(countries, disputed, view.id)
    assert merged["iso_a3"].tolist() == sorted(countries["iso_a3"])
    owners = disputed[view.owner_column]
    added = sum(
        area_km2(g)
        for g, owner in zip(disputed.geometry, owners, strict=True)
        if isinstance(owner, str)
    )
    total_before = sum(area_km2(g) for g in countries.geometry)
    assert sum(area_km2(g) for g in merged.geometry) == pytest.approx(total_before + added)
    assert merged.geometry.is_valid.all()


def test_unowned_areas_stay_out_of_the_view(
    frames: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame],
) -> None:
    countries, disputed = frames
    siachen = (77.0, 35.4)
    assert boundaries.country_at(countries, disputed, *siachen, view="un") is None
    assert boundaries.country_at(countries, disputed, *siachen, view="de-facto") == "IND"
    hargeisa = (44.06, 9.56)
    assert boundaries.country_at(countries, disputed, *hargeisa, view="un") == "SOM"
    assert boundaries.country_at(countries, disputed, *hargeisa, view="de-facto") is None


def test_countries_and_disputed_areas_form_a_valid_coverage(
    shapes: dict[str, Polygon | MultiPolygon], disputed_shapes: dict[str, Polygon | MultiPolygon]
) -> None:
    geometries = np.asarray(all_geometries(shapes, disputed_shapes), dtype=object)
    # gap_width also flags slivers under ~1 km between neighbours (straits are wider).
    assert shapely.coverage_is_valid(geometries, gap_width=0.01)


# Natural Earth 50m measures these borders at 5,459 km and 1,429 km before simplification.
@pytest.mark.parametrize(("a", "b", "min_km"), [("KAZ", "RUS", 5300), ("KAZ", "CHN", 1380)])
def test_shared_border_has_no_gap_or_overlap(
    shapes: dict[str, Polygon | MultiPolygon], a: str, b: str, min_km: float
) -> None:
    pair = np.asarray([shapes[a], shapes[b]], dtype=object)
    assert shapely.coverage_is_valid(pair, gap_width=0.1)
    assert shapes[a].intersection(shapes[b]).area == 0
    assert length_km(shapes[a].boundary.intersection(shapes[b].boundary)) > min_km


def test_crimea_border_with_ukraine_is_shared(
    shapes: dict[str, Polygon | MultiPolygon], disputed_shapes: dict[str, Polygon | MultiPolygon]
) -> None:
    crimea, ukraine = disputed_shapes["crimea"], shapes["UKR"]
    assert crimea.intersection(ukraine).area == 0
    assert crimea.boundary.intersection(ukraine.boundary).length > 0
    assert shapely.union(crimea, ukraine).is_valid


def test_country_codes_are_unique_sorted_and_well_formed(countries_json: dict[str, Any]) -> None:
    props = [f["properties"] for f in countries_json["features"]]
    codes = [p["iso_a3"] for p in props]
    assert codes == sorted(set(codes))
    for p in props:
        assert set(p) == {"iso_a3", "iso_n3", "name"}
        assert re.fullmatch(r"[A-Z]{3}", p["iso_a3"])
        assert p["iso_n3"] is None or re.fullmatch(r"\d{3}", p["iso_n3"])
        assert p["name"] and not p["name"].endswith(".")
    by_code = {p["iso_a3"]: p for p in props}
    assert by_code["XKX"] == {"iso_a3": "XKX", "iso_n3": None, "name": "Kosovo"}
    assert by_code["BIH"]["name"] == "Bosnia and Herzegovina"
    assert by_code["RUS"]["name"] == "Russia"
    assert {"CXR", "CCK"} <= set(by_code) and "ATA" not in by_code


def test_disputed_areas_are_described_and_sourced(
    countries_json: dict[str, Any], disputed_json: dict[str, Any]
) -> None:
    codes = {f["properties"]["iso_a3"] for f in countries_json["features"]}
    props = [f["properties"] for f in disputed_json["features"]]
    expected_ids = ["crimea", "northern-cyprus", "siachen-glacier", "somaliland"]
    assert [p["id"] for p in props] == expected_ids
    for p in props:
        assert p["un_iso_a3"] in codes | {None} and p["de_facto_iso_a3"] in codes | {None}
        assert p["un_iso_a3"] != p["de_facto_iso_a3"]
        assert ISO_DATE.fullmatch(p["since"]) and p["status"] and p["note"]
        assert p["sources"]
        for source in p["sources"]:
            assert set(source) == {"publisher", "title", "date", "url"}
            assert ISO_DATE.fullmatch(source["date"]) and source["url"].startswith("https://")
    crimea = props[0]
    assert (crimea["un_iso_a3"], crimea["de_facto_iso_a3"]) == ("UKR", "RUS")
    assert crimea["since"] == "2014-03-18" and crimea["status"] == "occupied"
    assert any("68/262" in s["title"] for s in crimea["sources"])


def test_rebuild_is_byte_identical(tmp_path: Path) -> None:
    script = ROOT / "scripts" / "build_countries.py"
    subprocess.run([sys.executable, str(script), "--output-dir", str(tmp_path)], check=True)
    for committed in (COUNTRIES, DISPUTED, ROOT / "geodata" / registry.DETAIL_FILE):
        assert (tmp_path / committed.name).read_bytes() == committed.read_bytes()


def test_disputed_area_records_are_checked_before_the_build(tmp_path: Path) -> None:
    records = json.loads((ROOT / naturalearth.AREAS_FILE).read_text(encoding="utf-8"))
    assert [r["id"] for r in naturalearth.read_disputed_areas(ROOT / naturalearth.AREAS_FILE)] == [
        r["id"] for r in records
    ]
    broken = tmp_path / "disputed-areas.json"
    del records[0]["note"]
    broken.write_text(json.dumps(records), encoding="utf-8")
    with pytest.raises(DataError, match=r"^disputed-areas\.json, feature crimea: missing .*'note'"):
        naturalearth.read_disputed_areas(broken)
    records[0]["note"] = "Drawn nowhere."
    records.append({**records[0], "id": "transnistria"})
    broken.write_text(json.dumps(records), encoding="utf-8")
    with pytest.raises(DataError, match=r"feature transnistria: no carve says where"):
        naturalearth.read_disputed_areas(broken)
