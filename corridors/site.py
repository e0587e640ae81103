"""Everything the page needs that does not depend on the reader: built once per process.

The page caches `load_site` (``st.cache_resource``) and builds only the view on each rerun. A
cleared cache rebuilds it in about half a second; the map's files keep their content-hashed
names, so browsers holding the old ones keep working.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from corridors.article import Article
from corridors.assets import MapAssets, ensure_leaflet, publish_map
from corridors.dataset import GEODATA, Dataset, load_dataset
from corridors.details import Details, corridor_details
from corridors.errors import DataError
from corridors.layers import Catalogue, build_catalogue
from corridors.mapdata import build_map_data, to_json
from corridors.share import Vocabulary


@dataclass(frozen=True)
class Site:
    """The loaded data, its layers, the ids a link may name, and the published map files."""

    data: Dataset
    article: Article
    catalogue: Catalogue
    vocab: Vocabulary
    assets: MapAssets
    map_data: bytes
    as_of: dt.date

    @property
    def corridor_names(self) -> Mapping[str, str]:
        """Corridor id → name, in data order."""
        frame = self.data.corridors.drop_duplicates("corridor")
        return dict(zip(frame["corridor"], frame["name"], strict=True))

    @property
    def country_names(self) -> Mapping[str, str]:
        """ISO alpha-3 → English short name."""
        frame = self.data.countries
        return dict(zip(frame["iso_a3"], frame["name"], strict=True))

    def details(self, corridor: str) -> Details:
        """Everything the data says about ``corridor``."""
        rows = self.data.corridors
        return corridor_details(rows[rows["corridor"] == corridor])


def load_site(app_dir: Path, as_of: dt.date, root: Path = GEODATA) -> Site:
    """Load ``root``, build the layers and publish the map's files under ``app_dir/static``.

    Raises `DataError` for a broken data file and `OfflineAssetError` if the files cannot be
    written.
    """
    data = load_dataset(root)
    if not data.articles:
        raise DataError("articles/", "no built article to show beside the map")
    article = data.articles[0]
    catalogue = build_catalogue(data.corridors)
    vocab = catalogue.vocabulary(
        corridors=list(dict.fromkeys(data.corridors["corridor"])),
        paragraphs=[p.id for p in article.paragraphs],
    )
    ensure_leaflet(app_dir)
    map_data = to_json(build_map_data(data, catalogue, as_of))
    assets = publish_map(app_dir, map_data)
    return Site(data, article, catalogue, vocab, assets, map_data, as_of)
