"""Browser-test harness: a real ``streamlit run``, Debian's Chromium, and helpers that poll.

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
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Generator, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Frame,
    Page,
    Route,
    sync_playwright,
)
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.browser.local import CHROMIUM, CHROMIUM_ARGS, DIRECT, free_port, nginx_command

ROOT = Path(__file__).resolve().parents[2]

SERVER_START_TIMEOUT_S = 30.0
PAGE_TIMEOUT_MS = 15_000

APP_READY = (
    '[data-testid="stApp"][data-test-connection-state="CONNECTED"]'
    '[data-test-script-state="notRunning"]'
)
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
LEAFLET_DRAWN = "path.leaflet-interactive"

_LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})


@dataclass(frozen=True)
class StreamlitServer:
    """One ``streamlit run`` subprocess serving ``app`` on 127.0.0.1."""

    app: Path
    port: int
    base_url_path: str
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def url(self) -> str:
        """The page's URL, base path included, with a trailing slash."""
        base = f"{self.base_url_path.strip('/')}/" if self.base_url_path.strip("/") else ""
        return f"http://127.0.0.1:{self.port}/{base}"


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


def _streamlit_command(app: Path, port: int, base_url_path: str, extra: Sequence[str]) -> list[str]:
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app),
        "--server.headless=true",
        f"--server.port={port}",
        "--server.address=127.0.0.1",
        "--server.fileWatcherType=none",
        "--browser.gatherUsageStats=false",
        # Leaflet is served from static/ beside the page (corridors.assets); passed here as well
        # as in .streamlit/config.toml so the harness does not depend on the working directory.
        "--server.enableStaticServing=true",
        f"--server.baseUrlPath={base_url_path}",
        *extra,
    ]


def _wait_healthy(server: StreamlitServer) -> None:
    health = f"{server.url}_stcore/health"
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            _fail_start(server, f"exited with code {server.process.returncode}")
        try:
            with DIRECT.open(health, timeout=1) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass  # not listening yet
        time.sleep(0.1)  # poll interval, not a wait for readiness
    _fail_start(server, f"did not answer {health} within {SERVER_START_TIMEOUT_S:.0f} s")


def _fail_start(server: StreamlitServer, what: str) -> None:
    _stop(server)
    output = server.log.read_text(encoding="utf-8", errors="replace").strip()
    pytest.fail(
        f"`streamlit run {server.app.name}` {what}. Its output:\n{output or '(nothing)'}",
        pytrace=False,
    )


def _stop(server: StreamlitServer) -> None:
    if server.process.poll() is None:
        server.process.terminate()
        try:
            server.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()


@pytest.fixture(scope="session")
def start_streamlit(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StartStreamlit]:
    """Factory that runs a page under ``streamlit run``; servers are shared within the session."""
    servers: dict[tuple[Path, str, tuple[str, ...]], StreamlitServer] = {}
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
        port = free_port()
        log = logs / f"{app.stem}-{port}.log"
        # The repository root on the path lets a page outside it (a copy in a tmp dir) import
        # corridors; the root as working directory picks up the committed .streamlit/config.toml.
        process_env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
            **extra_env,
        }
        with log.open("wb") as out:
            process = subprocess.Popen(
                _streamlit_command(app, port, base_url_path, extra_args),
                cwd=ROOT,
                env=process_env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        server = StreamlitServer(app, port, base_url_path, process, log)
        servers[key] = server
        _wait_healthy(server)
        return server

    try:
        yield start
    finally:
        for server in servers.values():
            _stop(server)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, with a fresh temporary profile."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=list(CHROMIUM_ARGS), headless=True
        )
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


def wait_for_app(page: Page, url: str, timeout_ms: float = PAGE_TIMEOUT_MS) -> None:
    """Load a Streamlit page and wait until it is connected and its script has finished.

    Before the first run starts the app reports ``initial``, not ``notRunning``, so this cannot
    return before the script has run.
    """
    page.goto(url)
    page.wait_for_selector(APP_READY, state="attached", timeout=timeout_ms)


def wait_for_map(
    page: Page, drawn: str = LEAFLET_DRAWN, timeout_ms: float = PAGE_TIMEOUT_MS
) -> Frame:
    """The st_folium iframe's frame, once Leaflet has made its map and drawn ``drawn`` in it.

    One deadline covers the three waits; on timeout the error says which step never happened.
    """
    deadline = time.monotonic() + timeout_ms / 1000

    def left_ms() -> float:
        return max(1.0, (deadline - time.monotonic()) * 1000)

    step = f"the map iframe {MAP_IFRAME}"
    try:
        handle = page.wait_for_selector(MAP_IFRAME, state="attached", timeout=left_ms())
        assert handle is not None  # wait_for_selector returns None only for state="detached"
        frame = handle.content_frame()
        assert frame is not None, f"{MAP_IFRAME} has no frame"
        step = ".leaflet-container in the iframe (did Leaflet load?)"
        frame.wait_for_selector(".leaflet-container", state="attached", timeout=left_ms())
        step = f"{drawn} in the map"
        frame.wait_for_selector(drawn, state="attached", timeout=left_ms())
    except PlaywrightTimeoutError as exc:
        raise MapNotDrawn(f"{step} did not appear within {timeout_ms / 1000:.0f} s") from exc
    return frame


class MapNotDrawn(AssertionError):
    """The st_folium map did not appear or draw in time."""


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


@dataclass(frozen=True)
class NginxProxy:
    """nginx on 127.0.0.1 running the shipped deploy/nginx/corridors.conf in front of replicas."""

    port: int
    process: subprocess.Popen[bytes]
    prefix: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"


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
        prefix = tmp_path_factory.mktemp("nginx")
        port = free_port()
        process = subprocess.Popen(
            nginx_command(prefix, port, [r.port for r in replicas]),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        proxy = NginxProxy(port, process, prefix)
        proxies.append(proxy)
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while time.monotonic() < deadline:
            if process.poll() is not None:
                log = (prefix / "error.log").read_text(errors="replace")
                pytest.fail(f"nginx exited with {process.returncode}: {log}", pytrace=False)
            try:
                with DIRECT.open(f"{proxy.url}_stcore/health", timeout=1) as response:
                    if response.status == 200:
                        return proxy
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.1)  # poll interval
        pytest.fail("nginx did not answer its health check in time", pytrace=False)

    try:
        yield start
    finally:
        for proxy in proxies:
            proxy.process.terminate()
            proxy.process.wait(timeout=10)
