"""Every dated event in the data on one timeline, drawn as a Vega-Lite chart with Altair.

The page shows the chart under the map; a reader who clicks an event sets the page's date to
that event's `Event.day`, the first day on which the map certainly shows it (the rule of
`corridors.dates`: "2019-03" counts from 1 April 2019).

The x axis. The events span 1869 (the Suez Canal) to 2025, but all except four context events
(Suez, Northern Cyprus 1974, Siachen 1984, Somaliland 1991) fall after 2011; on a linear axis
over 157 years those would share the last tenth of a 900-pixel column. So the axis shows
``first`` to ``last`` (the page passes `AXIS_START` and its date) with a clamped scale: an
earlier event sits on the left edge, drawn as a left-pointing triangle instead of a dot, and
its tooltip gives its real date as the source published it. A broken axis would show the same
with a second scale readers must decode; a logarithmic one would distort the recent years.

Built once per process: `timeline_chart` runs Altair (and its schema validation) and returns a
plain dict with every value inline, so the browser fetches nothing. `with_date` then marks the
page's date on it on every rerun by swapping one small layer. Plain Python: no Streamlit here.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import altair as alt

from corridors import registry
from corridors.dataset import Dataset
from corridors.dates import Span, certain_start, format_partial_date, parse_partial_date
from corridors.details import short_source
from corridors.memberships import FILLED_CERTAINTIES, row_span

# --- The rows, declared once -------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One row of the timeline: a kind of event, and its colour."""

    kind: str
    colour: str


CORRIDORS: Final = "Corridors"
CROSSINGS: Final = "Crossings"
BORDERS: Final = "Borders"
ARTICLE: Final = "Article"


def rows() -> tuple[Row, ...]:
    """The timeline's rows, top to bottom; each bloc in `registry.BLOCS` has its own, in its
    map colour (looked up when called, as the registry asks)."""
    return (
        Row(CORRIDORS, "#332288"),  # Paul Tol's indigo: the corridors' lines have many colours
        Row(CROSSINGS, registry.PLACES.colour),
        *(Row(bloc.short, bloc.colour) for bloc in registry.BLOCS),
        Row(BORDERS, "#882255"),  # Paul Tol's wine
        Row(ARTICLE, "#117733"),  # Paul Tol's green
    )


# Blocs whose signings are too many to show one by one: one event per year (150-odd BRI MoUs).
PER_YEAR: Final = frozenset({"bri"})
# What a bloc's row says a country did, by role.
_VERBS: Final = {
    "member": ("joins", "join"),
    "observer": ("becomes observer", "become observers"),
    "signatory": ("signs", "sign"),
}
# The axis's usual start: the year before the first event of the corridors the article names
# (Nord Stream 1, November 2011). Earlier events are drawn at its left edge.
AXIS_START: Final = dt.date(2010, 1, 1)

# --- Events ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Event:
    """One mark on the timeline.

    ``day``: the first day on which the map certainly shows the event (`certain_start` of a
    start, `parse_partial_date` of an end). ``published``: the date as the source gives it, at
    its own precision ("Mar 2019"). ``kind``: the row (`Row.kind`). ``label``: short plain text.
    ``detail``: more for the tooltip (the countries of a bloc event). ``source``: who says so.
    ``countries``: for a bloc event, the ISO code of each membership row it stands for, one per
    row (a country two sources date in the same year is there twice).
    """

    day: dt.date
    published: str
    kind: str
    label: str
    detail: str = ""
    source: str = ""
    countries: tuple[str, ...] = ()


def _begins(date: str, kind: str, label: str, source: str = "", **more: Any) -> Event:
    """An event that starts something on ``date``: on the map from its certain start."""
    return Event(certain_start(date), format_partial_date(date), kind, label, source=source, **more)


def _ends(date: str, kind: str, label: str, source: str = "", **more: Any) -> Event:
    """An event that ends something on ``date``: off the map from the first day the date can
    mean, as `corridors.dates.holds_on` has it."""
    day = parse_partial_date(date)
    return Event(day, format_partial_date(date), kind, label, source=source, **more)


