"""What the browser tests and the benchmark share to run the page on loopback: Debian's Chromium
with quiet flags, free ports, a proxy-free opener, and nginx running the shipped site config."""

from __future__ import annotations

import os
import re
import shutil
import socket
import urllib.request
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Playwright cannot download its own browser here; Debian's package is what CI installs too.
CHROMIUM = "/usr/bin/chromium"
# Quiet on a closed network: no QUIC probes, no first-run, update, sync or background traffic.
# Even so, Chromium's own services still look up update.googleapis.com and accounts.google.com
# (seen with strace; Playwright's routing never sees these), so every host name except localhost
# fails inside Chromium, before a DNS query is sent (IP literals match `*` too, hence 127.0.0.1).
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
)

# A direct opener: an http_proxy in the environment must not carry a request to 127.0.0.1.
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))

NGINX_CONF = ROOT / "deploy" / "nginx" / "corridors.conf"
# Debian installs it in /usr/sbin, which is not on an ordinary user's PATH.
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def free_port() -> int:
    """A free TCP port on 127.0.0.1.

    The port is released before the server binds it; a collision in that instant is unlikely and
    shows up as a clear start-up failure rather than a wrong server.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


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
        raise RuntimeError("corridors.conf no longer listens on port 80")
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
