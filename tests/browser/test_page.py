"""The real page (app.py) under `streamlit run`, in Debian's Chromium.

What only a browser can show: the layers drawn (found by their ``layer-<id>`` class), a toggle
that removes and restores paths without moving the map or rebuilding its iframe, a share link
that restores the same view in a fresh browser, excerpts and clicks that focus a corridor,
panning that adds no history entries, and no request leaving localhost.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

import geopandas as gpd
import pytest
from matplotlib.image import imread
from playwright.sync_api import Browser, Frame, Page

from corridors import routes
from corridors.dataset import Dataset
from corridors.dates import format_day
from corridors.layers import build_catalogue
from harness.page import APP_READY, MAP_IFRAME, map_iframe
from harness.streamlit_server import StreamlitServer
from tests.browser.views import TABLE_PANEL, TIMELINE_PANEL, same_view, settled_link, view_of
from tests.pagecopy import app_copy

if TYPE_CHECKING:  # for the type checker only: pytest loads conftest itself, under its own name
    from conftest import ExternalRequests, MapFrame, OpenApp, StartStreamlit

# The page from a folder of its own, so what it publishes never lands in the checkout.
APP = app_copy()
# Every map the page draws has these once the data file has loaded and a view was applied.
DRAWN = "path.layer-bri"
TILE_HOSTS = {"a", "b", "c", "d"}  # {s}.basemaps.cartocdn.com, the default basemap's tiles

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(start_streamlit: StartStreamlit) -> StreamlitServer:
    return start_streamlit(APP)


def count(frame: Frame, css: str) -> int:
    return frame.locator(css).count()


def wait_count(frame: Frame, css: str, predicate: str) -> None:
    """Poll until the number of ``css`` matches satisfies ``predicate`` (a JS expression on n)."""
    frame.wait_for_function(
        f"(() => {{ const n = document.querySelectorAll({css!r}).length; return {predicate}; }})()"
    )


def drag_map(page: Page, dx: float, dy: float) -> None:
    """Pan the map with the mouse, as a reader does, and wait until it comes to rest (its
    inertia spent): a rerun arriving meanwhile writes the link with a centre still moving."""
    frame = map_iframe(page)
    frame.evaluate(
        "() => { window.cmMoved = false;"
        " window.corridorsMapInstance.map.once('moveend', () => { window.cmMoved = true; }); }"
    )
    box = page.locator(MAP_IFRAME).bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] * 0.4, box["y"] + box["height"] * 0.5
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 11):
        page.mouse.move(x + dx * step / 10, y + dy * step / 10)
    page.mouse.up()
    frame.wait_for_function("() => window.cmMoved")


def count_rerun_requests(frame: Frame) -> None:
    """Count, in ``window.componentValues``, the map's requests to rerun the script."""
    frame.evaluate(
        """() => {
            window.componentValues = 0;
            const send = window.Streamlit.setComponentValue;
            window.Streamlit.setComponentValue = function () {
                window.componentValues++;
                return send.apply(this, arguments);
            };
        }"""
    )


@contextlib.contextmanager
def fresh_browser(browser: Browser, link: str, drawn: str) -> Iterator[tuple[Page, Frame]]:
    """``link`` opened in a fresh browser context, as a colleague opens a shared link: its page
    and map frame, once ``drawn`` is in the map."""
    context = browser.new_context(viewport={"width": 1100, "height": 800})
    try:
        other = context.new_page()
        other.goto(link)
        other.wait_for_selector(APP_READY)
        frame = map_iframe(other)
        frame.wait_for_selector(drawn, state="attached")
        yield other, frame
    finally:
        context.close()


def link_params(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query, keep_blank_values=True)