def _and(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _corridor_events(data: Dataset) -> list[Event]:
    """Status changes and dated notes, once per corridor however many segments carry them; what
    happens to one corridor on one day is one event (a bridge opens and turns operational)."""
    by_day: dict[tuple[str, dt.date], list[Event]] = defaultdict(list)
    names: dict[str, str] = {}
    for corridor, segments in data.corridors.groupby("corridor", sort=False):
        first = segments.iloc[0]
        names[str(corridor)] = str(first["name"])
        kind = CROSSINGS if first["kind"] == "crossing" else CORRIDORS
        publishers = {
            str(s["id"]): str(s["publisher"]) for entries in segments["sources"] for s in entries
        }
        found: list[Event] = []
        for history in segments["status"]:
            starts = {entry.get("since") for entry in history}
            for entry in history:
                status = registry.status(str(entry["status"])).label
                who = publishers.get(str(entry.get("source")), "")
                since, until = entry.get("since"), entry.get("until")
                if since:
                    found.append(_begins(since, kind, status, who))
                # An end is its own event only if no other status starts then.
                if until and until not in starts:
                    found.append(_ends(until, kind, f"no longer {status}", who))
        for notes in segments["events"]:
            for note in notes if isinstance(notes, list) else ():
                who = publishers.get(str(note["source"]), "")
                found.append(_begins(str(note["date"]), kind, str(note["event"]), who))
        for event in found:
            by_day[(str(corridor), event.day)].append(event)
    return [
        Event(
            same_day[0].day,
            same_day[0].published,
            same_day[0].kind,
            f"{names[corridor]}: " + "; ".join(_distinct(e.label for e in same_day)),
            source=", ".join(_unique(e.source for e in same_day if e.source)),
        )
        for (corridor, _), same_day in by_day.items()
    ]


def _distinct(labels: Iterable[str]) -> list[str]:
    """``labels`` without repeats, nor one that is another with a remark in brackets added."""
    unique = _unique(labels)
    return [x for x in unique if not any(x.startswith(y + " (") for y in unique)]


def _union(spans: Iterable[Span]) -> list[Span]:
    """Overlapping or touching spans of days merged: the days on which any of them holds."""
    merged: list[Span] = []
    for days in sorted(spans, key=lambda d: d.start or dt.date.min):
        last = merged[-1] if merged else None
        if last is not None and (last.end is None or (days.start or dt.date.min) <= last.end):
            end = None if last.end is None or days.end is None else max(last.end, days.end)
            merged[-1] = Span(last.start, end)
        else:
            merged.append(days)
    return merged


def _dates(rows: Sequence[Mapping[str, Any]], column: str, sources: bool = True) -> str:
    """One country's dates in ``column``, as published; where sources differ, with each source
    if ``sources``: "Mar 2019 (GFDC); 2019 (Reuters)"."""
    dated = [r for r in rows if r[column]]
    if len({r[column] for r in dated}) == 1:
        return format_partial_date(str(dated[0][column]))
    said = [
        format_partial_date(str(r[column]))
        + (f" ({short_source(str(r['source']))})" if sources else "")
        for r in dated
    ]
    return ("; " if sources else ", ").join(_unique(said))


# A country taking a role: the day the map shows it from, its name, and its rows.
Joined = tuple[dt.date, str, Sequence[Mapping[str, Any]]]


def _bloc_events(data: Dataset) -> list[Event]:
    """Accessions, observers and signings, and exits, on the days the map shows them.

    A country's rows for one role may come from several sources with different dates: they are
    merged as the map merges them (it draws a country while any row holds), so each event is
    where the map changes, and its tooltip gives every source's date. Starts are grouped by day,
    or by year for `PER_YEAR` blocs; a bloc's undated rows are drawn from its founding, which
    is then an event of its own.
    """
    names = dict(zip(data.countries["iso_a3"], data.countries["name"], strict=True))
    frame = data.memberships
    dated = frame[frame["certainty"].isin(FILLED_CERTAINTIES)]
    events: list[Event] = []
    for bloc in registry.BLOCS:
        starts: dict[tuple[str, str], list[Joined]] = defaultdict(list)
        undated: list[str] = []
        rows = [{str(k): v for k, v in r.items()} for r in dated[dated["bloc"] == bloc.id]
                .to_dict("records")]  # fmt: skip
        by_country: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        for row in rows:
            by_country[(str(row["iso_a3"]), str(row["role"]))].append(row)
        for (code, role), own in by_country.items():
            name = names.get(code, code)
            spans = [row_span(bloc.id, r["since"], r["until"]) for r in own]
            dated_since = [parse_partial_date(str(r["since"])) for r in own if r["since"]]
            for days in _union(spans):
                if days.start is not None and dated_since:
                    # A year's signings by the year the sources give (a memorandum of December
                    # 2013 is one of 2013's, though the map shows it from 1 January 2014).
                    year = str(min(dated_since).year)
                    group = year if bloc.id in PER_YEAR else days.start.isoformat()
                    starts[(role, group)].append((days.start, name, own))
                elif days.start is not None:
                    undated.append(name)
                if days.end is not None:
                    label = f"{bloc.short}: {name} leaves"
                    events.append(Event(days.end, _dates(own, "until"), bloc.short, label,
                                        source=_sources(own), countries=(code,)))  # fmt: skip
        for (role, group), joined in starts.items():
            events.append(_joined(bloc, role, group, joined))
        if undated and bloc.founded:
            label = f"{bloc.short}: founded; {len(undated)} undated memberships drawn from here"
            detail = ", ".join(sorted(undated))
            # The chart's tooltip is text: the address is given to copy, not as a link.
            source = " ".join(filter(None, (bloc.founded_source, bloc.founded_url)))
            events.append(_begins(bloc.founded, bloc.short, label, source, detail=detail))
    return events


def _sources(rows: Sequence[Mapping[str, Any]]) -> str:
    return ", ".join(_unique(short_source(str(r["source"])) for r in rows))


def _joined(bloc: registry.Bloc, role: str, group: str, joined: Sequence[Joined]) -> Event:
    """One event for the countries taking one role on one day (or in one year)."""
    countries = sorted({name for _, name, _ in joined})
    codes = tuple(str(r["iso_a3"]) for _, _, own in joined for r in own if r["since"])
    one, many = _VERBS.get(role, (role, role))
    # The group is on the map once every one of its countries is.
    day = max(d for d, _, _ in joined)
    if bloc.id not in PER_YEAR:
        label = f"{bloc.short}: {_and(countries)} {one if len(countries) == 1 else many}"
        said = "; ".join(_unique(_dates(own, "since") for _, _, own in joined))
        sources = _sources([r for _, _, own in joined for r in own])
        return Event(day, said, bloc.short, label, source=sources, countries=codes)
    count = len(countries)
    label = f"{bloc.short}: " + (f"1 country {one}" if count == 1 else f"{count} countries {many}")
    detail = ", ".join(f"{name} ({_dates(own, 'since', sources=False)})"
                       for _, name, own in sorted(joined, key=lambda j: j[1]))  # fmt: skip
    sources = _sources([r for _, _, own in joined for r in own])
    return Event(day, group, bloc.short, label, detail, sources, codes)


def _border_events(data: Dataset) -> list[Event]:
    """Each disputed area's start of control, the date the de-facto view changes hands."""
    names = dict(zip(data.countries["iso_a3"], data.countries["name"], strict=True))
    events = []
    for area in data.disputed.to_dict("records"):
        since = area.get("since")
        if not isinstance(since, str):
            continue
        label = f"{area['name']}: {area['status']}"
        holder = area.get("de_facto_iso_a3")
        if isinstance(holder, str):
            label += f", held by {names.get(holder, holder)}"
        publishers = ", ".join(_unique(str(s["publisher"]) for s in area.get("sources") or ()))
        events.append(_begins(since, BORDERS, label, publishers))
    return events


def timeline_events(data: Dataset, article_date: dt.date | None) -> list[Event]:
    """Every dated event in ``data``, and the article's date if there is one, sorted by day
    and then by row."""
    events = _corridor_events(data) + _bloc_events(data) + _border_events(data)
    if article_date is not None:
        published = format_partial_date(article_date.isoformat())
        events.append(Event(article_date, published, ARTICLE, "The article is published"))
    order = {row.kind: i for i, row in enumerate(rows())}
    return sorted(events, key=lambda e: (e.day, order.get(e.kind, len(order)), e.label))


# --- The chart ---------------------------------------------------------------------------------

PICK: Final = "pick"  # the selection parameter a click sets, as Streamlit reports it
_MARKER: Final = "chosen-date"  # the name of the layer `with_date` swaps
_HEIGHT: Final = 250


def _utc(day: dt.date) -> alt.DateTime:
    return alt.DateTime(year=day.year, month=day.month, date=day.day, utc=True)


# Marks closer than this share of the axis would overlap (a mark is about 12 px of ~800): they
# go on separate lanes of their row, this many pixels apart, so each can be hovered and picked.
_CLOSE: Final = 0.02
_LANE_PX: Final = 8
_LANES: Final = (0, -1, 1)


def _lanes(events: Sequence[Event], first: dt.date, last: dt.date) -> list[int]:
    """Each event's pixel offset within its row: 0, or above or below a close neighbour."""
    close = dt.timedelta(days=_CLOSE * (last - first).days)
    latest: dict[tuple[str, int], dt.date] = {}
    offsets = []
    for e in events:
        at = min(max(e.day, first), last)  # drawn at the edge when outside the axis
        free = [lane for lane in _LANES if at - latest.get((e.kind, lane), dt.date.min) >= close]
        lane = free[0] if free else _LANES[0]
        latest[(e.kind, lane)] = at
        offsets.append(lane * _LANE_PX)
    return offsets


def _values(events: Sequence[Event], first: dt.date, last: dt.date) -> list[dict[str, object]]:
    """The events as the chart's inline data. ``tip`` is the tooltip as an object, which the
    tooltip shows as a table that skips absent keys (a field-list tooltip would say "undefined")."""
    values: list[dict[str, object]] = []
    for e, offset in zip(events, _lanes(events, first, last), strict=True):
        tip = {"Event": e.label, "Date": e.published}
        if e.detail:
            tip["Countries"] = e.detail
        if e.source:
            tip["Source"] = e.source
        if format_partial_date(e.day.isoformat()) != e.published:
            # A month or a year: the mark sits where the map starts showing it.
            tip["Shown from"] = format_partial_date(e.day.isoformat())
        value: dict[str, object] = {"day": e.day.isoformat(), "kind": e.kind, "tip": tip}
        if offset:
            value["dy"] = offset
        if e.day < first:
            value["early"] = True
        values.append(value)
    return values


def _marker_values(when: dt.date) -> list[dict[str, object]]:
    return [{"day": when.isoformat(), "text": format_partial_date(when.isoformat())}]


def timeline_chart(events: Sequence[Event], first: dt.date, last: dt.date) -> dict[str, Any]:
    """The timeline as a Vega-Lite spec with every value inline, the axis spanning ``first`` to
    ``last`` (earlier or later events are drawn at its edge), the page's date marked at
    ``last`` until `with_date` moves it.

    A click sets the point selection `PICK` to the nearest event's ``day`` and ``kind``.
    Slow (Altair validates the spec): build it once per process.
    """
    if last <= first:
        raise ValueError(f"the timeline must end after it starts: {first} to {last}")
    rows_ = rows()
    kinds = [row.kind for row in rows_]
    x_scale = alt.Scale(type="utc", domain=[_utc(first), _utc(last)], clamp=True, nice=False)
    x = alt.X(
        "day:T",
        scale=x_scale,
        axis=alt.Axis(
            title=f"◀ before {first.year}: drawn at the left edge", format="%Y", labelOverlap=True
        ),
    )
    pick = alt.selection_point(
        name=PICK, fields=["day", "kind"], on="click", clear="dblclick", toggle=False
    )
    dots = (
        alt.Chart(alt.InlineData(values=_values(sorted(events, key=lambda e: e.day), first, last)))
        # Within its row, by the lane `_lanes` gave it.
        .mark_point(filled=True, cursor="pointer", yOffset=alt.ExprRef("datum.dy || 0"))
        .encode(
            x=x,
            y=alt.Y("kind:N", sort=kinds, scale=alt.Scale(domain=kinds), axis=alt.Axis(title=None)),
            color=alt.Color(
                "kind:N",
                scale=alt.Scale(domain=kinds, range=[row.colour for row in rows_]),
                legend=None,
            ),
            shape=alt.condition("datum.early", alt.value("triangle-left"), alt.value("circle")),
            size=alt.condition(pick, alt.value(180), alt.value(110), empty=False),
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.75)),
            tooltip=alt.Tooltip("tip:N"),
            description=alt.Description("said:N"),
        )
        # What a screen reader says for a mark (its aria-label).
        .transform_calculate(said="datum.tip.Event + ', ' + datum.tip.Date")
        .add_params(pick)
    )
    marker = alt.Chart(alt.InlineData(values=_marker_values(last)))
    # The layers share the x scale and axis the dots declare.
    rule = marker.mark_rule(color="#333333", strokeDash=[4, 3]).encode(x="day:T")
    # Above the plot, clear of the top row's marks.
    text = marker.mark_text(align="left", dx=4, dy=-4, baseline="bottom", fontSize=11).encode(
        x="day:T", y=alt.value(0), text="text:N"
    )
    # The marker first, so the events are drawn over its rule.
    chart = alt.layer(alt.layer(rule, text, name=_MARKER), dots).properties(
        height=_HEIGHT,
        # SVG: each mark is an element with its own accessible label, and testable.
        # `span` is for `with_date`; Vega ignores what it does not know in usermeta.
        usermeta={
            "embedOptions": {"renderer": "svg"},
            "span": [first.isoformat(), last.isoformat()],
        },
    )
    spec = chart.to_dict()
    _inline(spec)
    return spec


