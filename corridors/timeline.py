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
from corridors.dates import certain_start, format_partial_date, parse_partial_date
from corridors.details import short_source

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
    """Status changes and dated notes, once per corridor however many segments carry them."""
    events: dict[tuple[str, str, str], Event] = {}
    for corridor, segments in data.corridors.groupby("corridor", sort=False):
        first = segments.iloc[0]
        name = str(first["name"])
        kind = CROSSINGS if first["kind"] == "crossing" else CORRIDORS
        publishers = {
            str(s["id"]): str(s["publisher"]) for entries in segments["sources"] for s in entries
        }
        for history in segments["status"]:
            starts = {entry.get("since") for entry in history}
            for entry in history:
                status = registry.status(str(entry["status"])).label
                who = publishers.get(str(entry.get("source")), "")
                since, until = entry.get("since"), entry.get("until")
                if since:
                    key = (str(corridor), since, status)
                    events.setdefault(key, _begins(since, kind, f"{name}: {status}", who))
                # An end is its own event only if no other status starts then.
                if until and until not in starts:
                    label = f"{name}: no longer {status}"
                    events.setdefault((str(corridor), until, label), _ends(until, kind, label, who))
        for notes in segments["events"]:
            for note in notes if isinstance(notes, list) else ():
                date, text = str(note["date"]), str(note["event"])
                who = publishers.get(str(note["source"]), "")
                label = f"{name}: {text}"
                events.setdefault((str(corridor), date, text), _begins(date, kind, label, who))
    return list(events.values())


def _bloc_events(data: Dataset) -> list[Event]:
    """Accessions, observers and signings (grouped by date, or by year for `PER_YEAR` blocs),
    and each exit on its own. A row whose sources disagree with another's is kept: both show."""
    names = dict(zip(data.countries["iso_a3"], data.countries["name"], strict=True))
    frame = data.memberships
    dated = frame[frame["certainty"].isin(("confirmed", "unconfirmed"))]
    events: list[Event] = []
    for bloc in registry.BLOCS:
        groups: dict[tuple[str, str], list[Mapping[str, Any]]] = defaultdict(list)
        for row in dated[dated["bloc"] == bloc.id].to_dict("records"):
            code, since, until = str(row["iso_a3"]), row["since"], row["until"]
            if since:
                group = str(since)[:4] if bloc.id in PER_YEAR else str(since)
                groups[(str(row["role"]), group)].append({str(k): v for k, v in row.items()})
            if until:
                label = f"{bloc.short}: {names.get(code, code)} leaves"
                who = short_source(str(row["source"]))
                events.append(_ends(str(until), bloc.short, label, who, countries=(code,)))
        for (role, group), members in groups.items():
            events.append(_joined(bloc, role, group, members, names))
    return events


def _joined(
    bloc: registry.Bloc,
    role: str,
    group: str,
    members: Sequence[Mapping[str, Any]],
    names: Mapping[str, str],
) -> Event:
    """One event for the rows of one role starting on one date (or in one year)."""
    codes = tuple(str(r["iso_a3"]) for r in members)
    countries = sorted(set(codes), key=lambda code: names.get(code, code))
    sources = ", ".join(_unique(short_source(str(r["source"])) for r in members))
    one, many = _VERBS.get(role, (role, role))
    if bloc.id not in PER_YEAR:
        listed = [names.get(code, code) for code in countries]
        label = f"{bloc.short}: {_and(listed)} {one if len(listed) == 1 else many}"
        return _begins(group, bloc.short, label, sources, countries=codes)

    def shown(code: str) -> str:
        # A country two sources date differently is listed with both dates.
        dates = _unique(
            format_partial_date(str(r["since"])) for r in members if r["iso_a3"] == code
        )
        name = names.get(code, code)
        return f"{name} ({', '.join(dates)})" if len(dates) > 1 else name

    count = len(countries)
    label = f"{bloc.short}: " + (f"1 country {one}" if count == 1 else f"{count} countries {many}")
    # The year's event is on the map once every one of its rows is.
    day = max(certain_start(str(r["since"])) for r in members)
    detail = ", ".join(map(shown, countries))
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
_HEIGHT: Final = 200


def _utc(day: dt.date) -> alt.DateTime:
    return alt.DateTime(year=day.year, month=day.month, date=day.day, utc=True)


def _values(events: Sequence[Event], first: dt.date) -> list[dict[str, object]]:
    """The events as the chart's inline data. ``tip`` is the tooltip as an object, which the
    tooltip shows as a table that skips absent keys (a field-list tooltip would say "undefined")."""
    values: list[dict[str, object]] = []
    for e in events:
        tip = {"Event": e.label, "Date": e.published}
        if e.detail:
            tip["Countries"] = e.detail
        if e.source:
            tip["Source"] = e.source
        if format_partial_date(e.day.isoformat()) != e.published:
            # A month or a year: the mark sits where the map starts showing it.
            tip["Shown from"] = format_partial_date(e.day.isoformat())
        value: dict[str, object] = {"day": e.day.isoformat(), "kind": e.kind, "tip": tip}
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
        name=PICK, fields=["day", "kind"], on="click", clear="dblclick", toggle=False, nearest=True
    )
    dots = (
        alt.Chart(alt.InlineData(values=_values(events, first)))
        .mark_point(filled=True, cursor="pointer")
        .encode(
            x=x,
            y=alt.Y("kind:N", sort=kinds, scale=alt.Scale(domain=kinds), axis=alt.Axis(title=None)),
            color=alt.Color(
                "kind:N",
                scale=alt.Scale(domain=kinds, range=[row.colour for row in rows_]),
                legend=None,
            ),
            shape=alt.condition("datum.early", alt.value("triangle-left"), alt.value("circle")),
            size=alt.condition(pick, alt.value(150), alt.value(70), empty=False),
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
