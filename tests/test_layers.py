"""The layer catalogue: ids a link names, one style per status, colours told apart."""

from __future__ import annotations

import pytest

from corridors.dataset import Dataset
from corridors.layers import (
    PLACES,
    STATUS_DASH,
    Catalogue,
    build_catalogue,
    line_style,
    point_style,
)
from corridors.schema import POINT_KINDS, STATUSES


@pytest.fixture(scope="module")
def catalogue(dataset: Dataset) -> Catalogue:
    return build_catalogue(dataset.corridors)


def test_layers_are_the_corridors_then_places_then_blocs(catalogue: Catalogue) -> None:
    assert catalogue.ids == (
        "cku-railway",
        "northern-sea-route",
        "nord-stream-1",
        "power-of-siberia",
        "suez-canal",
        PLACES,
        "eaeu",
        "bri",
    )
    assert [layer.css_class for layer in catalogue.layers][:2] == [
        "layer-cku-railway",
        "layer-northern-sea-route",
    ]


def test_every_corridor_is_drawn_by_exactly_one_layer(
    catalogue: Catalogue, dataset: Dataset
) -> None:
    corridors = dataset.corridors.drop_duplicates("corridor")
    for corridor, kind in zip(corridors["corridor"], corridors["kind"], strict=True):
        owners = [layer.id for layer in catalogue.layers if corridor in layer.corridors]
        assert owners == [PLACES if kind in POINT_KINDS else corridor]


def test_layers_have_distinct_colours(catalogue: Catalogue) -> None:
    colours = [layer.colour for layer in catalogue.layers]
    assert len(set(colours)) == len(colours)


def test_every_status_has_its_own_line_style() -> None:
    assert set(STATUS_DASH) == STATUSES
    # Operating is solid; everything else is broken up, so status never relies on colour.
    assert STATUS_DASH["operational"] is None
    assert all(dash for status, dash in STATUS_DASH.items() if status != "operational")


def test_stopped_and_damaged_pipelines_look_different_from_operating(catalogue: Catalogue) -> None:
    layer = catalogue["nord-stream-1"]
    operating = line_style(layer, "operational")
    for status in ("stopped", "damaged"):
        style = line_style(layer, status)
        assert style["dashArray"] != operating["dashArray"]
        assert style["opacity"] < operating["opacity"]
    assert (
        point_style(catalogue[PLACES], "operational")["fillColor"]
        != (point_style(catalogue[PLACES], "under-construction")["fillColor"])
    )


def test_vocabulary_defaults_to_every_layer(catalogue: Catalogue, dataset: Dataset) -> None:
    vocab = catalogue.vocabulary(["cku-railway"], ["p1"])
    assert vocab.default_layers == catalogue.ids
    assert vocab.corridors == frozenset({"cku-railway"})


def test_a_corridor_may_not_take_a_layer_id_of_its_own(dataset: Dataset) -> None:
    frame = dataset.corridors.copy()
    frame.loc[frame["corridor"] == "suez-canal", "corridor"] = "bri"
    with pytest.raises(ValueError, match="reserved"):
        build_catalogue(frame)