def _inline(spec: dict[str, Any]) -> None:
    """Put each layer's data back inside it: Altair lifts it into top-level ``datasets``, which
    Streamlit would convert to Arrow on every rerun, under names `with_date` cannot keep true."""
    datasets = spec.pop("datasets", {})

    def visit(node: dict[str, Any]) -> None:
        data = node.get("data")
        if isinstance(data, dict) and data.get("name") in datasets:
            node["data"] = {"values": datasets[data["name"]]}
        for child in node.get("layer", ()):
            visit(child)

    visit(spec)
    spec.pop("config", None)  # Altair's default view size; the page sets the width


def _marker_index(chart: Mapping[str, Any]) -> int:
    for i, layer in enumerate(chart["layer"]):
        if layer.get("name") == _MARKER:
            return i
    raise ValueError("not a timeline_chart spec: it has no chosen-date layer")


def with_date(chart: Mapping[str, Any], when: dt.date) -> dict[str, Any]:
    """``chart`` with ``when`` marked; ``chart`` is not changed and its event data is shared,
    not copied, so this is cheap enough for every rerun."""
    index = _marker_index(chart)
    marker = dict(chart["layer"][index])
    marker["data"] = {"values": _marker_values(when)}
    # Near the right edge the date's label goes on the rule's left, where it has room.
    first, last = (dt.date.fromisoformat(d) for d in chart["usermeta"]["span"])
    if (when - first).days > 0.85 * (last - first).days:
        rule, text = marker["layer"]
        marker["layer"] = [rule, {**text, "mark": {**text["mark"], "align": "right", "dx": -4}}]
    layers = list(chart["layer"])
    layers[index] = marker
    return {**chart, "layer": layers}


