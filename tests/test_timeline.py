"""The timeline: its events checked against the data files, the chart, the date marker and what
a click sends back."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import json
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from corridors import timeline
from corridors.dataset import Dataset
from corridors.dates import certain_start
from corridors.details import short_source
from corridors.memberships import members_on
from corridors.timeline import Event, picked_day, timeline_chart, timeline_events, with_date

ROOT = Path(__file__).resolve().parent.parent
ARTICLE_DATE = dt.date(2024, 4, 25)
LAST = dt.date(2026, 11, 1)


@pytest.fixture(scope="module")
def events(dataset: Dataset) -> list[Event]:
    return timeline_events(dataset, ARTICLE_DATE)


@pytest.fixture(scope="module")
def chart(events: list[Event]) -> dict[str, object]:
    return timeline_chart(events, timeline.AXIS_START, LAST)


def _find(events: list[Event], kind: str, label: str) -> list[Event]:
    return [e for e in events if e.kind == kind and e.label == label]


def _marker(spec: dict[str, object]) -> dict[str, object]:
    layers = spec["layer"]
    assert isinstance(layers, list)
    (found,) = [layer for layer in layers if layer.get("name") == "chosen-date"]
    return found


def _event_values(spec: dict[str, object]) -> list[dict[str, object]]:
    layers = spec["layer"]
    assert isinstance(layers, list)
    (dots,) = [layer for layer in layers if layer.get("name") != "chosen-date"]
    return dots["data"]["values"]


# --- Events against the data -----------------------------------------------------------------


def test_events_are_sorted_by_day(events: list[Event]) -> None:
    assert [e.day for e in events] == sorted(e.day for e in events)
    assert {e.kind for e in events} <= {row.kind for row in timeline.rows()}


def test_nord_stream_history_is_one_event_per_change(events: list[Event]) -> None:
    (damaged,) = _find(events, "Corridors", "Nord Stream 1: damaged")
    assert (damaged.day, damaged.published) == (dt.date(2022, 9, 26), "26 Sep 2022")
    (opened,) = _find(events, "Corridors", "Nord Stream 1: operational")
    assert opened.day == dt.date(2011, 11, 8)
    (stopped,) = _find(events, "Corridors", "Nord Stream 1: stopped")
    assert stopped.day == dt.date(2022, 8, 31)


def test_a_blocs_founding_event_gives_its_source_with_its_address(events: list[Event]) -> None:
    (bri,) = [e for e in events if e.label.startswith("BRI: founded")]
    assert bri.day == dt.date(2013, 9, 7)
    assert "Speech in Astana" in bri.source and "https://china.usc.edu/" in bri.source


def test_a_corridor_of_several_segments_is_one_event(events: list[Event]) -> None:
    # Four CKU segments share one history: one event, and its end of "proposed" is not another.
    cku = [e for e in events if e.label.startswith("China–Kyrgyzstan–Uzbekistan railway")]
    assert [(e.day, e.label) for e in cku] == [
        (dt.date(2024, 12, 27), "China–Kyrgyzstan–Uzbekistan railway: under construction")
    ]


def test_crossings_have_their_own_row_with_their_dated_notes(events: list[Event]) -> None:
    (train,) = [e for e in events if "first freight train" in e.label]
    assert (train.kind, train.day) == ("Crossings", dt.date(2022, 11, 18))
    (heihe,) = _find(events, "Crossings", "Blagoveshchensk–Heihe road bridge: operational")
    assert heihe.day == dt.date(2022, 6, 10)
    assert len({(e.kind, e.day, e.label) for e in events}) == len(events)


def test_a_note_every_segment_carries_is_one_event(dataset: Dataset) -> None:
    corridors = dataset.corridors.copy()
    note = {"date": "2025-06", "event": "tracklaying begins", "source": "rg2025"}
    corridors["events"] = [
        [note] if corridor == "cku-railway" else notes
        for corridor, notes in zip(corridors["corridor"], corridors["events"], strict=True)
    ]
    found = [
        e
        for e in timeline_events(replace(dataset, corridors=corridors), None)
        if e.label.endswith("tracklaying begins")
    ]
    assert [(e.day, e.published, e.kind) for e in found] == [
        (dt.date(2025, 7, 1), "Jun 2025", "Corridors")
    ]


def test_both_sources_of_italys_exit_are_shown_on_the_day_the_map_changes(
    events: list[Event], dataset: Dataset
) -> None:
    """GFDC dates the exit 6 Dec 2023, Reuters March 2024: the map draws Italy while either
    source has it in force, so the one event is where the map changes, with both dates."""
    (italy,) = _find(events, "BRI", "BRI: Italy leaves")
    assert italy.day == dt.date(2024, 3, 1)  # an exit ends on the first day its month can mean
    assert (
        italy.published
        == "6 Dec 2023 (Green Finance & Development Center (GFDC)); Mar 2024 (Reuters)"
    )
    assert "ITA" in members_on(dataset.memberships, "bri", italy.day - dt.timedelta(days=1))
    assert "ITA" not in members_on(dataset.memberships, "bri", italy.day)
    (panama,) = _find(events, "BRI", "BRI: Panama leaves")
    assert (panama.day, panama.published) == (dt.date(2025, 2, 4), "4 Feb 2025")


def test_every_join_and_exit_is_on_a_day_the_map_changes(
    events: list[Event], dataset: Dataset
) -> None:
    """Picking an event shows it: each country of a join is on the map on the event's day,
    each country of an exit was on it the day before and is not on the day."""
    day = dt.timedelta(days=1)
    rows = dataset.memberships
    for event in events:
        if event.kind not in ("EAEU", "BRI") or not event.countries or "observer" in event.label:
            continue
        bloc = event.kind.lower()
        for code in set(event.countries):
            if event.label.endswith("leaves"):
                assert code in members_on(rows, bloc, event.day - day), event
                assert code not in members_on(rows, bloc, event.day), event
            else:
                assert code in members_on(rows, bloc, event.day), event


def _signings_by_year(geodata: Path) -> dict[str, list[dict[str, str]]]:
    """The dated BRI signature rows of memberships.csv, read here without the loader."""
    by_year: dict[str, list[dict[str, str]]] = {}
    with (geodata / "memberships.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if (
                row["bloc"] == "bri"
                and row["role"] == "signatory"
                and row["certainty"] in ("confirmed", "unconfirmed")
                and row["since"]
            ):
                by_year.setdefault(row["since"][:4], []).append(row)
    return by_year


def test_bri_signings_are_counted_per_year_row_by_row(events: list[Event], geodata: Path) -> None:
    by_year = _signings_by_year(geodata)
    signings = {
        e.published: e
        for e in events
        if e.kind == "BRI" and not e.label.endswith(("leaves", "drawn from here"))
    }
    assert sorted(signings) == sorted(by_year)
    for year, rows in by_year.items():
        event = signings[year]
        assert Counter(event.countries) == Counter(r["iso_a3"] for r in rows), year
        # On its day every row of the year is on the map: the latest certain start.
        assert event.day == max(certain_start(r["since"]) for r in rows), year
        countries = len({r["iso_a3"] for r in rows})
        assert event.label.startswith(f"BRI: {countries} countr"), (year, event.label)
    assert sum(len(e.countries) for e in signings.values()) == sum(map(len, by_year.values()))


def test_a_year_with_two_sources_for_one_country_lists_both(events: list[Event]) -> None:
    (year,) = [e for e in events if e.kind == "BRI" and e.published == "2019"]
    assert year.countries.count("ITA") == 2
    assert "Italy (Mar 2019, 2019)" in year.detail
    # On 1 Jan 2020 every signing of 2019 is certain (some are dated only to December).
    assert year.day == dt.date(2020, 1, 1)
    assert "Reuters" in year.source


def test_eaeu_founding_and_accessions(events: list[Event]) -> None:
    (founding,) = [e for e in events if e.kind == "EAEU" and e.day == dt.date(2015, 1, 1)]
    assert sorted(founding.countries) == ["BLR", "KAZ", "RUS"]
    assert founding.label == "EAEU: Belarus, Kazakhstan and Russia join"
    (kyrgyzstan,) = _find(events, "EAEU", "EAEU: Kyrgyzstan joins")
    assert kyrgyzstan.day == dt.date(2015, 8, 6)
    # Moldova's observer status, dated differently by two sources: one event, both dates.
    (moldova,) = _find(events, "EAEU", "EAEU: Moldova becomes observer")
    assert moldova.day == dt.date(2017, 4, 14)
    assert "14 Apr 2017 (EURACTIV)" in moldova.published and "14 May 2018" in moldova.published


def test_claimed_rows_are_not_events(events: list[Event], dataset: Dataset) -> None:
    """The article's own claims carry no date or document: no event stands for one."""
    frame = dataset.memberships
    dated = frame[frame["certainty"].isin(("confirmed", "unconfirmed"))]
    joins = [c for e in events if not e.label.endswith("leaves") for c in e.countries]
    assert len(joins) == int(dated["since"].notna().sum())
    claimed = {short_source(s) for s in frame.loc[frame["certainty"] == "claimed", "source"]}
    assert claimed and not any(c in e.source for e in events for c in claimed)


