"""Splitting polygons at ±180°: small synthetic rings, then the real Natural Earth cases."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import LineString, MultiPolygon, Polygon, box

from corridors.antimeridian import (
    crosses_antimeridian,
    longitude_extents,
    split_at_antimeridian,
    split_line_at_antimeridian,
)
from corridors.geodesy import area_km2

SOURCE = Path(__file__).resolve().parent.parent / "node_modules/world-atlas/countries-50m.json"


def parts(geometry: Polygon | MultiPolygon) -> list[Polygon]:
    return list(geometry.geoms) if isinstance(geometry, MultiPolygon) else [geometry]


def area(geometry: Polygon | MultiPolygon) -> float:
    # geodesy.area_km2 sums signed part areas, so parts must share one orientation.
    return area_km2(shapely.orient_polygons(geometry))


def test_square_across_the_antimeridian_splits_in_two() -> None:
    wrapped = Polygon([(170, 0), (-170, 0), (-170, 10), (170, 10)])
    assert not wrapped.is_valid or wrapped.bounds[2] - wrapped.bounds[0] > 180
    split = split_at_antimeridian(wrapped)
    assert split.is_valid
    assert sorted(p.bounds for p in parts(split)) == [(-180, 0, -170, 10), (170, 0, 180, 10)]
    assert area(split) == pytest.approx(2 * area_km2(box(170, 0, 180, 10)), rel=1e-9)


def test_ring_starting_west_and_clockwise_gives_the_same_pieces() -> None:
    wrapped = Polygon([(-170, 10), (-170, 0), (170, 0), (170, 10)])
    split = split_at_antimeridian(wrapped)
    assert sorted(p.bounds for p in parts(split)) == [(-180, 0, -170, 10), (170, 0, 180, 10)]


def test_vertex_exactly_on_the_antimeridian_as_natural_earth_stores_it() -> None:
    wrapped = Polygon([(175, 60), (-180, 60), (-175, 60), (-175, 65), (180, 65), (175, 65)])
    split = split_at_antimeridian(wrapped)
    assert split.is_valid
    assert max(longitude_extents(split)) == pytest.approx(5)
    assert area(split) == pytest.approx(2 * area_km2(box(175, 60, 180, 65)), rel=1e-9)


def test_hole_across_the_antimeridian_is_cut_with_its_shell() -> None:
    shell = [(170, -10), (-170, -10), (-170, 10), (170, 10)]
    hole = [(178, -2), (178, 2), (-178, 2), (-178, -2)]
    split = split_at_antimeridian(Polygon(shell, [hole]))
    assert split.is_valid
    assert len(parts(split)) == 2
    expected = 2 * (area_km2(box(170, -10, 180, 10)) - area_km2(box(178, -2, 180, 2)))
    assert area(split) == pytest.approx(expected, rel=1e-9)


# The cap south of 70° S, measured as 36 slices 10° wide (pyproj cannot measure a 360° box).
CAP_KM2 = 36 * area_km2(box(0, -90, 10, -70))


def test_ring_round_the_south_pole_becomes_a_cap() -> None:
    circle = [(lon, -70.0) for lon in range(-180, 180, 10)]
    cap = split_at_antimeridian(Polygon(circle))
    assert cap.is_valid
    assert cap.bounds == (-180, -90, 180, -70)
    assert area(cap) == pytest.approx(CAP_KM2, rel=1e-6)
    assert not crosses_antimeridian(cap)


def test_pole_ring_with_coast_hole_reads_as_the_land_between() -> None:
    # How GDAL reads world-atlas' Antarctica: a degenerate ring just off the pole as the shell
    # and the coastline, winding round the pole, as its hole.
    pole_ring = [(-180.0, -89.999)] + [(lon, -89.999) for lon in range(170, -180, -10)]
    coast = [(lon, -70.0) for lon in range(-180, 180, 10)]
    land = split_at_antimeridian(Polygon(pole_ring, [coast]))
    assert land.is_valid
    assert area(land) == pytest.approx(CAP_KM2, rel=1e-4)


def test_polygons_that_do_not_cross_come_back_unchanged() -> None:
    touching = Polygon([(178, 0), (180, 0), (180, 1), (178, 1)])
    far = box(10, 10, 20, 20)
    assert not crosses_antimeridian(touching)
    assert split_at_antimeridian(touching) is touching
    assert split_at_antimeridian(far) is far


def test_only_the_crossing_part_of_a_multipolygon_is_split() -> None:
    other = box(10, 10, 20, 20)
    wrapped = Polygon([(170, 0), (-170, 0), (-170, 10), (170, 10)])
    split = split_at_antimeridian(MultiPolygon([other, wrapped]))
    assert split.is_valid
    assert len(parts(split)) == 3
    assert any(p.equals(other) for p in parts(split))


def test_halves_stored_apart_that_meet_on_the_antimeridian_are_merged() -> None:
    west_half = box(179, 0, 180, 1)
    wrapped = Polygon([(179, 1), (-179, 1), (-179, 2), (179, 2)])
    split = split_at_antimeridian(MultiPolygon([west_half, wrapped]))
    assert split.is_valid
    assert sorted(p.bounds for p in parts(split)) == [(-180, 1, -179, 2), (179, 0, 180, 2)]


def test_a_line_is_refused() -> None:
    with pytest.raises(TypeError, match="LineString"):
        split_at_antimeridian(LineString([(0, 0), (1, 1)]))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def natural_earth() -> dict[str, Polygon | MultiPolygon]:
    frame = gpd.read_file(SOURCE, layer="countries")
    return dict(zip(frame["name"], frame.geometry, strict=True))


@pytest.mark.parametrize("name", ["Russia", "Fiji", "Antarctica"])
def test_natural_earth_wrapped_countries_become_valid(
    natural_earth: dict[str, Polygon | MultiPolygon], name: str
) -> None:
    raw = natural_earth[name]
    assert not raw.is_valid and crosses_antimeridian(raw)
    split = split_at_antimeridian(raw)
    assert split.is_valid
    assert not crosses_antimeridian(split)
    assert split.bounds[0] == -180 and split.bounds[2] == 180


def test_russia_split_keeps_its_area_and_is_not_the_naive_repair(
    natural_earth: dict[str, Polygon | MultiPolygon],
) -> None:
    raw = natural_earth["Russia"]
    split = split_at_antimeridian(raw)
    # Natural Earth 50m, Crimea included; the official figure is 17.1 million km².
    assert area(split) == pytest.approx(16.97e6, rel=0.005)
    # Repairing the wrapped ring naively fills a band across the map: ~19.3 million km².
    assert area(shapely.make_valid(raw)) == pytest.approx(19.3e6, rel=0.01)
    assert max(longitude_extents(split)) < 180


def test_fiji_parts_stay_small(natural_earth: dict[str, Polygon | MultiPolygon]) -> None:
    split = split_at_antimeridian(natural_earth["Fiji"])
    assert max(longitude_extents(split)) < 2


def test_antarctica_is_one_cap_spanning_all_longitudes(
    natural_earth: dict[str, Polygon | MultiPolygon],
) -> None:
    # The documented exception: a polar cap cannot be cut into valid parts narrower than 180°.
    split = split_at_antimeridian(natural_earth["Antarctica"])
    assert max(longitude_extents(split)) == 360
    assert area(split) == pytest.approx(12.36e6, rel=0.01)


def test_split_line_at_antimeridian() -> None:
    east = split_line_at_antimeridian([(170, 60), (190, 62), (200, 64)])
    assert [list(p.coords) for p in east.geoms] == [
        [(170, 60), (180, 61)],
        [(-180, 61), (-170, 62), (-160, 64)],
    ]
    on_edge = split_line_at_antimeridian([(170, 60), (180, 62), (190, 64)])
    assert [list(p.coords) for p in on_edge.geoms] == [
        [(170, 60), (180, 62)],
        [(-180, 62), (-170, 64)],
    ]
    assert list(split_line_at_antimeridian([(500, 0), (520, 1)]).coords) == [(140, 0), (160, 1)]
    with pytest.raises(ValueError):
        split_line_at_antimeridian([(0, 0)])
