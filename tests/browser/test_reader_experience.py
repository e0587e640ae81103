"""The page as a reader meets it, in Chromium: a tooltip stays inside the map at every edge, a
click away from the corridors or Esc clears the selection, and *Show on map* keeps the reading
order and offers to clear the highlight."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from playwright.sync_api import Page

from harness.page import MAP_IFRAME, wait_for_app, wait_for_map
from harness.streamlit_server import StreamlitServer
from tests.pagecopy import app_copy

if TYPE_CHECKING:  # for the type checker only: pytest loads conftest itself, under its own name
    from conftest import MapFrame, OpenApp, StartStreamlit

APP = app_copy()
SELECTED = "() => window.corridorsMapInstance.state.selection.key"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(start_streamlit: StartStreamlit) -> StreamlitServer:
    return start_streamlit(APP)


# Open the Northern Sea Route's tooltip (a long one) with its anchor at a point of the map's
# frame: where Leaflet would put it, and where it is shown.
TOOLTIP_AT = """([x, y]) => {
  const cm = window.corridorsMapInstance;
  const target = cm.byCorridor["northern-sea-route"][0].target;
  target.openTooltip(cm.map.containerPointToLatLng([x, y]));
  const tip = document.querySelector(".leaflet-tooltip").getBoundingClientRect();
  const frame = cm.map.getContainer().getBoundingClientRect();
  target.closeTooltip();
  return {tip: [tip.left, tip.top, tip.right, tip.bottom],
          frame: [frame.left, frame.top, frame.right, frame.bottom]};
}"""


@pytest.mark.parametrize("viewport", [(1440, 900), (390, 844)], ids=["laptop", "phone"])
def test_a_tooltip_lies_inside_the_map_wherever_its_feature_is(
    server: StreamlitServer, page: Page, open_app: OpenApp, map_frame: MapFrame,
    viewport: tuple[int, int],
) -> None:  # fmt: skip
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    open_app(f"{server.url}?basemap=none")
    frame = map_frame(drawn="path.layer-northern-sea-route")
    size: dict[str, Any] = frame.evaluate("() => window.corridorsMapInstance.map.getSize()")
    w, h = size["x"], size["y"]
    corners = [(2, 2), (w - 2, 2), (2, h - 2), (w - 2, h - 2), (w // 2, 2), (w - 2, h // 2)]
    for point in corners:
        placed = frame.evaluate(TOOLTIP_AT, list(point))
        (left, top, right, bottom), (fl, ft, fr, fb) = placed["tip"], placed["frame"]
        assert fl <= left and ft <= top and right <= fr and bottom <= fb, (point, placed)


def test_a_click_away_from_the_corridors_and_esc_clear_the_selection(
    server: StreamlitServer, page: Page, open_app: OpenApp, map_frame: MapFrame
) -> None:
    open_app(f"{server.url}?basemap=none&focus=nord-stream-1")
    frame = map_frame(drawn="path.layer-selection")
    assert frame.evaluate(SELECTED) == "focus:nord-stream-1"
    # Open sea far from every corridor: the Indian Ocean south of India.
    frame.evaluate(
        """() => {
          const cm = window.corridorsMapInstance;
          cm.map.setView([-30, 80], 4, {animate: false});
        }"""
    )
    frame.locator(".leaflet-container").click(position={"x": 200, "y": 300})
    frame.wait_for_function(f"({SELECTED})() === ''")
    page.wait_for_function("!new URLSearchParams(location.search).get('focus')")

    page.locator(".st-key-show-p18 button").click()
    frame.wait_for_function(f"({SELECTED})() === 'excerpt:p18'")
    frame.locator(".leaflet-container").focus()
    page.keyboard.press("Escape")
    frame.wait_for_function(f"({SELECTED})() === ''")


EXCERPT_ORDER = """() => [...document.querySelectorAll('[class*="st-key-excerpt-p"]')]
    .map((e) => [...e.classList].find((c) => c.startsWith("st-key-excerpt-")).slice(15))"""


def test_show_on_map_keeps_the_reading_order_and_clears(
    server: StreamlitServer, page: Page, open_app: OpenApp, map_frame: MapFrame
) -> None:
    open_app(f"{server.url}?basemap=none")
    frame = map_frame(drawn="path.layer-bri")
    before = page.evaluate(EXCERPT_ORDER)
    page.locator(".st-key-show-p18 button").click()
    frame.wait_for_function(f"({SELECTED})() === 'excerpt:p18'")
    assert page.evaluate(EXCERPT_ORDER) == before  # nothing moved
    assert page.locator(".st-key-excerpt-p18").inner_text().startswith("Shown on the map")
    page.locator(".st-key-clear-p18 button").click()
    frame.wait_for_function(f"({SELECTED})() === ''")
    assert page.locator(".st-key-show-p18 button").is_visible()


LEGEND = """() => {
  const legend = document.querySelector(".cm-legend");
  const size = window.corridorsMapInstance.map.getSize();
  return {open: legend.querySelector("details").open, height: legend.offsetHeight,
          width: legend.offsetWidth, map: [size.x, size.y]};
}"""


@pytest.mark.parametrize(
    ("viewport", "query", "open_"),
    [((1440, 900), "layers=nord-stream-1,eaeu", True), ((390, 844), "", False)],
    ids=["laptop", "phone"],
)
def test_the_legend_is_open_where_there_is_room(
    server: StreamlitServer, page: Page, open_app: OpenApp, map_frame: MapFrame,
    viewport: tuple[int, int], query: str, open_: bool,
) -> None:  # fmt: skip
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    open_app(f"{server.url}?basemap=none&{query}")
    frame = map_frame(drawn="path.leaflet-interactive")
    frame.wait_for_selector(".cm-legend details", state="attached")
    legend = frame.evaluate(LEGEND)
    assert legend["open"] is open_, legend
    if legend["open"]:  # room: it leaves most of the map free
        assert (
            legend["height"] <= legend["map"][1] / 2 and legend["width"] <= legend["map"][0] * 0.45
        )


def test_a_highlighted_country_and_a_selected_corridor_are_told_apart(
    server: StreamlitServer, page: Page, open_app: OpenApp, map_frame: MapFrame
) -> None:
    # ¶18 names Nord Stream 1, China and Russia: the line gets the yellow band, the countries a
    # bold outline with no fill, so the band stays visible where it crosses them.
    open_app(f"{server.url}?basemap=none&excerpt=p18")
    frame = map_frame(drawn="path.layer-selection")
    marks = frame.evaluate(
        """() => [...document.querySelectorAll('path.layer-selection')].map((p) => ({
            fill: p.getAttribute('fill'), stroke: p.getAttribute('stroke')}))"""
    )
    bands = [m for m in marks if m["fill"] == "none" and m["stroke"] != "#000000"]
    outlines = [m for m in marks if m["fill"] == "none" and m["stroke"] == "#000000"]
    assert bands and len(outlines) >= 2 and len(bands) + len(outlines) == len(marks), marks
    assert {m["stroke"] for m in bands} == {"#F0E442"}
    legend = frame.locator(".cm-legend").text_content() or ""  # folded or open
    assert "Countries the paragraph names" in legend


def test_show_on_map_on_a_phone_brings_the_map_into_view(
    server: StreamlitServer, phone: Page
) -> None:
    wait_for_app(phone, f"{server.url}?basemap=none")
    frame = wait_for_map(phone, drawn="path.layer-bri")
    button = phone.locator(".st-key-show-p18 button")
    button.scroll_into_view_if_needed()  # the article is below the map on a phone
    in_view = f"""() => {{
        const box = document.querySelector('{MAP_IFRAME}').getBoundingClientRect();
        return Math.min(box.bottom, innerHeight) - Math.max(box.top, 0) >= box.height / 2;
    }}"""
    assert not phone.evaluate(in_view)
    button.tap()
    frame.wait_for_function(f"({SELECTED})() === 'excerpt:p18'")
    phone.wait_for_function(in_view, timeout=5000)
