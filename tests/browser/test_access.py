"""Accessibility of the real page in Chromium: an axe-core scan (the npm registry's package,
installed by ``make setup-dev``) of the default view, a focused view with a sea route, and the
table, the map's frame included; a keyboard-only walk through every control; and a phone,
where one finger scrolls the page past the map."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from playwright.sync_api import Page

from harness.page import MAP_IFRAME, wait_for_app, wait_for_map
from harness.streamlit_server import StreamlitServer
from tests.browser.views import TABLE_PANEL, TIMELINE_PANEL
from tests.contrast import contrast
from tests.pagecopy import app_copy

if TYPE_CHECKING:  # for the type checker only: pytest loads conftest itself, under its own name
    from conftest import MapFrame, OpenApp, StartStreamlit

APP = app_copy()
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.1 A and AA, and axe's best practices.
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(start_streamlit: StartStreamlit) -> StreamlitServer:
    return start_streamlit(APP)


def axe_scan(page: Page) -> dict[str, Any]:
    """axe-core's results for the page and every frame in it (the map's too)."""
    assert AXE.is_file(), f"{AXE} is missing: run `make setup-dev` (npm ci)"
    for frame in page.frames:
        frame.add_script_tag(path=str(AXE))
    results: dict[str, Any] = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", RULES
    )
    return results


@pytest.mark.parametrize(
    ("query", "drawn", "table"),
    [
        ("", "path.layer-bri", False),
        ("focus=nord-stream-1&route=CNSHA,NLRTM", "path.layer-route-nsr", False),
        ("layers=nord-stream-1,eaeu&date=2021-06-01", "path.layer-eaeu", True),
    ],
    ids=["default view", "focused view with a route", "table"],
)
def test_axe_finds_no_serious_or_critical_violation(
    server: StreamlitServer,
    page: Page,
    open_app: OpenApp,
    map_frame: MapFrame,
    query: str,
    drawn: str,
    table: bool,
) -> None:
    open_app(f"{server.url}?{query}")
    map_frame(drawn=drawn)
    if table:
        page.get_by_text(TABLE_PANEL).click()
        page.locator("[data-testid=stDataFrame]").wait_for()
    results = axe_scan(page)
    found = [
        f"{v['impact']} {v['id']}: {v['help']} ({len(v['nodes'])}: {v['nodes'][0]['target']})"
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert found == []
    # The map's frame was scanned too: its nodes carry the frame in their target.
    framed = [n for v in results["passes"] for n in v["nodes"] if len(n["target"]) > 1]
    assert framed


FOCUSED = """() => {
  let element = document.activeElement, doc = document;
  if (element && element.tagName === "IFRAME") {
    doc = element.contentDocument;
    element = doc.activeElement;
  }
  if (!element) return null;
  // Its text as a screen reader takes it: without what is hidden from one (an icon's name).
  const spoken = (node) => {
    const copy = node.cloneNode(true);
    copy.querySelectorAll("[aria-hidden=true]").forEach((hidden) => hidden.remove());
    return copy.textContent.replace(/\\s+/g, " ").trim();
  };
  const label = element.getAttribute("aria-label")
    || (element.labels && element.labels[0] && element.labels[0].innerText)
    || spoken(element) || "";
  const style = doc.defaultView.getComputedStyle(element);
  return {
    name: label.split("\\n")[0].trim(),
    inMap: doc !== document,
    ring: style.outlineStyle !== "none" || style.boxShadow !== "none",
  };
}"""


def test_a_keyboard_reaches_every_control_and_tab_goes_round_without_a_trap(
    server: StreamlitServer, page: Page, open_app: OpenApp, map_frame: MapFrame
) -> None:
    open_app(f"{server.url}?route=CNSHA,NLRTM")
    frame = map_frame(drawn="path.layer-route-nsr")
    # Everything drawn and still: the route panel's chart renders after the map.
    frame.wait_for_selector(".cm-legend-routes", state="attached")
    page.locator("[data-testid=stVegaLiteChart]").last.wait_for()
    page.wait_for_timeout(1000)
    stops: list[dict[str, Any]] = []
    for _ in range(200):
        page.keyboard.press("Tab")
        page.wait_for_timeout(20)  # as a reader presses keys: each focus change settles
        stop = page.evaluate(FOCUSED)
        if stops and stop and stop["name"] == stops[0]["name"]:
            break  # round: the first stop again
        stops.append(stop)
    else:
        pytest.fail(f"Tab did not come round in 200 presses: {[s and s['name'] for s in stops]}")
    names = [s["name"] for s in stops if s]
    for control in (
        "Date: step through the changes", "Today", "Article: 25 Apr 2024", "Nord Stream 1",
        "Belt and Road signatories", "Corridor or place", "From port", "To port", "Speed, knots",
        "Swap ports", "Clear route", "UN-recognised", "Zoom in", "Share this view", "Legend",
        TIMELINE_PANEL, TABLE_PANEL, "Show on map", "Bring your own article",
    ):  # fmt: skip
        assert control in names, control
    # The map is a handful of stops (its frame, zoom, share, legend, attribution links), not
    # one per country: the first "Show on map" comes within 80 presses.
    in_map = [s for s in stops if s and s["inMap"]]
    assert len(in_map) <= 10, [s["name"] for s in in_map]
    assert names.index("Show on map") < 80
    # What the map's own script and Leaflet put in the tab order shows a focus ring.
    assert all(s["ring"] for s in in_map)


def swipe(page: Page, x: float, y: float, dy: float, steps: int = 12) -> None:
    """One finger drawn up (``dy`` < 0) across the screen, as raw touch events."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for i in range(1, steps + 1):
        point = {"x": x, "y": y + dy * i / steps}
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [point]})
        page.wait_for_timeout(16)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