def test_default_layers_are_drawn(
    dataset: Dataset,
    server: StreamlitServer,
    page: Page,
    open_app: OpenApp,
    map_frame: MapFrame,
    page_errors: list[str],
    external_requests: ExternalRequests,
) -> None:
    open_app(server.url)
    frame = map_frame(drawn=DRAWN)
    for layer in build_catalogue(dataset.corridors).ids:  # the default view shows every layer
        assert count(frame, f"path.layer-{layer}") > 0, layer
    # Every path Leaflet drew carries its layer's class.
    assert count(frame, ".leaflet-pane path:not([class*='layer-'])") == 0
    # One drawn path per segment, and an invisible wider one over it that takes the pointer.
    assert count(frame, "path.layer-cku-railway:not(.cm-hit)") == 4
    assert count(frame, "path.layer-cku-railway.cm-hit") == 4
    assert count(frame, "path.layer-places") == 7
    # Status is visible: the damaged pipeline is dashed, the operating canal is solid.
    assert frame.locator("path.layer-nord-stream-1:not(.cm-hit)").get_attribute("stroke-dasharray")
    suez = frame.locator("path.layer-suez-canal:not(.cm-hit)")
    assert suez.get_attribute("stroke-dasharray") is None
    legend = frame.locator(".cm-legend").text_content() or ""
    assert "Nord Stream 1" in legend and "damaged" in legend
    # Today needs no note on undated starts; the map says which day it shows.
    assert count(frame, ".cm-legend-undated") == 0
    assert frame.locator(".cm-date").inner_text().startswith("Today, ")
    assert page_errors == []
    # The only requests that leave are the tiles of the basemap the reader chose (the default).
    hosts = {urlsplit(u).hostname for u in external_requests.urls}
    assert hosts <= {f"{s}.basemaps.cartocdn.com" for s in TILE_HOSTS}, hosts


def test_without_tiles_nothing_leaves_localhost_and_land_is_drawn(
    server: StreamlitServer,
    open_app: OpenApp,
    map_frame: MapFrame,
    page_errors: list[str],
    external_requests: ExternalRequests,
) -> None:
    open_app(f"{server.url}?basemap=none")
    frame = map_frame(drawn="path.layer-land")
    assert count(frame, "path.layer-land") > 200
    assert count(frame, ".leaflet-tile") == 0
    assert page_errors == []
    assert external_requests.urls == []


def test_toggling_a_layer_keeps_the_view_and_the_iframe(
    server: StreamlitServer, page: Page, open_app: OpenApp, map_frame: MapFrame
) -> None:
    open_app(f"{server.url}?basemap=none&center=55,20&zoom=4")
    frame = map_frame(drawn="path.layer-nord-stream-1")
    history = page.evaluate("history.length")
    # The map can only rerun the script through setComponentValue: count its calls. (Counting
    # the page's running state cannot tell a pan's rerun apart, as two quick toggles may merge
    # into one run.)
    count_rerun_requests(frame)
    drag_map(page, -120, 60)
    page.wait_for_function("new URLSearchParams(location.search).get('center') !== '55,20'")
    before = view_of(frame)
    assert (round(before["lat"]), before["zoom"]) != (55, 4) or round(before["lng"]) != 20
    # Panning rewrites the address in place: no new history entries.
    assert page.evaluate("history.length") == history

    page.get_by_role("checkbox", name="Nord Stream 1").uncheck(force=True)
    wait_count(frame, "path.layer-nord-stream-1", "n === 0")  # drawn and hit paths both gone
    place = ("lat", "lng", "zoom", "instance")
    after = view_of(frame)
    # Same view, same script instance: the iframe was not rebuilt.
    assert [after[k] for k in place] == [before[k] for k in place]
    assert "nord-stream-1" not in link_params(page.url)["layers"][0].split(",")

    page.get_by_role("checkbox", name="Nord Stream 1").check(force=True)
    wait_count(frame, "path.layer-nord-stream-1", "n === 2")
    assert [view_of(frame)[k] for k in place] == [before[k] for k in place]
    assert page.evaluate("history.length") == history
    # Seconds after the pan, well past streamlit-folium's 250 ms debounce: no rerun asked for.
    assert frame.evaluate("window.componentValues") == 0


