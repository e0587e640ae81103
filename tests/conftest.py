"""Shared fixtures: the committed dataset, loaded once per test session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from corridors.dataset import GEODATA, Dataset, load_dataset
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
