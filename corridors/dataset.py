"""Everything in geodata/, loaded and cross-checked as one consistent dataset."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

import geopandas as gpd
import pandas as pd

from corridors import registry
from corridors.article import Article, read_article
from corridors.errors import DataError, Problem, Problems
from corridors.gazetteer import Gazetteer, read_gazetteer
from corridors.loader import load_corridors, read_layer
from corridors.memberships import read_memberships
from corridors.schema import COUNTRIES, DISPUTED, MEMBERSHIP_COLUMNS

T = TypeVar("T")

GEODATA = Path(__file__).resolve().parent.parent / "geodata"


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
    problems: tuple[Problem, ...] = ()

    @property
    def corridor_ids(self) -> frozenset[str]:
        """Ids of whole corridors (segments share their corridor's id)."""
        return frozenset(self.corridors["corridor"])


def _read(problems: Problems, read: Callable[[], T], fallback: Callable[[], T]) -> T:
    """``read()``, or ``fallback()`` once the problem that stopped it is recorded."""
    try:
        return read()
    except DataError as exc:
        problems.failed(exc)
        return fallback()


def _left_out(problems: Problems, file: str) -> frozenset[str]:
    """Ids of the features ``file`` lost to a reported problem (a segment counts as its corridor).

    References to them are dropped without a second report: the first one says why.
    """
    return frozenset(
        p.feature.split("/")[0]
        for p in problems.items
        if p.file == file and p.feature is not None and not p.repaired
    )


def _linked(
    article: Article,
    known: Mapping[str, frozenset[str] | None],
    quiet: Mapping[str, frozenset[str]],
    problems: Problems,
) -> Article:
    """``article`` without links to ids the other files do not have, each one reported.

    A kind whose file failed as a whole (``None`` in ``known``) loses its links silently, as do
    links to features left out (``quiet``): that failure is already reported, once.
    """
    file = f"{article.id}.json"
    paragraphs = []
    for paragraph in article.paragraphs:
        kept: dict[str, tuple[str, ...]] = {}
        for kind, ids in (
            ("corridor", paragraph.corridors),
            ("country", paragraph.countries),
            ("bloc", paragraph.blocs),
        ):
            ids_known = known[kind]
            if ids_known is None:
                kept[kind] = ()
                continue
            for unknown in sorted(set(ids) - ids_known - quiet.get(kind, frozenset())):
                problems.report(file, f"links unknown {kind} {unknown!r}", paragraph.id)
            kept[kind] = tuple(i for i in ids if i in ids_known)
        paragraphs.append(
            replace(
                paragraph,
                corridors=kept["corridor"],
                countries=kept["country"],
                blocs=kept["bloc"],
            )
        )
    return replace(article, paragraphs=tuple(paragraphs))


def load_dataset(root: Path = GEODATA, problems: Problems | None = None) -> Dataset:
    """Load and validate every file under ``root``.

    Strict by default: the first problem raises `DataError`. With a lenient ``problems``,
    whatever a problem spoils is left out (a feature, a row, a link, a whole file) and the
    rest loads; a reference into a file that failed as a whole is not reported again.
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
    corridor_ids = frozenset(corridors["corridor"])
    bloc_ids = frozenset(registry.ids(registry.BLOCS))
    quiet = {"corridor": _left_out(problems, registry.CORRIDORS_FILE)}
    gazetteer = _read(
        problems,
        lambda: read_gazetteer(
            root / registry.GAZETTEER_FILE,
            known_ids={"corridor": corridor_ids | quiet["corridor"], "bloc": bloc_ids},
        ),
        lambda: Gazetteer(()),
    )
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

    country_ids = frozenset(countries["iso_a3"])
    quiet["country"] = _left_out(problems, COUNTRIES.file)
    if len(countries):
        keep = []
        for index, row in disputed.iterrows():
            owners = [
                row[v.owner_column] for v in registry.VIEWS if row[v.owner_column] is not None
            ]
            unknown = [
                f"owner {code!r}"
                for code in owners
                if code not in country_ids and code not in quiet["country"]
            ]
            if unknown:
                problems.report(
                    DISPUTED.file, f"{unknown[0]} is not in {COUNTRIES.file}", row["id"]
                )
            elif all(code in country_ids for code in owners):
                keep.append(index)
        disputed = disputed.loc[keep].reset_index(drop=True)
        known_rows = memberships["iso_a3"].isin(country_ids)
        for code in memberships.loc[~known_rows, "iso_a3"]:
            if code not in quiet["country"]:
                problems.report(
                    registry.MEMBERSHIPS_FILE, f"country {code!r} is not in {COUNTRIES.file}", code
                )
        memberships = memberships.loc[known_rows].reset_index(drop=True)
        for row in corridors.itertuples():
            for code in [row.country, *(row.countries or [])]:
                if code is not None and code not in country_ids | quiet["country"]:
                    # Kept: which country a segment lies in is context, not what is drawn.
                    problems.report(
                        registry.CORRIDORS_FILE,
                        f"country {code!r} is not in {COUNTRIES.file}",
                        row.id,
                    )
    known: dict[str, frozenset[str] | None] = {
        "corridor": corridor_ids if len(corridors) else None,
        "country": country_ids if len(countries) else None,
        "bloc": bloc_ids,
    }
    return Dataset(
        corridors,
        countries,
        disputed,
        memberships,
        gazetteer,
        tuple(_linked(a, known, quiet, problems) for a in articles),
        problems.items,
    )
