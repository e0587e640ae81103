"""The page behind the shipped nginx config (deploy/nginx/corridors.conf), as it is deployed:
websockets proxied, the documented security headers on every response, no
Content-Security-Policy violation in the browser, and two replicas that open a link taken on
either one identically: the app keeps no server-side state that a link depends on."""

from __future__ import annotations

import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, Page

from corridors.articles import SETTING
from harness.loopback import DIRECT
from harness.page import APP_READY, map_iframe
from harness.postgres import PostgresServer
from tests.browser.views import same_view, settled_link, view_of
from tests.pagecopy import app_copy, mark_replica

if TYPE_CHECKING:
    from conftest import MapFrame, OpenApp, StartNginx, StartStreamlit

ARTICLE = """Arctic shipping and a second gas line

Russian officials said cargo on the Northern Sea Route could double within three years.

Deliveries through the Power of Siberia pipeline reached their contracted level. The pipeline
runs from Yakutia to the Chinese border at Blagoveshchensk.

The EAEU has kept its distance from Belt and Road financing."""
# Each excerpt's text and the names it is linked to, as the article panel shows them.
EXCERPTS = """() => [...document.querySelectorAll('[class*="st-key-excerpt-"]')]
    .map((e) => e.innerText.trim())"""
# All three drawn, the second with its button (the third names only blocs: no button).
DRAWN = f"({EXCERPTS})().length === 3 && !!document.querySelector('.st-key-show-p2 button')"

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
    proxy = start_nginx([start_streamlit(app_copy())])
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


def drop_view(link: str) -> dict[str, list[str]]:
    """A link's parameters other than the centre and zoom."""
    params = parse_qs(urlsplit(link).query, keep_blank_values=True)
    return {k: v for k, v in params.items() if k not in {"center", "zoom"}}


# Which replica serves this browser page's requests (its cookie goes with the fetch).
ANSWERED_BY = "fetch('/app/static/replica.txt').then((r) => r.text())"


def replica_answering(proxy_url: str, key: str) -> str:
    """The name (tests.pagecopy.mark_replica) of the replica a route cookie ``key`` reaches."""
    request = urllib.request.Request(  # noqa: S310 (an http URL built here)
        f"{proxy_url}app/static/replica.txt", headers={"Cookie": f"corridors_route={key}"}
    )
    with DIRECT.open(request, timeout=5) as response:
        return str(response.read().decode("utf-8"))


def route_keys(proxy_url: str, replicas: int) -> dict[str, str]:
    """A route cookie value that sends a browser to each replica: replica name → key."""
    keys: dict[str, str] = {}
    for n in range(200):
        keys.setdefault(replica_answering(proxy_url, f"k{n}"), f"k{n}")
        if len(keys) == replicas:
            return keys
    raise AssertionError(f"200 keys reached only {sorted(keys)}")


def no_internal_address(headers: dict[str, str], replicas: list[int]) -> bool:
    """Whether no response header names a replica's port or the loopback address."""
    text = " ".join(f"{k}: {v}" for k, v in headers.items())
    return "127.0.0.1" not in text and not any(f":{port}" in text for port in replicas)


