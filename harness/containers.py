"""Container images and containers with Debian's podman: daemonless, run as root here.

The Dockerfile starts ``FROM python:3.11-slim`` and the compose file runs ``nginx:1.27`` and
``postgres:16``. Where no image registry can be reached (this workplace reaches package
registries only), the base images are stood in for from Debian's own packages:
`ensure_base_images` builds a Debian bookworm root with debootstrap, with Python in a virtual
environment at /usr/local (where the official image keeps it, so ``pip`` installs without
Debian's externally-managed guard), and tags it with the official name; the nginx stand-in is
that root plus Debian's nginx, the PostgreSQL one that root plus Debian's postgresql with an
entry point that honours the official image's POSTGRES_USER, POSTGRES_PASSWORD and POSTGRES_DB
on a first start (its server is Debian's version 15, not 16: the compose file's use, a
database for the articles, is the same on both). The
machine's CA bundle goes into the stand-in so pip in the build trusts what the machine trusts.
Where a registry answers, the real images are pulled and nothing is stood in.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

PYTHON_IMAGE = "docker.io/library/python:3.11-slim"
NGINX_IMAGE = "docker.io/library/nginx:1.27"
POSTGRES_IMAGE = "docker.io/library/postgres:16"
DEBIAN_SUITE = "bookworm"
DEBIAN_MIRROR = "http://deb.debian.org/debian"
CA_BUNDLE = Path("/etc/ssl/certs/ca-certificates.crt")

# The nginx stand-in: the official image's layout (sites in conf.d/, nginx in the foreground).
_NGINX_CONTAINERFILE = f"""FROM {PYTHON_IMAGE}
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx \\
    && rm -rf /var/lib/apt/lists/* /etc/nginx/sites-enabled/default
CMD ["nginx", "-g", "daemon off;"]
"""
# The PostgreSQL stand-in: the official image's data directory, variables and command.
_POSTGRES_CONTAINERFILE = f"""FROM {PYTHON_IMAGE}
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql \\
    && rm -rf /var/lib/apt/lists/* \\
    && mkdir -p /var/lib/postgresql/data && chown postgres:postgres /var/lib/postgresql/data
COPY entrypoint.sh /usr/local/bin/docker-entrypoint.sh
ENV PGDATA=/var/lib/postgresql/data
USER postgres
ENTRYPOINT ["sh", "/usr/local/bin/docker-entrypoint.sh"]
CMD ["postgres"]
"""
_POSTGRES_ENTRYPOINT = """set -eu
PATH="$(dirname /usr/lib/postgresql/*/bin/postgres):$PATH"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
    printf '%s' "$POSTGRES_PASSWORD" > /tmp/pw
    initdb -D "$PGDATA" -U "${POSTGRES_USER:-postgres}" --pwfile=/tmp/pw -E UTF8 \\
        --auth-local=trust --auth-host=scram-sha-256
    rm /tmp/pw
    pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -k /tmp" -w start
    createdb -h /tmp -U "${POSTGRES_USER:-postgres}" "${POSTGRES_DB:-${POSTGRES_USER:-postgres}}"
    pg_ctl -D "$PGDATA" -m fast -w stop