def test_disputed_areas_change_hands_on_their_since(events: list[Event]) -> None:
    (crimea,) = [e for e in events if e.kind == "Borders" and e.label.startswith("Crimea")]
    assert (crimea.day, crimea.published) == (dt.date(2014, 3, 18), "18 Mar 2014")
    assert crimea.label == "Crimea: occupied, held by Russia"
    assert len([e for e in events if e.kind == "Borders"]) == 4


def test_the_article_date_is_an_event(dataset: Dataset, events: list[Event]) -> None:
    (article,) = [e for e in events if e.kind == "Article"]
    assert (article.day, article.published) == (ARTICLE_DATE, "25 Apr 2024")
    assert not [e for e in timeline_events(dataset, None) if e.kind == "Article"]


def _with_memberships(dataset: Dataset, rows: list[dict[str, str | None]]) -> Dataset:
    base = {"source": "Test source, “Title”, 2020", "source_url": None, "note": None}
    base["verified"] = "single-source"
    frame = pd.DataFrame([{**base, **r} for r in rows], dtype=object)
    return replace(dataset, memberships=frame[list(dataset.memberships.columns)])


@pytest.mark.parametrize(
    ("since", "until", "days"),
    [
        ("2019-03-10", None, [dt.date(2019, 3, 10)]),  # a day is itself
        ("2019-03", None, [dt.date(2019, 4, 1)]),  # a month counts from the next one
        ("2019", None, [dt.date(2020, 1, 1)]),  # a year from the next one
        ("2016", "2019-03", [dt.date(2017, 1, 1), dt.date(2019, 3, 1)]),  # an exit: its first day
        ("2016", "2019", [dt.date(2017, 1, 1), dt.date(2019, 1, 1)]),
    ],
)
def test_day_rules_for_each_precision(
    dataset: Dataset, since: str, until: str | None, days: list[dt.date]
) -> None:
    data = _with_memberships(
        dataset,
        [
            {
                "iso_a3": "ARM",
                "bloc": "eaeu",
                "role": "member",
                "certainty": "confirmed",
                "since": since,
                "until": until,
            }
        ],
    )
    found = [e for e in timeline_events(data, None) if e.kind == "EAEU"]
    assert [e.day for e in found] == days
    assert found[0].published == {"2019-03-10": "10 Mar 2019", "2019-03": "Mar 2019"}.get(
        since, since
    )


