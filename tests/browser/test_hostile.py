"""Hostile text in the data and in links: no dialog, no injected script, text shown as written.

The page runs on a copy of geodata/ with the corpus of tests/hostile.py in every field a reader
sees (article, names, notes, sources, memberships, countries, disputed areas, layer names), and
is opened with the corpus in every link parameter. A check that cannot fail proves nothing, so
the same checks are first run against unsafe_app.py, which renders the corpus unescaped.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

import pytest
from playwright.sync_api import Dialog, Frame, Page

from corridors import intake
from corridors.articles import SETTING, ArticleStore
from corridors.dataset import GEODATA, Dataset
from corridors.escape import visible_text
from corridors.share import PARAMETERS
from harness.streamlit_server import StreamlitServer
from tests.hostile import CORPUS, LONG, TRICKY_URL, hostile_geodata
from tests.pagecopy import app_copy

if TYPE_CHECKING:
    from conftest import ExternalRequests, MapFrame, OpenApp, StartStreamlit

# The page from a folder of its own, so what it publishes never lands in the checkout.
APP = app_copy()
UNSAFE = Path(__file__).with_name("unsafe_app.py")
LAYERS = ("cku-railway", "northern-sea-route", "nord-stream-1", "places", "eaeu", "bri")

pytestmark = pytest.mark.browser


class Escapes:
    """What injected text did, if anything: dialogs it opened and marks it pushed."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.dialogs: list[str] = []

        def dismiss(dialog: Dialog) -> None:
            self.dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", dismiss)

    def marks(self) -> list[object]:
        """Every number pushed onto ``pw`` in the page or any of its frames, once each."""
        found: set[object] = set()
        for frame in self.page.frames:
            found.update(frame.evaluate("() => window.pw || []"))
        return sorted(found, key=str)

    def found(self) -> list[object]:
        return [*self.dialogs, *self.marks()]


def unsafe_links(frame: Page | Frame) -> list[str]:
    """Links whose target is not http(s) or an in-page anchor."""
    hrefs: list[str] = frame.evaluate(
        "() => [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))"
    )
    return [h for h in hrefs if not re.match(r"https?://|#|/|\.\./|\?", h)]


def squash(text: str) -> str:
    """Text as a renderer lays it out: visible characters, runs of spaces as one."""
    return re.sub(r"\s+", " ", visible_text(text)).strip()


