"""A real ``streamlit run`` of a page on a free loopback port, returned once it is healthy."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from harness.loopback import free_port, stop, wait_healthy

ROOT = Path(__file__).resolve().parents[1]

START_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class StreamlitServer:
    """One ``streamlit run`` subprocess serving ``app`` on 127.0.0.1, its output in ``log``."""

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

    def stop(self) -> None:
        """Stop the server (a no-op once it has exited)."""
        stop(self.process)


def streamlit_command(
    app: Path, port: int, base_url_path: str = "", extra_args: Sequence[str] = ()
) -> list[str]:
    """The command line that serves ``app`` headless on 127.0.0.1:``port``.

    ``extra_args`` follow the options as given: more options, or ``--`` and the script's own
    arguments.
    """
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
        *extra_args,
    ]


def start_streamlit(
    app: Path,
    log_dir: Path,
    *,
    base_url_path: str = "",
    extra_args: Sequence[str] = (),
    env: Mapping[str, str] | None = None,
    timeout_s: float = START_TIMEOUT_S,
) -> StreamlitServer:
    """Serve ``app`` with ``env`` added to the environment; return once it answers its health check.

    Its output goes to ``log_dir/<app>-<port>.log``. Raises ``DidNotStart`` (with that output) if
    the server exits or stays silent for ``timeout_s``.
    """
    port = free_port()
    log = log_dir / f"{app.stem}-{port}.log"
    # The repository root on the path lets a page outside it (a copy in a tmp dir) import
    # corridors; the root as working directory picks up the committed .streamlit/config.toml.
    process_env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        **(env or {}),
    }
    with log.open("wb") as out:
        process = subprocess.Popen(
            streamlit_command(app, port, base_url_path, extra_args),
            cwd=ROOT,
            env=process_env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = StreamlitServer(app, port, base_url_path, process, log)
    wait_healthy(f"`streamlit run {app.name}`", server.url, process, log, timeout_s)
    return server
