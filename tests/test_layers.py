"""The layer catalogue: ids a link names, one style per status, colours told apart."""

from __future__ import annotations

import pandas as pd
import pytest

from corridors import registry
from corridors.dataset import Dataset
from corridors.layers import Catalogue, build_catalogue, line_style, point_style
from corridors.schema import POINT_KINDS

PLACES = registry.PLACES.id


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


def test_layers_have_distinct_colours_none_of_them_the_selection(catalogue: Catalogue) -> None:
    colours = [layer.colour for layer in catalogue.layers]
    assert len(set(colours)) == len(colours)
    assert registry.SELECTION_COLOUR not in colours


def test_corridors_added_later_never_look_selected(dataset: Dataset) -> None:
    """Every spare colour is distinct, not yellow, and not a colour a known layer has."""
    frame = dataset.corridors
    extra = frame[frame["corridor"] == "suez-canal"]
    added = [extra.assign(corridor=f"new-canal-{n}", id=f"new-canal-{n}") for n in range(6)]
    catalogue = build_catalogue(pd.concat([frame, *added], ignore_index=True))
    fixed = {*registry.CORRIDOR_COLOURS.values(), registry.PLACES.colour}
    fixed |= {b.colour for b in registry.BLOCS}
    new = [catalogue[f"new-canal-{n}"].colour for n in range(len(registry.SPARE_COLOURS))]
    assert len(set(new)) == len(new)
    assert not {registry.SELECTION_COLOUR, *fixed} & set(new)
    # Past the spares, a corridor is grey, which is still no layer's colour and not yellow.
    assert catalogue["new-canal-5"].colour == registry.FALLBACK_COLOUR != registry.SELECTION_COLOUR


def test_every_status_has_its_own_line_style() -> None:
    dashes = {s.id: s.dash for s in registry.STATUSES}
    # Operating is solid; everything else is broken up, so status never relies on colour.
    assert dashes.pop("operational") is None
    assert all(dashes.values())
    # Each state its own pattern: suspended (expected to resume) is not drawn as stopped.
    assert len(set(dashes.values())) == len(dashes), dashes


def test_a_seasonal_line_is_broken_with_gaps_that_show(catalogue: Catalogue) -> None:
    style = line_style(catalogue["northern-sea-route"], "seasonal")
    assert style["dashArray"] == registry.status("seasonal").dash
    assert style["lineCap"] == "round"
    dash, gap = (float(x) for x in str(style["dashArray"]).split())
    # Round caps reach half the line's width into each gap: what is left must still show, and
    # the dashes stay longer than under construction's, so the line reads as open.
    assert gap - registry.LINE_WEIGHT >= 3
    assert dash > float(str(registry.status("under-construction").dash).split()[0])


def test_stopped_and_damaged_pipelines_look_different_from_operating(catalogue: Catalogue) -> None:
    layer = catalogue["nord-stream-1"]
    operating = line_style(layer, "operational")
    for status in ("stopped", "damaged"):
        style = line_style(layer, status)
        assert style["dashArray"] != operating["dashArray"]
    assert (
        point_style(catalogue[PLACES], "operational")["fillColor"]
        != (point_style(catalogue[PLACES], "under-construction")["fillColor"])
    )


def test_a_corridor_may_not_take_a_layer_id_of_its_own(dataset: Dataset) -> None:
    frame = dataset.corridors.copy()
    frame.loc[frame["corridor"] == "suez-canal", "corridor"] = "bri"
    with pytest.raises(ValueError, match="reserved"):
        build_catalogue(frame)
