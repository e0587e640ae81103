"""The data schema, declared once: every file in geodata/ is checked against these declarations."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from corridors import registry
from corridors.dates import parse_partial_date

ISO_A3 = re.compile(r"^[A-Z]{3}$")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# A segment id is its corridor's id, optionally followed by "/" and a segment slug.
FEATURE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*(?:/[a-z0-9]+(?:-[a-z0-9]+)*)?$")
HTTP_URL = re.compile(r"^https?://[^\s<>\"']+$")

# GeoJSON's own CRS names for WGS84 longitude/latitude; RFC 7946 dropped the member, but the loader
# insists on it so that a file written in another CRS cannot slip through as degrees.
WGS84_NAMES = frozenset(
    {"urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:EPSG::4326", "EPSG:4326", "OGC:CRS84"}
)

KINDS = frozenset({"rail", "sea route", "pipeline", "canal", "crossing", "port", "venue"})
POINT_KINDS = frozenset({"crossing", "port", "venue"})
QUANTITIES = frozenset({"length", "capacity"})
SCOPES = frozenset({"feature", "country", "corridor"})
# Each quality has the precision its lengths are quoted to (`registry.GEOMETRY_PRECISION`).
GEOMETRY_QUALITIES = frozenset(registry.GEOMETRY_PRECISION)
WAYPOINT_BASES = frozenset({"GeoNames", "Wikipedia", "estimate"})

Check = Callable[[Any], str | None]


def _date(value: Any) -> str | None:
    try:
        parse_partial_date(value)
    except ValueError as exc:
        return str(exc)
    return None


def _pattern(regex: re.Pattern[str], what: str) -> Check:
    def check(value: Any) -> str | None:
        return None if regex.match(value) else f"{value!r} is not {what}"

    return check


def _choice(choices: frozenset[Any]) -> Check:
    def check(value: Any) -> str | None:
        return None if value in choices else f"{value!r} is not one of {sorted(choices)}"

    return check


def _declared(choices: Callable[[], Collection[str]]) -> Check:
    """A check against ids declared in `corridors.registry`, looked up when a file is read."""

    def check(value: Any) -> str | None:
        return _choice(frozenset(choices()))(value)

    return check


def _unit(value: Any) -> str | None:
    return _choice(frozenset([*registry.LENGTH_KM, *registry.CAPACITY_UNITS]))(value)


def _latitude(value: Any) -> str | None:
    return None if -90 <= value <= 90 else f"{value} is not a latitude in degrees"


def _longitude(value: Any) -> str | None:
    return None if -180 <= value <= 180 else f"{value} is not a longitude in degrees"


@dataclass(frozen=True)
class Field:
    """One property: its JSON type(s), whether it must be present, and an optional value check.

    ``items`` declares the fields of each object in a list-of-objects property.
    """

    name: str
    types: tuple[type, ...]
    required: bool = True
    nullable: bool = False
    check: Check | None = None
    items: tuple[Field, ...] | None = None
    min_items: int = 0


NUMBER = (int, float)

SOURCE = (
    Field("id", (str,), required=False, check=_pattern(SLUG, "a lowercase slug")),
    Field("publisher", (str,)),
    Field("title", (str,)),
    Field("date", (str,), check=_date),
    Field("url", (str,), required=False, check=_pattern(HTTP_URL, "an http(s) URL")),
)
STATUS_ENTRY = (
    Field("status", (str,), check=_declared(lambda: registry.ids(registry.STATUSES))),
    Field("since", (str,), nullable=True, check=_date),
    Field("until", (str,), nullable=True, check=_date),
    Field("note", (str,), required=False),
    # When a seasonal status holds ("July to late November; ice-dependent"): shown with it.
    Field("season", (str,), required=False),
    Field("source", (str,)),
)
FIGURE = (
    Field("quantity", (str,), check=_choice(QUANTITIES)),
    Field("value", NUMBER),
    Field("unit", (str,), check=_unit),
    Field("scope", (str,), check=_choice(SCOPES)),
    Field("source", (str,)),
    Field("note", (str,), required=False),
    Field("between", (list,), required=False),
    # false: the figure covers more than is drawn (a whole pipeline, only stage 1 drawn), so a
    # drawn-vs-published difference would mislead; the figure is shown but not compared.
    Field("compare", (bool,), required=False),
)
# A dated event that is not a change of status but that sources date differently or that a
# reader may ask about (a ceremony, a first train); the status history says which one it uses.
EVENT = (
    Field("date", (str,), check=_date),
    Field("event", (str,)),
    Field("source", (str,)),
)
WAYPOINT = (
    Field("name", (str,)),
    Field("lat", NUMBER, check=_latitude),
    Field("lon", NUMBER, check=_longitude),
    Field("basis", (str,), check=_choice(WAYPOINT_BASES)),
)


@dataclass(frozen=True)
class LayerSchema:
    """What a GeoJSON file in geodata/ must hold: its properties and the geometry types allowed."""

    file: str
    id_field: str
    fields: tuple[Field, ...]
    geometry_types: frozenset[str]
    extra_checks: tuple[Callable[[Mapping[str, Any]], str | None], ...] = field(default=())

    def field_names(self) -> frozenset[str]:
        """Every declared property name; anything else in a file is a typo or a schema change."""
        return frozenset(f.name for f in self.fields)


def _status_in_order(props: Mapping[str, Any]) -> str | None:
    """Status history runs forward in time, each entry ending no earlier than it starts."""
    last = None
    for entry in props["status"]:
        since, until = entry["since"], entry["until"]
        start = parse_partial_date(since) if since else None
        if start and until and parse_partial_date(until) < start:
            return f"status {entry['status']!r} ends ({until}) before it starts ({since})"
        if start and last and start < last:
            return f"status history is not in date order at {since}"
        last = start or last
    return None


def _season_where_seasonal(props: Mapping[str, Any]) -> str | None:
    """A seasonal status says when it holds, and only a seasonal one has a season."""
    for entry in props["status"]:
        seasonal = registry.status(entry["status"]).seasonal
        if seasonal and not entry.get("season"):
            return f"status {entry['status']!r} is seasonal but gives no 'season'"
        if not seasonal and entry.get("season"):
            return f"status {entry['status']!r} is not seasonal but gives a 'season'"
    return None


CORRIDORS = LayerSchema(
    file=registry.CORRIDORS_FILE,
    id_field="id",
    geometry_types=frozenset({"LineString", "MultiLineString", "Point"}),
    fields=(
        Field("id", (str,), check=_pattern(FEATURE_ID, "a corridor id or corridor/segment id")),
        Field("corridor", (str,), check=_pattern(SLUG, "a lowercase slug")),
        Field("name", (str,)),
        Field("segment", (str,), required=False),
        Field("kind", (str,), check=_choice(KINDS)),
        Field("status", (list,), items=STATUS_ENTRY, min_items=1),
        Field("figures", (list,), items=FIGURE),
        Field("geometry_quality", (str,), check=_choice(GEOMETRY_QUALITIES)),
        Field("geometry_note", (str,), required=False),
        Field("waypoints", (list,), required=False, items=WAYPOINT),
        Field("events", (list,), required=False, items=EVENT),
        Field("sources", (list,), items=SOURCE, min_items=1),
        Field("country", (str,), required=False, check=_pattern(ISO_A3, "an ISO alpha-3 code")),
        Field("countries", (list,), required=False),
        Field("gauge_mm", (int,), required=False, check=_choice(frozenset({1435, 1520}))),
        Field("mode", (str,), required=False, check=_choice(frozenset({"rail", "road"}))),
        Field("legal_extent", (bool,), required=False),
        Field("terminus_note", (str,), required=False),
    ),
    extra_checks=(_status_in_order, _season_where_seasonal),
)

ROLES = frozenset({"member", "observer", "signatory"})

# How a memberships.csv row was checked against the second sources in geodata/sources/checklists/
# (`corridors.checklists` says what each value must mean, and checks it): the id of a list that
# states the row; AFTER + id, a complete list dated before the row starts; NOT_IN + id, a complete
# list that leaves the country out while the row is in force (the sources disagree); or
# SINGLE_SOURCE, no second source states the row or contradicts it.
SINGLE_SOURCE: Final = "single-source"
AFTER: Final = "after:"
NOT_IN: Final = "not-in:"
VERIFICATION = re.compile(rf"^(?:{SINGLE_SOURCE}|(?:{AFTER}|{NOT_IN})?{SLUG.pattern.strip('^$')})$")

MEMBERSHIP_COLUMNS = (
    "iso_a3",
    "bloc",
    "role",
    "certainty",
    "since",
    "until",
    "source",
    "source_url",
    "note",
    "verified",
)
MEMBERSHIP_FIELDS = (
    Field("iso_a3", (str,), check=_pattern(ISO_A3, "an ISO alpha-3 code")),
    Field("bloc", (str,), check=_declared(lambda: registry.ids(registry.BLOCS))),
    Field("role", (str,), check=_choice(ROLES)),
    Field("certainty", (str,), check=_choice(frozenset({"confirmed", "unconfirmed", "claimed"}))),
    Field("since", (str,), required=False, check=_date),
    Field("until", (str,), required=False, check=_date),
    Field("source", (str,)),
    Field("source_url", (str,), required=False, check=_pattern(HTTP_URL, "an http(s) URL")),
    Field("note", (str,), required=False),
    Field(
        "verified",
        (str,),
        check=_pattern(
            VERIFICATION, f"a check list id, {AFTER}<id>, {NOT_IN}<id> or {SINGLE_SOURCE}"
        ),
    ),
)

# A second source's list of a bloc's members (geodata/sources/checklists/<id>.json): the
# countries as the source names them, each with the project's ISO code and the role listed.
CHECK_LIST_ENTRY = (
    Field("name", (str,)),
    Field("group", (str,), required=False),  # the source's own heading, such as a continent
    Field("iso_a3", (str,), check=_pattern(ISO_A3, "an ISO alpha-3 code")),
    Field("role", (str,), check=_choice(ROLES)),
)
CHECK_LIST_FIELDS = (
    Field("bloc", (str,), check=_declared(lambda: registry.ids(registry.BLOCS))),
    # true: the source gives the bloc's whole membership on its date, so leaving a country out
    # says something; false: it names some members only.
    Field("complete", (bool,)),
    Field("publisher", (str,)),
    Field("title", (str,)),
    Field("date", (str,), check=_date),
    Field("url", (str,), check=_pattern(HTTP_URL, "an http(s) URL")),
    Field("retrieved", (str,)),  # how the project obtained it: a page, or a repository and commit
    Field("note", (str,), required=False),
    Field("countries", (list,), items=CHECK_LIST_ENTRY, min_items=1),
)

COUNTRIES = LayerSchema(
    file=registry.COUNTRIES_FILE,
    id_field="iso_a3",
    geometry_types=frozenset({"Polygon", "MultiPolygon"}),
    fields=(
        Field("iso_a3", (str,), check=_pattern(ISO_A3, "an ISO alpha-3 code")),
        Field("iso_n3", (str,), nullable=True),
        Field("name", (str,)),
    ),
)
DISPUTED = LayerSchema(
    file=registry.DISPUTED_FILE,
    id_field="id",
    geometry_types=frozenset({"Polygon", "MultiPolygon"}),
    fields=(
        Field("id", (str,), check=_pattern(SLUG, "a lowercase slug")),
        Field("name", (str,)),
        # The state each border view gives the area to (None: no UN member state).
        *(
            Field(
                view.owner_column,
                (str,),
                nullable=True,
                check=_pattern(ISO_A3, "an ISO alpha-3 code"),
            )
            for view in registry.VIEWS
        ),
        Field("since", (str,), check=_date),
        Field("status", (str,), check=_choice(frozenset({"occupied", "breakaway", "contested"}))),
        Field("note", (str,)),
        Field("sources", (list,), items=SOURCE, min_items=1),
    ),
)

# geodata/sea-routes.json (corridors.routedata): the sources cited, published distances between two
# ports by one sea route, and each route's caveats. A UN/LOCODE is the country's ISO 3166 alpha-2
# code and three letters or digits 2-9.
LOCODE = re.compile(r"^[A-Z]{2}[A-Z2-9]{3}$")
# A reader's stored article (corridors.articles): "r" and hex digits of its content's SHA-256
# (corridors.intake.content_id), 80 bits: no collision among any plausible store.
READER_ARTICLE_DIGITS = 20
READER_ARTICLE_ID = re.compile(f"r[0-9a-f]{{{READER_ARTICLE_DIGITS}}}")
# Every source here is cited by id and must give its address.
SEA_ROUTE_SOURCE = (
    Field("id", (str,), check=_pattern(SLUG, "a lowercase slug")),
    Field("publisher", (str,)),
    Field("title", (str,)),
    Field("date", (str,), check=_date),
    Field("url", (str,), check=_pattern(HTTP_URL, "an http(s) URL")),
    Field("note", (str,), required=False),
)
PUBLISHED_ROUTE = (
    Field("from", (str,), check=_pattern(LOCODE, "a UN/LOCODE")),
    Field("to", (str,), check=_pattern(LOCODE, "a UN/LOCODE")),
    Field("route", (str,), check=_declared(lambda: registry.ids(registry.SEA_ROUTES))),
    # distance: the route's length; saving: how much shorter than via Suez, in per cent.
    Field("quantity", (str,), check=_choice(frozenset({"distance", "saving"}))),
    Field("value", NUMBER),
    Field("unit", (str,), check=_choice(frozenset({*registry.LENGTH_KM, "%"}))),
    Field("source", (str,)),
    Field("note", (str,), required=False),
)
ROUTE_CAVEAT = (
    Field("route", (str,), check=_declared(lambda: registry.ids(registry.SEA_ROUTES))),
    Field("id", (str,), check=_pattern(SLUG, "a lowercase slug")),
    Field("text", (str,)),
    Field("sources", (list,), min_items=1),
)
SEA_ROUTES_FIELDS = (
    Field("ports", (list,), min_items=1),
    Field("aliases", (dict,)),
    Field("sources", (list,), items=SEA_ROUTE_SOURCE, min_items=1),
    Field("published", (list,), items=PUBLISHED_ROUTE, min_items=1),
    Field("caveats", (list,), items=ROUTE_CAVEAT, min_items=1),
)
