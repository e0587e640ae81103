"""Shared fixtures: the committed dataset, loaded once per test session, and the databases the
article store runs on (a SQLite file, and a real PostgreSQL server started once per session)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from corridors import articles
from corridors.dataset import GEODATA, Dataset, load_dataset
from harness.postgres import PostgresServer, start_postgres
from tests.mutations import copy_geodata
from tests.pagecopy import ROOT, remove_copy


def _files(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="session", autouse=True)
def checkout_static_untouched() -> Iterator[None]:
    """A test run leaves the checkout's static/ as it found it (tests run tests.pagecopy)."""
    static = ROOT / "static"
    before = _files(static)
    yield
    after = _files(static)
    changed = sorted(set(before.items()) ^ set(after.items()))
    assert not changed, f"the tests changed the checkout's static/: {changed[:5]}"


@pytest.fixture(scope="session", autouse=True)
def article_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Readers' articles the tests save (in-process pages and served ones, which inherit the
    environment) go to a database of the session's, never the checkout's var/."""
    url = f"sqlite:///{tmp_path_factory.mktemp('articles') / 'articles.sqlite3'}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(articles.SETTING, url)
        yield


def pytest_sessionfinish() -> None:
    """Remove the page's temporary copy."""
    remove_copy()


@pytest.fixture(scope="session")
def geodata() -> Path:
    """The committed geodata/ folder."""
    return GEODATA


@pytest.fixture(scope="session")
def dataset() -> Dataset:
    """The committed data, loaded and validated exactly as the app loads it."""
    return load_dataset()


@pytest.fixture
def geodata_copy(geodata: Path, tmp_path: Path) -> Path:
    """A fresh copy of geodata/ (as ``tmp_path / "geodata"``) for a test to break."""
    return copy_geodata(geodata, tmp_path / "geodata")


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """Debian's PostgreSQL, in a temporary directory on a free loopback port."""
    server = start_postgres()
    yield server
    server.remove()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database for one test: a SQLite file, or a new database on the real server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'articles.sqlite3'}"
    server: PostgresServer = request.getfixturevalue("postgres")
    return server.new_database()