def test_on_a_phone_one_finger_scrolls_past_the_map_and_its_controls_work(
    server: StreamlitServer, phone: Page
) -> None:
    wait_for_app(phone, f"{server.url}?basemap=none")
    frame = wait_for_map(phone, drawn="path.layer-bri")
    # The page's stylesheet may land just after the map's first draw, and the map fits its
    # view again to the shorter frame: the view is read once that is done.
    phone.wait_for_function(
        f"document.querySelector({MAP_IFRAME!r}).getBoundingClientRect().height <= 0.6 * 844",
        timeout=5000,
    )
    frame.wait_for_function(
        "Math.abs(corridorsMapInstance.map.getSize().y - window.innerHeight) <= 1", timeout=5000
    )
    centre = "() => { const c = corridorsMapInstance.map.getCenter(); return [c.lat, c.lng]; }"
    # ... and once the view holds still between two looks 300 ms apart (a fit may pan).
    frame.wait_for_function(
        f"() => {{ const k = String(({centre})()); const held = window.lastCentre === k;"
        " window.lastCentre = k; return held; }",
        polling=300, timeout=5000,
    )  # fmt: skip
    before = frame.evaluate(centre)
    main = phone.locator("[data-testid=stMain]")
    box = phone.locator(MAP_IFRAME).bounding_box()
    assert box is not None and box["y"] + 320 < 844
    swipe(phone, 195, box["y"] + 300, -300)
    phone.wait_for_function(
        "document.querySelector('[data-testid=stMain]').scrollTop >= 200", timeout=5000
    )
    assert frame.evaluate(centre) == before  # the map stayed put
    assert main.evaluate("m => m.scrollTop") >= 200
    # The share control and the legend answer a tap, once the phone has come to rest.
    phone.wait_for_timeout(1000)
    frame.locator(".cm-share-toggle").tap()
    frame.locator(".cm-share-link").wait_for(state="visible", timeout=5000)
    frame.locator(".cm-legend summary").tap()
    frame.locator(".cm-legend ul").first.wait_for(state="visible", timeout=5000)