def test_the_checks_catch_an_unescaped_page(
    start_streamlit: StartStreamlit, page: Page, open_app: OpenApp, map_frame: MapFrame,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:  # fmt: skip
    folder = tmp_path_factory.mktemp("unsafe")
    server = start_streamlit(Path(shutil.copy(UNSAFE, folder)))
    escapes = Escapes(page)
    open_app(server.url)
    map_frame(drawn="path.leaflet-interactive")
    # Both paths are reported: the raw HTML's <script> (2) and the map's tooltip template (6).
    page.wait_for_function("() => [2, 6].every(n => (window.pw || []).includes(n))")
    assert sorted(escapes.found()) == [2, 6]


@pytest.fixture(scope="module")
def hostile(
    start_streamlit: StartStreamlit, tmp_path_factory: pytest.TempPathFactory
) -> StreamlitServer:
    root = hostile_geodata(GEODATA, tmp_path_factory.mktemp("hostile") / "geodata")
    return start_streamlit(APP, env={"CORRIDORS_GEODATA": str(root)})


def open_every_tooltip(frame: Frame) -> str:
    """Open every tooltip on the map at once; the text they show."""
    text: str = frame.evaluate(
        """() => {
            const cm = window.corridorsMapInstance;
            for (const group of Object.values(cm.groups)) {
                cm.map.addLayer(group);
                group.eachLayer(l => {
                    if (!l.getTooltip()) return;
                    l.getTooltip().options.permanent = true;
                    l.openTooltip();
                });
            }
            const tips = [...document.querySelectorAll(".leaflet-tooltip")];
            return tips.map(t => t.innerText).join("\\n");
        }"""
    )
    return text


def test_hostile_data_is_shown_literally_and_runs_nothing(
    hostile: StreamlitServer,
    page: Page,
    open_app: OpenApp,
    map_frame: MapFrame,
    external_requests: ExternalRequests,
    page_errors: list[str],
) -> None:
    escapes = Escapes(page)
    # At zoom 4 every country is drawn (from zoom 6 only those of the tiles in view are).
    open_app(f"{hostile.url}?basemap=none&focus=cku-railway&excerpt=p2&zoom=4")
    frame = map_frame(drawn="path.layer-bri")
    for layer in LAYERS:
        assert frame.locator(f"path.layer-{layer}").count() > 0, layer
    tooltips = open_every_tooltip(frame)
    page.locator(".st-key-corridor-panel details summary").click()  # sources and notes
    panel = squash(page.locator(".st-key-corridor-panel").inner_text())
    page.locator(".st-key-clear-focus button").click()  # back to the whole article
    page.locator(".st-key-show-p6 button").click()
    frame.wait_for_function("window.corridorsMapInstance.state.selection.key === 'excerpt:p6'")
    # A name only the detailed borders carry (Gibraltar's), in its tooltip at zoom 10.
    # (Set again until it holds: the excerpt's fit may still be moving the map.)
    frame.wait_for_function(
        """() => {
            const cm = window.corridorsMapInstance;
            if (cm.map.getZoom() !== 10 || cm.map.getCenter().distanceTo([36.14, -5.35]) > 1000) {
                cm.map.setView([36.14, -5.35], 10, { animate: false });
                return false;
            }
            return (cm.detailDrawn.GIB || []).length > 0;
        }"""
    )
    gibraltar = frame.evaluate(
        """() => {
            const shape = window.corridorsMapInstance.detailDrawn.GIB[0];
            shape.openTooltip(shape.getBounds().getCenter());
            return shape.getTooltip().getElement().innerText;  // its own, of all those open
        }"""
    )
    assert squash(CORPUS[7]) in squash(gibraltar)

    assert escapes.found() == []
    assert unsafe_links(page) == [] and unsafe_links(frame) == []
    assert external_requests.urls == []  # the Markdown image did not load
    assert page_errors == []

    shown = squash(page.locator('[data-testid="stMain"]').inner_text()) + " " + panel
    sidebar = squash(page.locator('[data-testid="stSidebar"]').inner_text())
    for text in CORPUS:
        if "\n" in text:  # Markdown structure: shown as one line of literal text
            continue
        assert squash(text) in shown, text
    assert squash(LONG)[:200] in shown
    assert squash(f"{CORPUS[0]} [0]") in sidebar  # a layer name
    legend = squash(frame.locator(".cm-legend").text_content() or "")
    assert squash(f"{CORPUS[1]} [1]") in legend
    # Names, statuses and published figures in the hover; their sources, CORPUS[13] among
    # them, are the panel's (shown literally there, above).
    for text in (CORPUS[0], CORPUS[3], CORPUS[5]):
        assert squash(text) in squash(tooltips), text
    assert squash(CORPUS[13]) not in squash(tooltips)
    assert "\u202e" not in tooltips and "\x00" not in tooltips  # nothing to reorder or hide text


@pytest.mark.parametrize("offset", range(0, len(CORPUS), len(PARAMETERS)))
def test_hostile_links_open_the_default_view_and_run_nothing(
    server_for_links: StreamlitServer,
    page: Page,
    open_app: OpenApp,
    map_frame: MapFrame,
    external_requests: ExternalRequests,
    offset: int,
) -> None:
    escapes = Escapes(page)
    params = [
        f"{key}={quote(CORPUS[(offset + i) % len(CORPUS)], safe='')}"
        for i, key in enumerate(PARAMETERS)
    ]
    params.append(f"{quote(CORPUS[offset], safe='')}=1")  # a hostile key too
    open_app(f"{server_for_links.url}?{'&'.join(params)}")
    frame = map_frame(drawn="path.layer-bri")
    notice = page.locator('[data-testid="stAlert"]').first.inner_text()
    assert notice.startswith("This link was partly understood")
    assert escapes.found() == []
    assert unsafe_links(page) == [] and unsafe_links(frame) == []
    # The hostile basemap is ignored, so the default one's tiles are the only requests out.
    hosts = {urlsplit(u).hostname or "" for u in external_requests.urls}
    assert all(h.endswith(".basemaps.cartocdn.com") for h in hosts), hosts
    assert "Traceback" not in page.content()


@pytest.fixture(scope="module")
def server_for_links(start_streamlit: StartStreamlit) -> StreamlitServer:
    return start_streamlit(APP)


@pytest.mark.parametrize(
    ("query", "notice"),
    [
        ("layers=%2563ku-railway", 'Ignored unknown layer "%63ku-railway"'),  # encoded twice
        ("layers=cku-railway%00", 'Ignored unknown layer "cku-railway\ufffd"'),  # NUL shown as �
        ("focus=%E2%80%AEcku-railway", 'Ignored unknown corridor "\ufffdcku-railway"'),
        ("zoom=%FF%FE", "Ignored zoom"),  # not UTF-8
        ("center=%&%%%=1", "Ignored unknown parameter"),  # malformed escapes
        ("layers=" + "cku-railway," * 60, "items (the limit is 50)"),
        ("excerpt=" + "p1" * 30_000, "60,000 characters long"),  # 60 KB: the server's limit
    ],
    ids=["double", "nul", "bidi", "not-utf8", "malformed", "many-items", "60kb"],
)
def test_raw_link_tricks_open_a_valid_view_with_a_notice(
    server_for_links: StreamlitServer,
    page: Page,
    open_app: OpenApp,
    map_frame: MapFrame,
    query: str,
    notice: str,
) -> None:
    escapes = Escapes(page)
    open_app(f"{server_for_links.url}?basemap=none&{query}")
    map_frame(drawn="path.layer-bri")
    alert = page.locator('[data-testid="stAlert"]').first.inner_text()
    assert notice in alert, alert
    assert escapes.found() == []
    assert "Traceback" not in page.content()


def test_a_stored_article_of_hostile_text_runs_nothing_for_the_next_reader(
    start_streamlit: StartStreamlit,
    page: Page,
    open_app: OpenApp,
    map_frame: MapFrame,
    dataset: Dataset,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    # One reader stores an article with the corpus in its title, publisher and every
    # paragraph; another opens its link.
    url = f"sqlite:///{tmp_path_factory.mktemp('stored') / 'articles.sqlite3'}"
    kinds = dict(zip(dataset.corridors["corridor"], dataset.corridors["kind"], strict=True))
    body = "\n\n".join(f"The Northern Sea Route {i}: {text}" for i, text in enumerate(CORPUS))
    article = intake.link(
        intake.from_text(f"Title\n\n{body}"), CORPUS[0], CORPUS[1], dt.date(2024, 5, 2),
        TRICKY_URL, dataset.gazetteer, kinds,
    )  # fmt: skip
    ArticleStore(url).save(article)
    server = start_streamlit(APP, env={SETTING: url})
    escapes = Escapes(page)
    open_app(f"{server.url}?article={article.id}&basemap=none")
    frame = map_frame(drawn="path.layer-bri")
    page.locator(".st-key-show-p3 button").click()
    frame.wait_for_function("window.corridorsMapInstance.state.selection.key === 'excerpt:p3'")
    shown = squash(page.locator('[data-testid="stMain"]').inner_text())
    assert escapes.found() == []
    assert unsafe_links(page) == [] and unsafe_links(frame) == []
    for text in CORPUS:
        if "\n" not in text:  # Markdown structure: shown as one line of literal text
            assert squash(text) in shown, text
    assert squash(f"{CORPUS[1]}, “{CORPUS[0]}”") in shown  # the attribution
