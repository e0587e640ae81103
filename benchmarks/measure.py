"""What the benchmark measures on a served page: time to map, one click, pan and zoom in Chromium;
the map data's size and the bytes each view fetches; how far the drawn borders are from their
source at each zoom; and memory, load and a cache clear over websocket sessions (README.md)."""

from __future__ import annotations

import asyncio
import datetime as dt
import gzip
import json
import math
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from playwright.sync_api import Browser, Frame, Page

from benchmarks.clickmix import in_thread
from benchmarks.pages.naive_map import naive_map
from benchmarks.serve import REAL, Server, Variant, serve
from benchmarks.session import Session
from corridors import articles, briefing, intake, inventory, naturalearth, picture, registry, routes
from corridors.articles import ArticleStore
from corridors.borders import drawn_shapes, vertex_errors_km
from corridors.dataset import load_dataset
from corridors.layers import build_catalogue
from corridors.mapdata import display_shapes
from corridors.share import MAX_ZOOM, MIN_ZOOM, ViewState
from corridors.site import load_site
from harness.page import APP_READY, MAP_IFRAME, map_iframe
from harness.postgres import start_postgres

ROOT = Path(__file__).resolve().parent.parent
TOGGLE = "Nord Stream 1"
DATE_SLIDER = "Date: step through the changes"
# A cold page load on the 2-core machine may take far longer than a test allows.
LOAD_TIMEOUT_MS = 60_000


def wait_drawn(page: Page, variant: Variant) -> Frame:
    """The map's frame, once every one of ``variant``'s layers has a path in it."""
    frame = map_iframe(page, LOAD_TIMEOUT_MS)
    selectors = json.dumps([f"path.layer-{layer}" for layer in variant.drawn])
    frame.wait_for_function(
        f"() => {selectors}.every(s => document.querySelector(s))", timeout=LOAD_TIMEOUT_MS
    )
    return frame


