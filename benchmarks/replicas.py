"""The compose deployment with N replicas, for the load: deploy/compose.yml (the replicas,
PostgreSQL and nginx running the shipped deploy/nginx config) brought up with podman-compose,
as tests/browser/test_container.py brings it up (harness/containers.py: Debian's podman, base
images stood in from Debian where no image registry answers).

N replicas follow the rule the compose file's comment gives: copy a service with the next port
and add its line to replicas.conf (and, for one replica, the reverse). The copy is built and
run under names of its own (image ``localhost/corridors-bench``, project ``corridors-bench``),
so a test run of the shipped file elsewhere on the machine keeps its image; the ports are the
shipped ones (nginx on 80, replicas from 8501, PostgreSQL on 5433), so the deployment waits
while another holds them.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from benchmarks.clickmix import load
from benchmarks.cpu import process_tree
from benchmarks.measure import stored_articles
from harness import containers
from harness.loopback import answers_health

ROOT = Path(__file__).resolve().parents[1]
IMAGE = "localhost/corridors-bench"
PROJECT = "corridors-bench"
FIRST_PORT = 8501
PROXY_URL = "http://127.0.0.1/"
DB_PORT = 5433
START_TIMEOUT_S = 180
# How long to wait for another run of the shipped file to free its ports.
PORTS_TIMEOUT_S = 900
SECRETS = {"CORRIDORS_COOKIE_SECRET": "0" * 64, "CORRIDORS_DB_PASSWORD": "bench-load"}
DATABASE_URL = (
    f"postgresql+psycopg://corridors:{SECRETS['CORRIDORS_DB_PASSWORD']}@127.0.0.1:{DB_PORT}"
    "/corridors"
)


def why_not() -> str | None:
    """Why this machine cannot build and run the deployment, or None if it can."""
    try:
        probe = subprocess.run(
            ["podman", "info"], capture_output=True, text=True, check=False, timeout=120,
            env=containers.environment(),
        )  # fmt: skip
    except FileNotFoundError:
        return "podman is not installed (`make test` installs Debian's podman)"
    if probe.returncode != 0:
        return f"podman cannot run here: {probe.stderr.strip()[-300:]}"
    return None


def _service_block(compose: str, name: str) -> str:
    """The text of the service ``name`` (its lines up to the next blank line or service)."""
    found = re.search(rf"^  {re.escape(name)}:\n(?:    .*\n|      .*\n)*", compose, flags=re.M)
    if found is None:
        raise RuntimeError(f"deploy/compose.yml: no service {name}")
    return found.group(0)


def with_replicas(compose: str, replicas_conf: str, count: int) -> tuple[str, str]:
    """deploy/compose.yml and nginx/replicas.conf for ``count`` replicas: app-2 copied as app-3,
    app-4… with the next port each (or dropped, for one), its line added to replicas.conf
    and the proxy's list of what it depends on; the image named `IMAGE`."""
    second = _service_block(compose, "app-2")
    line = next(x for x in replicas_conf.splitlines() if f":{FIRST_PORT + 1} " in x)
    lines = replicas_conf.splitlines(keepends=True)
    depends = "      - app-2\n"
    if count == 1:
        compose = compose.replace(second, "").replace(depends, "")
        replicas_conf = "".join(x for x in lines if x.rstrip("\n") != line)
    for n in range(3, count + 1):
        port = FIRST_PORT + n - 1
        copy = second.replace("app-2:", f"app-{n}:").replace(f'"{FIRST_PORT + 1}"', f'"{port}"')
        previous = f"app-{n - 1}"
        block = _service_block(compose, previous)
        compose = compose.replace(block, block + copy)
        compose = compose.replace(f"      - {previous}\n", f"      - {previous}\n      - app-{n}\n")
        replicas_conf += line.replace(f":{FIRST_PORT + 1} ", f":{port} ") + "\n"
    compose = compose.replace("image: localhost/corridors\n", f"image: {IMAGE}\n")
    _check(compose, replicas_conf, count)
    return compose, replicas_conf