# --- What a click sends back ---------------------------------------------------------------------

_MS_PER_DAY: Final = 86_400_000


def _day_from(value: object) -> dt.date | None:
    """A day from a selected ``day``: epoch milliseconds (UTC) or an ISO date or date-time."""
    try:
        if isinstance(value, int | float) and not isinstance(value, bool):
            days = math.floor(value / _MS_PER_DAY)  # ValueError for NaN, OverflowError for inf
            return dt.date(1970, 1, 1) + dt.timedelta(days=days)
        if isinstance(value, str) and len(value) <= 40:
            moment = dt.datetime.fromisoformat(value)
            if moment.tzinfo is not None:
                moment = moment.astimezone(dt.UTC)
            return moment.date()
    except (ValueError, OverflowError):
        pass
    return None


def picked_day(state: object) -> dt.date | None:
    """The day of the event a click picked, from what Streamlit stores for the chart's key
    (``{"selection": {"pick": [{"day": …, …}]}}``); None for no pick or anything malformed."""
    selection = state.get("selection") if isinstance(state, Mapping) else None
    picked = selection.get(PICK) if isinstance(selection, Mapping) else None
    if not isinstance(picked, list) or not picked or not isinstance(picked[-1], Mapping):
        return None
    return _day_from(picked[-1].get("day"))