def test_a_shared_link_restores_the_view_in_a_fresh_browser(
    server: StreamlitServer, browser: Browser, page: Page, open_app: OpenApp, map_frame: MapFrame
) -> None:
    open_app(f"{server.url}?basemap=none")
    frame = map_frame(drawn=DRAWN)
    page.get_by_role("checkbox", name="Suez Canal").uncheck(force=True)
    page.get_by_text("De facto (who controls)").click()
    page.get_by_role("button", name="Article: 25 Apr 2024").click()
    frame.wait_for_function("window.corridorsMapInstance.day === '2024-04-25'")
    page.locator(".st-key-show-p20 button").click()
    wait_count(frame, "path.layer-selection", "n > 0")
    drag_map(page, 80, -40)

    frame.locator(".cm-share-toggle").click()
    assert frame.locator(".cm-share-link").is_visible()
    link, shared_view = settled_link(frame)
    page.wait_for_function(f"location.href === {link!r}")  # the address bar holds the same link
    params = link_params(link)
    assert "suez-canal" not in params["layers"][0].split(",")
    assert params["excerpt"] == ["p20"]
    assert params["basemap"] == ["none"]
    assert params["boundaries"] == ["de-facto"]
    assert params["date"] == ["2024-04-25"]

    with fresh_browser(browser, link, "path.layer-selection") as (other, other_frame):
        restored = view_of(other_frame)
        assert restored["instance"] != shared_view["instance"]
        assert same_view(restored, shared_view)
        assert other_frame.locator("path.layer-suez-canal").count() == 0
        assert other_frame.locator("path.layer-land").count() > 200
        assert other.get_by_role("checkbox", name="Suez Canal").is_checked() is False
        assert other.get_by_role("radio", name="De facto (who controls)").is_checked()
        assert other.locator(".st-key-date input").input_value() == "2024-04-25"
        sidebar = other.locator("section[data-testid=stSidebar]").inner_text()
        assert "as on 25 Apr 2024" in sidebar
        assert other.locator(".st-key-excerpt-p20").inner_text().startswith("Shown on the map")
        # Crimea is drawn with Russia's memberships in the de-facto view.
        crimea_in_eaeu = other_frame.evaluate(
            """() => window.corridorsMapInstance.placed.some(
                p => p.id === "crimea" && p.bloc === "eaeu" && p.group.hasLayer(p.shape)
                     && window.corridorsMapInstance.groups.eaeu.hasLayer(p.group))"""
        )
        assert crimea_in_eaeu


def test_selecting_an_excerpt_focuses_its_corridor(
    server: StreamlitServer, page: Page, open_app: OpenApp, map_frame: MapFrame
) -> None:
    open_app(f"{server.url}?basemap=none&center=30,100&zoom=2")
    frame = map_frame(drawn=DRAWN)
    page.locator(".st-key-show-p18 button").click()  # names Nord Stream 1, China and Russia
    # The pipeline and the two countries are highlighted; the map fits the pipeline.
    wait_count(frame, "path.layer-selection", "n === 3")
    frame.wait_for_function("window.corridorsMapInstance.map.getZoom() >= 4")
    inside = frame.evaluate(
        """() => {
            const cm = window.corridorsMapInstance;
            const line = cm.byCorridor["nord-stream-1"][0].shape;
            return cm.map.getBounds().contains(line.getBounds());
        }"""
    )
    assert inside
    assert link_params(page.url)["excerpt"] == ["p18"]