def test_a_link_taken_on_one_replica_opens_identically_on_the_other(
    start_streamlit: StartStreamlit,
    start_nginx: StartNginx,
    browser: Browser,
    page: Page,
    open_app: OpenApp,
    map_frame: MapFrame,
) -> None:
    # Two replicas of the same page, each from its own folder, marked so a test can tell them
    # apart: the proxy's responses name neither.
    apps = [app_copy(f"replica-{name}") for name in "ab"]
    for app, name in zip(apps, "ab", strict=True):
        mark_replica(app, name)
    replicas = [start_streamlit(app) for app in apps]
    proxy = start_nginx(replicas)
    keys = route_keys(proxy.url, 2)
    first, second = keys["a"], keys["b"]

    page.context.add_cookies([{"name": "corridors_route", "value": first, "url": proxy.url}])
    response = page.goto(proxy.url)
    assert response is not None
    assert no_internal_address(response.headers, [r.port for r in replicas])
    assert page.evaluate(ANSWERED_BY) == "a"
    open_app(f"{proxy.url}?basemap=none")
    frame = map_frame(drawn="path.layer-bri")
    page.get_by_role("checkbox", name="Power of Siberia").uncheck(force=True)
    page.locator(".st-key-show-p18 button").click()
    frame.wait_for_function("window.corridorsMapInstance.state.selection.key === 'excerpt:p18'")
    frame.locator(".cm-share-toggle").click()
    link, view = settled_link(frame)

    other = browser.new_context(viewport={"width": 1100, "height": 800})
    try:
        other.add_cookies([{"name": "corridors_route", "value": second, "url": proxy.url}])
        other_page = other.new_page()
        response = other_page.goto(link)
        assert response is not None
        assert other_page.evaluate(ANSWERED_BY) == "b"
        other_page.wait_for_selector(APP_READY)
        other_frame = map_iframe(other_page)
        other_frame.wait_for_function(
            "window.corridorsMapInstance && window.corridorsMapInstance.state"
            " && document.querySelector('path.layer-selection')"
        )
        restored = view_of(other_frame)
        differs = {k: (restored[k], view[k]) for k in view if restored[k] != view[k]}
        assert same_view(restored, view), differs
        assert other_page.get_by_role("checkbox", name="Power of Siberia").is_checked() is False
        # The other replica's page keeps the same link (its centre as that map reports it).
        assert drop_view(other_page.url) == drop_view(link)
    finally:
        other.close()


def test_an_article_brought_to_one_replica_opens_the_same_on_the_other(
    start_streamlit: StartStreamlit,
    start_nginx: StartNginx,
    postgres: PostgresServer,
    browser: Browser,
    page: Page,
    open_app: OpenApp,
    map_frame: MapFrame,
) -> None:
    # Two replicas sharing a real PostgreSQL server, behind the shipped nginx config.
    env = {SETTING: postgres.new_database()}
    apps = [app_copy(f"articles-{name}") for name in "ab"]
    for app, name in zip(apps, "ab", strict=True):
        mark_replica(app, name)
    replicas = [start_streamlit(app, env=env) for app in apps]
    proxy = start_nginx(replicas)
    keys = route_keys(proxy.url, 2)

    page.context.add_cookies([{"name": "corridors_route", "value": keys["a"], "url": proxy.url}])
    open_app(f"{proxy.url}?basemap=none")
    map_frame(drawn="path.layer-bri")
    assert page.evaluate(ANSWERED_BY) == "a"
    page.get_by_text("Bring your own article").click()
    page.get_by_label("The article's text").fill(ARTICLE)
    page.get_by_role("button", name="Read the text").click()
    page.get_by_label("Publisher").fill("Replica Wire")
    page.get_by_role("button", name="Link and show beside the map").click()
    page.wait_for_function("new URLSearchParams(location.search).get('article')")
    page.wait_for_function(DRAWN)
    written = page.evaluate(EXCERPTS)
    assert "names Northern Sea Route, Russia" in written[0]
    assert "Power of Siberia, China" in written[1]  # and the bridge Blagoveshchensk names
    link = page.url

    other = browser.new_context(viewport={"width": 1100, "height": 800})
    try:
        other.add_cookies([{"name": "corridors_route", "value": keys["b"], "url": proxy.url}])
        reader = other.new_page()
        reader.goto(link)
        reader.wait_for_selector(APP_READY)
        assert reader.evaluate(ANSWERED_BY) == "b"
        reader.wait_for_function(DRAWN)
        assert reader.evaluate(EXCERPTS) == written  # same paragraphs, same links
        assert reader.get_by_text("Replica Wire, “Arctic shipping and a second gas line”").count()
    finally:
        other.close()
