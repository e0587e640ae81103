"""The harness itself, against demo_app.py: a page served offline draws its map, and no request
leaves this machine, at the server root and under ``server.baseUrlPath``.

The demo runs from a fresh copy in a tmp dir, so its ``static/`` folder does not exist when the
server starts: this also proves that Streamlit serves a static folder created after start-up
(the Streamlit Community Cloud case, where no setup step runs).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Page

from corridors.assets import leaflet_version
from harness.streamlit_server import StreamlitServer

if TYPE_CHECKING:  # for the type checker only: pytest loads conftest itself, under its own name
    from conftest import ExternalRequests, MapFrame, OpenApp, StartStreamlit

DEMO = Path(__file__).with_name("demo_app.py")
LINE = "path.harness-line"  # demo_app.LINE_CLASS; the demo is a script, not imported here

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module", params=["", "corridor-map"], ids=["root", "base-url-path"])
def demo(
    request: pytest.FixtureRequest,
    start_streamlit: StartStreamlit,
    tmp_path_factory: pytest.TempPathFactory,
) -> StreamlitServer:
    """The demo page, served from a fresh folder, with and without a base URL path."""
    folder = tmp_path_factory.mktemp("demo")
    app = Path(shutil.copy(DEMO, folder))
    base_url_path: str = request.param
    server = start_streamlit(app, base_url_path=base_url_path)
    assert not (folder / "static").exists(), "static/ must only appear once the page has run"
    return server


def test_line_drawn_with_local_leaflet_only(
    demo: StreamlitServer,
    page: Page,
    open_app: OpenApp,
    map_frame: MapFrame,
    external_requests: ExternalRequests,
    page_errors: list[str],
) -> None:
    """Leaflet comes from the app's static folder and draws the line; nothing goes out."""
    open_app(demo.url)
    frame = map_frame(drawn=LINE)

    assert frame.locator(LINE).count() == 1
    box = frame.locator(LINE).bounding_box()
    assert box is not None and box["width"] > 50, f"the line is not visibly drawn: {box}"
    base = f"/{demo.base_url_path}" if demo.base_url_path else ""
    scripts = frame.evaluate("[...document.scripts].map(s => new URL(s.src || location).pathname)")
    assert f"{base}/app/static/vendor/leaflet/leaflet.js" in scripts
    # The package's version is Leaflet's plus a packaging digit (1.9.4.1 holds Leaflet 1.9.4).
    assert leaflet_version().startswith(f"{frame.evaluate('L.version')}.")
    assert page_errors == []
    assert external_requests.urls == []
