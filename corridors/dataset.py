"""Everything in geodata/, loaded and cross-checked as one consistent dataset."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

import geopandas as gpd
import pandas as pd

from corridors import references, registry
from corridors.article import Article, read_article
from corridors.borders import Detail, read_detail
from corridors.errors import DataError, Problem, Problems
from corridors.gazetteer import Gazetteer, read_gazetteer
from corridors.loader import load_corridors, read_layer
from corridors.memberships import read_memberships
from corridors.registry import GEODATA as GEODATA  # re-exported: the page and tools use it
from corridors.schema import COUNTRIES, DISPUTED, MEMBERSHIP_COLUMNS

T = TypeVar("T")


@dataclass(frozen=True)
class Dataset:
    """The map's data: corridors, countries (UN view, disputed areas apart), blocs and articles.

    ``problems`` lists what a lenient load left out or repaired (see `corridors.errors`).
    """

    corridors: gpd.GeoDataFrame
    countries: gpd.GeoDataFrame
    disputed: gpd.GeoDataFrame
    memberships: pd.DataFrame
    gazetteer: Gazetteer
    articles: tuple[Article, ...]
    detail: Detail | None  # None if the detailed borders could not be loaded (see problems)
    problems: tuple[Problem, ...] = ()


def _read(problems: Problems, read: Callable[[], T], fallback: Callable[[], T]) -> T:
    """``read()``, or ``fallback()`` once the problem that stopped it is recorded."""
    try:
        return read()
    except DataError as exc:
        problems.failed(exc)
        return fallback()


def _read_articles(root: Path, problems: Problems) -> tuple[Article, ...]:
    """Every built article under ``root``; one that cannot be read is reported and left out."""
    # Built articles sit beside their raw captures and .meta.json sidecars (the build's inputs).
    built = sorted(
        p
        for p in (root / registry.ARTICLES_DIR).glob("*.json")
        if not p.name.endswith(".meta.json")
    )
    for meta in sorted((root / registry.ARTICLES_DIR).glob("*.meta.json")):
        expected = meta.with_name(meta.name.removesuffix(".meta.json") + ".json")
        if expected not in built:
            problems.report(expected.name, "the built article is missing: run `make data`")
    articles: list[Article] = []
    for path in built:
        try:
            articles.append(read_article(path))
        except DataError as exc:
            problems.failed(exc)
    return tuple(articles)


def load_dataset(root: Path = GEODATA, problems: Problems | None = None) -> Dataset:
    """Load and validate every file under ``root``.

    Strict by default: the first problem raises `DataError`. With a lenient ``problems``,
    whatever a problem spoils is left out (a feature, a row, a link, a whole file) and the
    rest loads. References between the files are then checked in one pass (see
    `corridors.references`); a reference into a file that failed as a whole is not reported.
    """
    problems = problems if problems is not None else Problems()
    corridors = load_corridors(root / registry.CORRIDORS_FILE, problems)
    countries = read_layer(root / COUNTRIES.file, COUNTRIES, problems)
    disputed = read_layer(root / DISPUTED.file, DISPUTED, problems)
    memberships = _read(
        problems,
        lambda: read_memberships(root / registry.MEMBERSHIPS_FILE, problems),
        lambda: pd.DataFrame([], columns=list(MEMBERSHIP_COLUMNS), dtype=object),
    )
    known = references.targets(corridors, countries, problems)
    gazetteer = _read(
        problems,
        lambda: read_gazetteer(
            root / registry.GAZETTEER_FILE,
            known_ids={"corridor": known.named("corridor"), "bloc": known.named("bloc")},
        ),
        lambda: Gazetteer(()),
    )
    articles = _read_articles(root, problems)
    detail = _read(problems, lambda: read_detail(root / registry.DETAIL_FILE), lambda: None)
    loaded = Dataset(corridors, countries, disputed, memberships, gazetteer, articles, detail)
    return replace(references.resolve(loaded, known, problems), problems=problems.items)
