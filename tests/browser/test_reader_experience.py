"""The page as a reader meets it, in Chromium: a tooltip stays inside the map at every edge, a
click away from the corridors or Esc clears the selection, and *Show on map* keeps the reading
order and offers to clear the highlight."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from playwright.sync_api import Frame, Page

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


def on_laptop(page: Page, open_app: OpenApp, map_frame: MapFrame, url: str, drawn: str) -> Frame:
    """``url`` opened on a 1440 x 900 laptop screen, once ``drawn`` is on the map."""
    page.set_viewport_size({"width": 1440, "height": 900})
    open_app(url)
    return map_frame(drawn=drawn)


# Open the Northern Sea Route's tooltip (a long one) with its anchor at a point of the map's
# frame: where Leaflet would put it, and where it is shown.
TOOLTIP_AT = """([x, y]) => {
  const cm = window.corridorsMapInstance;
  const target = cm.byCorridor["northern-sea-route"][0].target;
  target.openTooltip(cm.map.containerPointToLatLng([x, y]));
  const tip = document.querySelector(".leaflet-tooltip").getBoundingClientRect();
  const frame = cm.map.getContainer().getBoundingClientRect();
  const controls = [...document.querySelectorAll(".leaflet-top .leaflet-control")]
    .map((c) => c.getBoundingClientRect())
    .filter((c) => c.right <= tip.left || tip.right <= c.left
                   || c.bottom <= tip.top || tip.bottom <= c.top ? false : true).length;
  target.closeTooltip();
  return {tip: [tip.left, tip.top, tip.right, tip.bottom],
          frame: [frame.left, frame.top, frame.right, frame.bottom], underControls: controls};
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
        assert placed["underControls"] == 0, (point, placed)  # zoom, share and date stay clear


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
    page.get_by_role("button", name="Clear the highlight").click()
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
    # Its top, with the zoom and share controls, below the header that lies over the page.
    phone.wait_for_timeout(1000)  # the smooth scroll at rest
    header = phone.locator("[data-testid=stHeader]").bounding_box()
    box = phone.evaluate(MAP_BOX)
    assert header is not None and box["top"] >= header["y"] + header["height"] - 1, (box, header)


def test_by_keyboard_a_corridor_is_chosen_and_shown_on_the_map_in_25_presses(
    server: StreamlitServer, page: Page, open_app: OpenApp, map_frame: MapFrame
) -> None:
    frame = on_laptop(page, open_app, map_frame, server.url, "path.layer-bri")
    pressed = 0

    def press(key: str) -> None:
        nonlocal pressed
        page.keyboard.press(key)
        pressed += 1
        page.wait_for_timeout(40)  # as a reader presses keys: each focus change settles

    # Streamlit's "Skip to main content", then the Corridor list, typed into and chosen.
    for key in ("Tab", "Enter", "Tab", "n", "o", "r", "t", "Enter"):
        press(key)
    frame.wait_for_function(f"({SELECTED})() === 'focus:northern-sea-route'")
    page.wait_for_selector("[class*=st-key-show-p] button")
    while page.evaluate("() => document.activeElement.innerText") != "Show on map":
        assert pressed < 25, "Show on map not reached"
        press("Tab")
    first = page.locator("[class*=st-key-show-p]").first.get_attribute("class") or ""
    press("Enter")
    paragraph = next(c for c in first.split() if c.startswith("st-key-show-"))[12:]
    frame.wait_for_function(f"({SELECTED})() === 'excerpt:{paragraph}'")
    assert pressed <= 25
    # The focus stays on the button, relabelled, not lost to the top of the page.
    page.wait_for_function("() => document.activeElement.innerText === 'Clear the highlight'")


MAP_BOX = f"() => document.querySelector('{MAP_IFRAME}').getBoundingClientRect().toJSON()"
SCROLLED = "() => document.querySelector('[data-testid=stMain]').scrollTop"


def test_the_wheel_scrolls_the_page_until_the_map_is_clicked(
    server: StreamlitServer, page: Page, open_app: OpenApp, map_frame: MapFrame
) -> None:
    frame = on_laptop(page, open_app, map_frame, f"{server.url}?basemap=none", "path.layer-bri")
    zoom = "() => window.corridorsMapInstance.map.getZoom()"
    before = frame.evaluate(zoom)
    box = page.evaluate(MAP_BOX)
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.wheel(0, 400)
    page.wait_for_function(f"({SCROLLED})() > 100", timeout=5000)
    assert frame.evaluate(zoom) == before
    # Clicked, the map takes the wheel: it zooms and the page stays.
    box = page.evaluate(MAP_BOX)
    page.mouse.click(box["x"] + 40, box["y"] + box["height"] - 60)  # open sea, no corridor
    scrolled = page.evaluate(SCROLLED)
    page.mouse.wheel(0, -400)
    frame.wait_for_function(f"({zoom})() > {before}", timeout=5000)
    assert page.evaluate(SCROLLED) == scrolled


def test_on_a_laptop_the_map_stays_in_view_while_the_article_scrolls_beside_it(
    server: StreamlitServer, page: Page, open_app: OpenApp, map_frame: MapFrame
) -> None:
    url = f"{server.url}?basemap=none&focus=northern-sea-route"
    on_laptop(page, open_app, map_frame, url, "path.layer-selection")
    title = page.get_by_role("heading", name="Eurasian corridors in the news").bounding_box()
    assert title is not None and title["y"] < 90  # no empty band above the title
    heading = page.get_by_role("heading", name="What the article says about Northern Sea Route")
    assert heading.bounding_box()["y"] > 900  # type: ignore[index]  # below the fold at first
    page.locator("[data-testid=stMain]").evaluate("(main) => main.scrollBy(0, 700)")
    page.wait_for_function(f"({SCROLLED})() >= 700")
    # The whole map is still in view.
    page.wait_for_function(f"(({MAP_BOX})()).y >= 0 && (({MAP_BOX})()).bottom <= 900")
    assert 0 <= heading.bounding_box()["y"] < 900  # type: ignore[index]
    # One scroll: nothing in the article's column scrolls on its own.
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('[data-testid=stColumn]:last-child *')]
            .filter((e) => ['auto', 'scroll'].includes(getComputedStyle(e).overflowY)
                           && e.scrollHeight > e.clientHeight + 1).length"""
    )
    assert boxes == 0


def test_on_a_phone_the_map_is_shorter_than_the_screen_and_fills_its_frame(
    server: StreamlitServer, phone: Page
) -> None:
    wait_for_app(phone, f"{server.url}?basemap=none")
    frame = wait_for_map(phone, drawn="path.layer-bri")
    # The page's stylesheet may land just after the map's first draw.
    phone.wait_for_function(f"(({MAP_BOX})()).height <= 0.6 * 844", timeout=5000)
    box = phone.evaluate(MAP_BOX)
    inner = frame.evaluate("() => window.corridorsMapInstance.map.getSize().y")
    assert abs(inner - box["height"]) <= 1


def test_a_click_on_a_country_shows_its_memberships_with_sources_beside_the_map(
    server: StreamlitServer, page: Page, open_app: OpenApp, map_frame: MapFrame
) -> None:
    frame = on_laptop(page, open_app, map_frame, f"{server.url}?basemap=none", "path.layer-bri")
    # Central Kazakhstan, away from every corridor and place.
    x, y = frame.evaluate(
        """() => { const p = window.corridorsMapInstance.map.latLngToContainerPoint([48, 67]);
                   return [p.x, p.y]; }"""
    )
    box = page.evaluate(MAP_BOX)
    page.mouse.click(box["x"] + x, box["y"] + y)
    frame.wait_for_function(f"({SELECTED})() === 'country:KAZ'")
    page.get_by_role("heading", name="What the article says about Kazakhstan").wait_for()
    panel = page.locator(".st-key-country-panel")
    assert "EAEU: member since 1 Jan 2015" in panel.inner_text()
    hrefs = panel.locator("a").evaluate_all("(links) => links.map((a) => a.href)")
    assert any("greenfdc.org" in h for h in hrefs) and any("commonspace.eu" in h for h in hrefs)
    assert "Selected country" in (frame.locator(".cm-legend").text_content() or "")
    assert frame.locator("path.layer-selection").count() >= 1  # outlined on the map
    assert "country=KAZ" in page.url  # the link opens it


DIMMED = """() => [...document.querySelectorAll("path[class*='layer-']:not(.cm-hit)")]
    .filter((p) => !/layer-(casing-)?(eaeu|bri|land|selection)\\b/.test(p.getAttribute("class")))
    .map((p) => [p.getAttribute("class").match(/layer-(casing-)?([a-z0-9-]+)/)[2],
                 Number(getComputedStyle(p).opacity)])"""


def test_while_a_corridor_is_selected_the_others_are_dimmed(
    server: StreamlitServer, page: Page, open_app: OpenApp, map_frame: MapFrame
) -> None:
    open_app(f"{server.url}?basemap=none&focus=nord-stream-1")
    frame = map_frame(drawn="path.layer-selection")
    drawn = frame.evaluate(DIMMED)
    assert {layer for layer, _ in drawn} >= {"nord-stream-1", "power-of-siberia", "places"}
    for layer, opacity in drawn:
        assert opacity == (1 if layer == "nord-stream-1" else pytest.approx(0.3)), layer
    frame.locator(".leaflet-container").focus()
    page.keyboard.press("Escape")
    frame.wait_for_function(f"({SELECTED})() === ''")
    assert all(opacity == 1 for _, opacity in frame.evaluate(DIMMED))


def test_on_a_phone_the_attribution_leaves_the_scale_bar_clear(
    server: StreamlitServer, phone: Page
) -> None:
    # Terrain's attribution is the longest: on a 390 px screen it ran over the scale bar.
    wait_for_app(phone, f"{server.url}?basemap=terrain")
    frame = wait_for_map(phone, drawn="path.layer-bri")
    boxes = frame.evaluate(
        """() => [".leaflet-control-attribution", ".leaflet-control-scale"].map((s) =>
            document.querySelector(s).getBoundingClientRect().toJSON())"""
    )
    attribution, scale = boxes
    assert "OpenTopoMap" in (frame.locator(".leaflet-control-attribution").text_content() or "")
    assert attribution["left"] >= scale["right"] or attribution["bottom"] <= scale["top"], boxes
