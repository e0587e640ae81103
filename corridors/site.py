"""Everything the page needs that does not depend on the reader: built once per process.

`shared_site` keeps one `Site` per data folder and day for the life of the process. It is not
a Streamlit cache on purpose: any client can ask Streamlit to clear those, and rebuilding
(loading, checking and simplifying every file, about half a second of CPU) on request would let
one client slow every page load. Loading is lenient: a broken file or feature is left out and
listed in ``Site.problems``, so the page shows the rest and says what is missing.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import threading
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from corridors.article import Article
from corridors.assets import MapAssets, ensure_leaflet, publish_map
from corridors.dataset import GEODATA, Dataset, load_dataset
from corridors.details import Details, corridor_details, country_details, disputed_details
from corridors.encoding import to_json
from corridors.errors import Problem, Problems
from corridors.layers import Catalogue, build_catalogue
from corridors.mapdata import build_map_data, change_days
from corridors.ports import ports
from corridors.routes import OncePerKey
from corridors.schema import POINT_KINDS
from corridors.seanetwork import network
from corridors.share import Vocabulary
from corridors.timeline import AXIS_START, Event, timeline_chart, timeline_events

# Readers' articles a process keeps its derived site for (each shares the data; each holds its
# own timeline chart, about 100 KB).
READER_SITES = 32


@dataclass(frozen=True)
class Site:
    """The loaded data, its layers, the ids a link may name, and the published map files."""

    data: Dataset
    article: Article | None  # None if no article could be loaded (see problems)
    catalogue: Catalogue
    vocab: Vocabulary
    assets: MapAssets
    map_data: bytes
    as_of: dt.date  # today, for this process: the last day the date control reaches
    events: tuple[Event, ...]  # every dated event, the article's date among them, by day
    change_days: frozenset[dt.date]  # each day on which something the map draws changes
    app_dir: Path  # the page script's folder, whose static/ the map's files are published in

    @functools.cached_property
    def date_stops(self) -> tuple[dt.date, ...]:
        """The date slider's stops, in order: each change day, each event's day (the
        article's date among them) and today, within the days a link may show."""
        stops = self.change_days | {e.day for e in self.events} | {self.as_of}
        vocab = self.vocab
        return tuple(sorted(d for d in stops if vocab.first_day <= d <= vocab.last_day))

    @functools.cached_property
    def timeline(self) -> Mapping[str, Any]:
        """The timeline chart, without the page's date (`with_date`)."""
        return timeline_chart(self.events, AXIS_START, self.as_of)

    @functools.cached_property
    def _reader_sites(self) -> OncePerKey:
        return OncePerKey(READER_SITES)

    def with_article(self, article: Article) -> Site:
        """This site with a reader's ``article`` beside the map instead of the seed: its
        paragraphs are the ones a link may name, its date an event on the timeline and a stop
        on the slider. Made once per article per process; everything else is shared."""
        return self._reader_sites.get(article.id, lambda: self._showing(article))

    def _showing(self, article: Article) -> Site:
        vocab = replace(self.vocab, paragraphs=frozenset(p.id for p in article.paragraphs))
        events = tuple(timeline_events(self.data, article.meta.date))
        return replace(self, article=article, vocab=vocab, events=events)

    @property
    def problems(self) -> tuple[Problem, ...]:
        """What loading left out or repaired, for the page to show."""
        return self.data.problems

    @functools.cached_property
    def corridor_names(self) -> Mapping[str, str]:
        """Corridor id → name, in data order."""
        frame = self.data.corridors.drop_duplicates("corridor")
        return dict(zip(frame["corridor"], frame["name"], strict=True))

    @functools.cached_property
    def corridor_choices(self) -> Mapping[str, str]:
        """Corridor id → how a list of them names it: the corridors, then the places, each
        marked as one (ports, crossings and venues are points, not routes)."""
        frame = self.data.corridors.drop_duplicates("corridor")
        rows = zip(frame["corridor"], frame["name"], frame["kind"].isin(POINT_KINDS), strict=True)
        ordered = sorted(rows, key=lambda row: bool(row[2]))  # stable: data order in each group
        return {corridor: f"Place: {name}" if point else name for corridor, name, point in ordered}

    @functools.cached_property
    def country_names(self) -> Mapping[str, str]:
        """ISO alpha-3 → English short name."""
        frame = self.data.countries
        return dict(zip(frame["iso_a3"], frame["name"], strict=True))

    @functools.cached_property
    def place_names(self) -> Mapping[str, str]:
        """Every id a click on a country may select (`Vocabulary.countries`) → its name: the
        countries and the disputed areas."""
        disputed = self.data.disputed
        return {**self.country_names, **dict(zip(disputed["id"], disputed["name"], strict=True))}

    @property
    def border_tiles(self) -> Mapping[str, bytes] | None:
        """The detailed-border tiles to publish beside the map's data (None without them)."""
        return _border_tiles(self.data)

    def details(self, corridor: str, when: dt.date) -> Details:
        """Everything the data says about ``corridor``, its status as on ``when``."""
        rows = self.data.corridors
        return corridor_details(
            rows[rows["corridor"] == corridor], when, countries=self.data.countries
        )

    def place_details(self, country: str, when: dt.date) -> Details:
        """A country's memberships with their sources, or a disputed area's holders on
        ``when``: what the map says of it where a reader clicked it."""
        disputed = self.data.disputed
        if country in set(disputed["id"]):
            row = disputed[disputed["id"] == country].iloc[0].to_dict()
            return disputed_details(row, self.country_names, when)
        members = self.data.memberships
        rows = [
            {str(k): v for k, v in row.items()}
            for row in members[members["iso_a3"] == country].to_dict("records")
        ]
        return country_details(self.country_names.get(country, country), rows)


def load_site(app_dir: Path, as_of: dt.date, root: Path = GEODATA) -> Site:
    """Load ``root`` leniently, build the layers and publish the map's files under ``app_dir``.

    Raises `OfflineAssetError` if the files cannot be written; data problems never raise.
    """
    data = load_dataset(root, Problems(strict=False))
    article = data.articles[0] if data.articles else None
    catalogue = build_catalogue(data.corridors)
    events = tuple(timeline_events(data, article.meta.date if article else None))
    # Every layer is shown by default; a link may show any day from the first event to today.
    vocab = Vocabulary(
        layers=catalogue.ids,
        default_layers=catalogue.ids,
        corridors=frozenset(data.corridors["corridor"]),
        paragraphs=frozenset(p.id for p in article.paragraphs) if article else frozenset(),
        countries=frozenset(data.countries["iso_a3"]) | frozenset(data.disputed["id"]),
        first_day=min([as_of, *(e.day for e in events)]),
        last_day=as_of,
        ports=frozenset(ports()),
    )
    # The routing network takes about 0.3 s to build: built now, beside the page's first load,
    # the first comparison a reader asks for does not wait for it.
    threading.Thread(target=network, name="sea-network", daemon=True).start()
    ensure_leaflet(app_dir)
    document = build_map_data(data, catalogue)
    map_data = to_json(document)
    assets = publish_map(app_dir, map_data, _border_tiles(data))
    days = frozenset(change_days(document))
    return Site(data, article, catalogue, vocab, assets, map_data, as_of, events, days, app_dir)


def _border_tiles(data: Dataset) -> Mapping[str, bytes] | None:
    return data.detail.tiles if data.detail else None


_LOADING = threading.Lock()


def shared_site(app_dir: Path, as_of: dt.date, root: Path = GEODATA) -> Site:
    """`load_site`, once per process for each folder and day (see the module docstring).

    Sessions run in threads of one process, and a shared link opened by a room at once would
    otherwise load the data once per session in parallel (measured: 25 sessions on a fresh
    server spent 80% of 15 s of CPU loading). The lock makes the first one load and the rest
    wait for it.
    """
    with _LOADING:
        return _cached_site(app_dir, as_of, root)


@functools.lru_cache(maxsize=4)
def _cached_site(app_dir: Path, as_of: dt.date, root: Path) -> Site:
    site = load_site(app_dir, as_of, root)
    # The data lives as long as the process: out of the garbage collector's reach, a full
    # collection no longer walks all of it again while every session waits (under load,
    # collections took a tenth of the server's time). What reruns create is still collected.
    gc.freeze()
    return site