def time_to_map(browser: Browser, server: Server, query: str = "") -> float:
    """Seconds from navigation to every default layer drawn, in a fresh browser context."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        page = context.new_page()
        started = time.perf_counter()
        page.goto(server.url + query)
        wait_drawn(page, server.variant)
        return time.perf_counter() - started
    finally:
        context.close()


# Where the page and the map's frame are in their loading, in ms from the page's navigation:
# the navigation entry's marks, and each resource's end (in the frame, shifted by its start).
_TIMINGS = """() => {
    const nav = performance.getEntriesByType('navigation')[0];
    return {origin: performance.timeOrigin, now: performance.now(),
            html: nav.responseEnd, loaded: nav.loadEventEnd,
            resources: performance.getEntriesByType('resource')
                .map(e => [e.name, e.startTime, e.responseEnd])};
}"""


def map_timings(browser: Browser, server: Server) -> dict[str, float]:
    """Where one time to map goes, in ms from navigation: the page's HTML and load, the
    server's script time for the session's first run, when the map's iframe started and
    loaded, when its scripts (Leaflet, the map's own) and its data had arrived, and when every
    default layer was drawn."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        page = context.new_page()
        runs_before = len(server.script_times())
        page.goto(server.url)
        frame = wait_drawn(page, server.variant)
        outer = page.evaluate(_TIMINGS)
        inner = frame.evaluate(_TIMINGS)
    finally:
        context.close()
    shift = inner["origin"] - outer["origin"]

    def arrived(*marks: str) -> float:
        ends = [end for name, _, end in inner["resources"] if any(m in name for m in marks)]
        return shift + max(ends) if ends else float("nan")

    return {
        "page_html_ms": outer["html"],
        "page_loaded_ms": outer["loaded"],
        "server_script_ms": sum(server.script_times()[runs_before:][:1]),
        "iframe_started_ms": shift,
        "iframe_loaded_ms": shift + inner["loaded"],
        "map_scripts_ms": arrived("leaflet.js", "/corridors/webmap"),
        "map_data_ms": arrived("/mapdata-"),
        "drawn_ms": outer["now"],
    }


def map_timings_median(browser: Browser, server: Server, runs: int) -> dict[str, float]:
    """`map_timings` ``runs`` times on a warm server, each mark's median."""
    rows = [map_timings(browser, server) for _ in range(runs)]
    return {key: statistics.median(r[key] for r in rows) for key in rows[0]}


# Where a page's main thread spends a load (Chromium's sampling profiler, self time), grouped by
# the script a sample's function comes from; first match wins, the rest is Streamlit's page.
THREAD_GROUPS: dict[str, tuple[str, ...]] = {
    "idle (waiting on the network or the server)": ("(idle)",),
    "the browser's own work (parsing, style, layout, paint)": ("(program)",),
    "garbage collection": ("(garbage collector)",),
    "the map (Leaflet, the map's script, streamlit-folium's frame)": (
        "leaflet.js", "/corridors/webmap", "streamlit_folium",
    ),
    "Streamlit's Markdown rendering": ("StreamlitMarkdown",),
}  # fmt: skip
OTHER_THREAD_GROUP = "Streamlit's page (its React elements and widgets)"


def main_thread(browser: Browser, server: Server, runs: int) -> dict[str, float]:
    """Median ms of a warm load's main-thread time (navigation to every default layer drawn)
    in each of `THREAD_GROUPS`, from Chromium's sampling profiler."""
    rows = []
    for _ in range(runs):
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        try:
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Profiler.enable")
            cdp.send("Profiler.setSamplingInterval", {"interval": 200})  # µs
            cdp.send("Profiler.start")
            page.goto(server.url)
            wait_drawn(page, server.variant)
            profile = cdp.send("Profiler.stop")["profile"]
        finally:
            context.close()
        nodes = {n["id"]: n["callFrame"] for n in profile["nodes"]}
        spent = dict.fromkeys([*THREAD_GROUPS, OTHER_THREAD_GROUP], 0.0)
        for node, micros in zip(profile["samples"], profile["timeDeltas"], strict=True):
            frame = nodes[node]
            where = frame["url"] or frame["functionName"]
            group = next((g for g, marks in THREAD_GROUPS.items()
                          if any(m in where for m in marks)), OTHER_THREAD_GROUP)  # fmt: skip
            spent[group] += micros / 1000
        rows.append(spent)
    return {group: statistics.median(r[group] for r in rows) for group in rows[0]}


def watch_reruns(page: Page) -> None:
    """Count the page's script runs from now on in ``window.benchReruns``."""
    page.evaluate(
        """() => {
            window.benchReruns = 0;
            const app = document.querySelector('[data-testid="stApp"]');
            // Count runs as they end: a fast run can start and end before the observer is
            // called, so the attribute's current value may never read "running".
            new MutationObserver((records) => {
                for (const r of records) if (r.oldValue === "running") window.benchReruns++;
            }).observe(app, {attributes: true, attributeOldValue: true,
                               attributeFilter: ["data-test-script-state"]});
        }"""
    )


def settle(page: Page, server: Server, quiet_s: float = 1.5, limit_s: float = 20) -> None:
    """Wait until no script has run for ``quiet_s`` (a benchmark may wait on time; tests poll)."""
    deadline = time.monotonic() + limit_s
    last = (len(server.script_times()), time.monotonic())
    while time.monotonic() < deadline:
        now = len(server.script_times())
        if now != last[0]:
            last = (now, time.monotonic())
        elif time.monotonic() - last[1] >= quiet_s:
            page.wait_for_selector(APP_READY, state="attached", timeout=30_000)
            return
        time.sleep(0.05)


def click(
    page: Page, server: Server, action: Callable[[], None], received: list[int]
) -> dict[str, Any]:
    """Script time, websocket bytes and iframe rebuild of one click."""
    settle(page, server)
    map_iframe(page, LOAD_TIMEOUT_MS).evaluate("() => { window.benchMarker = true; }")
    runs_before = len(server.script_times())
    received.clear()
    action()
    deadline = time.monotonic() + 30
    while len(server.script_times()) <= runs_before and time.monotonic() < deadline:
        time.sleep(0.01)
    settle(page, server)
    times = server.script_times()[runs_before:]
    rebuilt = not map_iframe(page, LOAD_TIMEOUT_MS).evaluate("() => window.benchMarker === true")
    return {"script_ms": sum(times), "reruns": len(times), "wire_bytes": sum(received),
            "iframe_rebuilt": rebuilt}  # fmt: skip


# Port pairs a reader compares; each is computed once before it is timed (a cached pair).
ROUTE_ORIGIN = "CNSHA"
ROUTE_DESTINATIONS = ("NLRTM", "DEHAM")


def route_picks(page: Page, server: Server, runs: int, received: list[int]) -> list[dict[str, Any]]:
    """Choose the destination port ``runs`` times, alternating between two cached pairs: what
    each pick costs (`click`), plus the bytes of the route lines file the map fetches."""
    lines: list[int] = []
    page.on(
        "response",
        lambda r: lines.append(len(r.body())) if "/routes/route-" in r.url and r.ok else None,
    )

    def pick(key: str, code: str) -> None:
        # As a reader does: type the UN/LOCODE into the picker and press Enter.
        field = page.locator(f".st-key-{key} input")
        field.click()
        field.fill(code)
        page.get_by_role("option").first.wait_for()
        field.press("Enter")

    pick("route-from", ROUTE_ORIGIN)
    for name in ROUTE_DESTINATIONS:  # computed once, and the lines file fetched once
        click(page, server, lambda name=name: pick("route-to", name), received)
    picks = []
    for i in range(runs):
        lines.clear()
        name = ROUTE_DESTINATIONS[i % 2]
        picks.append(click(page, server, lambda name=name: pick("route-to", name), received))
        picks[-1]["lines_bytes"] = sum(lines)
    page.locator(".st-key-route-clear button").click()
    return picks


TABLE_PANEL = "Everything on the map: table and downloads"


def table_clicks(
    page: Page, server: Server, runs: int, received: list[int]
) -> list[dict[str, Any]]:
    """Open the table's panel ``runs`` times (closing it between): what each opening costs
    (`click`)."""
    opens = []
    for _ in range(runs):
        opens.append(click(page, server, lambda: page.get_by_text(TABLE_PANEL).click(), received))
        click(page, server, lambda: page.get_by_text(TABLE_PANEL).click(), [])
    return opens


def takeaway(runs: int) -> dict[str, float]:
    """Building the table's rows and each download of a view with a route drawn (median ms,
    in this process, the data loaded once), and the briefing's size."""
    with tempfile.TemporaryDirectory(prefix="bench-takeaway-") as folder:
        site = load_site(Path(folder), dt.date.today())
        state = ViewState(layers=site.vocab.default_layers, route=("CNSHA", "NLRTM"))
        comparison = routes.compare("CNSHA", "NLRTM")
        day = site.vocab.day(state)
        link = "http://localhost/?route=CNSHA,NLRTM"
        rows = inventory.view_frame(site, state, comparison)
        builds: dict[str, Callable[[], object]] = {
            "rows": lambda: (
                inventory.FRAMES.clear(),
                inventory.view_frame(site, state, comparison),
            ),
            "geojson": lambda: inventory.geojson_bytes(rows),
            "csv": lambda: inventory.csv_bytes(rows),
            "png": lambda: picture.png(picture.draw(rows, site.data, site.catalogue, day, link)),
            "briefing": lambda: briefing.briefing(site, state, comparison, rows, link, day),
        }
        result: dict[str, float] = {}
        for name, build in builds.items():
            times = []
            for _ in range(runs):
                started = time.perf_counter()
                build()
                times.append((time.perf_counter() - started) * 1000)
            result[f"{name}_ms"] = statistics.median(times)
        result["briefing_mb"] = (
            len(briefing.briefing(site, state, comparison, rows, link, day)) / 1e6
        )
    return result


# A reader's article of 5,000 words: the seed article's paragraphs, numbered, over again.
ARTICLE_WORDS = 5_000
STORED_ARTICLES = 100


def _reader_text(number: int, paragraphs: list[str]) -> str:
    """A different 5,000-word article of ``paragraphs`` for each ``number``: what a reader
    pastes."""
    out, words = [f"Reader article {number}"], 0
    while words < ARTICLE_WORDS:
        text = f"({number}.{len(out)}) {paragraphs[len(out) % len(paragraphs)]}"
        out.append(text)
        words += len(text.split())
    return "\n\n".join(out)


def stored_articles(store_url: str, count: int) -> list[str]:
    """Link and store ``count`` different 5,000-word readers' articles in the store at
    ``store_url`` (SQLite or PostgreSQL); their ids, for ``?article=`` links."""
    with tempfile.TemporaryDirectory(prefix="bench-articles-") as folder:
        site = load_site(Path(folder), dt.date.today())
        corridors = site.data.corridors
        kinds = dict(zip(corridors["corridor"], corridors["kind"], strict=True))
        paragraphs = [p.text for p in site.data.articles[0].paragraphs]
        store = ArticleStore(store_url)
        ids = []
        for number in range(count):
            draft = intake.from_text(_reader_text(number, paragraphs))
            article = intake.link(draft, draft.title, "Benchmark Wire", dt.date(2026, 11, 12),
                                  None, site.data.gazetteer, kinds)  # fmt: skip
            ids.append(store.save(article))
    return ids


def reader_articles(browser: Browser, runs: int, sessions: int) -> dict[str, Any]:
    """Readers' articles: linking and storing a 5,000-word one (median ms, in this process, in
    SQLite and in a real PostgreSQL server); the time to map of an ``?article=`` link beside
    the seed article's on the same server, and a toggle on it, the stored article being the
    seed's own text (so the page draws as much, and only the store's part differs); and memory
    per session with ``STORED_ARTICLES`` 5,000-word articles stored, the sessions opening them
    in turn, every other one with a route compared (the routing network loaded)."""
    with tempfile.TemporaryDirectory(prefix="bench-articles-") as folder:
        site = load_site(Path(folder), dt.date.today())
        corridors = site.data.corridors
        kinds = dict(zip(corridors["corridor"], corridors["kind"], strict=True))

        seed = site.data.articles[0]
        texts = [_reader_text(n, [p.text for p in seed.paragraphs]) for n in range(STORED_ARTICLES)]

        def link_and_store(store: ArticleStore, number: int) -> str:
            draft = intake.from_text(texts[number])
            article = intake.link(draft, draft.title, "Benchmark Wire", dt.date(2026, 11, 12),
                                  None, site.data.gazetteer, kinds)  # fmt: skip
            return store.save(article)

        def timed(store: ArticleStore, first: int) -> float:
            times = []
            for number in range(first, first + runs):
                started = time.perf_counter()
                link_and_store(store, number)
                times.append((time.perf_counter() - started) * 1000)
            return statistics.median(times)

        sqlite = ArticleStore(f"sqlite:///{folder}/articles.sqlite3")
        result: dict[str, Any] = {"link_store_sqlite_ms": timed(sqlite, 0)}
        postgres = start_postgres()
        try:
            result["link_store_postgresql_ms"] = timed(ArticleStore(postgres.url), 0)
        finally:
            postgres.remove()
        ids = [link_and_store(sqlite, n) for n in range(runs, STORED_ARTICLES)]
        copy = intake.link(
            intake.from_text("\n\n".join(p.text for p in seed.paragraphs)), "A reader's copy",
            seed.meta.publisher, seed.meta.date, None, site.data.gazetteer, kinds,
        )  # fmt: skip
        sqlite.save(copy)
        with serve(REAL, env={articles.SETTING: sqlite.url}) as server:
            time_to_map(browser, server)  # warm the server up
            seeds, copies = [], []
            for _ in range(runs):
                seeds.append(time_to_map(browser, server))
                copies.append(time_to_map(browser, server, f"?article={copy.id}"))
            result["time_to_map_seed_s"] = statistics.median(seeds)
            result["time_to_map_article_s"] = statistics.median(copies)
            result["toggle"] = _toggles(browser, server, f"?article={copy.id}", runs)
        with serve(REAL, env={articles.SETTING: sqlite.url}) as server:
            # Every other session with a route compared, so the routing network is loaded too.
            links = [f"article={i}" + ("&route=CNSHA,NLRTM" if n % 2 else "")
                     for n, i in enumerate(ids)]  # fmt: skip
            result["memory"] = memory(server, sessions, links)
    return result


def _toggles(browser: Browser, server: Server, query: str, runs: int) -> dict[str, Any]:
    """A layer toggled ``runs`` times on the page opened at ``query``: median script time and
    bytes, and whether the map's frame was ever rebuilt."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        page = context.new_page()
        received: list[int] = []
        page.on("websocket", lambda ws: ws.on("framereceived", lambda p: received.append(len(p))))
        page.goto(server.url + query)
        wait_drawn(page, server.variant)
        toggle = page.get_by_role("checkbox", name=TOGGLE)
        clicks = [click(page, server, lambda: toggle.click(force=True), received)
                  for _ in range(runs)]  # fmt: skip
    finally:
        context.close()
    return {"script_ms": statistics.median(c["script_ms"] for c in clicks),
            "wire_kb": statistics.median(c["wire_bytes"] for c in clicks) / 1024,
            "iframe_rebuilt": any(c["iframe_rebuilt"] for c in clicks)}  # fmt: skip


def sea_routes(runs: int) -> dict[str, Any]:
    """The routing network's load time and memory, and a comparison cold and cached, in a
    Python process of their own (so the memory is the network's alone); and what a page with
    a route drawn adds over the wire: the lines file, beside the view's few hundred bytes."""
    script = f"""
import json, statistics, time
from corridors import routes, routeview, seanetwork

def rss_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024

pairs = {[list(p) for p in ROUTE_PAIRS]!r}
routes.ports()
before = rss_mb()
started = time.perf_counter()
seanetwork.network()
load_s = time.perf_counter() - started
network_mb = rss_mb() - before
cold, cached = [], []
for _ in range({runs}):
    routes._CACHE.clear()
    for a, b in pairs:
        started = time.perf_counter()
        routes.compare(a, b)
        cold.append(time.perf_counter() - started)
        started = time.perf_counter()
        routes.compare(b, a)  # the same pair: cached
        cached.append(time.perf_counter() - started)
lines = [len(routeview.map_document(routes.compare(a, b))) for a, b in pairs]
print(json.dumps({{"network_load_s": load_s, "network_mb": network_mb,
                  "cold_s": statistics.median(cold), "cold_max_s": max(cold),
                  "cached_ms": statistics.median(cached) * 1000,
                  "lines_kb": max(lines) / 1024}}))
"""
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT
    )
    result: dict[str, Any] = json.loads(out.stdout.splitlines()[-1])
    return result


# Port pairs of the published figures and the main trades: East Asia, Northern Europe, the Arctic.
ROUTE_PAIRS = (
    ("CNSHA", "NLRTM"),
    ("JPYOK", "DEHAM"),
    ("RUMMK", "JPYOK"),
    ("KRPUS", "BEANR"),
    ("SGSIN", "GBFXT"),
)


def view_of(frame: Frame) -> list[float]:
    """The map's centre and zoom as its script sees them."""
    view: list[float] = frame.evaluate(
        "() => { const m = window.corridorsMapInstance.map, c = m.getCenter();"
        " return [c.lat, c.lng, m.getZoom()]; }"
    )
    return view


def one_click(browser: Browser, server: Server, runs: int) -> dict[str, Any]:
    """Toggle a layer, select a corridor and (on the real page) change the date ``runs`` times
    each; pan and zoom once."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    received: list[int] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda p: received.append(len(p))))
    page.goto(server.url)
    wait_drawn(page, server.variant)
    toggles = []
    for _ in range(runs):
        toggles.append(click(page, server, lambda: page.get_by_role("checkbox", name=TOGGLE)
                             .click(force=True), received))  # fmt: skip
    selects = []
    for i in range(runs):
        corridor = ["Nord Stream 1", "Northern Sea Route"][i % 2]

        def choose(name: str = corridor) -> None:
            page.locator(".st-key-focus").click()
            page.get_by_role("option", name=name, exact=True).click()

        selects.append(click(page, server, choose, received))
    route_clicks = route_picks(page, server, runs, received) if server.variant is REAL else []
    table_opens = table_clicks(page, server, runs, received) if server.variant is REAL else []
    dates = []
    if server.variant is REAL:  # the naive build has no date control
        # Each step of the date slider back is a day not shown before in this session, so the
        # browser holds none of what changes (the timeline with its marker) from an earlier run.
        frame = map_iframe(page, LOAD_TIMEOUT_MS)
        slider = page.get_by_role("slider", name=DATE_SLIDER)
        for _ in range(runs):
            before = view_of(frame)
            dates.append(click(page, server, lambda: slider.press("ArrowLeft"), received))
            dates[-1]["view_kept"] = view_of(frame) == before
    settle(page, server)
    watch_reruns(page)
    box = page.locator(MAP_IFRAME).bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(10):
        page.mouse.move(x - 15 * step, y + 5 * step)
    page.mouse.up()
    settle(page, server)
    pan_reruns = page.evaluate("window.benchReruns")
    page.mouse.move(x, y)
    page.mouse.wheel(0, -400)
    settle(page, server)
    zoom_reruns = page.evaluate("window.benchReruns") - pan_reruns
    context.close()

    def median(rows: list[dict[str, Any]], key: str) -> float:
        return float(statistics.median(r[key] for r in rows))

    return {
        "toggle": {"script_ms": median(toggles, "script_ms"),
                   "wire_kb": median(toggles, "wire_bytes") / 1024,
                   "iframe_rebuilt": any(r["iframe_rebuilt"] for r in toggles)},
        "select": {"script_ms": median(selects, "script_ms"),
                   "wire_kb": median(selects, "wire_bytes") / 1024,
                   "iframe_rebuilt": any(r["iframe_rebuilt"] for r in selects)},
        "date": {"script_ms": median(dates, "script_ms"),
                 "wire_kb": median(dates, "wire_bytes") / 1024,
                 "iframe_rebuilt": any(r["iframe_rebuilt"] for r in dates),
                 "view_kept": all(r["view_kept"] for r in dates)} if dates else None,
        "route": {"script_ms": median(route_clicks, "script_ms"),
                  "wire_kb": median(route_clicks, "wire_bytes") / 1024,
                  "lines_kb": median(route_clicks, "lines_bytes") / 1024,
                  "iframe_rebuilt": any(r["iframe_rebuilt"] for r in route_clicks)}
        if route_clicks else None,
        "table": {"script_ms": median(table_opens, "script_ms"),
                  "wire_kb": median(table_opens, "wire_bytes") / 1024,
                  "iframe_rebuilt": any(r["iframe_rebuilt"] for r in table_opens)}
        if table_opens else None,
        "pan_reruns": pan_reruns,
        "zoom_reruns": zoom_reruns,
    }  # fmt: skip


def payload(variant: Variant) -> dict[str, float]:
    """Map data for the default view, raw and gzipped, in KB: the real page's data file, or the
    naive page's folium map as naive.py builds it, every layer shown and no corridor chosen."""
    today = dt.date.today()
    if variant is REAL:
        with tempfile.TemporaryDirectory(prefix="bench-payload-") as folder:
            data = load_site(Path(folder), today).map_data
    else:
        dataset = load_dataset()
        layers = build_catalogue(dataset.corridors).layers
        data = naive_map(dataset, layers, None, today).get_root().render().encode()
    return {"raw_kb": len(data) / 1024, "gzip_kb": len(gzip.compress(data)) / 1024}


async def _sessions(server: Server, queries: list[str]) -> list[Session]:
    return [await Session.open(server.url, query) for query in queries]


def memory(server: Server, sessions: int, queries: list[str] | None = None) -> dict[str, float]:
    """Server RSS idle, after one session, and per additional session (websocket sessions,
    opening the page, or each the link of one of ``queries``, in turn)."""
    links = [(queries or [""])[i % len(queries or [""])] for i in range(sessions)]

    async def measure() -> dict[str, float]:
        time.sleep(1.0)
        idle = server.rss_mb()
        first = await _sessions(server, links[:1])
        after_first = server.rss_mb()
        more = await _sessions(server, links[1:])
        await asyncio.sleep(1.0)
        after_all = server.rss_mb()
        for s in first + more:
            await s.close()
        return {"idle_mb": idle, "after_first_mb": after_first, "after_all_mb": after_all,
                "per_session_mb": (after_all - after_first) / (sessions - 1)}  # fmt: skip

    return in_thread(measure)


def first_view(server: Server) -> dict[str, float]:
    """What a new session's first view receives, in all and for the timeline chart (KB), and
    the same with a route compared (``route=CNSHA,NLRTM``: its panel and chart and the map's
    view of it; the lines file the map fetches is measured by `sea_routes`)."""

    async def measure() -> dict[str, float]:
        session = await Session.open(server.url)
        await session.close()
        routed = await Session.open(server.url, "route=CNSHA,NLRTM")
        await routed.close()
        return {"total_kb": session.bytes_received / 1024,
                "timeline_kb": session.element_bytes["vega_lite_chart"] / 1024,
                "with_route_kb": routed.bytes_received / 1024}  # fmt: skip

    return in_thread(measure)


def cache_clear(server: Server) -> dict[str, float]:
    """A session's load time before and after another client clears Streamlit's caches."""

    async def measure() -> dict[str, float]:
        started = time.perf_counter()
        warm = await Session.open(server.url)
        warm_s = time.perf_counter() - started
        await warm.clear_cache()
        await asyncio.sleep(0.5)
        started = time.perf_counter()
        after = await Session.open(server.url)
        after_s = time.perf_counter() - started
        await warm.close()
        await after.close()
        return {"load_s": warm_s, "load_after_clear_s": after_s}

    return in_thread(measure)


# Views a reader opens, by link: the first view, then closer ones that fetch border tiles.
BORDER_VIEWS = (
    ("world, the first view", ""),
    ("Central Asia, zoom 6", "center=41,70&zoom=6"),
    ("CKU railway, zoom 8", "center=40.6,74.4&zoom=8"),
    ("Moscow, zoom 10", "center=55.75,37.62&zoom=10"),
)


def border_bytes(browser: Browser, server: Server) -> dict[str, dict[str, float]]:
    """Per view, the map data and border tiles the page fetched: count, raw and wire KB."""
    out = {}
    for label, query in BORDER_VIEWS:
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        try:
            page = context.new_page()
            page.goto(f"{server.url}?basemap=none&{query}")
            frame = wait_drawn(page, server.variant)
            if "zoom=" in query and int(query.rsplit("=", 1)[1]) >= registry.DETAIL_ZOOM:
                frame.wait_for_selector("path.cm-detail", state="attached")
            fetched = frame.evaluate(
                """() => performance.getEntriesByType('resource')
                    .filter(e => /\\/(mapdata-|borders-)/.test(e.name))
                    .map(e => [e.name.includes('/borders-'), e.decodedBodySize,
                               e.encodedBodySize])"""
            )
        finally:
            context.close()
        tiles = [f for f in fetched if f[0]]
        out[label] = {
            "tiles": len(tiles),
            "tiles_raw_kb": sum(f[1] for f in tiles) / 1024,
            "total_raw_kb": sum(f[1] for f in fetched) / 1024,
            "total_wire_kb": sum(f[2] for f in fetched) / 1024,
        }
    return out


def border_error() -> dict[str, dict[str, Any]]:
    """Per zoom, how far the drawn borders are from Natural Earth 1:10m: km at the 50th, 90th and
    99th percentile of the source's vertices, and the 99th in pixels at 45° latitude."""
    dataset = load_dataset()
    reference = naturalearth.reference_shapes(
        naturalearth.DETAIL_SOURCE_FILE, naturalearth.AREAS_FILE
    )
    coarse = display_shapes(dataset)
    errors = {
        "1:50m, simplified for the world view": vertex_errors_km(
            {k: v for k, v in reference.items() if k in coarse}, coarse
        ),
    }
    if dataset.detail is not None:
        errors["1:10m tiles"] = vertex_errors_km(reference, drawn_shapes(dataset.detail))
    out = {}
    for zoom in range(MIN_ZOOM, MAX_ZOOM + 1):
        drawn = (
            "1:10m tiles"
            if zoom >= registry.DETAIL_ZOOM and len(errors) > 1
            else next(iter(errors))
        )
        p50, p90, p99 = np.percentile(errors[drawn], [50, 90, 99])
        km_per_px = 40_075.017 * math.cos(math.radians(45)) / (256 * 2**zoom)
        out[str(zoom)] = {
            "drawn": drawn,
            "p50_km": float(p50),
            "p90_km": float(p90),
            "p99_km": float(p99),
            "p99_px": float(p99 / km_per_px),
        }
    return out
