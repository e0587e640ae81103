"""The share link: the map view as one immutable state, and its codec to and from a query string.

The scheme (stable: links in the wild depend on it)::

    ?layers=cku-railway,nord-stream-1,eaeu&focus=cku-railway&excerpt=p9
     &basemap=none&boundaries=de-facto&center=41.2,74.3&zoom=6

==========  ========================================  ===============  =========================
parameter   meaning                                   when omitted     example
==========  ========================================  ===============  =========================
layers      layers shown, comma-separated; empty      default layers   ``cku-railway,eaeu``
            (``layers=``) means none
focus       corridor in focus                         none             ``cku-railway``
excerpt     article paragraph shown                   none             ``p9``
basemap     background map                            ``light``        ``none``
boundaries  whose borders: ``un`` or ``de-facto``     ``un``           ``de-facto``
center      map centre, ``lat,lon`` in decimal        data's extent    ``41.2,74.3``
            degrees, at most 3 decimals (~100 m)
zoom        zoom level, a whole number 1-12           data's extent    ``6``
==========  ========================================  ===============  =========================

Encoding writes a parameter only when it differs from its default, so the default view's link
is bare, and writes ``layers`` in the vocabulary's order so one view has one link. The centre is
stored at link precision (3 decimals, longitude wrapped into [-180, 180)), so panning by a pixel
leaves the state, and the link, unchanged.

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
U+FFFD. They are plain
text: show them with ``st.text``, or escape Markdown first, since ``st.warning`` and
``st.markdown`` would render a link written in the value.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Final, NamedTuple

from corridors.boundaries import DEFAULT_VIEW, VIEWS, View
from corridors.escape import INVISIBLE_CATEGORIES

PARAMETERS: Final[tuple[str, ...]] = (
    "layers",
    "focus",
    "excerpt",
    "basemap",
    "boundaries",
    "center",
    "zoom",
)
BASEMAPS: Final[tuple[str, ...]] = ("light", "terrain", "none")
DEFAULT_BASEMAP: Final = "light"
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

# Streamlit's own parameters, which its to_dict() hides too.
_STREAMLIT_PARAMETERS: Final = frozenset({"embed", "embed_options"})
# URL-unreserved characters only, so an id needs no escaping and can never contain the comma
# that separates list items.
_ID: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~-]{0,63}")
# Plain decimal degrees. Not float(), which also takes "nan", "1e308", "1_0" and non-ASCII
# digits ("٣"), none of which a link of ours ever holds.
_DEGREES: Final = re.compile(r"[+-]?[0-9]{1,3}(?:\.[0-9]{1,20})?")
_ZOOM: Final = re.compile(r"[0-9]{1,2}")
_ITEM_PADDING: Final = " \t"
_VIEWS_TEXT: Final = " or ".join(f'"{view}"' for view in VIEWS)


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
    layer); whether the ids exist is the vocabulary's question (`Vocabulary.check`). ``center``
    is rounded to link precision and its longitude wrapped on construction, so the app may pass
    the map's raw centre.
    """

    layers: tuple[str, ...]
    focus: str | None = None
    excerpt: str | None = None
    basemap: str = DEFAULT_BASEMAP
    boundaries: View = DEFAULT_VIEW
    center: tuple[float, float] | None = None
    zoom: int | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.layers, tuple) or not all(isinstance(x, str) for x in self.layers):
            raise ValueError(f"layers must be a tuple of ids, not {self.layers!r}")
        if len(set(self.layers)) != len(self.layers):
            raise ValueError(f"layers must not repeat an id: {self.layers!r}")
        if self.boundaries not in VIEWS:
            raise ValueError(f"boundaries must be one of {VIEWS}, not {self.boundaries!r}")
        zoom = self.zoom
        if zoom is not None and (
            isinstance(zoom, bool) or not isinstance(zoom, int) or not MIN_ZOOM <= zoom <= MAX_ZOOM
        ):
            raise ValueError(f"zoom must be a whole number {MIN_ZOOM}-{MAX_ZOOM}, not {zoom!r}")
        if self.center is not None:
            object.__setattr__(self, "center", _normal_center(self.center))


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
    basemaps: tuple[str, ...] = BASEMAPS
    _rank: Mapping[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for kind, ids in (
            ("layer", self.layers),
            ("corridor", self.corridors),
            ("paragraph", self.paragraphs),
            ("basemap", self.basemaps),
        ):
            for id_ in ids:
                if not isinstance(id_, str) or not _ID.fullmatch(id_):
                    raise ValueError(f"{kind} id {id_!r} is not URL-safe (letters, digits, ._~-)")
        if len(set(self.layers)) != len(self.layers):
            raise ValueError(f"layer ids must be unique: {self.layers!r}")
        if len(self.layers) > MAX_ITEMS or len(",".join(self.layers)) > MAX_VALUE_CHARS:
            raise ValueError(
                f"{len(self.layers)} layers would not fit in a link "
                f"(at most {MAX_ITEMS} ids, {MAX_VALUE_CHARS} characters)"
            )
        if DEFAULT_BASEMAP not in self.basemaps:
            raise ValueError(f"basemaps {self.basemaps!r} must include {DEFAULT_BASEMAP!r}")
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
        if state.excerpt is not None and state.excerpt not in self.paragraphs:
            raise ValueError(f"unknown paragraph {state.excerpt!r}")
        if state.basemap not in self.basemaps:
            raise ValueError(f"unknown basemap {state.basemap!r}")


class Decoded(NamedTuple):
    """A decoded link: the state to show and what was ignored, one short sentence each."""

    state: ViewState
    notices: tuple[str, ...]


def _degrees_text(value: float) -> str:
    """``value`` with at most 3 decimals and no trailing zeros: 41.2, not 41.200."""
    return f"{value:.{CENTER_DECIMALS}f}".rstrip("0").rstrip(".")


def encode(state: ViewState, vocab: Vocabulary) -> dict[str, str]:
    """Query parameters for ``state``, defaults omitted, in scheme order.

    Raises ValueError if ``state`` names an id ``vocab`` does not know (a bug in the caller).
    """
    vocab.check(state)
    params: dict[str, str] = {}
    if state.layers != vocab.default_layers:
        params["layers"] = ",".join(state.layers)
    if state.focus is not None:
        params["focus"] = state.focus
    if state.excerpt is not None:
        params["excerpt"] = state.excerpt
    if state.basemap != DEFAULT_BASEMAP:
        params["basemap"] = state.basemap
    if state.boundaries != DEFAULT_VIEW:
        params["boundaries"] = state.boundaries
    if state.center is not None:
        params["center"] = ",".join(_degrees_text(x) for x in state.center)
    if state.zoom is not None:
        params["zoom"] = str(state.zoom)
    return params


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
        if raw == "" and key != "layers":
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
        if value.count(",") >= MAX_ITEMS:
            self.note(
                f'Ignored "layers": {value.count(",") + 1:,} items (the limit is {MAX_ITEMS})'
            )
            return None
        named = [item.strip(_ITEM_PADDING) for item in value.split(",")]
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
        parts = [part.strip(_ITEM_PADDING) for part in value.split(",", 2)]
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


def decode(params: Mapping[str, str | list[str]], vocab: Vocabulary) -> Decoded:
    """The view a link's query parameters describe, and what was ignored. Never raises.

    ``params`` is ``{key: st.query_params.get_all(key)}`` or ``st.query_params.to_dict()``;
    lists are read as repeated keys, whose last value counts.
    """
    reader = _Reader()
    values: dict[str, str] = {}
    for key, raw in params.items():
        if key in PARAMETERS:
            value = reader.value(key, raw)
            if value is not None:
                values[key] = value
        elif not (isinstance(key, str) and key.lower() in _STREAMLIT_PARAMETERS):
            reader.note(f"Ignored unknown parameter {echo(str(key))}")

    layers = vocab.default_layers
    if "layers" in values:
        named = reader.layers(values["layers"], vocab)
        if named is not None:
            layers = named
    focus = excerpt = None
    if "focus" in values:
        focus = reader.one_of(values["focus"], vocab.corridors, "corridor")
    if "excerpt" in values:
        excerpt = reader.one_of(values["excerpt"], vocab.paragraphs, "paragraph")
    basemap = DEFAULT_BASEMAP
    if "basemap" in values:
        basemap = reader.one_of(values["basemap"], vocab.basemaps, "basemap") or basemap
    boundaries: View = DEFAULT_VIEW
    if "boundaries" in values:
        if values["boundaries"] in VIEWS:
            boundaries = values["boundaries"]
        else:
            reader.note(f"Ignored boundaries {echo(values['boundaries'])}: expected {_VIEWS_TEXT}")
    center = reader.center(values["center"]) if "center" in values else None
    zoom = reader.zoom(values["zoom"]) if "zoom" in values else None

    state = ViewState(
        layers=layers,
        focus=focus,
        excerpt=excerpt,
        basemap=basemap,
        boundaries=boundaries,
        center=center,
        zoom=zoom,
    )
    return Decoded(state, reader.finish())