# --- The chart -------------------------------------------------------------------------------


def test_the_spec_is_small_and_self_contained(chart: dict[str, object]) -> None:
    # Sent again on every change of date, within the 30 KB a date change may cost in all
    # (the benchmark measures the whole rerun: 24 KB with a 10.5 KB chart).
    text = json.dumps(chart)
    assert len(text.encode()) <= 14 * 1024, len(text.encode())
    assert '"url"' not in text  # no data fetched at run time
    assert "datasets" not in chart  # inline in their layers, not converted by Streamlit


def test_every_event_is_in_the_chart(chart: dict[str, object], events: list[Event]) -> None:
    values = _event_values(chart)
    assert [(v["day"], v["kind"], v["tip"]["Event"], v["tip"]["Date"]) for v in values] == [
        (e.day.isoformat(), e.kind, e.label, e.published) for e in events
    ]
    # Older than the axis: drawn at its left edge, flagged, with the real date in the tooltip.
    early = [v["tip"]["Event"] for v in values if v.get("early")]
    assert early == [e.label for e in events if e.day < timeline.AXIS_START]
    assert "Suez Canal: operational" in early
    # Where the mark sits, for a date published to the month or year.
    (bri_2019,) = [v["tip"] for v in values if v["tip"]["Event"].startswith("BRI: 15 ")]
    assert (bri_2019["Date"], bri_2019["Shown from"]) == ("2019", "1 Jan 2020")
    (damaged,) = [v["tip"] for v in values if v["tip"]["Event"] == "Nord Stream 1: damaged"]
    assert "Shown from" not in damaged


def test_the_chart_has_the_selection_streamlit_reports(chart: dict[str, object]) -> None:
    (param,) = chart["params"]
    assert param["name"] == timeline.PICK
    assert param["select"]["type"] == "point"
    assert "day" in param["select"]["fields"]
    dots = next(layer for layer in chart["layer"] if layer.get("name") != "chosen-date")
    x = dots["encoding"]["x"]
    assert x["field"] == "day"
    assert x["scale"]["clamp"] is True
    assert x["scale"]["type"] == "utc"  # the day is the same in every browser time zone


def test_only_events_before_the_axis_are_flagged_early() -> None:
    first = dt.date(2010, 1, 1)
    events = [
        Event(first - dt.timedelta(days=1), "31 Dec 2009", "Corridors", "before"),
        Event(first, "1 Jan 2010", "Corridors", "on"),
    ]
    values = _event_values(timeline_chart(events, first, LAST))
    assert [v.get("early", False) for v in values] == [True, False]


