"""Servers on 127.0.0.1: free ports, a proxy-free opener, and a process's start and stop."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request
from pathlib import Path

# A direct opener: an http_proxy in the environment must not carry a request to 127.0.0.1.
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))

POLL_INTERVAL_S = 0.1


class DidNotStart(RuntimeError):
    """A server exited or never answered its health check; the message holds its output."""


def free_port() -> int:
    """A free TCP port on 127.0.0.1.

    The port is released before the server binds it; a collision in that instant is unlikely and
    shows up as a clear start-up failure rather than a wrong server.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def answers_health(url: str, timeout_s: float = 1.0) -> bool:
    """Whether Streamlit's health endpoint under ``url`` (which ends in a slash) answers 200."""
    try:
        with DIRECT.open(f"{url}_stcore/health", timeout=timeout_s) as response:
            return bool(response.status == 200)
    except OSError:  # not listening yet, refused, timed out, or an HTTP error status
        return False


def wait_healthy(
    name: str, url: str, process: subprocess.Popen[bytes], log: Path, timeout_s: float
) -> None:
    """Poll ``url``'s health endpoint until it answers.

    Raises ``DidNotStart`` (after stopping ``process``) if the process exits first or
    ``timeout_s`` passes, with ``log``'s text so the failure explains itself.
    """
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            what = f"exited with code {process.returncode}"
            break
        if answers_health(url):
            return
        time.sleep(POLL_INTERVAL_S)  # poll interval, not a wait for readiness
    else:
        what = f"did not answer {url}_stcore/health within {timeout_s:.0f} s"
    stop(process)
    output = log.read_text(encoding="utf-8", errors="replace").strip() if log.exists() else ""
    raise DidNotStart(f"{name} {what}. Its output ({log}):\n{output or '(nothing)'}")


def stop(process: subprocess.Popen[bytes]) -> None:
    """Terminate ``process`` and wait for it; kill it if it has not gone in 10 s."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
