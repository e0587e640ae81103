"""What the map says about a feature: name, dated status, drawn vs published lengths, sources.

One structure feeds both places a reader meets it: the map's tooltip (brief facts only) and the
page's panel for the selected corridor (every fact, sources as links). Text here is plain and
untrusted; each renderer escapes it for where it lands.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import geopandas as gpd

from corridors import registry
from corridors.boundaries import owner
from corridors.dates import format_partial_date, holds_on
from corridors.escape import safe_url, visible_text
from corridors.measure import length_between, length_in_countries
from corridors.status import status_on, status_text


@dataclass(frozen=True)
class Fact:
    """One labelled line; ``brief`` facts also go into the map's tooltip. ``short`` is what a
    corridor's hover says of it, without the sources the panel names (None: ``text``)."""

    label: str
    text: str
    brief: bool = True
    short: str | None = None


@dataclass(frozen=True)
class Source:
    """A cited source: "Publisher, date", its title, and its URL if it is a safe http(s) one."""

    label: str
    title: str
    url: str | None


# What a corridor's hover shows, the first fact of each label in this order (`Details.hover`).
HOVER_FACTS: Final = ("Status", "Drawn", "Published")


@dataclass(frozen=True)
class Details:
    """Everything the map says about one feature."""

    title: str
    subtitle: str | None
    facts: tuple[Fact, ...]
    sources: tuple[Source, ...]

    def tooltip(self, *, sources: bool = True) -> dict[str, Any]:
        """The brief form, as JSON for the map's script (which inserts it as text, never HTML).

        ``sources=False`` leaves out the source list, for facts that name their source inline.
        Control and direction-override characters are dropped here, as the page drops them
        from its Markdown: inserted as text they would still reorder or hide what is around them.
        """
        return {
            "title": visible_text(self.title),
            "subtitle": visible_text(self.subtitle) if self.subtitle else None,
            "facts": [[visible_text(f.label), visible_text(f.text)] for f in self.facts if f.brief],
            "sources": [visible_text(s.label) for s in self.sources] if sources else [],
        }

    def hover(self) -> dict[str, Any]:
        """A corridor's hover, short enough to sit beside the pointer: its name and kind, its
        status on the day, its drawn length and the first published one. Every other figure,
        the history and the sources are the panel's, on a click, and the last line says so."""
        brief = [f for f in self.facts if f.brief]
        shown = [
            next(f for f in brief if f.label == label)
            for label in HOVER_FACTS
            if any(f.label == label for f in brief)
        ]
        more = len(brief) - len(shown)
        sources = len(self.sources)
        told = [f"{more} more fact{'' if more == 1 else 's'}"] if more else []
        told += [f"{sources} source{'' if sources == 1 else 's'}"] if sources else []
        return {
            **self.tooltip(sources=False),
            "facts": [[visible_text(f.label), visible_text(f.short or f.text)] for f in shown],
            "more": "Click for " + " and ".join(told) if told else None,
        }


def _number(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,}"


def source_label(source: Mapping[str, Any]) -> str:
    """ "Publisher, 7 Jan 2025": who said it and when."""
    return f"{source['publisher']}, {format_partial_date(str(source['date']))}"


def _status_facts(
    history: Sequence[Mapping[str, Any]], sources: Mapping[str, str], when: dt.date
) -> list[Fact]:
    current = status_on(history, when)
    if current is None:
        # Every dated status starts after ``when``: say so rather than borrow a later one.
        first = history[0]
        return [Fact("Status", f"not yet {registry.status(first['status']).label} on "
                     f"{when:%d %b %Y}")]  # fmt: skip
    said = status_text(current)
    text = said + f" ({sources.get(current['source'], current['source'])})"
    facts = [Fact("Status", text, short=said)]
    if len(history) > 1:
        steps = [
            registry.status(e["status"]).label
            + (f" {format_partial_date(e['since'])}" if e.get("since") else "")
            for e in history
        ]
        facts.append(Fact("History", " → ".join(steps), brief=False))
    facts.extend(Fact("Note", str(e["note"]), brief=False) for e in history if e.get("note"))
    return facts