def hover_line(page: Page, frame: Frame, css: str, start: int = 1) -> tuple[float, float, str]:
    """Hover the line ``css`` as a reader does, at the first point on screen from ``start``
    fortieths along it; the page point hovered and the tooltip shown."""
    page.locator(MAP_IFRAME).scroll_into_view_if_needed()
    # A point on the drawn line itself (its bounding box centre is not), inside the visible
    # map and clear of its controls, in the iframe's coordinates.
    point = frame.evaluate(
        """([css, start]) => {
            const path = document.querySelector(css);
            const m = path.getScreenCTM();
            const w = window.innerWidth, h = window.innerHeight;
            for (let i = start; i < 40; i++) {
                const p = path.getPointAtLength(path.getTotalLength() * i / 40);
                const x = p.x * m.a + p.y * m.c + m.e, y = p.x * m.b + p.y * m.d + m.f;
                if (x > 60 && x < w - 60 && y > 80 && y < h - 80) return {x, y};
            }
            return null;
        }""",
        [css, start],
    )
    assert point, f"no part of {css} is on screen"
    box = page.locator(MAP_IFRAME).bounding_box()
    assert box is not None
    assert 0 < box["y"] + point["y"] < page.viewport_size["height"]  # type: ignore[index]
    x, y = box["x"] + point["x"], box["y"] + point["y"]
    page.mouse.move(x, y)
    tooltip = frame.locator(".leaflet-tooltip .cm-tip")
    tooltip.wait_for()
    return x, y, tooltip.inner_text()


def test_clicking_a_corridor_on_the_map_selects_it(
    server: StreamlitServer, page: Page, open_app: OpenApp, map_frame: MapFrame
) -> None:
    open_app(f"{server.url}?layers=nord-stream-1&basemap=none&center=56.5,20&zoom=5")
    frame = map_frame(drawn="path.layer-nord-stream-1")
    x, y, text = hover_line(page, frame, "path.layer-nord-stream-1.cm-hit")
    for expected in ("Nord Stream 1", "damaged since 26 Sep 2022", "1,224 km", "6 sources"):
        assert expected in text, text
    assert "Nord Stream AG" not in text  # the sources are the panel's, on a click
    count_rerun_requests(frame)
    page.mouse.click(x, y)
    page.wait_for_function("new URLSearchParams(location.search).get('focus') === 'nord-stream-1'")
    # The counter the toggle test relies on sees this one: one click, one request.
    assert frame.evaluate("window.componentValues") == 1
    wait_count(frame, "path.layer-selection", "n === 1")
    assert "Nord Stream 1" in page.locator(".st-key-corridor-panel").inner_text()


def test_closer_zooms_draw_the_detailed_borders_of_the_view_only(
    server: StreamlitServer, open_app: OpenApp, map_frame: MapFrame, page_errors: list[str]
) -> None:
    # The CKU railway at zoom 8, where the 1:50m borders miss it by kilometres.
    open_app(f"{server.url}?basemap=none&center=40.6,74.4&zoom=8")
    frame = map_frame(drawn="path.layer-land.cm-detail")
    fetched = frame.evaluate(
        """() => performance.getEntriesByType('resource').map(e => e.name)
            .filter(n => n.includes('/borders-')).map(n => n.split('/').pop()).sort()"""
    )
    # Only the two tiles the view covers (70–80°E, 30–50°N), not the 376 of the world.
    assert fetched == ["7_3.json", "7_4.json"]
    assert count(frame, "path.layer-land:not(.cm-detail)") == 0
    assert count(frame, "path.layer-eaeu.cm-detail") > 0
    # Zoomed out past the detail zoom, the 1:50m borders come back.
    for zoom in (7, 6, 5):
        frame.locator(".leaflet-control-zoom-out").click()
        frame.wait_for_function(
            f"document.querySelector('.cm-share-link').value.endsWith('zoom={zoom}')"
        )
    wait_count(frame, "path.layer-land.cm-detail", "n === 0")
    assert count(frame, "path.layer-land") > 200
    assert page_errors == []


def test_a_border_tile_that_fails_leaves_the_1_50m_borders_and_says_so(
    server: StreamlitServer, page: Page, open_app: OpenApp, map_frame: MapFrame
) -> None:
    page.route("**/borders-*/**", lambda route: route.abort())
    open_app(f"{server.url}?basemap=none&center=40.6,74.4&zoom=8")
    frame = map_frame(drawn="path.layer-land")
    notice = frame.locator(".cm-detail-status")
    notice.wait_for()
    assert "could not be loaded" in (notice.text_content() or "")
    assert count(frame, "path.cm-detail") == 0
    assert count(frame, "path.layer-land") > 200  # the whole world, at 1:50m
    # Once the tiles can be fetched again, the next move of the map brings them.
    page.unroute("**/borders-*/**")
    frame.locator(".leaflet-control-zoom-in").click()
    wait_count(frame, "path.layer-land.cm-detail", "n > 0")
    wait_count(frame, ".cm-detail-status", "n === 0")