def test_a_timeline_must_end_after_it_starts(events: list[Event]) -> None:
    with pytest.raises(ValueError, match="end after it starts"):
        timeline_chart(events, LAST, LAST)


# --- The chosen date ---------------------------------------------------------------------------


def test_with_date_marks_the_date(chart: dict[str, object]) -> None:
    marked = with_date(chart, dt.date(2022, 9, 26))
    assert _marker(marked)["data"] == {"values": [{"day": "2022-09-26", "text": "26 Sep 2022"}]}
    assert _event_values(marked) is _event_values(chart)  # shared, not copied
    # Near the right edge the label goes to the rule's left.
    _rule, text = _marker(with_date(chart, dt.date(2026, 6, 1)))["layer"]
    assert text["mark"]["align"] == "right"
    _rule, text = _marker(marked)["layer"]
    assert text["mark"]["align"] == "left"


def test_with_date_leaves_the_cached_chart_alone(chart: dict[str, object]) -> None:
    before = copy.deepcopy(chart)
    with_date(chart, dt.date(2022, 9, 26))
    with_date(chart, dt.date(2026, 6, 1))
    assert chart == before


def test_with_date_is_cheap(chart: dict[str, object]) -> None:
    runs = 1000
    start = time.perf_counter()
    for _ in range(runs):
        with_date(chart, dt.date(2022, 9, 26))
    assert (time.perf_counter() - start) / runs < 0.001


# --- What a click sends back ---------------------------------------------------------------------


def _picked(day: object) -> dict[str, object]:
    return {"selection": {timeline.PICK: [{"day": day, "kind": "Corridors"}]}}


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        # What Streamlit 1.67 delivers from Chromium: epoch milliseconds of UTC midnight.
        (1664150400000, dt.date(2022, 9, 26)),
        (-3159561600000, dt.date(1869, 11, 17)),
        (1664150400000.0, dt.date(2022, 9, 26)),
        ("2022-09-26", dt.date(2022, 9, 26)),
        ("2022-09-26T00:00:00.000Z", dt.date(2022, 9, 26)),
    ],
)
def test_picked_day_reads_a_pick(day: object, expected: dt.date) -> None:
    assert picked_day(_picked(day)) == expected


@pytest.fixture
def western_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The server's clock in a time zone behind UTC, where local midnight is not UTC's."""
    monkeypatch.setenv("TZ", "America/Los_Angeles")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("western_clock")
def test_picked_day_does_not_depend_on_the_servers_time_zone() -> None:
    assert picked_day(_picked(1664150400000)) == dt.date(2022, 9, 26)
    assert picked_day(_picked("2022-09-26T00:00:00.000Z")) == dt.date(2022, 9, 26)


def test_every_event_picks_its_own_day(events: list[Event]) -> None:
    epoch = dt.date(1970, 1, 1)
    for e in events:
        assert picked_day(_picked((e.day - epoch).days * 86_400_000)) == e.day


@pytest.mark.parametrize(
    "state",
    [
        None,
        {},
        {"selection": {}},
        {"selection": {timeline.PICK: {}}},  # Streamlit's state before a click, or after a clear
        {"selection": {timeline.PICK: []}},
        {"selection": {"other": [{"day": 1664150400000}]}},
        {"selection": {timeline.PICK: [{}]}},
        {"selection": {timeline.PICK: ["2022-09-26"]}},
        {"selection": [1664150400000]},
        "2022-09-26",
        _picked(True),
        _picked(None),
        _picked(float("nan")),
        _picked(float("inf")),
        _picked(1e300),
        _picked(10**30),
        _picked(-(10**30)),
        _picked(10**400),  # too large for a float
        _picked("9999-12-31T23:00:00-05:00"),  # past year 9999 in UTC
        _picked("0001-01-01T00:00:00+05:00"),  # before year 1 in UTC
        _picked("yesterday"),
        _picked("2022-02-30"),
        _picked("9" * 10_000),
        _picked(["2022-09-26"]),
        _picked({"day": 1}),
    ],
)
def test_picked_day_ignores_anything_else(state: object) -> None:
    assert picked_day(state) is None


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=20,
)


@given(
    st.one_of(
        _json,
        _json.map(lambda v: {"selection": {timeline.PICK: v}}),
        _json.map(lambda v: _picked(v)),
    )
)
def test_picked_day_never_raises(state: object) -> None:
    assert picked_day(state) is None or isinstance(picked_day(state), dt.date)


def test_the_module_does_not_import_streamlit() -> None:
    probe = "import sys, corridors.timeline; print('streamlit' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "False"
