"""The page behind the shipped nginx config (deploy/nginx/corridors.conf), as it is deployed:
websockets proxied, the documented security headers on every response, and no
Content-Security-Policy violation in the browser."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page

if TYPE_CHECKING:
    from conftest import MapFrame, OpenApp, StartNginx, StartStreamlit

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTED = (
    "Content-Security-Policy",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Permissions-Policy",
)

pytestmark = pytest.mark.browser


def test_the_page_works_behind_nginx_with_its_headers(
    start_streamlit: StartStreamlit,
    start_nginx: StartNginx,
    page: Page,
    open_app: OpenApp,
    map_frame: MapFrame,
    page_errors: list[str],
) -> None:
    proxy = start_nginx([start_streamlit(ROOT / "app.py")])
    violations: list[str] = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    response = page.goto(f"{proxy.url}?basemap=none&focus=nord-stream-1")
    assert response is not None
    headers = {k.lower(): v for k, v in response.headers.items()}
    for name in DOCUMENTED:
        assert name.lower() in headers, name
    assert "frame-ancestors 'self'" in headers["content-security-policy"]
    open_app(f"{proxy.url}?basemap=none&focus=nord-stream-1")
    frame = map_frame(drawn="path.layer-selection")
    assert frame.locator("path.layer-bri").count() > 0
    # The map's script wrote the link, and a widget round trip over the proxied websocket works.
    page.wait_for_function("new URLSearchParams(location.search).has('zoom')")
    page.get_by_role("checkbox", name="Nord Stream 1").uncheck(force=True)
    frame.wait_for_function("!document.querySelector('path.layer-nord-stream-1')")
    assert "nord-stream-1" not in parse_qs(urlsplit(page.url).query)["layers"][0]
    assert violations == []
    assert page_errors == []


def test_the_readme_names_every_header_nginx_sets() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    conf = (ROOT / "deploy" / "nginx" / "corridors.conf").read_text(encoding="utf-8")
    for name in DOCUMENTED:
        assert f"add_header {name} " in conf, name
        assert f"`{name}`" in readme, name