def test_an_excerpt_fits_its_whole_countries_whatever_tiles_are_loaded(
    server: StreamlitServer, page: Page, open_app: OpenApp, map_frame: MapFrame
) -> None:
    # ¶5 names Russia and Ukraine: from zoom 7 over Crimea (a few detailed tiles loaded) the map
    # must fit the same two whole countries as from the world view.
    fitted = []
    for start in ("zoom=3", "center=45,34&zoom=7"):
        open_app(f"{server.url}?basemap=none&{start}")
        frame = map_frame(drawn="path.layer-land")
        page.locator(".st-key-show-p5 button").click()
        frame.wait_for_function("window.corridorsMapInstance.state.selection.key === 'excerpt:p5'")
        frame.wait_for_function("!window.corridorsMapInstance.map._animatingZoom")
        page.wait_for_timeout(500)  # the fit's pan animation
        fitted.append(
            frame.evaluate(
                """() => { const m = window.corridorsMapInstance.map;
                    return [m.getZoom(), m.getCenter().lat, m.getCenter().lng]; }"""
            )
        )
    assert fitted[0][0] == fitted[1][0] < 6
    assert abs(fitted[0][1] - fitted[1][1]) < 1 and abs(fitted[0][2] - fitted[1][2]) < 1


# --- The map on a chosen day ---------------------------------------------------------------------

NS1 = "path.layer-nord-stream-1:not(.cm-hit)"


@pytest.mark.parametrize(
    ("day", "status", "said", "dashed"),
    [
        ("2021-06-01", "operational", "operational since 8 Nov 2011", False),
        ("2023-01-01", "damaged", "damaged since 26 Sep 2022", True),
    ],
)
def test_a_dated_link_shows_nord_stream_1_as_it_was(
    server: StreamlitServer,
    page: Page,
    open_app: OpenApp,
    map_frame: MapFrame,
    day: str,
    status: str,
    said: str,
    dashed: bool,
) -> None:
    open_app(f"{server.url}?date={day}&focus=nord-stream-1&layers=nord-stream-1&basemap=none")
    frame = map_frame(drawn=f"{NS1}.status-{status}")
    assert bool(frame.locator(NS1).get_attribute("stroke-dasharray")) is dashed
    assert said in hover_line(page, frame, "path.layer-nord-stream-1.cm-hit")[2]
    assert said in page.locator(".st-key-corridor-panel").inner_text()
    legend = frame.locator(".cm-legend").text_content() or ""  # folded on a narrow map
    assert status in legend
    shown = frame.locator(".cm-date").inner_text()
    assert shown == f"As on {format_day(dt.date.fromisoformat(day))}"


def test_italy_is_drawn_a_bri_signatory_in_2020_and_not_in_2025(
    server: StreamlitServer, page: Page, open_app: OpenApp, map_frame: MapFrame
) -> None:
    drawn_at_rome = """() => {
        const cm = window.corridorsMapInstance;
        const p = cm.map.latLngToContainerPoint([41.9, 12.5]);
        const r = cm.map.getContainer().getBoundingClientRect();
        const hit = document.elementFromPoint(r.left + p.x, r.top + p.y);
        return hit ? String(hit.getAttribute("class")) : "";
    }"""
    open_app(f"{server.url}?date=2020-01-01&layers=bri&center=45,12&zoom=5")
    frame = map_frame(drawn=DRAWN)
    assert "layer-bri" in frame.evaluate(drawn_at_rome)
    open_app(f"{server.url}?date=2025-01-01&layers=bri&center=45,12&zoom=5")
    frame = map_frame(drawn=DRAWN)
    frame.wait_for_function("window.corridorsMapInstance.day === '2025-01-01'")
    assert "layer-bri" not in frame.evaluate(drawn_at_rome)
    # Hungary has signed since 2015 and never left: still drawn beside the gap.
    hungary = drawn_at_rome.replace("[41.9, 12.5]", "[47.2, 19.4]")
    assert "layer-bri" in frame.evaluate(hungary)


