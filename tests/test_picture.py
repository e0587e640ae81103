"""The picture of a view for slides (corridors.picture): its size, title, legend, date, sources
and link, drawn from the view's rows; read back from the figure's own artists and the PNG."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from matplotlib import patheffects
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.image import imread

from corridors import inventory, picture, registry, routes
from corridors.share import ViewState
from corridors.site import Site, load_site

DAY = dt.date(2024, 4, 25)
LINK = "https://example.org/?date=2024-04-25"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    return load_site(tmp_path_factory.mktemp("app"), dt.date(2026, 12, 1))


def texts(fig: object) -> list[str]:
    return [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]  # type: ignore[attr-defined]


def test_the_picture_is_wide_enough_for_a_slide_and_a_png(site: Site) -> None:
    rows = inventory.view_frame(site, ViewState(layers=site.vocab.default_layers, date=DAY), None)
    png = picture.png(picture.draw(rows, site.data, site.catalogue, DAY, LINK))
    assert png.startswith(b"\x89PNG")
    height, width, _ = imread(io.BytesIO(png)).shape
    assert width >= 2000 and 0.5 < height / width < 0.6


def test_title_legend_date_sources_and_link_are_drawn(site: Site) -> None:
    state = ViewState(layers=("nord-stream-1", "eaeu"), date=DAY)
    rows = inventory.view_frame(site, state, routes.compare("CNSHA", "NLRTM"))
    fig = picture.draw(rows, site.data, site.catalogue, DAY, LINK)
    (ax,) = fig.axes
    assert ax.get_title(loc="left") == "Eurasian corridors in the news, as on 25 Apr 2024"
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == [
        "EAEU members",
        "Nord Stream 1",
        "damaged",  # Nord Stream 1 on that day (since 26 Sep 2022)
        "Sea route Via Suez, Shanghai → Rotterdam",
        "Sea route Via the Cape of Good Hope, Shanghai → Rotterdam",
        "Sea route Via the Northern Sea Route, Shanghai → Rotterdam",
    ]
    (source_line,) = [t for t in texts(fig) if t.startswith("Sources:")]
    assert "Natural Earth" in source_line and source_line.endswith(f"Live view: {LINK}")


def test_the_selected_corridor_is_drawn_and_named_in_the_legend(site: Site) -> None:
    rows = inventory.view_frame(site, ViewState(layers=("nord-stream-1", "eaeu")), None)
    fig = picture.draw(rows, site.data, site.catalogue, DAY, LINK, selected="nord-stream-1")
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert "Selected: Nord Stream 1" in legend


def legend_lines(fig: Figure) -> dict[str, Any]:
    """The picture's legend: each label and the line drawn beside it."""
    (ax,) = fig.axes
    legend = ax.get_legend()
    return dict(zip((t.get_text() for t in legend.get_texts()), legend.legend_handles, strict=True))


def test_a_damaged_line_is_dashed_as_on_the_map(site: Site) -> None:
    rows = inventory.view_frame(site, ViewState(layers=("nord-stream-1",)), None)
    fig = picture.draw(rows, site.data, site.catalogue, dt.date(2026, 12, 1), LINK)
    legend = legend_lines(fig)
    assert "damaged" in legend and legend["damaged"].get_linestyle() != "-"


def test_a_seasonal_line_is_dashed_and_named_in_the_legend(site: Site) -> None:
    rows = inventory.view_frame(site, ViewState(layers=("northern-sea-route",)), None)
    fig = picture.draw(rows, site.data, site.catalogue, dt.date(2026, 12, 1), LINK)
    legend = legend_lines(fig)
    assert "operational" not in legend
    assert legend["operational in season"].get_linestyle() != "-"


def test_lines_and_places_lie_on_the_maps_white_casing(site: Site) -> None:
    state = ViewState(layers=("nord-stream-1", "places"), route=("CNSHA", "NLRTM"))
    rows = inventory.view_frame(site, state, routes.compare("CNSHA", "NLRTM"))
    fig = picture.draw(rows, site.data, site.catalogue, DAY, LINK)
    (ax,) = fig.axes
    drawn = [c for c in ax.collections if c.get_zorder() in (3, 5, 6)]  # routes, lines, places
    assert len(drawn) >= 3
    for artist in drawn:
        casing, line = artist.get_path_effects()
        assert isinstance(casing, patheffects.Stroke) and isinstance(line, patheffects.Normal)
        assert casing._gc["foreground"] == registry.CASING_COLOUR


def test_blocs_are_drawn_as_the_map_draws_them_with_an_entry_for_countries_in_both(
    site: Site,
) -> None:
    eaeu, bri = ({b.id: b for b in registry.BLOCS}[x] for x in ("eaeu", "bri"))
    state = ViewState(layers=("eaeu", "bri"), date=DAY)
    fig = picture.draw(
        inventory.view_frame(site, state, None), site.data, site.catalogue, DAY, LINK
    )
    (ax,) = fig.axes
    legend = ax.get_legend()
    entries = [t.get_text() for t in legend.get_texts()]
    assert entries == ["EAEU members", "Belt and Road signatories",
                       "In both (every EAEU member is in the BRI too)"]  # fmt: skip
    # Outlines opaque in the bloc's colour, on their casings; tints at their opacity.
    outlines = {
        to_hex(c.get_edgecolor()[0]).upper(): c for c in ax.collections if c.get_linewidth()[0] > 0
    }
    for bloc in (eaeu, bri):
        assert bloc.cased and outlines[bloc.colour].get_edgecolor()[0][3] == 1.0
        casing, _ = outlines[bloc.colour].get_path_effects()
        assert casing._gc["foreground"] == registry.CASING_COLOUR
    tints = {
        to_hex(c.get_facecolor()[0]).upper(): c.get_facecolor()[0][3]
        for c in ax.collections
        if len(c.get_facecolor())
    }
    assert tints[eaeu.fill_colour] == eaeu.style["fillOpacity"]
    assert tints[bri.fill_colour] == bri.style["fillOpacity"]
    # Before Armenia's BRI memorandum took effect (January 2016), not every member was in both.
    early = dt.date(2015, 6, 1)
    state = ViewState(layers=("eaeu", "bri"), date=early)
    fig = picture.draw(
        inventory.view_frame(site, state, None), site.data, site.catalogue, early, LINK
    )
    entries = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert entries[-1] == "In both EAEU and BRI"