CASED = """() => {
  const style = (p) => getComputedStyle(p);
  const layer = (p) => [...p.classList].find((c) => c.startsWith("layer-"));
  const under = (casing, line) => {
    const panes = [casing, line].map((p) => Number(style(p.closest(".leaflet-pane")).zIndex));
    return panes[0] < panes[1]
      || (panes[0] === panes[1]
        && !!(casing.compareDocumentPosition(line) & Node.DOCUMENT_POSITION_FOLLOWING));
  };
  const casings = [...document.querySelectorAll("path.cm-casing")];
  return [...document.querySelectorAll("path[class*='layer-']:not(.cm-hit):not(.cm-casing)")]
    .filter((p) => !p.closest(".leaflet-cm-land-pane, .leaflet-cm-halo-pane")
      && !/layer-(eaeu|bri|land|selection)\\b/.test(p.getAttribute("class")))
    .map((line) => {
      const casing = casings.find((c) => c.getAttribute("d") === line.getAttribute("d"));
      return {
        layer: layer(line),
        stroke: style(line).stroke,
        width: parseFloat(style(line).strokeWidth),
        opacity: Number(style(line).strokeOpacity) * Number(style(line).opacity),
        casing: casing && {
          layer: layer(casing),
          stroke: style(casing).stroke,
          width: parseFloat(style(casing).strokeWidth),
          opacity: Number(style(casing).strokeOpacity),
          dashed: style(casing).strokeDasharray !== "none",
          under: under(casing, line),
        },
      };
    });
}"""


def _hex(rgb: str) -> str:
    """Chromium's computed "rgb(r, g, b)" as #RRGGBB."""
    return "#" + "".join(f"{int(c):02X}" for c in rgb[4:-1].split(","))


def test_on_terrain_every_line_route_and_place_lies_on_a_casing_it_stands_out_from(
    server: StreamlitServer, open_app: OpenApp, map_frame: MapFrame
) -> None:
    # Terrain's relief runs from dark green to white snow: no colour stands out from all of it,
    # so each line, band and place is drawn on an opaque white casing (WCAG 2.1, 1.4.11).
    open_app(f"{server.url}?basemap=terrain&route=CNSHA,NLRTM&date=2023-01-01")
    frame = map_frame(drawn="path.layer-route-nsr")
    drawn = frame.evaluate(CASED)
    layers = {d["layer"] for d in drawn}
    assert {"layer-cku-railway", "layer-nord-stream-1", "layer-places", "layer-route-nsr"} <= layers
    for line in drawn:
        casing = line["casing"]
        assert casing, f"{line['layer']} has no casing"
        assert casing["layer"] == line["layer"].replace("layer-", "layer-casing-")
        assert casing["under"] and not casing["dashed"] and casing["opacity"] == 1
        assert casing["width"] >= line["width"] + 3
        assert line["opacity"] == 1  # a faded line would be a lighter colour
        assert contrast(_hex(line["stroke"]), _hex(casing["stroke"])) >= 3.0, line
    # The EAEU's members are told by their outline: each outline lies on its casing too.
    outlines = frame.evaluate(
        """() => ['path.layer-eaeu', 'path.layer-casing-eaeu'].map((css) => {
            const paths = [...document.querySelectorAll(css)];
            const pane = paths.length && getComputedStyle(paths[0].closest('.leaflet-pane'));
            return {d: paths.map((p) => p.getAttribute('d')).sort(), z: Number(pane.zIndex),
                    stroke: paths.length && getComputedStyle(paths[0]).stroke};
        })"""
    )
    eaeu, cased = outlines
    assert len(eaeu["d"]) >= 5 and eaeu["d"] == cased["d"] and cased["z"] < eaeu["z"]
    assert contrast(_hex(eaeu["stroke"]), _hex(cased["stroke"])) >= 3.0


def test_a_keyboard_chooses_a_corridor_in_the_table(
    server: StreamlitServer, page: Page, open_app: OpenApp, map_frame: MapFrame
) -> None:
    open_app(f"{server.url}?basemap=none&layers=nord-stream-1,suez-canal,eaeu")
    frame = map_frame(drawn="path.layer-suez-canal")
    page.get_by_text(TABLE_PANEL).click()
    page.locator("[data-testid=stDataFrame]").wait_for()
    in_grid = "() => document.activeElement.matches('[data-testid=stDataFrame] canvas')"
    for _ in range(20):  # past the grid's toolbar to its cells
        page.keyboard.press("Tab")
        if page.evaluate(in_grid):
            break
    else:
        pytest.fail("Tab never reached the table's cells")
    # The grid's cursor starts on the first row (Nord Stream 1); the next is the Suez Canal,
    # and Shift+Space chooses a row, as the caption says.
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Shift+Space")
    page.wait_for_function("new URLSearchParams(location.search).get('focus') === 'suez-canal'")
    frame.wait_for_selector("path.layer-selection", state="attached")
    caption = page.get_by_text("Choose a corridor's row").inner_text()
    assert "Shift+Space" in caption