fi
shift  # "postgres": the server, found on the PATH above
exec postgres -D "$PGDATA" -k /tmp "$@"
"""


# This machine's limits, in a containers.conf of the harness's own: the sandbox gives root no
# CAP_SYS_RESOURCE, so podman's default limits (over a million open files and processes) cannot
# be set and are lowered to what the tests need; and crun refuses its hybrid cgroup layout,
# which runc with cgroupfs accepts. Production runs none of this: it is how tests run here.
_CONTAINERS_CONF = """[containers]
default_ulimits = ["nofile=4096:4096", "nproc=4096:4096"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
"""


def environment() -> dict[str, str]:
    """The environment for podman (and podman-compose) on this machine (see above)."""
    conf = Path(tempfile.gettempdir()) / "corridors-containers.conf"
    if not conf.is_file() or conf.read_text(encoding="utf-8") != _CONTAINERS_CONF:
        conf.write_text(_CONTAINERS_CONF, encoding="utf-8")
    return {**os.environ, "CONTAINERS_CONF": str(conf)}


class ContainerError(RuntimeError):
    """A podman or debootstrap command failed; the message holds its output."""


def podman(*args: str, timeout_s: float = 1800, check: bool = True) -> str:
    """Run ``podman args…`` and return its standard output; `ContainerError` if it fails."""
    return _run(["podman", *args], timeout_s, check).stdout


def logs(name: str, lines: int = 60) -> str:
    """The last ``lines`` lines container ``name`` wrote, to either stream."""
    done = _run(["podman", "logs", "--tail", str(lines), name], 60, check=False)
    return done.stdout + done.stderr


def _run(
    command: Sequence[str],
    timeout_s: float,
    check: bool = True,
    cwd: Path | None = None,
    extra_env: Mapping[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        list(command),
        capture_output=True,
        text=True,
        timeout=timeout_s,
        check=False,
        cwd=cwd,
        env={**environment(), **(extra_env or {})},
    )
    if check and done.returncode != 0:
        raise ContainerError(
            f"`{' '.join(command[:4])} …` exited with {done.returncode}:\n"
            f"{done.stdout[-3000:]}{done.stderr[-3000:]}"
        )
    return done


def image_exists(name: str) -> bool:
    """Whether podman holds the image ``name``."""
    return _run(["podman", "image", "exists", name], 60, check=False).returncode == 0


def _pulled(name: str) -> bool:
    # A closed network refuses at once (no DNS for the registry), so trying costs little.
    return _run(["podman", "pull", "-q", name], 300, check=False).returncode == 0


def ensure_base_images() -> list[str]:
    """Make sure the Python, nginx and PostgreSQL images exist; return the names stood in for."""
    stood_in: list[str] = []
    if not image_exists(PYTHON_IMAGE) and not _pulled(PYTHON_IMAGE):
        _stand_in_python()
        stood_in.append(PYTHON_IMAGE)
    if not image_exists(NGINX_IMAGE) and not _pulled(NGINX_IMAGE):
        with tempfile.TemporaryDirectory(prefix="nginx-standin-") as folder:
            (Path(folder) / "Containerfile").write_text(_NGINX_CONTAINERFILE, encoding="utf-8")
            podman("build", "--network=host", "-t", NGINX_IMAGE, folder)
        stood_in.append(NGINX_IMAGE)
    if not image_exists(POSTGRES_IMAGE) and not _pulled(POSTGRES_IMAGE):
        with tempfile.TemporaryDirectory(prefix="postgres-standin-") as folder:
            (Path(folder) / "Containerfile").write_text(_POSTGRES_CONTAINERFILE, encoding="utf-8")
            (Path(folder) / "entrypoint.sh").write_text(_POSTGRES_ENTRYPOINT, encoding="utf-8")
            podman("build", "--network=host", "-t", POSTGRES_IMAGE, folder)
        stood_in.append(POSTGRES_IMAGE)
    return stood_in


def _stand_in_python() -> None:
    with tempfile.TemporaryDirectory(prefix="python-standin-") as folder:
        root = Path(folder) / "root"
        _run(
            ["debootstrap", "--variant=minbase", "--include=python3,python3-venv,ca-certificates",
             DEBIAN_SUITE, str(root), DEBIAN_MIRROR],
            timeout_s=1800,
        )  # fmt: skip
        _run(["chroot", str(root), "python3", "-m", "venv", "/usr/local"], timeout_s=300)
        shutil.copyfile(CA_BUNDLE, root / CA_BUNDLE.relative_to("/"))
        archive = Path(folder) / "root.tar"
        _run(["tar", "-C", str(root), "-cf", str(archive), "."], timeout_s=600)
        podman(
            "import",
            "--change", "ENV PATH=/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "--change", f"ENV PIP_CERT={CA_BUNDLE}",
            "--change", 'CMD ["python3"]',
            str(archive), PYTHON_IMAGE,
        )  # fmt: skip


def checkout_copy(root: Path, target: Path) -> Path:
    """The files git tracks under ``root``, as they are in the work tree, copied to ``target``:
    what a clean clone holds (plus uncommitted edits), and nothing generated or ignored."""
    listed = _run(["git", "-C", str(root), "ls-files", "-z"], timeout_s=60).stdout.split("\0")
    for name in filter(None, listed):
        source = root / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def compose(project: Path, *args: str, env: dict[str, str], timeout_s: float = 1800) -> str:
    """``podman-compose -f deploy/compose.yml args…`` in ``project``, with ``env`` added."""
    # podman-compose is a PyPI package (requirements-dev.txt), run by this interpreter.
    command = [sys.executable, "-m", "podman_compose", "-f", "deploy/compose.yml", *args]
    return _run(command, timeout_s, cwd=project, extra_env=env).stdout
