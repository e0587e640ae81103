"""Browser-test fixtures over the harness package: a real ``streamlit run``, Debian's Chromium,
and helpers that poll.

Fixtures
    ``start_streamlit``   session factory: ``start_streamlit(app, base_url_path="", env=None)``
                          starts (or reuses) a server for that page, with ``env`` added to its
                          environment, and returns a ``StreamlitServer``; every server it
                          started is terminated at the end of the session.
    ``start_nginx``       session factory: ``start_nginx(replicas)`` runs Debian's nginx with the
                          shipped deploy/nginx/corridors.conf in front of those servers.
    ``browser``           Debian's Chromium, driven by Playwright, once per session.
    ``context``/``page``  a fresh browser context (and page) per test, with every request that
                          would leave this machine recorded and aborted.
    ``external_requests`` that record (``.urls``) for the current test.
    ``page_errors``       uncaught script errors on the page, iframes included.
    ``open_app``          ``open_app(url)``: load the page, wait until its script has run.
    ``map_frame``         ``map_frame(drawn=css)``: the st_folium iframe's frame, once Leaflet
                          has drawn ``drawn`` (default: any interactive path) in it.
A failed test leaves ``failure.png`` of its page in its tmp dir.

Everything waits by polling for a condition with a deadline; nothing sleeps a fixed time.
"""

from __future__ import annotations

import functools
from collections.abc import Generator, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Frame, Page, Route, sync_playwright

from harness.chromium import launch_chromium
from harness.loopback import DidNotStart
from harness.nginx import NginxProxy
from harness.nginx import start_nginx as run_nginx
from harness.page import LEAFLET_DRAWN, PAGE_TIMEOUT_MS, MapNotDrawn, wait_for_app, wait_for_map
from harness.streamlit_server import StreamlitServer
from harness.streamlit_server import start_streamlit as run_streamlit

_LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
# A server is reused for the same page, base path, extra arguments and environment.
_ServerKey = tuple[Path, str, tuple[str, ...], tuple[tuple[str, str], ...]]


class StartStreamlit(Protocol):
    """Signature of the ``start_streamlit`` factory."""

    def __call__(
        self,
        app: Path,
        *,
        base_url_path: str = "",
        extra_args: Sequence[str] = (),
        env: Mapping[str, str] | None = None,
    ) -> StreamlitServer:
        """Start ``app`` (or return the running server for the same arguments)."""
        ...


@pytest.fixture(scope="session")
def start_streamlit(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StartStreamlit]:
    """Factory that runs a page under ``streamlit run``; servers are shared within the session."""
    servers: dict[_ServerKey, StreamlitServer] = {}
    logs = tmp_path_factory.mktemp("streamlit-logs")

    def start(
        app: Path,
        *,
        base_url_path: str = "",
        extra_args: Sequence[str] = (),
        env: Mapping[str, str] | None = None,
    ) -> StreamlitServer:
        extra_env = dict(env or {})
        key = (app.resolve(), base_url_path, tuple(extra_args), tuple(sorted(extra_env.items())))
        running = servers.get(key)
        if running is not None and running.process.poll() is None:
            return running
        try:
            server = run_streamlit(
                app, logs, base_url_path=base_url_path, extra_args=extra_args, env=extra_env
            )
        except DidNotStart as exc:
            pytest.fail(str(exc), pytrace=False)
        servers[key] = server
        return server

    try:
        yield start
    finally:
        for server in servers.values():
            server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, with a fresh temporary profile."""
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class ExternalRequests:
    """Every request a test's pages tried to send off this machine; each one is aborted."""

    urls: list[str] = field(default_factory=list)

    def handle(self, route: Route) -> None:
        """Playwright route handler: record and abort remote requests, let local ones through."""
        url = route.request.url
        host = urlsplit(url).hostname
        if host is None or host in _LOCAL_HOSTS:
            route.continue_()
        else:
            self.urls.append(url)
            route.abort("internetdisconnected")


@pytest.fixture
def external_requests() -> ExternalRequests:
    """The current test's record of requests that tried to leave localhost."""
    return ExternalRequests()