def test_a_feature_before_its_first_dated_status_is_not_drawn_and_the_legend_says_so(
    server: StreamlitServer, open_app: OpenApp, map_frame: MapFrame
) -> None:
    open_app(f"{server.url}?date=2015-06-01&basemap=none")
    frame = map_frame(drawn="path.layer-suez-canal")
    frame.wait_for_function("window.corridorsMapInstance.day === '2015-06-01'")
    assert count(frame, f"{NS1}.status-operational") == 1
    assert count(frame, "path.layer-power-of-siberia") == 0  # operating from 2 Dec 2019
    not_yet, undated = (n.text_content() or "" for n in frame.locator(".cm-legend-note").all())
    assert "Power of Siberia" in not_yet and "Nord Stream 1" not in not_yet
    # Drawn on any day, and said to be: no date for the start of their status in the data.
    assert "Northern Sea Route" in undated and "Nord Stream 1" not in undated
    assert frame.locator(".cm-date").inner_text() == "As on 1 Jun 2015"


def test_picking_a_timeline_event_sets_the_date_and_marks_it(
    server: StreamlitServer, page: Page, open_app: OpenApp, map_frame: MapFrame
) -> None:
    open_app(f"{server.url}?basemap=none")
    frame = map_frame(drawn=f"{NS1}.status-damaged")
    page.get_by_text(TIMELINE_PANEL).click()
    event = page.locator('[aria-label^="Nord Stream 1: operational"]')
    event.scroll_into_view_if_needed()
    event.click(force=True)
    page.wait_for_function("new URLSearchParams(location.search).get('date') === '2011-11-08'")
    wait_count(frame, f"{NS1}.status-operational", "n === 1")
    assert page.locator(".st-key-date input").input_value() == "2011-11-08"
    # The chart marks the chosen day.
    marker = page.locator(".stVegaLiteChart text", has_text="8 Nov 2011")
    marker.first.wait_for()
    # The same event again, after the date moved elsewhere, picks it again.
    page.get_by_role("button", name="Today").click()
    wait_count(frame, f"{NS1}.status-damaged", "n === 1")
    event = page.locator('[aria-label^="Nord Stream 1: operational"]')
    event.click(force=True)
    wait_count(frame, f"{NS1}.status-operational", "n === 1")


ROUTE_IDS = ("suez", "cape", "nsr")


def pick_port(page: Page, key: str, typed: str) -> None:
    """Type ``typed`` into a port picker and press Enter, as a reader does."""
    field = page.locator(f".st-key-{key} input")
    field.scroll_into_view_if_needed()
    field.click()
    field.fill(typed)
    page.get_by_role("option").first.wait_for()
    page.keyboard.press("Enter")


