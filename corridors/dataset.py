"""Everything in geodata/, loaded and cross-checked as one consistent dataset."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from corridors.article import Article, read_article
from corridors.errors import DataError
from corridors.gazetteer import Gazetteer, read_gazetteer
from corridors.loader import load_corridors, read_layer
from corridors.memberships import read_memberships
from corridors.schema import BLOCS, COUNTRIES, DISPUTED

GEODATA = Path(__file__).resolve().parent.parent / "geodata"


@dataclass(frozen=True)
class Dataset:
    """The map's data: corridors, countries (UN view, disputed areas apart), blocs and articles."""

    corridors: gpd.GeoDataFrame
    countries: gpd.GeoDataFrame
    disputed: gpd.GeoDataFrame
    memberships: pd.DataFrame
    gazetteer: Gazetteer
    articles: tuple[Article, ...]

    @property
    def corridor_ids(self) -> frozenset[str]:
        """Ids of whole corridors (segments share their corridor's id)."""
        return frozenset(self.corridors["corridor"])


def load_dataset(root: Path = GEODATA) -> Dataset:
    """Load and validate every file under ``root``; the first problem raises ``DataError``."""
    corridors = load_corridors(root / "corridors.geojson")
    countries = read_layer(root / COUNTRIES.file, COUNTRIES)
    disputed = read_layer(root / DISPUTED.file, DISPUTED)
    memberships = read_memberships(root / "memberships.csv")
    corridor_ids = frozenset(corridors["corridor"])
    gazetteer = read_gazetteer(
        root / "gazetteer.csv", known_ids={"corridor": corridor_ids, "bloc": BLOCS}
    )
    # Built articles sit beside their raw captures and .meta.json sidecars (the build's inputs).
    built = sorted(
        p for p in (root / "articles").glob("*.json") if not p.name.endswith(".meta.json")
    )
    articles = tuple(read_article(p) for p in built)
    country_ids = frozenset(countries["iso_a3"])

    for column in ("un_iso_a3", "de_facto_iso_a3"):
        for row in disputed.itertuples():
            owner = getattr(row, column)
            if owner is not None and owner not in country_ids:
                raise DataError(
                    DISPUTED.file, f"{column} {owner!r} is not in {COUNTRIES.file}", row.id
                )
    for code in memberships["iso_a3"]:
        if code not in country_ids:
            raise DataError("memberships.csv", f"country {code!r} is not in {COUNTRIES.file}", code)
    for row in corridors.itertuples():
        for code in [row.country, *(row.countries or [])]:
            if code is not None and code not in country_ids:
                raise DataError(
                    "corridors.geojson", f"country {code!r} is not in {COUNTRIES.file}", row.id
                )
    for article in articles:
        file = f"{article.id}.json"
        for paragraph in article.paragraphs:
            for kind, ids, known in (
                ("corridor", paragraph.corridors, corridor_ids),
                ("country", paragraph.countries, country_ids),
                ("bloc", paragraph.blocs, BLOCS),
            ):
                for unknown in sorted(set(ids) - known):
                    raise DataError(file, f"links unknown {kind} {unknown!r}", paragraph.id)
    return Dataset(corridors, countries, disputed, memberships, gazetteer, articles)
