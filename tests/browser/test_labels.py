"""Names on the map, in Chromium: corridors and places carry labels where they fit, never two
over each other, over the map's controls or past its edges; a hidden layer, a date before a
corridor existed and a selection all show in which labels are drawn; and the labels are never
Tab stops or in the pointer's way."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from playwright.sync_api import Frame, Page

from corridors import registry
from corridors.share import MIN_ZOOM
from harness.page import wait_for_app, wait_for_map
from harness.streamlit_server import StreamlitServer
from tests.pagecopy import app_copy

if TYPE_CHECKING:  # for the type checker only: pytest loads conftest itself, under its own name
    from conftest import MapFrame, OpenApp, StartStreamlit

APP = app_copy()

pytestmark = pytest.mark.browser

# Every label shown, with its box, the map's and the boxes of the map's controls.
SHOWN = """() => {
  const map = window.corridorsMapInstance.map.getContainer();
  const box = (el) => {
    const b = el.getBoundingClientRect();
    return [b.left, b.top, b.right, b.bottom];
  };
  return {
    labels: [...map.querySelectorAll('.cm-label:not(.cm-label-hidden) span')].map((s) => ({
      text: s.textContent, layer: s.dataset.layer, corridor: s.dataset.corridor, box: box(s),
      pointer: getComputedStyle(s).pointerEvents})),
    frame: box(map),
    controls: [...map.querySelectorAll('.leaflet-control')].map(box)
      .filter(([left, top, right, bottom]) => right > left && bottom > top),
  };
}"""
# How many corridors and places have a point drawn inside the map's view.
IN_VIEW = """() => {
  const cm = window.corridorsMapInstance;
  const view = cm.map.getBounds();
  return cm.labels.filter((label) => label.parts.some(
    (part) => part.drawn.state && part.latlngs.some((p) => view.contains(p)))).length;
}"""
LABELLED = "() => document.querySelectorAll('.cm-label:not(.cm-label-hidden)').length > 0"
CORRIDORS = ("cku-railway", "northern-sea-route", "nord-stream-1", "power-of-siberia", "suez-canal")


@pytest.fixture(scope="module")
def server(start_streamlit: StartStreamlit) -> StreamlitServer:
    return start_streamlit(APP)


def _overlap(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def shown_labels(frame: Frame) -> list[dict[str, Any]]:
    """The labels shown, checked: inside the map, clear of each other and of the controls."""
    shown: dict[str, Any] = frame.evaluate(SHOWN)
    labels, (left, top, right, bottom) = shown["labels"], shown["frame"]
    for label in labels:
        x0, y0, x1, y1 = label["box"]
        assert left <= x0 and top <= y0 and x1 <= right and y1 <= bottom, label
        assert label["pointer"] == "none", label
        covered = [c for c in shown["controls"] if _overlap(label["box"], c)]
        assert not covered, (label, covered)
    pairs = [(a, b) for i, a in enumerate(labels) for b in labels[i + 1 :]]
    overlapping = [(a["text"], b["text"]) for a, b in pairs if _overlap(a["box"], b["box"])]
    assert not overlapping, overlapping
    return list(labels)


def move(frame: Frame, center: tuple[float, float], zoom: int) -> list[dict[str, Any]]:
    frame.evaluate(
        "([c, z]) => window.corridorsMapInstance.map.setView(c, z, {animate: false})",
        [list(center), zoom],
    )
    return shown_labels(frame)


def test_on_a_laptop_corridors_are_named_where_they_fit_and_no_label_covers_another(
    server: StreamlitServer, page: Page, open_app: OpenApp, map_frame: MapFrame
) -> None:
    page.set_viewport_size({"width": 1440, "height": 900})
    open_app(f"{server.url}?basemap=none")
    frame = map_frame(drawn="path.layer-bri")
    frame.wait_for_function(LABELLED)
    default = shown_labels(frame)
    assert {x["layer"] for x in default} & set(CORRIDORS), default
    # Closer in, more fit: East Asia at zoom 4 names Power of Siberia and places near it.
    closer = move(frame, (48.0, 125.0), 4)
    assert "Power of Siberia" in {x["text"] for x in closer}
    assert any(x["layer"] == "places" for x in closer) and len(closer) > len(default)
    # Names are text only, never Tab stops: the map is one.
    focusable = frame.evaluate(
        "() => [...document.querySelectorAll('.leaflet-cm-labels-pane *')]"
        ".filter((e) => e.tabIndex >= 0 || e.hasAttribute('tabindex')).length"
    )
    assert focusable == 0


def test_labels_follow_the_layers_the_date_and_the_selection(
    server: StreamlitServer, page: Page, open_app: OpenApp, map_frame: MapFrame
) -> None:
    page.set_viewport_size({"width": 1440, "height": 900})
    where = "center=50,110&zoom=3"
    open_app(f"{server.url}?basemap=none&{where}")
    frame = map_frame(drawn="path.layer-power-of-siberia")
    frame.wait_for_function(LABELLED)
    assert "power-of-siberia" in {x["corridor"] for x in shown_labels(frame)}

    others = ",".join(c for c in CORRIDORS if c != "power-of-siberia")
    open_app(f"{server.url}?basemap=none&{where}&layers={others},places")
    frame = map_frame(drawn="path.layer-northern-sea-route")
    frame.wait_for_function(LABELLED)
    assert "power-of-siberia" not in {x["layer"] for x in shown_labels(frame)}

    # Before its first dated status (2 Dec 2019) the pipeline is not drawn, so not named.
    open_app(f"{server.url}?basemap=none&{where}&date=2019-01-01")
    frame = map_frame(drawn="path.layer-northern-sea-route")
    frame.wait_for_function(LABELLED)
    assert "power-of-siberia" not in {x["corridor"] for x in shown_labels(frame)}

    # The selected corridor is named even where its line is shorter than its name.
    open_app(f"{server.url}?basemap=none&focus=nord-stream-1")
    frame = map_frame(drawn="path.layer-selection")
    # At zoom 2 its 1,200 km are some 50 px, shorter than its name.
    frame.evaluate("() => window.corridorsMapInstance.map.setZoom(2, {animate: false})")
    frame.wait_for_function("() => window.corridorsMapInstance.map.getZoom() === 2")
    named = {x["corridor"] for x in shown_labels(frame)}
    assert "nord-stream-1" in named
    frame.evaluate("() => window.corridorsMapInstance.select({select: ''})")
    frame.wait_for_function("() => !window.corridorsMapInstance.state.selection.key")
    assert "nord-stream-1" not in {x["corridor"] for x in shown_labels(frame)}


def test_on_a_phone_the_lowest_zoom_names_fewer_and_none_overlap(
    server: StreamlitServer, phone: Page
) -> None:
    wait_for_app(phone, f"{server.url}?basemap=none&zoom={MIN_ZOOM}")
    frame = wait_for_map(phone, drawn="path.layer-bri")
    frame.wait_for_function(LABELLED)
    lowest = shown_labels(frame)
    # Every corridor and place is in view, but only what fits is named: no place below the
    # zoom where the crossings stand apart.
    in_view = frame.evaluate(IN_VIEW)
    assert in_view == len(CORRIDORS) + 7
    assert 0 < len(lowest) < in_view, lowest
    assert not [x for x in lowest if x["layer"] == "places"]
    assert MIN_ZOOM < registry.PLACE_LABEL_ZOOM
    # Closer in, on the Amur, the crossings are named too.
    closer = move(frame, (48.0, 125.0), registry.PLACE_LABEL_ZOOM + 1)
    assert len([x for x in closer if x["layer"] == "places"]) >= 2, closer
