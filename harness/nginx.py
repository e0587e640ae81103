"""Debian's nginx running the shipped deploy/nginx/corridors.conf in front of Streamlit replicas."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from harness.loopback import free_port, stop, wait_healthy

ROOT = Path(__file__).resolve().parents[1]
NGINX_CONF = ROOT / "deploy" / "nginx" / "corridors.conf"
# Debian installs it in /usr/sbin, which is not on an ordinary user's PATH.
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

START_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class NginxProxy:
    """nginx on 127.0.0.1 running the shipped site config, its files and log in ``prefix``."""

    port: int
    process: subprocess.Popen[bytes]
    prefix: Path

    @property
    def url(self) -> str:
        """The proxy's root URL, with a trailing slash."""
        return f"http://127.0.0.1:{self.port}/"

    def stop(self) -> None:
        """Stop nginx (a no-op once it has exited)."""
        stop(self.process)


def nginx_command(
    prefix: Path, listen_port: int, replica_ports: Iterable[int], workers: str = "1"
) -> list[str]:
    """Write an nginx setup into ``prefix`` and return the command that runs it in the foreground.

    The site is the shipped deploy/nginx/corridors.conf with only its listen port changed; the
    replica list is the one file a deployment writes itself.
    """
    site, listens = re.subn(
        r"^    listen 80;$",
        f"    listen 127.0.0.1:{listen_port};",
        NGINX_CONF.read_text(encoding="utf-8"),
        flags=re.M,
    )
    if listens != 1:
        raise RuntimeError(f"{NGINX_CONF}: no longer listens on port 80 (one `listen 80;` line)")
    (prefix / "corridors.conf").write_text(site, encoding="utf-8")
    (prefix / "corridors-replicas.conf").write_text(
        "".join(f"server 127.0.0.1:{p} max_fails=3 fail_timeout=10s;\n" for p in replica_ports),
        encoding="utf-8",
    )
    temp = "".join(
        f"{kind}_temp_path {prefix / kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    # As root, workers would drop to `nobody`, who cannot write into this tmp prefix.
    user = "user root;\n" if os.geteuid() == 0 else ""
    (prefix / "nginx.conf").write_text(
        f"{user}worker_processes {workers};\ndaemon off;\npid {prefix / 'nginx.pid'};\n"
        f"error_log {prefix / 'error.log'} warn;\nevents {{ worker_connections 1024; }}\n"
        f"http {{\naccess_log off;\n{temp}include {prefix / 'corridors.conf'};\n}}\n",
        encoding="utf-8",
    )
    return [NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf")]


def start_nginx(
    prefix: Path,
    replica_ports: Iterable[int],
    workers: str = "1",
    timeout_s: float = START_TIMEOUT_S,
) -> NginxProxy:
    """Run nginx from ``prefix`` in front of ``replica_ports``; return once the page's health
    check answers through it.

    Raises ``DidNotStart`` (with nginx's error log) if nginx exits or the health check stays
    unanswered for ``timeout_s``.
    """
    port = free_port()
    process = subprocess.Popen(
        nginx_command(prefix, port, replica_ports, workers),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    proxy = NginxProxy(port, process, prefix)
    wait_healthy("nginx", proxy.url, process, prefix / "error.log", timeout_s)
    return proxy