@pytest.fixture
def context(browser: Browser, external_requests: ExternalRequests) -> Iterator[BrowserContext]:
    """A fresh browser context per test (no shared cache, storage or cookies)."""
    ctx = browser.new_context(viewport={"width": 1100, "height": 800})
    ctx.set_default_timeout(PAGE_TIMEOUT_MS)
    # Routing every request (iframes included) is what lets the record be complete, and aborting
    # keeps tests fast and identical whether or not the machine has internet.
    ctx.route("**/*", external_requests.handle)
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture
def phone(browser: Browser, external_requests: ExternalRequests) -> Iterator[Page]:
    """A page on a 390 x 844 touch screen, as a phone shows the page (requests kept local)."""
    ctx = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    ctx.set_default_timeout(PAGE_TIMEOUT_MS)
    ctx.route("**/*", external_requests.handle)
    try:
        yield ctx.new_page()
    finally:
        ctx.close()


_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(
    item: pytest.Item,
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Note a failed test body, so the ``page`` fixture can keep a screenshot of it."""
    report = yield
    if report.when == "call" and report.failed:
        item.stash[_FAILED] = True
    return report


@pytest.fixture
def page(context: BrowserContext, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Page]:
    """A new page in the test's context; a failed test leaves ``failure.png`` in its tmp dir."""
    new_page = context.new_page()
    yield new_page
    if request.node.stash.get(_FAILED, False):
        shot = tmp_path / "failure.png"
        new_page.screenshot(path=shot, full_page=True)
        print(f"screenshot of the failed page: {shot}")


@pytest.fixture
def page_errors(page: Page) -> list[str]:
    """Uncaught script errors on the test's page, the map's iframe included.

    A map whose script throws part-way (``$ is not defined`` from a folium.Popup without jQuery)
    may still draw the layers added before the error, so a drawn path alone proves little.
    """
    errors: list[str] = []
    page.on(
        "pageerror",
        lambda exc: errors.append(f"{exc.name}: {exc.message}" if exc.name else exc.message),
    )
    return errors


# The helpers are handed out as fixtures bound to the test's page, so test modules never import
# this conftest (pytest loads conftests itself; a second import would be a different module).
class OpenApp(Protocol):
    """``open_app(url)``: see ``wait_for_app``."""

    def __call__(self, url: str, timeout_ms: float = PAGE_TIMEOUT_MS) -> None:
        """Load ``url`` and wait until the script has run."""
        ...


class MapFrame(Protocol):
    """``map_frame(drawn=...)``: see ``wait_for_map``."""

    def __call__(self, drawn: str = LEAFLET_DRAWN, timeout_ms: float = PAGE_TIMEOUT_MS) -> Frame:
        """The drawn st_folium frame."""
        ...


@pytest.fixture
def open_app(page: Page) -> OpenApp:
    """``open_app(url)`` on the test's page: load it and wait until its script has run."""
    return functools.partial(wait_for_app, page)


@pytest.fixture
def map_frame(page: Page, external_requests: ExternalRequests, page_errors: list[str]) -> MapFrame:
    """``map_frame(drawn=selector)`` on the test's page: the st_folium frame once drawn.

    A map that never draws says nothing on screen, so the failure lists what usually explains
    it: requests that tried to leave (a CDN script) and script errors in the page.
    """

    def wait(drawn: str = LEAFLET_DRAWN, timeout_ms: float = PAGE_TIMEOUT_MS) -> Frame:
        try:
            return wait_for_map(page, drawn, timeout_ms)
        except MapNotDrawn as exc:
            raise MapNotDrawn(
                f"{exc}. Requests that tried to leave this machine: {external_requests.urls}. "
                f"Script errors: {page_errors}."
            ) from exc

    return wait


class StartNginx(Protocol):
    """Signature of the ``start_nginx`` factory."""

    def __call__(self, replicas: Sequence[StreamlitServer]) -> NginxProxy:
        """Start nginx proxying to ``replicas``."""
        ...


@pytest.fixture(scope="session")
def start_nginx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StartNginx]:
    """Factory: nginx (Debian's package) with the shipped config, in front of given replicas."""
    proxies: list[NginxProxy] = []

    def start(replicas: Sequence[StreamlitServer]) -> NginxProxy:
        try:
            proxy = run_nginx(tmp_path_factory.mktemp("nginx"), [r.port for r in replicas])
        except DidNotStart as exc:
            pytest.fail(str(exc), pytrace=False)
        proxies.append(proxy)
        return proxy

    try:
        yield start
    finally:
        for proxy in proxies:
            proxy.stop()
