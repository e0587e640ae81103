"""Shared fixtures: the committed dataset, loaded once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from corridors.dataset import GEODATA, Dataset, load_dataset


@pytest.fixture(scope="session")
def geodata() -> Path:
    """The committed geodata/ folder."""
    return GEODATA


@pytest.fixture(scope="session")
def dataset() -> Dataset:
    """The committed data, loaded and validated exactly as the app loads it."""
    return load_dataset()
