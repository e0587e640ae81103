"""The pages under test, and serving each through the harness behind pages/timed.py, which logs
every run's script time on the server (the deployment behind nginx is replicas.py's)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from corridors.dataset import load_dataset
from corridors.layers import build_catalogue
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

    def _log(self) -> list[list[float]]:
        text = self.timing_log.read_text(encoding="utf-8") if self.timing_log.exists() else ""
        return [[float(x) for x in line.split()] for line in text.splitlines() if line.strip()]

    def script_times(self) -> list[float]:
        """Every run's script time so far, in ms, in order."""
        return [line[0] for line in self._log()]

    def gc_ms(self) -> float:
        """Milliseconds the server process has spent in the garbage collector, as of its last
        run's end (pages/timed.py)."""
        log = self._log()
        return log[-1][1] if log else 0.0

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
