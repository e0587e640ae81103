"""The blocs as Chromium draws them: each in its declared tint, opacity and outline (what
tests/test_contrast_fills.py measures), and the legend's entry for countries in both blocs,
shown with the stacked swatch only when both blocs are."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from playwright.sync_api import Frame, Page

from corridors import registry
from harness.streamlit_server import StreamlitServer
from tests.pagecopy import app_copy

if TYPE_CHECKING:  # for the type checker only: pytest loads conftest itself, under its own name
    from conftest import MapFrame, OpenApp, StartStreamlit

APP = app_copy()

pytestmark = pytest.mark.browser

# The computed style of the first path of each bloc layer.
DRAWN = """(ids) => Object.fromEntries(ids.map((id) => {
  const path = document.querySelector(`path.layer-${id}`);
  const style = getComputedStyle(path);
  return [id, {stroke: style.stroke, fill: style.fill, fillOpacity: Number(style.fillOpacity),
               width: parseFloat(style.strokeWidth), strokeOpacity: Number(style.strokeOpacity)}];
}))"""
# The legend's entry for countries in both blocs: its words and its swatch's rectangles.
BOTH = """() => [...document.querySelectorAll('.cm-legend li.cm-legend-both')].map((li) => ({
  text: li.textContent,
  rects: [...li.querySelectorAll('rect')].map((r) => [r.getAttribute('fill'),
    Number(r.getAttribute('fill-opacity')), r.getAttribute('stroke')]),
}))"""


@pytest.fixture(scope="module")
def server(start_streamlit: StartStreamlit) -> StreamlitServer:
    return start_streamlit(APP)


def _rgb(colour: str) -> str:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


def _both(frame: Frame) -> list[dict[str, Any]]:
    frame.wait_for_selector(".cm-legend li", state="attached")
    entries: list[dict[str, Any]] = frame.evaluate(BOTH)
    return entries


def test_each_bloc_is_drawn_in_its_declared_tint_and_outline(
    server: StreamlitServer, page: Page, open_app: OpenApp, map_frame: MapFrame
) -> None:
    open_app(f"{server.url}?basemap=none")
    frame = map_frame(drawn="path.layer-eaeu")
    blocs = {b.id: b for b in registry.BLOCS}
    drawn = frame.evaluate(DRAWN, list(blocs))
    for bloc_id, bloc in blocs.items():
        style = drawn[bloc_id]
        assert style["fill"] == _rgb(bloc.fill_colour), bloc_id
        assert style["fillOpacity"] == pytest.approx(float(bloc.style["fillOpacity"]))
        assert style["stroke"] == _rgb(bloc.colour) and style["strokeOpacity"] == 1, bloc_id
        assert style["width"] == pytest.approx(float(bloc.style["weight"]))


def test_countries_in_both_blocs_have_a_legend_entry_only_when_both_are_shown(
    server: StreamlitServer, page: Page, open_app: OpenApp, map_frame: MapFrame
) -> None:
    eaeu, bri = ({b.id: b for b in registry.BLOCS}[x] for x in ("eaeu", "bri"))
    open_app(f"{server.url}?basemap=none")
    frame = map_frame(drawn="path.layer-eaeu")
    (entry,) = _both(frame)
    # Every EAEU member is on GFDC's BRI list today (memberships.csv), so the words say so.
    assert entry["text"] == "In both (every EAEU member is in the BRI too)"
    # The swatch stacks the tints as the map does: the BRI's (lower pane) under the EAEU's.
    assert entry["rects"] == [
        [bri.fill_colour, float(bri.style["fillOpacity"]), bri.colour],
        [eaeu.fill_colour, float(eaeu.style["fillOpacity"]), eaeu.colour],
    ]

    # Before Armenia's BRI memorandum took effect (January 2016) not every member was in both.
    open_app(f"{server.url}?basemap=none&date=2015-06-01")
    frame = map_frame(drawn="path.layer-eaeu")
    assert [e["text"] for e in _both(frame)] == ["In both EAEU and BRI"]

    # One bloc shown: no entry.
    open_app(f"{server.url}?basemap=none&layers=nord-stream-1,bri")
    frame = map_frame(drawn="path.layer-bri")
    assert _both(frame) == []