def test_a_route_link_draws_the_three_routes_fitted_with_their_figures(
    server: StreamlitServer,
    page: Page,
    open_app: OpenApp,
    map_frame: MapFrame,
    page_errors: list[str],
) -> None:
    open_app(f"{server.url}?route=CNSHA,NLRTM&basemap=none")
    frame = map_frame(drawn="path.layer-route-nsr")
    for route_id in ROUTE_IDS:
        assert count(frame, f"path.layer-route-{route_id}:not(.cm-hit)") >= 1, route_id
        assert count(frame, f"path.layer-route-{route_id}.cm-hit") >= 1, route_id
    # The view fits the routes, Shanghai to Rotterdam round the Cape and through the Arctic.
    frame.wait_for_function(
        """() => { const cm = window.corridorsMapInstance;
                   return cm.map.getBounds().pad(0.01).contains(cm.routes.getBounds()); }"""
    )
    comparison = routes.compare("CNSHA", "NLRTM")
    nsr, suez = comparison.computed("nsr"), comparison.computed("suez")
    assert nsr is not None and suez is not None
    # Half way, off Africa: the Cape route's own waters.
    _, _, tip = hover_line(page, frame, "path.layer-route-cape:not(.cm-hit)", start=20)
    cape = comparison.computed("cape")
    assert cape is not None and "Via the Cape of Good Hope" in tip
    assert f"≈ {round(cape.nm, -1):,.0f} nm ({round(cape.km, -1):,.0f} km)" in tip
    assert f"{cape.days(14):.1f} at 14 knots" in tip
    # The routes lie under the corridors: along the NSR's track the corridor answers, with its
    # own record, and the route's band shows on both sides of it.
    page.mouse.move(1, 1)
    frame.locator(".leaflet-tooltip").wait_for(state="detached")
    _, _, tip = hover_line(page, frame, "path.layer-northern-sea-route:not(.cm-hit)")
    assert tip.startswith("Northern Sea Route") and "Via the" not in tip
    assert nsr.nm > 0
    legend = frame.locator(".cm-legend-routes").text_content() or ""
    assert "Sea routes, Shanghai → Rotterdam" in legend and "Via the Cape of Good Hope" in legend
    panel = page.locator(".st-key-route-panel")
    panel.scroll_into_view_if_needed()
    text = panel.inner_text()
    assert f"≈ {round(suez.nm, -1):,.0f} nm" in text and "Published figures" in text
    assert panel.locator("[data-testid=stVegaLiteChart]").count() == 1
    assert page_errors == []


def test_ports_typed_in_the_panel_draw_their_routes_and_the_link_restores_them(
    server: StreamlitServer, browser: Browser, page: Page, open_app: OpenApp, map_frame: MapFrame
) -> None:
    open_app(f"{server.url}?basemap=none")
    frame = map_frame(drawn=DRAWN)
    pick_port(page, "route-from", "murmansk")  # by name, any case
    pick_port(page, "route-to", "jpyok")  # by UN/LOCODE
    page.wait_for_function("new URLSearchParams(location.search).get('route') === 'RUMMK,JPYOK'")
    wait_count(frame, "path.layer-route-nsr:not(.cm-hit)", "n > 0")
    speed = page.locator(".st-key-speed input")
    speed.fill("20")
    speed.press("Enter")
    page.wait_for_function("new URLSearchParams(location.search).get('speed') === '20'")
    link = page.url

    with fresh_browser(browser, link, "path.layer-route-nsr") as (other, _):
        picked = other.locator(".st-key-route-from input").input_value()
        assert picked == "Murmansk, Russia (RUMMK)"
        assert other.locator(".st-key-speed input").input_value() == "20.00"
        assert "Murmansk, Russia (RUMMK) → Yokohama, Japan (JPYOK) at 20 knots" in (
            other.locator(".st-key-route-panel").inner_text()
        )

    # A name no port has: said beside the picker, which keeps the port it had.
    pick_port(page, "route-to", "Atlantis")
    notice = page.locator("section[data-testid=stSidebar] [data-testid=stAlert]")
    notice.wait_for()
    assert notice.inner_text().startswith("To port: No port has the name 'Atlantis'")
    assert page.locator(".st-key-route-to input").input_value() == "Yokohama, Japan (JPYOK)"
    assert link_params(page.url)["route"] == ["RUMMK,JPYOK"]
    page.locator(".st-key-route-clear button").click()
    wait_count(frame, "path[class*='layer-route-']", "n === 0")


