"""The hosted link, for real: the image builds from the checkout, runs as a non-root user with
only ``static/`` writable, serves the map on the port it is given, and compose keeps a browser on
one replica behind the shipped nginx config. The README's "Deploying" steps are the commands run
here (harness/containers.py says how this machine runs them: Debian's podman, and stand-ins for
the base images where no image registry answers).
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Browser, Page

from harness import containers
from harness.loopback import DIRECT, answers_health, free_port
from harness.page import APP_READY, map_iframe
from tests.browser.views import same_view, settled_link, view_of

if TYPE_CHECKING:  # for the type checker only: pytest loads conftest itself
    from conftest import MapFrame, OpenApp

ROOT = Path(__file__).resolve().parents[2]
IMAGE = "localhost/corridors"
# The README's "Deploying" commands, which this module runs (checked below).
BUILD = f"podman build --format docker --network=host -t {IMAGE} ."
RUN = f"podman run -d --network=host -e STREAMLIT_SERVER_PORT={{port}} {IMAGE}"
COMPOSE_UP = "podman-compose -f deploy/compose.yml up -d"
# deploy/compose.yml: nginx on port 80, replicas on loopback ports 8501 and 8502.
PROXY = "http://127.0.0.1/"
REPLICA_PORTS = (8501, 8502)
START_TIMEOUT_S = 120
# The first page a fresh replica serves loads the data and the sea network (6-10 s here, beside
# the browser), so it is given the start's allowance, not a click's.
COLD_MS = START_TIMEOUT_S * 1000
ANSWERED_BY = "fetch('/app/static/replica.txt').then((r) => r.text())"
ARTICLE = """Arctic cargo

Cargo on the Northern Sea Route could double, Russian officials said.

Deliveries through the Power of Siberia pipeline reached their contracted level."""
EXCERPTS = """() => [...document.querySelectorAll('[class*="st-key-show-p"] button')]
    .map((b) => b.closest('[class*="st-key-excerpt-"]').innerText.trim())"""

pytestmark = pytest.mark.browser


def test_the_readme_deploys_with_the_commands_run_here() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    deploying = readme[readme.index("## Deploying") :]
    for command in (BUILD, RUN.format(port=8501), COMPOSE_UP):
        assert command in deploying, command


def _why_no_containers() -> str | None:
    """Why this machine cannot build and run containers, or None if it can."""
    if shutil.which("podman") is None:
        return "podman is not installed (`make test` installs Debian's podman)"
    probe = subprocess.run(
        ["podman", "info"], capture_output=True, text=True, check=False,
        env=containers.environment(),
    )  # fmt: skip
    if probe.returncode != 0:
        return f"podman cannot run here: {probe.stderr.strip()[-300:]}"
    return None


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A clean copy of the checkout with the image built from it, as README's first step does."""
    reason = _why_no_containers()
    if reason is not None:
        pytest.skip(reason)
    containers.ensure_base_images()
    folder = containers.checkout_copy(ROOT, tmp_path_factory.mktemp("checkout"))
    subprocess.run(
        BUILD.split(), cwd=folder, check=True, capture_output=True, timeout=1800,
        env=containers.environment(),
    )  # fmt: skip
    yield folder


