"""The share-link state and its codec: round trips, hostile links, and safe notices."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import unicodedata
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corridors import registry, share
from corridors.share import (
    ECHO_CHARS,
    MAX_ITEMS,
    MAX_VALUE_CHARS,
    SCHEME,
    Decoded,
    ViewState,
    Vocabulary,
    decode,
    echo,
    encode,
)

NAMES = SCHEME.names
VIEWS = registry.ids(registry.VIEWS)
LAYERS = ("countries", "cku-railway", "nord-stream-1", "eaeu", "bri")
CORRIDORS = frozenset({"cku-railway", "nord-stream-1", "power-of-siberia"})
PARAGRAPHS = frozenset(f"p{n}" for n in range(1, 13))
VOCAB = Vocabulary(
    layers=LAYERS,
    default_layers=("countries", "cku-railway"),
    corridors=CORRIDORS,
    paragraphs=PARAGRAPHS,
    first_day=dt.date(1869, 11, 17),
    last_day=dt.date(2026, 12, 1),
    ports=frozenset({"CNSHA", "NLRTM", "JPYOK", "DEHAM", "GRPIR"}),
)
README_LINK = {
    "layers": "cku-railway,nord-stream-1,eaeu",
    "focus": "cku-railway",
    "excerpt": "p9",
    "basemap": "none",
    "boundaries": "de-facto",
    "center": "41.2,74.3",
    "zoom": "6",
}
# Generous: the longest template plus a full echo. Short enough for one line on a phone.
MAX_NOTICE_CHARS = 120
UNSAFE = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
FAST = settings(max_examples=150, deadline=None)


def assert_clean(decoded: Decoded) -> None:
    """The state is valid for VOCAB and every notice is short and free of invisible characters."""
    VOCAB.check(decoded.state)
    assert len(decoded.notices) <= share.MAX_NOTICES + 1
    for notice in decoded.notices:
        assert 0 < len(notice) <= MAX_NOTICE_CHARS, notice
        assert not any(unicodedata.category(c) in UNSAFE for c in notice), notice
        # Exception text must never reach a notice; the echoed value (in quotes) may say anything.
        template = notice[: notice.find('"')] + notice[notice.rfind('"') + 1 :]
        assert "Error" not in template and "Traceback" not in template, notice


def assert_stable(decoded: Decoded) -> None:
    """Re-encoding a decoded link and decoding it again changes nothing and says nothing."""
    assert decode(encode(decoded.state, VOCAB), VOCAB) == Decoded(decoded.state, ())


# -- Valid states ----------------------------------------------------------------------------


@st.composite
def states(draw: st.DrawFn) -> ViewState:
    """Any valid state for VOCAB, including raw map centres the constructor must normalise."""
    chosen = draw(st.sets(st.sampled_from(LAYERS)))
    center = draw(
        st.none()
        | st.tuples(
            st.floats(-90, 90),
            st.floats(-1e6, 1e6) | st.sampled_from([-180.0, 180.0, 179.9996, -180.0004]),
        )
    )
    return ViewState(
        layers=VOCAB.canonical_layers(chosen),
        focus=draw(st.none() | st.sampled_from(sorted(CORRIDORS))),
        excerpt=draw(st.none() | st.sampled_from(sorted(PARAGRAPHS))),
        basemap=draw(st.sampled_from(VOCAB.basemaps)),
        boundaries=draw(st.sampled_from(VIEWS)),
        center=center,
        zoom=draw(st.none() | st.integers(share.MIN_ZOOM, share.MAX_ZOOM)),
        date=draw(st.none() | st.dates(VOCAB.first_day, VOCAB.last_day)),
        route=draw(
            st.none()
            | st.lists(
                st.sampled_from(sorted(VOCAB.ports)), min_size=2, max_size=2, unique=True
            ).map(tuple)
        ),
        speed=draw(st.sampled_from([14.0, 1.0, 40.0, 12.5, 9.25])),
    )


@FAST
@given(states())
def test_round_trip(state: ViewState) -> None:
    params = encode(state, VOCAB)
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in params.items())
    assert list(params) == [p for p in NAMES if p in params]
    assert decode(params, VOCAB) == Decoded(state, ())


@FAST
@given(states())
def test_center_is_stored_at_link_precision(state: ViewState) -> None:
    if state.center is not None:
        lat, lon = state.center
        assert -90 <= lat <= 90 and -180 <= lon < 180
        assert (round(lat, 3), round(lon, 3)) == (lat, lon)
        assert dataclasses.replace(state, center=state.center) == state


def test_default_state_encodes_to_nothing() -> None:
    assert encode(VOCAB.default_state(), VOCAB) == {}
    assert decode({}, VOCAB) == Decoded(VOCAB.default_state(), ())


def test_readme_example_round_trips_exactly() -> None:
    decoded = decode(README_LINK, VOCAB)
    assert decoded == Decoded(
        ViewState(
            layers=("cku-railway", "nord-stream-1", "eaeu"),
            focus="cku-railway",
            excerpt="p9",
            basemap="none",
            boundaries="de-facto",
            center=(41.2, 74.3),
            zoom=6,
        ),
        (),
    )
    assert encode(decoded.state, VOCAB) == README_LINK


def test_module_docstring_carries_the_generated_table() -> None:
    assert SCHEME.markdown_table() in (share.__doc__ or "")


def test_all_layers_off_is_shareable() -> None:
    off = dataclasses.replace(VOCAB.default_state(), layers=())
    assert encode(off, VOCAB) == {"layers": ""}
    assert decode({"layers": ""}, VOCAB) == Decoded(off, ())


def test_small_moves_do_not_change_the_link() -> None:
    here = ViewState(layers=(), center=(41.23411, 74.30001), zoom=6)
    nudged = ViewState(layers=(), center=(41.23432, 74.29999), zoom=6)
    assert here == nudged
    assert encode(here, VOCAB)["center"] == "41.234,74.3"


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ((0.0, 190.0), (0.0, -170.0)),
        ((0.0, 180.0), (0.0, -180.0)),
        ((0.0, 179.9996), (0.0, -180.0)),
        ((-0.0001, -0.0001), (0.0, 0.0)),
        ((10, 20), (10.0, 20.0)),
    ],
)
def test_center_wraps_longitude(raw: tuple[float, float], stored: tuple[float, float]) -> None:
    center = ViewState(layers=(), center=raw).center
    assert center == stored
    assert center is not None and not any(math.copysign(1, x) < 0 and x == 0 for x in center)


@pytest.mark.parametrize(
    "fields",
    [
        {"zoom": 0},
        {"zoom": 13},
        {"zoom": True},
        {"zoom": 6.0},
        {"center": (91.0, 0.0)},
        {"center": (math.nan, 0.0)},
        {"center": (0.0, math.inf)},
        {"boundaries": "disputed"},
        {"layers": ["eaeu"]},
        {"layers": ("eaeu", "eaeu")},
        {"date": "2021-06-01"},
        {"date": dt.datetime(2021, 6, 1, 12, 0)},
        {"route": ("CNSHA", "CNSHA")},
        {"route": ("CNSHA",)},
        {"route": ["CNSHA", "NLRTM"]},
        {"route": ("cnsha", "NLRTM")},
        {"speed": 0.0},
        {"speed": math.nan},
        {"speed": 1e9},
        {"speed": True},
    ],
)
def test_impossible_state_is_refused(fields: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        ViewState(**{"layers": (), **fields})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "state",
    [
        ViewState(layers=("eaeu", "countries")),
        ViewState(layers=("atlantis",)),
        ViewState(layers=(), focus="atlantis"),
        ViewState(layers=(), excerpt="p99"),
        ViewState(layers=(), basemap="satellite"),
        ViewState(layers=(), date=dt.date(1869, 11, 16)),
        ViewState(layers=(), date=dt.date(2026, 12, 2)),
        ViewState(layers=(), route=("CNSHA", "USNYC")),
    ],
)
def test_encode_refuses_a_state_the_vocabulary_does_not_allow(state: ViewState) -> None:
    with pytest.raises(ValueError):
        encode(state, VOCAB)


@pytest.mark.parametrize(
    "fields",
    [
        {"layers": ("a,b",)},
        {"layers": ("<script>",)},
        {"corridors": frozenset({"cku railway"})},
        {"paragraphs": frozenset({""})},
        {"layers": ("a", "a"), "default_layers": ()},
        {"default_layers": ("cku-railway", "countries")},
        {"default_layers": ("atlantis",)},
        {"basemaps": ("terrain", "none")},
        {"layers": tuple(f"l{n}" for n in range(MAX_ITEMS + 1)), "default_layers": ()},
        {"first_day": dt.date(2027, 1, 1)},
    ],
)
def test_vocabulary_refuses_what_a_link_could_not_carry(fields: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        dataclasses.replace(VOCAB, **fields)  # type: ignore[arg-type]


# -- Hostile and broken links ----------------------------------------------------------------

ID_TEXT = st.sampled_from(
    [*LAYERS, *CORRIDORS, *PARAGRAPHS, *VOCAB.basemaps, *VIEWS, *VOCAB.ports, "XXXXX"]
)
DATE_TEXT = st.one_of(
    st.dates().map(dt.date.isoformat),
    st.sampled_from(["2022-13-40", "2023-02-29", "1800-01-01", "9999-12-31", "0000-01-01"]),
    st.from_regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", fullmatch=True),
)
NUMBER_TEXT = st.one_of(
    st.integers(-1000, 1000).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.decimals(allow_nan=True).map(str),
)
VALUE_TEXT = st.one_of(
    st.text(max_size=60),
    ID_TEXT,
    NUMBER_TEXT,
    DATE_TEXT,
    st.lists(ID_TEXT | st.text(max_size=8), max_size=8).map(",".join),
    st.tuples(NUMBER_TEXT, NUMBER_TEXT).map(",".join),
)
KEY_TEXT = st.sampled_from(NAMES) | st.text(max_size=12)
PARAMS = st.dictionaries(KEY_TEXT, VALUE_TEXT | st.lists(VALUE_TEXT, max_size=3), max_size=9)


@FAST
@given(PARAMS)
def test_any_link_decodes_to_a_valid_state(params: dict[str, str | list[str]]) -> None:
    decoded = decode(params, VOCAB)
    assert_clean(decoded)
    assert_stable(decoded)


@FAST
@given(st.dictionaries(st.text(), st.text() | st.lists(st.text()), max_size=5))
def test_arbitrary_text_decodes_to_a_valid_state(params: dict[str, str | list[str]]) -> None:
    decoded = decode(params, VOCAB)
    assert_clean(decoded)
    assert_stable(decoded)


@pytest.mark.parametrize(
    ("params", "expected", "notice"),
    [
        ({"layers": "eaeu,atlantis,bri"}, {"layers": ("eaeu", "bri")}, 'unknown layer "atlantis"'),
        # Every id unknown: fall back to the default layers, not a blank map.
        ({"layers": "atlantis"}, {}, "default layers"),
        ({"layers": " bri , eaeu,,bri,"}, {"layers": ("eaeu", "bri")}, None),
        ({"layers": "EAEU"}, {}, 'unknown layer "EAEU"'),
        ({"layers": "ｅａｅｕ"}, {}, 'unknown layer "ｅａｅｕ"'),
        ({"layers": "ea\u200beu"}, {}, 'unknown layer "ea\ufffdeu"'),
        ({"layers": "cku%2Drailway"}, {}, 'unknown layer "cku%2Drailway"'),
        ({"layers": ",".join(["eaeu"] * (MAX_ITEMS + 1))}, {}, "the limit is 50"),
        ({"focus": "%00"}, {}, 'unknown corridor "%00"'),
        ({"focus": "cku-railway\x00"}, {}, 'unknown corridor "cku-railway\ufffd"'),
        ({"focus": "javascript:alert(1)"}, {}, 'unknown corridor "javascript:alert(1)"'),
        ({"excerpt": "<script>alert(1)</script>"}, {}, 'paragraph "<script>alert(1)</script>"'),
        ({"excerpt": "p99"}, {}, 'unknown paragraph "p99"'),
        ({"basemap": "satellite"}, {}, 'unknown basemap "satellite"'),
        ({"boundaries": "Un"}, {}, 'boundaries "Un": expected "un" or "de-facto"'),
        ({"zoom": "99"}, {}, 'zoom "99"'),
        ({"zoom": "abc"}, {}, 'zoom "abc"'),
        ({"zoom": "0"}, {}, 'zoom "0"'),
        ({"zoom": "6.5"}, {}, 'zoom "6.5"'),
        ({"zoom": "٦"}, {}, 'zoom "٦"'),
        ({"zoom": "06"}, {"zoom": 6}, None),
        ({"center": "91,0"}, {}, "latitude must be between -90 and 90"),
        ({"center": "nan,inf"}, {}, 'center "nan,inf"'),
        ({"center": "1e308,2"}, {}, 'center "1e308,2"'),
        ({"center": "1_0,2"}, {}, 'center "1_0,2"'),
        ({"center": "41.2"}, {}, 'center "41.2"'),
        ({"center": "41.2,74.3,5"}, {}, 'center "41.2,74.3,5"'),
        ({"center": "41.23456, 190"}, {"center": (41.235, -170.0)}, None),
        ({"zoom": ["3", "7"]}, {"zoom": 7}, 'last of 2 values given for "zoom"'),
        ({"zoom": []}, {}, None),
        ({"focus": ""}, {}, None),
        ({"embed": "true", "EMBED_OPTIONS": "light_theme"}, {}, None),
        ({"utm_source": "x"}, {}, 'unknown parameter "utm_source"'),
        ({"layers\u202e": "x"}, {}, 'unknown parameter "layers\ufffd"'),
        ({"date": "2021-06-01"}, {"date": dt.date(2021, 6, 1)}, None),
        ({"date": "1869-11-17"}, {"date": dt.date(1869, 11, 17)}, None),  # the first day
        ({"date": "2026-12-01"}, {"date": dt.date(2026, 12, 1)}, None),  # today, written out
        ({"date": "2022-13-40"}, {}, 'date "2022-13-40": there is no such day; showing today'),
        ({"date": "2023-02-29"}, {}, "there is no such day"),
        ({"date": "1800-01-01"}, {}, "the data's first dated event is on 17 Nov 1869"),
        ({"date": "1869-11-16"}, {}, "first dated event"),
        ({"date": "2026-12-02"}, {}, "it is after today, 1 Dec 2026"),
        ({"date": "9999-12-31"}, {}, "after today"),
        ({"date": "yesterday"}, {}, 'date "yesterday": expected a day as YYYY-MM-DD'),
        ({"date": "2021-6-1"}, {}, "expected a day as YYYY-MM-DD"),
        ({"date": "２０２１-06-01"}, {}, "expected a day as YYYY-MM-DD"),
        ({"date": "2021-06-01T00:00"}, {}, "expected a day as YYYY-MM-DD"),
        ({"date": ["2021-06-01", "2023-01-01"]}, {"date": dt.date(2023, 1, 1)}, "last of 2"),
        ({"route": "CNSHA,NLRTM"}, {"route": ("CNSHA", "NLRTM")}, None),
        ({"route": " CNSHA , NLRTM "}, {"route": ("CNSHA", "NLRTM")}, None),
        ({"route": "CNSHA,XXXXX"}, {}, "no port XXXXX in the port list"),
        ({"route": "CNSHA,CNSHA"}, {}, "the same port twice"),
        ({"route": "CNSHA"}, {}, 'expected two UN/LOCODEs, "CNSHA,NLRTM"'),
        ({"route": "CNSHA,NLRTM,DEHAM"}, {}, "expected two UN/LOCODEs"),
        ({"route": "cnsha,nlrtm"}, {"route": ("CNSHA", "NLRTM")}, None),
        ({"route": "cnſha,nlrtm"}, {}, "expected two UN/LOCODEs"),
        ({"route": "ＣＮＳＨＡ,NLRTM"}, {}, "expected two UN/LOCODEs"),
        ({"route": ["CNSHA,NLRTM", "JPYOK,DEHAM"]}, {"route": ("JPYOK", "DEHAM")}, "last of 2"),
        ({"speed": "12.5"}, {"speed": 12.5}, None),
        ({"speed": "14"}, {}, None),
        ({"speed": "0"}, {}, 'speed "0": expected knots from 1 to 40'),
        ({"speed": "-3"}, {}, "expected knots from 1 to 40"),
        ({"speed": "NaN"}, {}, "expected knots from 1 to 40"),
        ({"speed": "1e9"}, {}, "expected knots from 1 to 40"),
        ({"speed": "41"}, {}, "expected knots from 1 to 40"),
        ({"speed": "12.555"}, {}, "expected knots from 1 to 40"),
    ],
)
def test_broken_link(
    params: dict[str, str | list[str]], expected: dict[str, Any], notice: str | None
) -> None:
    decoded = decode(params, VOCAB)
    assert decoded.state == dataclasses.replace(VOCAB.default_state(), **expected)
    if notice is None:
        assert decoded.notices == ()
    else:
        assert any(notice in n for n in decoded.notices), decoded.notices
    assert_clean(decoded)
    assert_stable(decoded)


@pytest.mark.parametrize("key", [*NAMES, "unknown"])
def test_megabyte_value_is_refused_unread(key: str) -> None:
    payload = "eaeu," * 200_000 + "\u202e<script>"
    decoded = decode({key: payload, "zoom" if key != "zoom" else "focus": "5"}, VOCAB)
    assert_clean(decoded)
    # The rest of the link still counts.
    assert decoded.state.zoom == (5 if key != "zoom" else None)
    if key in NAMES:
        assert f'Ignored "{key}": 1,000,009 characters long (the limit is 2,000)' in decoded.notices


def test_value_at_the_limit_is_read() -> None:
    value = "eaeu" + " " * (MAX_VALUE_CHARS - 4)
    assert decode({"layers": value}, VOCAB).state.layers == ("eaeu",)
    assert decode({"layers": value + " "}, VOCAB).state == VOCAB.default_state()


def test_many_problems_are_summarised() -> None:
    decoded = decode({f"junk{n}": "x" for n in range(1000)}, VOCAB)
    assert len(decoded.notices) == share.MAX_NOTICES + 1
    assert decoded.notices[-1] == "Ignored 990 more problems in the link"


# -- Echoed text -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("atlantis", '"atlantis"'),
        ("a\x00b\x1bc\x7fd", '"a\ufffdb\ufffdc\ufffdd"'),
        ("\u202egnp.exe\u202c", '"\ufffdgnp.exe\ufffd"'),
        ("a\u2066b\u2069c\u200fd\ufeffe", '"a\ufffdb\ufffdc\ufffdd\ufffde"'),
        ("line\u2028break\nhere", '"line\ufffdbreak\ufffdhere"'),
        ("x" * 41, '"' + "x" * 39 + '…"'),
        ("x" * 40, '"' + "x" * 40 + '"'),
        ("\x00" * 10_000 + "tail", '"\ufffd…"'),
        ("\ud800lone surrogate", '"\ufffdlone surrogate"'),
    ],
)
def test_echo_is_short_and_visible(value: str, shown: str) -> None:
    assert echo(value) == shown
    assert len(echo(value)) <= ECHO_CHARS + 2