def test_the_table_lists_the_view_selects_a_corridor_and_downloads_it(
    dataset: Dataset,
    server: StreamlitServer,
    page: Page,
    open_app: OpenApp,
    map_frame: MapFrame,
    tmp_path: Path,
) -> None:
    open_app(f"{server.url}?basemap=none&layers=nord-stream-1,suez-canal,eaeu")
    frame = map_frame(drawn="path.layer-suez-canal")
    page.get_by_text(TABLE_PANEL).click()
    grid = page.locator("[data-testid=stDataFrame]")
    grid.wait_for()
    grid.scroll_into_view_if_needed()
    # The grid's accessible table, which a screen reader reads, once drawn.
    rows_css = "[data-testid=stDataFrame] table tr"
    page.wait_for_function(f"document.querySelectorAll({rows_css!r}).length > 3")
    texts = page.locator(rows_css).all_inner_texts()[1:4]
    assert texts[0].startswith("Nord Stream 1pipeline")
    assert texts[1].startswith("Suez Canalcanal") and texts[2].startswith("Armenia")
    # The second row's selection box (the grid draws on a canvas: rows of 35 px under a header).
    box = grid.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 35 + 17)
    page.wait_for_function("new URLSearchParams(location.search).get('focus') === 'suez-canal'")
    wait_count(frame, "path.layer-selection", "n > 0")

    with page.expect_download() as download:
        page.get_by_role("button", name="GeoJSON").click()
    assert download.value.suggested_filename.endswith(".geojson")
    target = tmp_path / "view.geojson"
    download.value.save_as(target)
    rows = gpd.read_file(target)
    assert list(rows["name"][:2]) == ["Nord Stream 1", "Suez Canal"]
    assert set(rows["kind"]) == {"pipeline", "canal", "member country"}
    assert rows["source_url"].str.startswith("https://").all()

    with page.expect_download() as download:
        page.get_by_role("button", name="Picture (PNG)").click()
    picture = tmp_path / "view.png"
    download.value.save_as(picture)
    assert imread(picture).shape[1] >= 2000


LAYER_CLASSES = """() => [...new Set([...document.querySelectorAll('path')]
    .flatMap(p => [...p.classList]).filter(c => c.startsWith('layer-')))].sort()"""


def test_the_briefing_opens_offline_and_draws_what_the_live_page_draws(
    server: StreamlitServer,
    browser: Browser,
    page: Page,
    open_app: OpenApp,
    map_frame: MapFrame,
    tmp_path: Path,
) -> None:
    open_app(f"{server.url}?basemap=none&focus=nord-stream-1&route=CNSHA,NLRTM")
    frame = map_frame(drawn="path.layer-route-nsr")
    wait_count(frame, "path.layer-selection", "n > 0")
    live = frame.evaluate(LAYER_CLASSES)
    page.get_by_text(TABLE_PANEL).click()
    # Pressed once the panel's rerun has ended, as a reader would after seeing the table (a
    # press during that rerun once went unanswered in CI).
    page.get_by_role("button", name="Briefing (HTML)").wait_for()
    page.wait_for_selector(APP_READY)
    with page.expect_download() as download:
        page.get_by_role("button", name="Briefing (HTML)").click()
    target = tmp_path / "briefing.html"
    download.value.save_as(target)
    assert target.stat().st_size <= 2_000_000

    # As an email attachment on a laptop with the network off.
    offline = browser.new_context(offline=True, viewport={"width": 1280, "height": 900})
    try:
        other = offline.new_page()
        requests: list[str] = []
        errors: list[str] = []
        other.on("request", lambda r: requests.append(r.url))
        other.on("pageerror", lambda e: errors.append(str(e)))
        other.goto(target.as_uri())
        other.wait_for_selector("path.layer-route-nsr", state="attached")
        other.wait_for_selector("path.layer-selection", state="attached")
        assert other.evaluate(LAYER_CLASSES) == live
        assert requests == [target.as_uri()] and errors == []
        # Read on a later day, the map says which day it shows, not "Today".
        assert other.locator(".cm-date").inner_text().startswith("As on ")
        back = link_params(other.locator(".cm-share-link").input_value())
        assert back["focus"] == ["nord-stream-1"] and back["route"] == ["CNSHA,NLRTM"]
    finally:
        offline.close()