def _length_facts(
    rows: gpd.GeoDataFrame, feature: Mapping[str, Any] | None, sources: Mapping[str, str]
) -> list[Fact]:
    drawn = float(rows["length_km"].sum())
    quoted = registry.precision(str(rows.iloc[0]["geometry_quality"]))
    waypoints = {w["name"]: w for wps in rows["waypoints"].dropna() for w in wps}
    whole = " (whole corridor)" if len(rows) > 1 else ""
    facts = [Fact("Drawn", f"{quoted.length(drawn)}{whole} along the drawn route "
                  "(geodesic, WGS84)", short=f"{quoted.length(drawn)}{whole}")]  # fmt: skip
    published: dict[tuple[float, str, tuple[str, ...], bool], list[str]] = {}
    for figures in rows["figures"]:
        for fig in figures:
            if fig["quantity"] != "length" or fig["scope"] != "corridor" or fig["unit"] == "m":
                continue
            compare = bool(fig.get("compare", True))
            key = (fig["value"], fig["unit"], tuple(fig.get("between") or ()), compare)
            who = sources.get(fig["source"], fig["source"])
            if fig.get("note"):
                who += f", {fig['note']}"
            if who not in published.setdefault(key, []):
                published[key].append(who)
    for (value, unit, between, compare), who in published.items():
        km = value * registry.LENGTH_KM[unit]
        shown = f"{_number(value)} {unit}" + (f" ({km:,.0f} km)" if unit != "km" else "")
        figure = (f"{' – '.join(between)}: " if between else "") + shown
        if not compare:
            against = "; covers more than is drawn, so not compared"
        elif between:
            part = length_between(list(rows.geometry), waypoints, between[0], between[1])
            against = f"; drawn {quoted.length(part)} ({quoted.change(part, km)})"
        else:
            against = f"; drawn {quoted.change(drawn, km)}"
        text = f"{figure} ({'; '.join(who)}){against}"
        facts.append(Fact("Published", text, short=figure + against))
    if feature is not None and len(rows) > 1:
        segment = float(feature["length_km"])
        # One entry per published value, its sources together and its note (a contradiction
        # between sources, say) shown once.
        merged: dict[tuple[float, str], tuple[list[str], str | None]] = {}
        for fig in feature["figures"]:
            if fig["quantity"] == "length" and fig["scope"] == "feature":
                who, _ = merged.setdefault((fig["value"], fig["unit"]), ([], fig.get("note")))
                who.append(sources.get(fig["source"], fig["source"]))
        own = [
            f"{_number(value)} {unit} ({'; '.join(who)}{f', {note}' if note else ''})"
            for (value, unit), (who, note) in merged.items()
        ]
        text = f"{quoted.length(segment)} drawn" + (f"; published {', '.join(own)}" if own else "")
        facts.append(Fact("This segment", text))
    return facts


def _other_figures(rows: gpd.GeoDataFrame, sources: Mapping[str, str]) -> list[Fact]:
    facts: list[Fact] = []
    seen: set[tuple[Any, ...]] = set()
    for figures in rows["figures"]:
        for fig in figures:
            is_drawn_length = fig["quantity"] == "length" and fig["unit"] != "m"
            key = (fig["quantity"], fig["value"], fig["unit"], fig["source"])
            if is_drawn_length or key in seen:
                continue
            seen.add(key)
            note = f" — {fig['note']}" if fig.get("note") else ""
            who = sources.get(fig["source"], fig["source"])
            facts.append(
                Fact(
                    str(fig["quantity"]).capitalize(),
                    f"{_number(fig['value'])} {fig['unit']} ({who}){note}",
                )
            )
    return facts


def _sources(entries: Iterable[Mapping[str, Any]]) -> tuple[Source, ...]:
    seen: dict[tuple[str, str], Source] = {}
    for s in entries:
        label = source_label(s)
        seen.setdefault(
            (label, str(s["title"])), Source(label, str(s["title"]), safe_url(s.get("url")))
        )
    return tuple(seen.values())


def _country_split_facts(
    rows: gpd.GeoDataFrame, countries: gpd.GeoDataFrame, sources: Mapping[str, str]
) -> list[Fact]:
    """For a corridor whose sources split its length by country: the drawn length inside each
    country's border beside every published figure for that country, with the difference.

    A country's published figures are those scoped ``country`` on its segments, and the
    ``feature`` lengths of a segment that is the country's whole section (its only segment).
    """
    segments = rows[rows["country"].notna()] if "country" in rows else rows.iloc[0:0]
    if segments.empty:
        return []
    codes = list(dict.fromkeys(segments["country"]))
    borders = countries[countries["iso_a3"].isin(codes)]
    names = dict(zip(borders["iso_a3"], borders["name"], strict=True))
    drawn = length_in_countries(
        list(rows.geometry), dict(zip(borders["iso_a3"], borders.geometry, strict=True))
    )
    quoted = registry.precision(str(rows.iloc[0]["geometry_quality"]))
    facts = []
    for code in codes:
        own = segments[segments["country"] == code]
        published: dict[tuple[float, str], list[str]] = {}
        for _, segment in own.iterrows():
            for fig in segment["figures"]:
                whole = fig["scope"] == "country" or (fig["scope"] == "feature" and len(own) == 1)
                if fig["quantity"] == "length" and fig["unit"] == "km" and whole:
                    who = sources.get(fig["source"], fig["source"])
                    if fig.get("note"):
                        who += f", {fig['note']}"
                    if who not in published.setdefault((fig["value"], fig["unit"]), []):
                        published[(fig["value"], fig["unit"])].append(who)
        km = drawn.get(code, 0.0)
        text = f"{quoted.length(km)} drawn inside its border"
        for (value, unit), who in published.items():
            shown = f"{_number(value)} {unit} ({'; '.join(who)})"
            text += f"; published {shown}: drawn {quoted.change(km, value)}"
        facts.append(Fact(f"In {names.get(code, code)}", text, brief=False))
    return facts


