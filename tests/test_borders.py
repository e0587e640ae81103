"""The detailed borders (geodata/borders-10m.json) the map draws from zoom 6 up.

Measured against Natural Earth 1:10m itself: within a kilometre, where the CKU railway crosses
them, shared borders shared, the antimeridian and disputed-area rules kept; a malformed file
refused with the map falling back to its 1:50m borders.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import shapely
from shapely.geometry.base import BaseGeometry

from corridors import naturalearth, registry
from corridors.borders import Detail, drawn_shapes, read_detail, tile_shapes, vertex_errors_km
from corridors.dataset import Dataset, load_dataset
from corridors.errors import DataError, Problems
from corridors.layers import build_catalogue
from corridors.mapdata import build_map_data, display_shapes

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def detail(dataset: Dataset) -> Detail:
    assert dataset.detail is not None
    return dataset.detail


@pytest.fixture(scope="module")
def reference() -> dict[str, BaseGeometry]:
    return naturalearth.reference_shapes(
        ROOT / naturalearth.DETAIL_SOURCE_FILE, ROOT / naturalearth.AREAS_FILE
    )


@pytest.fixture(scope="module")
def drawn(detail: Detail) -> dict[str, BaseGeometry]:
    return drawn_shapes(detail)


def test_borders_are_within_a_kilometre_of_natural_earth_10m(
    reference: dict[str, BaseGeometry], drawn: dict[str, BaseGeometry]
) -> None:
    errors = vertex_errors_km(reference, drawn)
    assert len(errors) > 500_000  # every vertex of the source, not a sample
    assert np.percentile(errors, 99.9) <= 1.0
    # Per country: the rest of the 0.1% are atolls narrower than the 110 m grid, rounded away.
    for key, shape in reference.items():
        if shape.area > 0.1:  # about 1,000 km² and more
            assert np.percentile(vertex_errors_km({key: shape}, drawn), 99) <= 1.0, key


def test_the_1_50m_display_borders_are_not_enough_from_zoom_6(
    dataset: Dataset, reference: dict[str, BaseGeometry]
) -> None:
    # Why the detail exists: the whole-world drawing misses the source by kilometres.
    coarse = display_shapes(dataset)
    errors = vertex_errors_km({k: v for k, v in reference.items() if k in coarse}, coarse)
    assert np.percentile(errors, 50) > 2.0


def test_the_cku_railway_crosses_the_drawn_borders_where_it_crosses_the_source(
    dataset: Dataset, reference: dict[str, BaseGeometry], drawn: dict[str, BaseGeometry]
) -> None:
    rows = dataset.corridors[dataset.corridors["corridor"] == "cku-railway"]
    line = shapely.union_all(list(rows.geometry))
    source = shapely.intersection(line, reference["KGZ"].boundary)
    shown = shapely.intersection(line, drawn["KGZ"].boundary)
    # Torugart (China) and the Uzbek border near Jalal-Abad, each within 100 m.
    assert shapely.get_num_geometries(source) == shapely.get_num_geometries(shown) == 2
    for point in shapely.get_parts(source):
        assert shapely.distance(point, shown) * 111.32 < 0.1


def test_every_tile_is_a_coverage_so_shared_borders_are_shared(detail: Detail) -> None:
    for key in detail.tiles:
        shapes = [shape for _, shape in tile_shapes(detail, key)]
        assert shapely.coverage_is_valid(np.asarray(shapes, dtype=object), gap_width=0.0), key


def test_a_border_meets_itself_across_a_tile_edge(detail: Detail) -> None:
    # Kazakhstan's pieces either side of 70°E touch along the edge over the same stretch.
    west = dict(tile_shapes(detail, "6_4"))["KAZ"]
    east = dict(tile_shapes(detail, "7_4"))["KAZ"]
    edge = shapely.LineString([(70, 40), (70, 50)])
    assert west.intersection(edge).equals(east.intersection(edge))
    assert west.intersection(edge).length > 5


def test_antimeridian_and_disputed_areas_keep_their_rules(
    dataset: Dataset, detail: Detail, drawn: dict[str, BaseGeometry]
) -> None:
    # No drawn part spans the map (the rule countries.geojson keeps at ±180°)...
    for key, shape in drawn.items():
        for part in shapely.get_parts(shape):
            assert part.bounds[2] - part.bounds[0] < 180, key
    # ...and Chukotka lies east of 180° (as the map data draws it), beside Alaska.
    assert drawn["RUS"].bounds[2] > 185 and drawn["USA"].bounds[0] > 170
    # Each disputed area is its own shape, and no country's shape covers it.
    assert set(dataset.disputed["id"]) <= set(drawn)
    for area in dataset.disputed["id"]:
        for owner in ("RUS", "UKR", "CYP", "IND", "PAK", "SOM"):
            overlap = drawn[area].intersection(drawn[owner]).area
            assert overlap < 1e-4 * drawn[area].area, (area, owner)


def test_every_country_on_the_map_has_detailed_borders(dataset: Dataset, detail: Detail) -> None:
    metadata = json.loads((ROOT / "geodata" / registry.DETAIL_FILE).read_text("utf-8"))["metadata"]
    # Vatican City is empty in world-atlas's 1:10m; the file says so.
    assert set(dataset.countries["iso_a3"]) - set(detail.names) == {"VAT"}
    assert any(reason.startswith("Vatican") for reason in metadata["excluded"])
    assert {"GIB", "TUV", "UMI"} <= set(detail.names)


@pytest.mark.parametrize(
    "breaker",
    [
        lambda d: d["tiles"].update({"../x": []}),
        lambda d: d["tiles"]["7_4"][0].__setitem__(0, "<script>"),
        lambda d: d["tiles"]["7_4"][0][1][0][0].__setitem__(0, 1.5),
        lambda d: d["names"].update({"Not An Id": "x"}),
        lambda d: d.update(scale="1000"),
    ],
    ids=["tile key", "unknown id", "float coordinate", "bad id", "scale"],
)
def test_a_malformed_file_is_refused_and_the_map_keeps_its_1_50m_borders(
    geodata_copy: Path, breaker: object
) -> None:
    path = geodata_copy / registry.DETAIL_FILE
    document = json.loads(path.read_text("utf-8"))
    breaker(document)  # type: ignore[operator]
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(DataError):
        read_detail(path)
    problems = Problems(strict=False)
    data = load_dataset(geodata_copy, problems)
    assert data.detail is None
    assert [p.file for p in problems.items] == [registry.DETAIL_FILE]
    document = build_map_data(data, build_catalogue(data.corridors))
    assert document["detail"] is None and document["countries"]


def test_the_map_document_lists_each_tile_once(dataset: Dataset, detail: Detail) -> None:
    document = build_map_data(dataset, build_catalogue(dataset.corridors))
    cells = document["detail"]
    assert cells["zoom"] == registry.DETAIL_ZOOM
    listed = {
        f"{cells['origin'][0] + i % cells['cols']}_{cells['origin'][1] + i // cells['cols']}"
        for i, bit in enumerate(cells["cells"])
        if bit == "1"
    }
    assert listed == set(detail.tiles)