def _check(compose: str, replicas_conf: str, count: int) -> None:
    services = yaml.safe_load(compose)["services"]
    apps = sorted(name for name in services if name.startswith("app-"))
    ports = sorted(int(services[a]["environment"]["STREAMLIT_SERVER_PORT"]) for a in apps)
    listed = sorted(int(p) for p in re.findall(r"^server 127\.0\.0\.1:(\d+)", replicas_conf, re.M))
    wanted = list(range(FIRST_PORT, FIRST_PORT + count))
    if ports != wanted or listed != wanted or sorted(services["proxy"]["depends_on"]) != apps:
        raise RuntimeError(f"{count} replicas: compose has {apps} on {ports}, nginx {listed}")


def build(folder: Path) -> None:
    """The image, built from a clean copy of the checkout in ``folder`` (podman's layer cache
    makes an unchanged build quick)."""
    containers.ensure_base_images()
    containers.checkout_copy(ROOT, folder)
    containers.podman("build", "--format", "docker", "--network=host", "-t", IMAGE, str(folder))


def _busy(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _wait(check: object, what: str, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while not check():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} within {timeout_s:.0f} s")
        time.sleep(1)  # poll interval


@dataclass(frozen=True)
class Deployment:
    """The compose deployment up: nginx's URL, each replica's own, and each service's
    container process (for its CPU use)."""

    replicas: int
    url: str
    replica_urls: list[str]
    pids: dict[str, int]

    def script_times(self) -> list[float]:
        """Nothing: the image runs the page itself, without the benchmark's timing page."""
        return []


def _pids() -> dict[str, int]:
    listed = json.loads(containers.podman(
        "ps", "--filter", f"label=io.podman.compose.project={PROJECT}", "--format", "json"
    ))  # fmt: skip
    return {c["Labels"]["com.docker.compose.service"]: int(c["Pid"]) for c in listed}


@contextmanager
def deployed(folder: Path, count: int) -> Iterator[Deployment]:
    """The checkout copied in ``folder`` (already built) up with ``count`` replicas; taken
    down, its database volume removed, on leaving."""
    compose = (ROOT / "deploy" / "compose.yml").read_text(encoding="utf-8")
    conf = (ROOT / "deploy" / "nginx" / "replicas.conf").read_text(encoding="utf-8")
    compose, conf = with_replicas(compose, conf, count)
    (folder / "deploy" / "compose.yml").write_text(compose, encoding="utf-8")
    (folder / "deploy" / "nginx" / "replicas.conf").write_text(conf, encoding="utf-8")
    ports = [80, DB_PORT, *range(FIRST_PORT, FIRST_PORT + count)]
    _wait(lambda: not any(_busy(p) for p in ports), f"ports {ports} not free", PORTS_TIMEOUT_S)
    replica_urls = [f"http://127.0.0.1:{FIRST_PORT + n}/" for n in range(count)]
    try:
        containers.compose(folder, "-p", PROJECT, "up", "-d", env=SECRETS)
        for url in [*replica_urls, PROXY_URL]:
            _wait(lambda url=url: answers_health(url), f"{url} did not answer", START_TIMEOUT_S)
        yield Deployment(count, PROXY_URL, replica_urls, _pids())
    finally:
        containers.compose(folder, "-p", PROJECT, "down", "-v", env=SECRETS)


@contextmanager
def checkout() -> Iterator[Path]:
    """A clean copy of the checkout, the image built from it."""
    with tempfile.TemporaryDirectory(prefix="bench-compose-") as name:
        build(Path(name))
        yield Path(name)


# Articles stored in the deployment's database for the load's article sessions.
LOAD_ARTICLES = 10


def scale(sessions: int, clicks: int, counts: tuple[int, ...]) -> dict[str, Any]:
    """The load (`clickmix.load`) through nginx on the deployment with each of ``counts``
    replicas, with each container's CPU use; or why podman cannot run it here."""
    reason = why_not()
    if reason is not None:
        return {"not_run": reason}
    out: dict[str, Any] = {}
    with checkout() as folder:
        for count in counts:
            print(f"compose: {count} replica(s)", flush=True)
            with deployed(folder, count) as deployment:
                ids = stored_articles(DATABASE_URL, LOAD_ARTICLES)
                groups = {name: process_tree(pid) for name, pid in deployment.pids.items()}
                result = load(deployment, sessions, clicks, articles=ids,
                              warm=deployment.replica_urls,
                              cpu={**groups, "load client": [os.getpid()]})  # fmt: skip
                out[str(count)] = result
    return out