def _wait(url: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while not answers_health(url):
        assert time.monotonic() < deadline, f"{url} did not answer its health check"
        time.sleep(0.2)  # poll interval


def _state(name: str) -> str:
    """What a failed test needs to know of container ``name``: its state and its last log lines
    (the container is removed when the test ends, and its log with it)."""
    state = containers.podman(
        "inspect", "-f", "{{.State.Status}} exit={{.State.ExitCode}} oom={{.State.OOMKilled}}",
        name, check=False,
    )  # fmt: skip
    return f"container {name}: {state.strip()}; its log ends:\n{containers.logs(name)}"


def _compose_state(project: Path, secret: dict[str, str]) -> str:
    """What a failed compose test needs to know: each service's state and the replicas' last
    log lines (the deployment is taken down when the test ends, and its logs with it)."""
    try:
        return containers.compose(project, "ps", "-a", env=secret) + containers.compose(
            project, "logs", "--tail", "40", "app-1", "app-2", env=secret
        )
    except containers.ContainerError as error:
        return f"(no state: {error})"


def test_the_image_runs_as_a_non_root_user_who_can_write_only_static_and_var(
    project: Path,
) -> None:
    script = (
        "id -u; find /app ! -user root; touch /app/app.py 2>/dev/null && echo wrote || echo refused"
    )
    out = containers.podman("run", "--rm", "--entrypoint", "sh", IMAGE, "-c", script)
    uid, *owned, verdict = out.split()
    assert uid == "10001"
    assert owned and all(path.startswith(("/app/static", "/app/var")) for path in owned), owned
    assert "/app/var" in owned  # readers' articles, in SQLite when no database is set
    assert verdict == "refused"  # the code is not the app user's to change


def test_the_container_serves_the_map_on_the_port_it_is_given(
    project: Path, page: Page, map_frame: MapFrame
) -> None:
    port = free_port()
    name = f"corridors-test-{port}"
    # The README's command, named, and on loopback only.
    _, *args, image = RUN.format(port=port).split()
    containers.podman(*args, "--name", name, "-e", "STREAMLIT_SERVER_ADDRESS=127.0.0.1", image)
    try:
        url = f"http://127.0.0.1:{port}/"
        _wait(url)
        # The image's own health check follows the port (nothing answers on 8501 here).
        assert not answers_health("http://127.0.0.1:8501/")
        containers.podman("healthcheck", "run", name)
        page.goto(f"{url}?basemap=none")
        try:
            page.wait_for_selector(APP_READY, timeout=COLD_MS)
            frame = map_frame(drawn="path.layer-bri", timeout_ms=COLD_MS)
        except Exception as exc:
            raise AssertionError(f"{exc}\n{_state(name)}") from exc
        for layer in ("cku-railway", "northern-sea-route", "places", "eaeu"):
            assert frame.locator(f"path.layer-{layer}").count() > 0, layer
    finally:
        containers.podman("rm", "-f", name, check=False)


def test_compose_keeps_a_browser_on_one_replica_and_links_open_alike(
    project: Path, browser: Browser, page: Page, open_app: OpenApp, map_frame: MapFrame
) -> None:
    secret = {"CORRIDORS_COOKIE_SECRET": "0" * 64, "CORRIDORS_DB_PASSWORD": "compose-test"}
    containers.compose(project, *COMPOSE_UP.split()[3:], env=secret)
    try:
        for port in REPLICA_PORTS:
            _wait(f"http://127.0.0.1:{port}/")
        _wait(PROXY)
        for n in (1, 2):  # as the app user, who owns static/: which replica answered
            containers.compose(
                project, "exec", f"app-{n}", "sh", "-c",
                f"echo app-{n} > /app/static/replica.txt", env=secret,
            )  # fmt: skip

        response = page.goto(f"{PROXY}?basemap=none")
        assert response is not None
        headers = " ".join(f"{k}: {v}" for k, v in response.headers.items())
        assert "127.0.0.1" not in headers and ":850" not in headers, headers
        page.wait_for_selector(APP_READY, timeout=COLD_MS)
        first = page.evaluate(ANSWERED_BY)
        for _ in range(3):  # reloads stay on the same replica
            page.reload()
            page.wait_for_selector(APP_READY)
            assert page.evaluate(ANSWERED_BY) == first
        open_app(f"{PROXY}?basemap=none")
        frame = map_frame(drawn="path.layer-bri")
        page.get_by_role("checkbox", name="Power of Siberia").uncheck(force=True)
        page.locator(".st-key-show-p18 button").click()
        frame.wait_for_function("window.corridorsMapInstance.state.selection.key === 'excerpt:p18'")
        link, view = settled_link(frame)

        other = browser.new_context(viewport={"width": 1100, "height": 800})
        try:
            other_page = other.new_page()
            other_page.goto(PROXY)
            other_page.wait_for_selector(APP_READY, timeout=COLD_MS)
            # A fresh browser lands by its random first route; retry until it is the other one.
            for _ in range(30):
                if other_page.evaluate(ANSWERED_BY) != first:
                    break
                other.clear_cookies()
                other_page.goto(PROXY)
            assert other_page.evaluate(ANSWERED_BY) != first
            other_page.goto(link)
            other_page.wait_for_selector(APP_READY, timeout=COLD_MS)
            other_frame = map_iframe(other_page)
            other_frame.wait_for_function(
                "window.corridorsMapInstance && window.corridorsMapInstance.state"
                " && document.querySelector('path.layer-selection')"
            )
            assert same_view(view_of(other_frame), view)
            assert other_page.get_by_role("checkbox", name="Power of Siberia").is_checked() is False

            # A reader's article, stored in the compose file's PostgreSQL by one replica, opens
            # with the same paragraphs on the other.
            page.get_by_text("Bring your own article").click()
            page.get_by_label("The article's text").fill(ARTICLE)
            page.get_by_role("button", name="Read the text").click()
            page.get_by_label("Publisher").fill("Compose Wire")
            page.get_by_role("button", name="Link and show beside the map").click()
            error = "[data-testid=stAlertContentError]"
            page.wait_for_function(
                "new URLSearchParams(location.search).get('article')"
                f" || document.querySelector('{error}')"
            )
            assert not page.locator(error).count(), page.locator(error).first.inner_text()
            page.wait_for_function(f"({EXCERPTS})().length === 2")
            other_page.goto(page.url)
            other_page.wait_for_selector(APP_READY)
            assert other_page.evaluate(ANSWERED_BY) != first
            other_page.wait_for_function(f"({EXCERPTS})().length === 2")
            assert other_page.evaluate(EXCERPTS) == page.evaluate(EXCERPTS)
        finally:
            other.close()
        with DIRECT.open(f"{PROXY}_stcore/health", timeout=5) as health:
            assert health.status == 200
    except Exception as exc:
        raise AssertionError(f"{exc}\n{_compose_state(project, secret)}") from exc
    finally:
        containers.compose(project, "down", "-v", env=secret)
