"""The share link: the map view as one immutable state, and its codec to and from a query string.

The scheme is stable (links in the wild depend on it) and declared once, as the `Parameter`
records in `PARAMETERS`: each names its meaning, what a link without it shows, an example, how a
value is checked, and how it is read and written. The codec below, the README's table
(`markdown_table`, checked by tests/test_docs.py), the rules the map's script follows when it
writes the centre and zoom itself (`browser_rules`) and the table at the end of this docstring
are all derived from those records.

Encoding writes a parameter only when it differs from its default, so the default view's link
is bare, writes parameters in the records' order and ``layers`` in the vocabulary's order, so
one view has one link. The centre is stored at link precision (3 decimals, longitude wrapped
into [-180, 180)), so panning by a pixel leaves the state, and the link, unchanged.

Decoding never raises. Whatever a crafted link holds, it returns a valid state plus short,
plain-text notices saying what was ignored:

* Unknown parameters are ignored; Streamlit's own ``embed`` and ``embed_options`` silently.
* A repeated parameter uses its **last** value, as ``st.query_params[key]`` does, so a link
  reads the same whichever way the app fetched it.
* A value over 2,000 characters, or a list of over 50 items, is ignored unread.
* Unknown ids are dropped one by one and the rest of the list kept. Ids match exactly: no case
  folding, Unicode normalisation or second percent-decoding, so look-alikes never resolve.
  If ``layers`` names layers but none is known, the default layers are shown rather than none.
* An empty value counts as absent, except ``layers=``, which means every layer off.

Notices echo at most 40 characters of an offending value, with each run of control, format
(including bidi overrides and zero-width characters) and separator characters shown as one
U+FFFD. They are plain text: show them with ``st.text``, or escape Markdown first, since
``st.warning`` and ``st.markdown`` would render a link written in the value.

This module imports only the standard library, `corridors.registry` and `corridors.dates`, so
the page's link handling never loads the geospatial stack.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any, Final, Generic, NamedTuple, TypeVar
from urllib.parse import quote

from corridors import registry
from corridors.dates import format_day
from corridors.escape import INVISIBLE_CATEGORIES
from corridors.schema import LOCODE, READER_ARTICLE_ID

MIN_ZOOM: Final = 1
MAX_ZOOM: Final = 12
# 3 decimals of a degree is ~100 m: finer than the map ever needs, coarse enough that the link
# does not change with every pixel of panning.
CENTER_DECIMALS: Final = 3
MAX_VALUE_CHARS: Final = 2_000
MAX_ITEMS: Final = 50
# Enough for any id this app mints, short enough that a notice stays one readable line.
ECHO_CHARS: Final = 40
# More notices than this would bury the map under a hostile link's complaints.
MAX_NOTICES: Final = 10
# Items of a list value are separated by this, written as is (never percent-encoded).
SEPARATOR: Final = ","

# Streamlit's own parameters, which its to_dict() hides too and a share link keeps as it found.
PAGE_PARAMETERS: Final = ("embed", "embed_options")
# URL-unreserved characters only, so an id needs no escaping and can never contain the comma
# that separates list items.
_ID: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~-]{0,63}")
# Plain decimal degrees. Not float(), which also takes "nan", "1e308", "1_0" and non-ASCII
# digits ("٣"), none of which a link of ours ever holds.
_DEGREES: Final = re.compile(r"[+-]?[0-9]{1,3}(?:\.[0-9]{1,20})?")
_ZOOM: Final = re.compile(r"[0-9]{1,2}")
_DAY: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# Knots as a person writes them: 14, 14.5, 9.25; never "1e1", "nan" or "٣".
_KNOTS: Final = re.compile(r"[0-9]{1,3}(?:\.[0-9]{1,2})?")
_ITEM_PADDING: Final = " \t"


def _wrap_longitude(lon: float) -> float:
    """``lon`` at link precision, wrapped into [-180, 180)."""
    if not -180.0 <= lon < 180.0:
        lon = (lon + 180.0) % 360.0 - 180.0
    # Rounding after wrapping, so the wrap's float error does not survive into the link.
    lon = round(lon, CENTER_DECIMALS)
    # 179.9996 rounds to 180, which is the same meridian as -180; keep one spelling. Adding
    # 0.0 turns -0.0 into 0.0 so a link never reads "-0".
    return -180.0 if lon == 180.0 else lon + 0.0


@dataclass(frozen=True)
class ViewState:
    """What a share link restores: start from `Vocabulary.default_state`, vary with `replace`.

    Raises ValueError on a structurally impossible value (zoom 13, latitude 91, repeated
    layer, an undeclared border view); whether the ids exist in the data is the vocabulary's
    question (`Vocabulary.check`). ``center`` is rounded to link precision and its longitude
    wrapped on construction, so the app may pass the map's raw centre.
    """

    layers: tuple[str, ...]
    focus: str | None = None
    country: str | None = None  # a selected country or disputed area (ISO alpha-3 or its id)
    excerpt: str | None = None
    basemap: str = registry.DEFAULT_BASEMAP
    boundaries: str = registry.DEFAULT_VIEW
    center: tuple[float, float] | None = None
    zoom: int | None = None
    date: dt.date | None = None  # None: today, whichever day the link is opened
    route: tuple[str, str] | None = None  # (origin, destination) UN/LOCODEs of a comparison
    speed: float = registry.SHIP_SPEED_KN.default  # knots, for days at sea
    article: str | None = None  # a reader's stored article; None: the seed article

    def __post_init__(self) -> None:
        if not isinstance(self.layers, tuple) or not all(isinstance(x, str) for x in self.layers):
            raise ValueError(f"layers must be a tuple of ids, not {self.layers!r}")
        if len(set(self.layers)) != len(self.layers):
            raise ValueError(f"layers must not repeat an id: {self.layers!r}")
        views = registry.ids(registry.VIEWS)
        if self.boundaries not in views:
            raise ValueError(f"boundaries must be one of {views}, not {self.boundaries!r}")
        zoom = self.zoom
        if zoom is not None and (
            isinstance(zoom, bool) or not isinstance(zoom, int) or not MIN_ZOOM <= zoom <= MAX_ZOOM
        ):
            raise ValueError(f"zoom must be a whole number {MIN_ZOOM}-{MAX_ZOOM}, not {zoom!r}")
        if self.center is not None:
            object.__setattr__(self, "center", _normal_center(self.center))
        if self.date is not None and (
            not isinstance(self.date, dt.date) or isinstance(self.date, dt.datetime)
        ):
            raise ValueError(f"date must be a datetime.date or None, not {self.date!r}")
        route = self.route
        if route is not None and not (
            isinstance(route, tuple)
            and len(route) == 2
            and all(isinstance(code, str) and LOCODE.fullmatch(code) for code in route)
            and route[0] != route[1]
        ):
            raise ValueError(f"route must be two different UN/LOCODEs, not {route!r}")
        speeds = registry.SHIP_SPEED_KN
        speed = self.speed
        if (
            isinstance(speed, bool)
            or not isinstance(speed, int | float)
            or not speeds.low <= speed <= speeds.high
        ):
            raise ValueError(f"speed must be {speeds.low:g}-{speeds.high:g} knots, not {speed!r}")
        if self.article is not None and not (
            isinstance(self.article, str) and READER_ARTICLE_ID.fullmatch(self.article)
        ):
            raise ValueError(f"article must be a stored article's id, not {self.article!r}")


def _normal_center(center: tuple[float, float]) -> tuple[float, float]:
    """``center`` at link precision; ValueError if it is not a point on the globe."""
    lat, lon = center
    if not all(isinstance(x, int | float) and not isinstance(x, bool) for x in (lat, lon)):
        raise ValueError(f"center must be two numbers (lat, lon), not {center!r}")
    if not (math.isfinite(lat) and math.isfinite(lon)):
        raise ValueError(f"center must be finite, not {center!r}")
    if not -90.0 <= lat <= 90.0:
        raise ValueError(f"center latitude must be between -90 and 90, not {lat!r}")
    return round(float(lat), CENTER_DECIMALS) + 0.0, _wrap_longitude(float(lon))


def _declared_basemaps() -> tuple[str, ...]:
    return registry.ids(registry.BASEMAPS)


@dataclass(frozen=True)
class Vocabulary:
    """The ids a link may name, taken from the loaded data; ``layers`` order is canonical.

    Raises ValueError if an id is not URL-safe, or if every layer at once would not fit in a
    link the decoder accepts (so any valid state round-trips).
    """

    layers: tuple[str, ...]
    default_layers: tuple[str, ...]
    corridors: frozenset[str]
    paragraphs: frozenset[str]
    # The countries and disputed areas a click may select.
    countries: frozenset[str] = frozenset()
    basemaps: tuple[str, ...] = field(default_factory=_declared_basemaps)
    # The days a link may show: from the data's first dated event to today.
    first_day: dt.date = dt.date(1, 1, 1)
    last_day: dt.date = field(default_factory=dt.date.today)
    # The ports a route may join (UN/LOCODEs of the routing package's port list).
    ports: frozenset[str] = frozenset()
    _rank: Mapping[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for kind, ids in (
            ("layer", self.layers),
            ("corridor", self.corridors),
            ("paragraph", self.paragraphs),
            ("country", self.countries),
            ("basemap", self.basemaps),
        ):
            for id_ in ids:
                if not isinstance(id_, str) or not _ID.fullmatch(id_):
                    raise ValueError(f"{kind} id {id_!r} is not URL-safe (letters, digits, ._~-)")
        if len(set(self.layers)) != len(self.layers):
            raise ValueError(f"layer ids must be unique: {self.layers!r}")
        if len(self.layers) > MAX_ITEMS or len(SEPARATOR.join(self.layers)) > MAX_VALUE_CHARS:
            raise ValueError(
                f"{len(self.layers)} layers would not fit in a link "
                f"(at most {MAX_ITEMS} ids, {MAX_VALUE_CHARS} characters)"
            )
        if self.first_day > self.last_day:
            raise ValueError(f"first_day {self.first_day} is after last_day {self.last_day}")
        if registry.DEFAULT_BASEMAP not in self.basemaps:
            raise ValueError(
                f"basemaps {self.basemaps!r} must include {registry.DEFAULT_BASEMAP!r}"
            )
        object.__setattr__(self, "_rank", {id_: i for i, id_ in enumerate(self.layers)})
        if self.default_layers != self.canonical_layers(self.default_layers):
            raise ValueError(
                f"default_layers {self.default_layers!r} must be unique layer ids in layer order"
            )

    def canonical_layers(self, ids: Iterable[str]) -> tuple[str, ...]:
        """``ids`` without repeats, in canonical order; ValueError on an unknown id."""
        unique = set(ids)
        unknown = unique.difference(self._rank)
        if unknown:
            raise ValueError(f"unknown layer ids: {sorted(unknown)!r}")
        return tuple(sorted(unique, key=self._rank.__getitem__))

    def default_state(self) -> ViewState:
        """The view a bare link shows."""
        return ViewState(layers=self.default_layers)

    def check(self, state: ViewState) -> None:
        """Raise ValueError unless every id in ``state`` is known and its layers canonical."""
        if state.layers != self.canonical_layers(state.layers):
            raise ValueError(f"layers {state.layers!r} are not in canonical order")
        if state.focus is not None and state.focus not in self.corridors:
            raise ValueError(f"unknown corridor {state.focus!r}")
        if state.country is not None and state.country not in self.countries:
            raise ValueError(f"unknown country {state.country!r}")
        if state.excerpt is not None and state.excerpt not in self.paragraphs:
            raise ValueError(f"unknown paragraph {state.excerpt!r}")
        if state.basemap not in self.basemaps:
            raise ValueError(f"unknown basemap {state.basemap!r}")
        if state.date is not None and not self.first_day <= state.date <= self.last_day:
            raise ValueError(f"date {state.date} is outside {self.first_day} to {self.last_day}")
        if state.route is not None and not set(state.route) <= self.ports:
            raise ValueError(f"unknown port in route {state.route!r}")

    def day(self, state: ViewState) -> dt.date:
        """The day ``state`` shows: its date, or today."""
        return state.date if state.date is not None else self.last_day

    def within(self, day: dt.date) -> dt.date:
        """``day`` brought into the days a link may show (a timeline pick before the first, a
        reader's article dated after today)."""
        return min(max(day, self.first_day), self.last_day)


class Decoded(NamedTuple):
    """A decoded link: the state to show and what was ignored, one short sentence each."""

    state: ViewState
    notices: tuple[str, ...]


def echo(value: str) -> str:
    """``value`` made safe to quote in a notice: at most 40 visible characters, in quotes.

    Each run of invisible or reordering characters shows as one "�", so "cku-railway"
    with a NUL appended reads as "cku-railway�", not as the known id it resembles.
    """
    # Read a bounded prefix only, so a megabyte value costs no more than a short one.
    head = value[: ECHO_CHARS * 4]
    shown: list[str] = []
    for c in head:
        if unicodedata.category(c) not in INVISIBLE_CATEGORIES:
            shown.append(c)
        elif not shown or shown[-1] != "\ufffd":
            shown.append("\ufffd")
    visible = "".join(shown)
    if len(visible) > ECHO_CHARS or len(value) > len(head):
        visible = visible[: ECHO_CHARS - 1] + "…"
    return f'"{visible}"'


class _Reader:
    """Collects notices while one link is decoded, keeping at most `MAX_NOTICES`."""

    def __init__(self) -> None:
        self.notices: list[str] = []
        self.dropped = 0

    def note(self, notice: str) -> None:
        if len(self.notices) < MAX_NOTICES:
            self.notices.append(notice)
        else:
            self.dropped += 1

    def finish(self) -> tuple[str, ...]:
        if self.dropped:
            more = f"{self.dropped:,} more problem{'s' if self.dropped > 1 else ''}"
            return (*self.notices, f"Ignored {more} in the link")
        return tuple(self.notices)

    def value(self, key: str, raw: object) -> str | None:
        """The one value to use for ``key``, or None if absent, empty, or too long to read."""
        if isinstance(raw, list):
            if not raw:
                return None
            if len(raw) > 1:
                self.note(f'Used the last of {len(raw):,} values given for "{key}"')
            raw = raw[-1]
        if not isinstance(raw, str):
            self.note(f'Ignored "{key}": its value is not text')
            return None
        if len(raw) > MAX_VALUE_CHARS:
            self.note(
                f'Ignored "{key}": {len(raw):,} characters long (the limit is {MAX_VALUE_CHARS:,})'
            )
            return None
        return raw

    def one_of(self, value: str, known: Collection[str], what: str) -> str | None:
        """``value`` if it is one of ``known``; otherwise None, with a notice."""
        if value in known:
            return value
        self.note(f"Ignored unknown {what} {echo(value)}")
        return None

    def layers(self, value: str, vocab: Vocabulary) -> tuple[str, ...] | None:
        """Known layers named in ``value``, canonical; None to fall back to the defaults."""
        # Counting commas first means an over-long list is never split into a big list.
        if value.count(SEPARATOR) >= MAX_ITEMS:
            self.note(
                f'Ignored "layers": {value.count(SEPARATOR) + 1:,} items (the limit is {MAX_ITEMS})'
            )
            return None
        named = [item.strip(_ITEM_PADDING) for item in value.split(SEPARATOR)]
        named = [item for item in named if item]
        known: list[str] = []
        for item in named:
            if self.one_of(item, vocab.layers, "layer") is not None:
                known.append(item)
        if named and not known:
            # Every id unknown, e.g. a link made before a layer was renamed: a blank map would
            # look broken, the default layers at least show the data.
            self.note("Showing the default layers instead")
            return None
        return vocab.canonical_layers(known)

    def center(self, value: str) -> tuple[float, float] | None:
        """The point ``value`` spells as ``lat,lon``, or None with a notice."""
        parts = [part.strip(_ITEM_PADDING) for part in value.split(SEPARATOR, 2)]
        if len(parts) != 2 or not all(_DEGREES.fullmatch(part) for part in parts):
            self.note(f'Ignored center {echo(value)}: expected "latitude,longitude" in degrees')
            return None
        lat, lon = float(parts[0]), float(parts[1])
        if not -90.0 <= lat <= 90.0:
            self.note(f"Ignored center {echo(value)}: latitude must be between -90 and 90")
            return None
        return _normal_center((lat, lon))

    def zoom(self, value: str) -> int | None:
        """The zoom level ``value`` spells, or None with a notice."""
        if _ZOOM.fullmatch(value) and MIN_ZOOM <= int(value) <= MAX_ZOOM:
            return int(value)
        self.note(
            f"Ignored zoom {echo(value)}: expected a whole number from {MIN_ZOOM} to {MAX_ZOOM}"
        )
        return None

    def date(self, value: str, vocab: Vocabulary) -> dt.date | None:
        """The day ``value`` spells, if the data reaches it; otherwise None (today), noted."""
        problem = None
        day = None
        if not _DAY.fullmatch(value):
            problem = "expected a day as YYYY-MM-DD"
        else:
            try:
                day = dt.date.fromisoformat(value)
            except ValueError:
                problem = "there is no such day"
        if day is not None and day < vocab.first_day:
            problem = f"the data's first dated event is on {format_day(vocab.first_day)}"
        elif day is not None and day > vocab.last_day:
            problem = f"it is after today, {format_day(vocab.last_day)}"
        if problem is None:
            return day
        self.note(f"Ignored date {echo(value)}: {problem}; showing today")
        return None

    def route(self, value: str, vocab: Vocabulary) -> tuple[str, str] | None:
        """The two ports ``value`` names as ``origin,destination``, or None with a notice."""
        # Codes are capitals; a link typed in lower case ("cnsha,nlrtm") means the same (ASCII
        # only: "ſ".upper() is "S").
        codes = [
            code.upper() if code.isascii() else code
            for code in (c.strip(_ITEM_PADDING) for c in value.split(SEPARATOR, 2))
        ]
        if len(codes) != 2 or not all(LOCODE.fullmatch(code) for code in codes):
            self.note(f'Ignored route {echo(value)}: expected two UN/LOCODEs, "CNSHA,NLRTM"')
            return None
        unknown = [code for code in codes if code not in vocab.ports]
        if unknown:
            self.note(f"Ignored route {echo(value)}: no port {unknown[0]} in the port list")
            return None
        if codes[0] == codes[1]:
            self.note(f"Ignored route {echo(value)}: the same port twice")
            return None
        return codes[0], codes[1]

    def speed(self, value: str) -> float | None:
        """The knots ``value`` spells, or None (the default) with a notice."""
        speeds = registry.SHIP_SPEED_KN
        if _KNOTS.fullmatch(value) and speeds.low <= float(value) <= speeds.high:
            return float(value)
        self.note(
            f"Ignored speed {echo(value)}: expected knots from {speeds.low:g} to {speeds.high:g}"
        )
        return None


# --- The parameters -------------------------------------------------------------------------
#
# Each parameter's reader takes the link's text (never empty unless ``allow_empty``) and returns
# the state's value, or None for the default, noting what it ignored; its writer returns the
# text for a state's value, or None where the value is the default and so left out of the link.


def _read_layers(reader: _Reader, value: str, vocab: Vocabulary) -> tuple[str, ...] | None:
    return reader.layers(value, vocab)


def _write_layers(layers: tuple[str, ...], vocab: Vocabulary) -> str | None:
    return None if layers == vocab.default_layers else SEPARATOR.join(layers)


def _read_focus(reader: _Reader, value: str, vocab: Vocabulary) -> str | None:
    return reader.one_of(value, vocab.corridors, "corridor")


def _read_country(reader: _Reader, value: str, vocab: Vocabulary) -> str | None:
    return reader.one_of(value, vocab.countries, "country")


def _read_excerpt(reader: _Reader, value: str, vocab: Vocabulary) -> str | None:
    return reader.one_of(value, vocab.paragraphs, "paragraph")


def _read_article(reader: _Reader, value: str, vocab: Vocabulary) -> str | None:
    # Whether it is stored is the page's question (it asks the database, which may be down).
    if READER_ARTICLE_ID.fullmatch(value):
        return value
    reader.note(f"Ignored the article {echo(value)}: not a stored article's id")
    return None


def _write_id(value: str | None, vocab: Vocabulary) -> str | None:
    return value


def _read_basemap(reader: _Reader, value: str, vocab: Vocabulary) -> str | None:
    return reader.one_of(value, vocab.basemaps, "basemap")


def _write_basemap(value: str, vocab: Vocabulary) -> str | None:
    return None if value == registry.DEFAULT_BASEMAP else value


def _read_boundaries(reader: _Reader, value: str, vocab: Vocabulary) -> str | None:
    views = registry.ids(registry.VIEWS)
    if value in views:
        return value
    reader.note(
        f"Ignored boundaries {echo(value)}: expected " + " or ".join(f'"{v}"' for v in views)
    )
    return None


def _write_boundaries(value: str, vocab: Vocabulary) -> str | None:
    return None if value == registry.DEFAULT_VIEW else value


def _read_center(reader: _Reader, value: str, vocab: Vocabulary) -> tuple[float, float] | None:
    return reader.center(value)


def _degrees_text(value: float) -> str:
    """``value`` with at most 3 decimals and no trailing zeros: 41.2, not 41.200."""
    return f"{value:.{CENTER_DECIMALS}f}".rstrip("0").rstrip(".")


def _write_center(center: tuple[float, float] | None, vocab: Vocabulary) -> str | None:
    return None if center is None else SEPARATOR.join(_degrees_text(x) for x in center)


def _read_zoom(reader: _Reader, value: str, vocab: Vocabulary) -> int | None:
    return reader.zoom(value)


def _write_zoom(zoom: int | None, vocab: Vocabulary) -> str | None:
    return None if zoom is None else str(zoom)


def _read_date(reader: _Reader, value: str, vocab: Vocabulary) -> dt.date | None:
    return reader.date(value, vocab)


def _write_date(day: dt.date | None, vocab: Vocabulary) -> str | None:
    return None if day is None else day.isoformat()


def _read_route(reader: _Reader, value: str, vocab: Vocabulary) -> tuple[str, str] | None:
    return reader.route(value, vocab)


def _write_route(route: tuple[str, str] | None, vocab: Vocabulary) -> str | None:
    return None if route is None else SEPARATOR.join(route)


def _read_speed(reader: _Reader, value: str, vocab: Vocabulary) -> float | None:
    return reader.speed(value)


def _write_speed(speed: float, vocab: Vocabulary) -> str | None:
    return None if speed == registry.SHIP_SPEED_KN.default else f"{speed:g}"


@dataclass(frozen=True)
class Parameter:
    """One link parameter: what it means and carries, and how it is read and written.

    ``field`` is the `ViewState` attribute it carries. ``by_browser`` marks the parameters the
    map's script writes itself as the reader pans (the page's Python leaves them out of the
    query it hands the script). ``allow_empty`` makes ``name=`` a value rather than absent.
    """

    name: str
    meaning: str
    omitted: str
    example: str
    # How a value is checked, for the docs; a function where it names declared ids, so a
    # declaration added to the registry shows in the table.
    rule: str | Callable[[], str]
    field: str
    read: Callable[[_Reader, str, Vocabulary], Any]
    write: Callable[[Any, Vocabulary], str | None]
    by_browser: bool = False
    allow_empty: bool = False


PARAMETERS: Final[tuple[Parameter, ...]] = (
    Parameter(
        "layers", "layers shown, comma-separated; `layers=` (empty) shows none", "every layer",
        "cku-railway,eaeu", "known layer ids; unknown ones dropped, at most 50",
        "layers", _read_layers, _write_layers, allow_empty=True,
    ),
    Parameter(
        "focus", "the selected corridor", "none", "nord-stream-1", "a known corridor id",
        "focus", _read_focus, _write_id,
    ),
    Parameter(
        "country", "the selected country: its memberships, sources and the paragraphs naming it",
        "none", "KAZ", "a known ISO 3166-1 alpha-3 code, or a disputed area's id",
        "country", _read_country, _write_id,
    ),
    Parameter(
        "excerpt", "the article paragraph shown on the map", "none", "p20",
        "a known paragraph id", "excerpt", _read_excerpt, _write_id,
    ),
    Parameter(
        "article", "a reader's stored article, shown beside the map instead of the seed article",
        "the seed article", "r3f2a9c0d41b7e5a8c6d2", "`r` and 20 hex digits, as the page gives",
        "article", _read_article, _write_id,
    ),
    Parameter(
        "basemap", "the background map", f"`{registry.DEFAULT_BASEMAP}`", "none",
        lambda: "one of " + ", ".join(f"`{b.id}`" for b in registry.BASEMAPS),
        "basemap", _read_basemap, _write_basemap,
    ),
    Parameter(
        "boundaries", "whose borders disputed areas are drawn with", f"`{registry.DEFAULT_VIEW}`",
        "de-facto", lambda: "one of " + ", ".join(f"`{v.id}`" for v in registry.VIEWS),
        "boundaries", _read_boundaries, _write_boundaries,
    ),
    Parameter(
        "date", "the day the map shows: statuses, memberships and borders as they stood then",
        "today", "2021-06-01", "a day, YYYY-MM-DD, from the data's first dated event to today",
        "date", _read_date, _write_date,
    ),
    Parameter(
        "route", "sea routes compared between two ports, `origin,destination`", "none",
        "CNSHA,NLRTM", "two different UN/LOCODEs from the routing package's port list",
        "route", _read_route, _write_route,
    ),
    Parameter(
        "speed", "ship speed for days at sea, in knots",
        f"{registry.SHIP_SPEED_KN.default:g}", "12.5",
        lambda: f"{registry.SHIP_SPEED_KN.low:g} to {registry.SHIP_SPEED_KN.high:g}, "
        "at most 2 decimals", "speed", _read_speed, _write_speed,
    ),
    Parameter(
        "center", "map centre, `lat,lon` in decimal degrees", "the corridors' extent",
        "41.2,74.3", "latitude −90 to 90; longitude wrapped; kept to 3 decimals (~100 m)",
        "center", _read_center, _write_center, by_browser=True,
    ),
    Parameter(
        "zoom", "zoom level", "the corridors' extent", "6",
        f"a whole number from {MIN_ZOOM} to {MAX_ZOOM}",
        "zoom", _read_zoom, _write_zoom, by_browser=True,
    ),
)  # fmt: skip

State = TypeVar("State", bound=ViewState)


@dataclass(frozen=True)
class LinkScheme(Generic[State]):
    """A link's parameters and the state they fill: the codec, its docs and the script's rules.

    The app uses `SCHEME`; a scheme with one more parameter (and a state with one more field)
    needs nothing else to be encoded, decoded, documented and written by the map's script.
    """

    parameters: tuple[Parameter, ...]
    state_type: type[State]

    def __post_init__(self) -> None:
        names = [p.name for p in self.parameters]
        if len(set(names)) != len(names):
            raise ValueError(f"parameter names repeat: {names}")
        state_fields = {f.name for f in fields(self.state_type)}
        for p in self.parameters:
            if p.field not in state_fields:
                raise ValueError(f"parameter {p.name!r} carries unknown field {p.field!r}")

    @property
    def names(self) -> tuple[str, ...]:
        """Parameter names in link order."""
        return tuple(p.name for p in self.parameters)

    def encode(self, state: State, vocab: Vocabulary) -> dict[str, str]:
        """Query parameters for ``state``, defaults omitted, in scheme order.

        Raises ValueError if ``state`` names an id ``vocab`` does not know (a bug in the caller).
        """
        vocab.check(state)
        params: dict[str, str] = {}
        for p in self.parameters:
            text = p.write(getattr(state, p.field), vocab)
            if text is not None:
                params[p.name] = text
        return params

    def page_query(self, state: State, vocab: Vocabulary) -> list[tuple[str, str]]:
        """The link's parameters the page writes: all but those the map's script adds."""
        written = self.encode(state, vocab)
        return [(p.name, written[p.name]) for p in self.parameters if p.name in written
                and not p.by_browser]  # fmt: skip

    def decode(self, params: Mapping[str, str | list[str]], vocab: Vocabulary) -> Decoded:
        """The view a link's query parameters describe, and what was ignored. Never raises.

        ``params`` is ``{key: st.query_params.get_all(key)}`` or ``st.query_params.to_dict()``;
        lists are read as repeated keys, whose last value counts.
        """
        reader = _Reader()
        by_name = {p.name: p for p in self.parameters}
        values: dict[str, Any] = {}
        for key, raw in params.items():
            p = by_name.get(key) if isinstance(key, str) else None
            if p is None:
                if not (isinstance(key, str) and key.lower() in PAGE_PARAMETERS):
                    reader.note(f"Ignored unknown parameter {echo(str(key))}")
                continue
            value = reader.value(key, raw)
            if value is None or (value == "" and not p.allow_empty):
                continue
            read = p.read(reader, value, vocab)
            if read is not None:
                values[p.field] = read
        state = self.state_type(layers=vocab.default_layers)
        return Decoded(replace(state, **values), reader.finish())

    def query_string(self, state: State, vocab: Vocabulary) -> str:
        """``state``'s link as a query string (no ``?``), escaped as the map's script escapes it."""
        return "&".join(
            f"{quote(k, safe='')}={quote(v, safe=SEPARATOR)}"
            for k, v in self.encode(state, vocab).items()
        )

    def browser_rules(self) -> dict[str, Any]:
        """What the map's script needs to write the link as this codec would (see webmap.js)."""
        browser = {p.field: p.name for p in self.parameters if p.by_browser}
        return {
            "order": list(self.names),
            "center": browser["center"],
            "zoom": browser["zoom"],
            "decimals": CENTER_DECIMALS,
            "separator": SEPARATOR,
            "pageParameters": list(PAGE_PARAMETERS),
        }

    def markdown_table(self) -> str:
        """The parameters as the README's Markdown table."""
        rows = [
            "| parameter | meaning | when omitted | example | accepted values |",
            "|---|---|---|---|---|",
        ]
        rows += [
            f"| `{p.name}` | {p.meaning} | {p.omitted} | `{p.example}` "
            f"| {p.rule if isinstance(p.rule, str) else p.rule()} |"
            for p in self.parameters
        ]
        return "\n".join(rows)


SCHEME: Final = LinkScheme(PARAMETERS, ViewState)
encode = SCHEME.encode
decode = SCHEME.decode

__doc__ = f"{__doc__}\nThe parameters:\n\n{SCHEME.markdown_table()}\n"
