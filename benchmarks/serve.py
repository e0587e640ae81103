"""The pages under test, and serving each through the harness behind pages/timed.py, which logs
every run's script time on the server."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from corridors.dataset import load_dataset
from corridors.layers import build_catalogue
from harness.nginx import start_nginx
from harness.streamlit_server import StreamlitServer, start_streamlit

ROOT = Path(__file__).resolve().parents[1]
PAGES = Path(__file__).with_name("pages")
# Every layer is shown by default, so the default view is drawn once each one's paths are.
DEFAULT_LAYERS = build_catalogue(load_dataset().corridors).ids
# A first start on the 2-core machine, beside a browser, can take longer than a test allows.
START_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class Variant:
    """A page under test: its script, and the ``layer-<id>`` classes that show its map is drawn."""

    name: str
    script: Path
    drawn: tuple[str, ...]


REAL = Variant("real", ROOT / "app.py", DEFAULT_LAYERS)
NAIVE = Variant("naive", PAGES / "naive.py", DEFAULT_LAYERS)
FLOOR = Variant("floor", PAGES / "floor.py", ("floor",))
LAYOUT_FLOOR = Variant("layout_floor", PAGES / "floor_layout.py", ("floor",))


@dataclass(frozen=True)
class Server:
    """One ``streamlit run`` of a variant, with its script-time log."""

    variant: Variant
    streamlit: StreamlitServer
    timing_log: Path

    @property
    def url(self) -> str:
        """The page's URL, with a trailing slash."""
        return self.streamlit.url

    def script_times(self) -> list[float]:
        """Every run's script time so far, in ms, in order."""
        text = self.timing_log.read_text(encoding="utf-8") if self.timing_log.exists() else ""
        return [float(x) for x in text.split()]

    def rss_mb(self) -> float:
        """Resident memory of the server process, in MB (from /proc)."""
        status = Path(f"/proc/{self.streamlit.process.pid}/status")
        for line in status.read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        raise RuntimeError(f"{status}: no VmRSS line")


@contextmanager
def serve(variant: Variant, env: Mapping[str, str] | None = None) -> Iterator[Server]:
    """Serve ``variant`` from a fresh folder (its own static/), as ``streamlit run`` does, with
    ``env`` added to its environment."""
    with tempfile.TemporaryDirectory(prefix=f"bench-{variant.name}-") as name:
        folder = Path(name)
        shutil.copy(PAGES / "timed.py", folder / "timed.py")
        shutil.copy(variant.script, folder / variant.script.name)
        log = folder / "times.log"
        streamlit = start_streamlit(
            folder / "timed.py",
            folder,
            extra_args=("--", variant.script.name),
            env={"BENCH_TIMING_LOG": str(log), **(env or {})},
            timeout_s=START_TIMEOUT_S,
        )
        try:
            yield Server(variant, streamlit, log)
        finally:
            streamlit.stop()


@dataclass(frozen=True)
class Proxied:
    """Replicas behind nginx, looking like one server to the load measure."""

    url: str
    replicas: list[Server]

    def script_times(self) -> list[float]:
        """Every replica's script times, in ms."""
        return [t for r in self.replicas for t in r.script_times()]


@contextmanager
def behind_nginx(replicas: list[Server]) -> Iterator[Proxied]:
    """Debian's nginx running the shipped deploy/nginx/corridors.conf in front of ``replicas``
    (only its listen port changed, as in tests/browser/test_proxy.py), one worker per CPU."""
    with tempfile.TemporaryDirectory(prefix="bench-nginx-") as prefix:
        proxy = start_nginx(Path(prefix), [r.streamlit.port for r in replicas], workers="auto")
        try:
            yield Proxied(proxy.url, replicas)
        finally:
            proxy.stop()
