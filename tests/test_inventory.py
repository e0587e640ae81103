"""Everything a view draws, as rows (corridors.inventory): checked row by row against the data
for several views, and both downloads re-opened with geopandas to the same rows."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from corridors import inventory, registry, routes
from corridors.boundaries import owner
from corridors.memberships import members_on
from corridors.share import ViewState
from corridors.site import Site, load_site
from corridors.status import status_on
from tests.quoting import assert_quoted_as_approximate

TODAY = dt.date(2026, 12, 1)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    return load_site(tmp_path_factory.mktemp("app"), TODAY)


def frame_for(
    site: Site, comparison: routes.Comparison | None = None, **view: object
) -> gpd.GeoDataFrame:
    state = ViewState(**{"layers": site.vocab.default_layers, **view})  # type: ignore[arg-type]
    return inventory.view_frame(site, state, comparison)


def test_each_corridor_row_is_the_data_on_the_view_date(site: Site) -> None:
    frame = frame_for(site)
    data = site.data.corridors
    rows = frame[frame["corridor"] != ""]
    assert list(rows["corridor"]) == list(dict.fromkeys(data["corridor"]))
    for _, row in rows.iterrows():
        own = data[data["corridor"] == row["corridor"]]
        first = own.iloc[0]
        assert row["name"] == first["name"] and row["kind"] == first["kind"]
        assert row["layer"] == site.catalogue.layer_of(row["corridor"]).name
        current = status_on(first["status"], TODAY)
        assert current is not None
        assert row["status"].startswith(registry.status(current["status"]).label)
        urls = {s.get("url") or "" for entries in own["sources"] for s in entries}
        assert row["source_url"] in urls
        assert row["as_of"] == "2026-12-01"
        assert row["geometry_quality"] == first["geometry_quality"]
        if first.geometry.geom_type == "Point":
            assert pd.isna(row["drawn_km"]) and row.geometry.equals(first.geometry)
        else:
            # Rounded to the precision the line supports: an approximate one to 10 km.
            measured = float(own["length_km"].sum())
            assert first["geometry_quality"] == "approximate"
            assert row["drawn_km"] % 10 == 0 and abs(row["drawn_km"] - measured) <= 5
            # The row's line is the segments' lines (planar degrees: the same either way).
            assert row.geometry.length == pytest.approx(sum(g.length for g in own.geometry))


def test_every_published_length_is_listed_as_the_corridor_panel_gives_it(site: Site) -> None:
    frame = frame_for(site)
    for _, row in frame[frame["drawn_km"].notna()].iterrows():
        facts = site.details(row["corridor"], TODAY).facts
        expected = [f.text for f in facts if f.label == "Published"]
        assert row["published"].split(" | ") == expected if expected else row["published"] == ""
    published = dict(zip(frame["corridor"], frame["published"], strict=True))
    # Sources that disagree are each listed: 523 km and the 2023 study's 454 km.
    assert (
        "523 km (Railway Gazette International; Russia’s Pivot to Asia" in published["cku-railway"]
    )
    assert "454 km (Trend News Agency (via MENAFN)" in published["cku-railway"]
    # A figure for a stretch is set against the drawn line between its ends.
    assert "Chayanda field – Blagoveshchensk: 2,200 km" in published["power-of-siberia"]
    assert "drawn ≈ 1,910 km (−13%)" in published["power-of-siberia"]


def test_a_row_names_first_a_source_its_status_or_figures_cite(site: Site) -> None:
    frame = frame_for(site, layers=("northern-sea-route",))
    (title,) = frame["source_title"]
    (url,) = frame["source_url"]
    # Not the coordinates list the line is drawn from, and a link.
    assert "GeoNames" not in title and "coordinates" not in title
    cited = {s["url"] for entries in site.data.corridors["sources"] for s in entries
             if s["title"] == title}  # fmt: skip
    assert url in cited and url.startswith("https://")


def test_members_are_the_blocs_members_on_the_date_one_row_each(site: Site) -> None:
    for day in (TODAY, dt.date(2016, 6, 1)):
        frame = frame_for(site, layers=("eaeu", "bri"), date=day)
        for bloc in registry.BLOCS:
            layer = site.catalogue[bloc.id].name
            rows = frame[(frame["layer"] == layer) & (frame["kind"] == "member country")]
            expected = members_on(site.data.memberships, bloc.id, day)
            names = {site.country_names[c] for c in expected if c in site.country_names}
            assert set(rows["name"]) == names and len(rows) == len(names), (bloc.id, day)
    # Italy: a BRI signatory in 2020, not after leaving in 2024.
    italy = lambda f: ((f["name"] == "Italy") & (f["kind"] == "member country")).any()  # noqa: E731
    assert italy(frame_for(site, layers=("bri",), date=dt.date(2020, 6, 1)))
    assert not italy(frame_for(site, layers=("bri",)))


@pytest.mark.parametrize("view", [v.id for v in registry.VIEWS])
def test_a_disputed_area_is_listed_with_the_bloc_its_holder_is_in(site: Site, view: str) -> None:
    frame = frame_for(site, layers=("eaeu",), boundaries=view)
    crimea = frame[frame["name"] == "Crimea (disputed)"]
    area = site.data.disputed[site.data.disputed["id"] == "crimea"].iloc[0]
    holder = owner(area, view, TODAY)
    in_eaeu = holder in members_on(site.data.memberships, "eaeu", TODAY)
    assert len(crimea) == (1 if in_eaeu else 0)
    if in_eaeu:
        assert "drawn with Russia" in crimea.iloc[0]["status"]


def test_a_view_lists_only_what_it_draws(site: Site) -> None:
    frame = frame_for(site, layers=("power-of-siberia", "nord-stream-1"), date=dt.date(2015, 6, 1))
    # Power of Siberia operates from 2 Dec 2019: not yet drawn, so not listed.
    assert list(frame["name"]) == ["Nord Stream 1"]
    assert frame.iloc[0]["status"].startswith("operational")
    assert frame_for(site, layers=()).empty


def test_a_compared_route_adds_a_row_per_route_that_applies(site: Site) -> None:
    comparison = routes.compare("GRPIR", "CNSHA")
    frame = frame_for(site, comparison, layers=())
    assert list(frame["kind"]) == ["computed sea route"] * 2  # no NSR for Piraeus–Shanghai
    for _, row in frame.iterrows():
        route_id = {"Via Suez": "suez", "Via the Cape of Good Hope": "cape"}[
            row["name"].split(",")[0]
        ]
        computed = comparison.computed(route_id)
        assert computed is not None
        # A computed route is quoted as an approximate line is: to the nearest 10 km.
        assert row["drawn_km"] % 10 == 0 and abs(row["drawn_km"] - computed.km) <= 5
        assert row["source_url"].startswith("https://")


def test_the_geojson_reopens_to_the_same_rows_in_wgs84(site: Site) -> None:
    frame = frame_for(site, routes.compare("CNSHA", "NLRTM"))
    raw = inventory.geojson_bytes(frame)
    document = json.loads(raw)
    assert document["type"] == "FeatureCollection" and "crs" not in document  # RFC 7946
    back = gpd.read_file(io.BytesIO(raw))
    assert back.crs.to_epsg() == 4326 and len(back) == len(frame)
    for column in inventory.COLUMNS:
        if column == "as_of":  # read back as a date, as GDAL reads an ISO day
            assert list(back[column].dt.date.astype(str)) == list(frame[column])
        elif column == "drawn_km":
            assert back[column].fillna(-1).tolist() == frame[column].fillna(-1).tolist()
        else:
            assert list(back[column].fillna("")) == list(frame[column].fillna("")), column
    assert all(a.equals_exact(b, 1e-9) for a, b in zip(back.geometry, frame.geometry, strict=True))
    lon_lat = shapely.get_coordinates(back.geometry)
    assert (abs(lon_lat[:, 0]) <= 180).all() and (abs(lon_lat[:, 1]) <= 90).all()
    # The NSR route crosses the antimeridian: it comes as parts that meet at ±180.
    (nsr,) = back[back["name"].str.startswith("Via the Northern Sea Route")].geometry
    assert nsr.geom_type == "MultiLineString" and 180 in abs(lon_lat[:, 0])


def test_the_csv_reopens_to_the_same_rows_with_wkt_geometry(site: Site) -> None:
    frame = frame_for(site, layers=("suez-canal", "places", "eaeu"))
    raw = inventory.csv_bytes(frame)
    assert raw.startswith("\ufeff".encode())  # spreadsheets read UTF-8 by its mark
    table = pd.read_csv(io.BytesIO(raw), keep_default_na=False, encoding="utf-8-sig")
    back = gpd.GeoDataFrame(table, geometry=gpd.GeoSeries.from_wkt(table["geometry"]), crs=4326)
    assert list(back.columns[:-1]) == [*inventory.COLUMNS]
    for column in ("name", "kind", "status", "source_title", "source_url", "as_of"):
        assert list(back[column]) == list(frame[column].fillna("")), column
    drawn = pd.to_numeric(back["drawn_km"].replace("", None))
    assert drawn.fillna(-1).tolist() == frame["drawn_km"].fillna(-1).tolist()
    assert all(a.equals_exact(b, 1e-9) for a, b in zip(back.geometry, frame.geometry, strict=True))


def test_inventory_never_imports_streamlit() -> None:
    source = (Path(__file__).resolve().parents[1] / "corridors" / "inventory.py").read_text()
    assert "streamlit" not in source


def test_a_view_is_built_once_for_every_session_that_shows_it(site: Site) -> None:
    first = frame_for(site, layers=("eaeu",))
    assert frame_for(site, layers=("eaeu",)) is first  # a room opening the same link
    assert frame_for(site, layers=("eaeu",), date=dt.date(2016, 6, 1)) is not first
    assert frame_for(site, layers=("eaeu",), boundaries="de-facto") is not first


def test_no_drawn_length_is_quoted_to_a_tenth_in_the_table_or_the_files(site: Site) -> None:
    # Every line here is approximate and a computed route is quoted as one: 10 km, whole
    # percents, in the table's column and in both files exactly as written.
    frame = frame_for(site, routes.compare("CNSHA", "NLRTM"))
    lines = frame[frame["drawn_km"].notna()]
    assert set(lines["kind"]) >= {"sea route", "pipeline", "rail", "computed sea route"}
    assert all(km % 10 == 0 for km in lines["drawn_km"])
    assert_quoted_as_approximate([f"Published: {text}" for text in lines["published"]])
    assert_quoted_as_approximate(list(lines["status"]))  # a route's "≈ 10,590 nm, 31.5 days"
    table = pd.read_csv(io.BytesIO(inventory.csv_bytes(frame)), dtype=str, encoding="utf-8-sig")
    written = table["drawn_km"].dropna()
    assert len(written) == len(lines) and all(v.isdigit() and v.endswith("0") for v in written)
    document = json.loads(inventory.geojson_bytes(frame))
    values = [f["properties"]["drawn_km"] for f in document["features"]]
    assert [v for v in values if v is not None] == list(lines["drawn_km"])
    assert all(isinstance(v, int) for v in values if v is not None)
    assert [inventory.drawn_text(r) for _, r in lines.iterrows()] == [
        f"≈ {km:,} km" for km in lines["drawn_km"]
    ]


def test_the_seasonal_route_says_so_in_the_status_column(site: Site) -> None:
    (status,) = frame_for(site, layers=("northern-sea-route",))["status"]
    assert status == "operational in season (July to late November; ice-dependent)"
