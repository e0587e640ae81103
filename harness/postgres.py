"""A real PostgreSQL server from Debian's ``postgresql`` package, in a temporary directory on a
free loopback port, for the tests of the article store and the replicas that share it.

Debian keeps the server's programs in /usr/lib/postgresql/<major>/bin, off PATH; ``initdb``
refuses to run as root, so under root the cluster belongs to the package's ``postgres`` user,
in a directory of its own under the system's temporary directory (pytest's are root's alone).
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from harness.loopback import DidNotStart, free_port, stop

START_TIMEOUT_S = 30.0
DATABASE = "corridors"
_DATABASES = itertools.count(1)


def server_bin() -> Path:
    """The directory holding ``initdb`` and ``postgres``, newest major version first."""
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3])
    )
    if not versions:
        raise FileNotFoundError(
            "PostgreSQL's server programs are missing: `make system-deps` installs Debian's "
            "postgresql package"
        )
    return versions[-1].parent


@dataclass(frozen=True)
class PostgresServer:
    """A running cluster: connect with ``url`` (SQLAlchemy's psycopg URL)."""

    port: int
    process: subprocess.Popen[bytes]
    data: Path

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{DATABASE}"

    def new_database(self) -> str:
        """The URL of a new, empty database on this server (one per test)."""
        name = f"test_{next(_DATABASES)}"
        _createdb(self.port, name)
        return self.url.rsplit("/", 1)[0] + "/" + name

    def stop(self) -> None:
        """Stop the server (a no-op once it has exited): a fast shutdown on SIGTERM."""
        stop(self.process)

    def remove(self) -> None:
        """Stop the server and delete its cluster."""
        self.stop()
        shutil.rmtree(self.data.parent, ignore_errors=True)


@dataclass(frozen=True)
class _Owner:
    """Who runs the server programs: this user, or ``postgres`` when this is root."""

    user: int | None = None
    group: int | None = None
    extra_groups: tuple[int, ...] | None = None


def _as_owner() -> _Owner:
    if os.getuid() != 0:
        return _Owner()
    owner = pwd.getpwnam("postgres")
    return _Owner(owner.pw_uid, owner.pw_gid, ())


def start_postgres() -> PostgresServer:
    """Create a cluster in a new temporary directory (trust authentication, loopback only) and
    start it; `PostgresServer.remove` deletes it.

    Raises ``DidNotStart`` with the server's log if it does not accept connections in time.
    """
    directory = Path(tempfile.mkdtemp(prefix="corridors-postgres-"))
    data = directory / "data"
    data.mkdir()
    owner = _as_owner()
    if owner.user is not None and owner.group is not None:
        for path in (directory, data):
            os.chown(path, owner.user, owner.group)
    subprocess.run(
        [
            server_bin() / "initdb",
            "-D",
            data,
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-instructions",
        ],
        check=True,
        capture_output=True,
        user=owner.user,
        group=owner.group,
        extra_groups=owner.extra_groups,
    )
    server = _launch(data, free_port())
    _createdb(server.port, DATABASE)
    return server


def restart(server: PostgresServer) -> PostgresServer:
    """The stopped ``server``'s cluster started again on its port: a database coming back."""
    server.stop()
    return _launch(server.data, server.port)


def _launch(data: Path, port: int) -> PostgresServer:
    """``postgres`` on the cluster in ``data``, once it accepts connections on ``port``."""
    programs = server_bin()
    owner = _as_owner()
    log = data.parent / "postgres.log"
    with log.open("ab") as output:
        process = subprocess.Popen(
            [
                programs / "postgres",
                "-D",
                data,
                "-h",
                "127.0.0.1",
                "-p",
                str(port),
                "-k",
                str(data.parent),
                "-c",
                "fsync=off",
            ],
            stdout=output,
            stderr=subprocess.STDOUT,
            user=owner.user,
            group=owner.group,
            extra_groups=owner.extra_groups,
        )
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline and process.poll() is None:
        ready = subprocess.run(
            [programs / "pg_isready", "-h", "127.0.0.1", "-p", str(port)], capture_output=True
        )
        if ready.returncode == 0:
            return PostgresServer(port, process, data)
        time.sleep(0.1)  # poll interval, not a wait for readiness
    stop(process)
    raise DidNotStart(f"PostgreSQL did not start on port {port}:\n{log.read_text()}")


def _createdb(port: int, name: str) -> None:
    host = ["-h", "127.0.0.1", "-p", str(port), "-U", "postgres"]
    subprocess.run([server_bin() / "createdb", *host, name], check=True, capture_output=True)