def corridor_details(
    rows: gpd.GeoDataFrame,
    when: dt.date,
    feature_id: str | None = None,
    countries: gpd.GeoDataFrame | None = None,
) -> Details:
    """Details of the corridor whose features are ``rows`` as of ``when``; of one segment if
    ``feature_id``. With ``countries`` (the country borders), the panel's facts also split the
    drawn length by country beside the published splits."""
    feature = None
    if feature_id is not None:
        feature = rows.loc[rows["id"] == feature_id].iloc[0]
    first = rows.iloc[0]
    all_sources = [s for entries in rows["sources"] for s in entries]
    names = {str(s["id"]): str(s["publisher"]) for s in all_sources if s.get("id")}
    facts = _status_facts(first["status"], names, when)
    if first.geometry.geom_type != "Point":
        facts += _length_facts(rows, feature, names)
        if countries is not None:
            facts += _country_split_facts(rows, countries, names)
    facts += _other_figures(rows, names)
    events = [e for entries in rows["events"] if isinstance(entries, list) for e in entries]
    facts += [
        Fact(
            "Event", f"{format_partial_date(e['date'])}: {e['event']} ({names[e['source']]})", False
        )
        for e in events
    ]
    quality = str(first["geometry_quality"])
    note = feature.get("geometry_note") if feature is not None else first.get("geometry_note")
    facts.append(Fact("Geometry", quality))
    if isinstance(note, str):
        facts.append(Fact("How it is drawn", note, brief=False))
    shown = feature["sources"] if feature is not None else all_sources
    subtitle = feature.get("segment") if feature is not None else None
    return Details(
        title=str(first["name"]),
        subtitle=subtitle if isinstance(subtitle, str) else None,
        facts=tuple(facts),
        sources=_sources(shown),
    )


def short_source(source: str) -> str:
    """The publisher of a membership row's source ("Publisher, “Title”, date"): enough for a
    line."""
    return source.split(", ")[0]


def membership_facts(rows: Iterable[Mapping[str, Any]]) -> list[Fact]:
    """One line per membership row of one country, each with its source; claims marked."""
    facts = []
    shorts = {bloc.id: bloc.short for bloc in registry.BLOCS}
    for row in rows:
        bloc = shorts.get(str(row["bloc"]), str(row["bloc"]).upper())
        text = str(row["role"])
        if row.get("since"):
            text += f" since {format_partial_date(row['since'])}"
        if row.get("until"):
            text += f", until {format_partial_date(row['until'])}"
        if not row.get("since") and row["certainty"] != "claimed":
            text += ", date not published"
        if row["certainty"] == "claimed":
            text = f"claimed {text}, without date or document"
        elif row["certainty"] == "unconfirmed":
            text += ", unconfirmed"
        facts.append(Fact(bloc, f"{text} ({short_source(str(row['source']))})"))
    return facts


def country_details(name: str, memberships: Sequence[Mapping[str, Any]]) -> Details:
    """A country's name and every membership statement about it, with sources."""
    sources = {
        (short_source(str(r["source"])), str(r["source"])): safe_url(r.get("source_url"))
        for r in memberships
    }
    return Details(
        title=name,
        subtitle=None,
        facts=tuple(membership_facts(memberships)),
        sources=tuple(Source(label, title, url) for (label, title), url in sources.items()),
    )


def disputed_details(
    row: Mapping[str, Any], country_names: Mapping[str, str], when: dt.date | None = None
) -> Details:
    """A disputed area: its status, who holds it under each view on ``when`` (None: now), and
    the sources."""

    def name(code: str | None) -> str:
        return country_names.get(code, code) if code is not None else "no state"

    since = str(row["since"])
    status = f"{row['status']} since {format_partial_date(since)}"
    if when is not None and not holds_on(since, None, when):
        status = f"{row['status']} from {format_partial_date(since)}, not yet on this date"
    facts = [
        Fact("Status", status),
        Fact("UN view", name(owner(row, "un", when))),
        Fact("De facto", name(owner(row, "de-facto", when))),
        Fact("Note", str(row["note"]), brief=False),
    ]
    return Details(
        title=str(row["name"]),
        subtitle="disputed area",
        facts=tuple(facts),
        sources=_sources(row["sources"]),
    )
