"""Everything a view draws, as rows: the map's text alternative, and the files a reader takes away.

One row per corridor or place in a shown layer (drawn on the view's date), per member country
of a shown bloc on that date (and per disputed area drawn with a member under the view's
borders), and per computed sea route. Every row carries its status on the date, lengths,
geometry quality and sources, the view's date (``as_of``) and its geometry in WGS84, cut at the
antimeridian as the data holds it. The same frame is the page's table, the GeoJSON (RFC 7946)
and the CSV (geometry as WKT): the downloads hold exactly the rows the table shows.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

import geopandas as gpd
import pandas as pd
from shapely.geometry import LineString, MultiLineString
from shapely.geometry.base import BaseGeometry

from corridors import registry
from corridors.boundaries import owner
from corridors.dates import format_partial_date
from corridors.details import corridor_details, source_label
from corridors.escape import safe_url
from corridors.memberships import FILLED_CERTAINTIES, FILLED_ROLES, row_span
from corridors.routes import Comparison, OncePerKey
from corridors.share import ViewState
from corridors.site import Site
from corridors.status import status_on, status_text

# The columns, in order, of the table and of both files. ``corridor`` is the id a row selects
# (empty for a country or a route); ``sources`` holds every source as "label: title <url>";
# ``drawn_km`` is rounded to the precision the row's geometry supports (`registry.Precision`:
# an approximate line or a computed route to the nearest 10 km), a whole number either way.
COLUMNS: Final = (
    "name",
    "kind",
    "layer",
    "status",
    "drawn_km",
    "published",
    "geometry_quality",
    "source_title",
    "source_url",
    "sources",
    "as_of",
    "corridor",
)
# The columns the page's table shows: all but the long list of sources, the date (the table
# says it once) and the id a row selects.
SHOWN: Final = tuple(c for c in COLUMNS if c not in ("sources", "as_of", "corridor"))
# The geometry quality of rows whose geometry nobody drew for this project.
MEMBER_QUALITY: Final = "Natural Earth 1:50m country outline"
ROUTE_QUALITY: Final = "computed on searoute's network (see the sea routes panel)"
# A computed route's first source: the routing package and the network it is built on.
ROUTING_SOURCE: Final = {
    "publisher": "searoute 1.6.0 (PyPI)",
    "date": "2026-05",
    "title": "A python package for generating the shortest sea route between two points on Earth",
    "url": "https://pypi.org/project/searoute/",
}


# The rows of a view are the same for every session that shows it (a room opening one link):
# built once per view per process, for the 64 views most recently asked. Callers never change
# the frame they get (selecting columns makes a copy). The benchmark clears it to time a build.
FRAMES = OncePerKey(64)


def view_frame(site: Site, state: ViewState, comparison: Comparison | None) -> gpd.GeoDataFrame:
    """Every row the view draws (see the module docstring), in display order."""
    day = site.vocab.day(state)
    pair = (comparison.origin.locode, comparison.destination.locode) if comparison else None
    speed = comparison.speed_kn if comparison else None
    key = (id(site), state.layers, day, state.boundaries, pair, speed)
    frame: gpd.GeoDataFrame = FRAMES.get(key, lambda: _view_frame(site, state, day, comparison))
    return frame


def _view_frame(
    site: Site, state: ViewState, day: dt.date, comparison: Comparison | None
) -> gpd.GeoDataFrame:
    rows = [*_corridor_rows(site, state, day), *_member_rows(site, state, day)]
    if comparison is not None:
        rows += _route_rows(comparison, day)
    records = [{k: r[k] for k in COLUMNS} for r in rows]
    geometry = [r["geometry"] for r in rows]
    frame = gpd.GeoDataFrame(
        pd.DataFrame(records, columns=list(COLUMNS)), geometry=geometry, crs="EPSG:4326"
    )
    return frame.astype({"drawn_km": "Int64"})


def drawn_text(row: Mapping[str, Any]) -> str:
    """A row's ``drawn_km`` as readers quote it, "≈ 470 km" for an approximate line or a computed
    route (`registry.Precision`); "" for a row with no line (a place, a country)."""
    km = row["drawn_km"]
    if km is None or pd.isna(km):
        return ""
    quality = str(row["geometry_quality"])
    quoted = registry.GEOMETRY_PRECISION.get(quality, registry.ROUTE_PRECISION)
    return quoted.length(float(km))


def _all_sources(sources: Iterable[Mapping[str, Any]]) -> str:
    seen: dict[str, None] = {}
    for s in sources:
        url = safe_url(s.get("url"))
        seen[f"{source_label(s)}: {s['title']}" + (f" <{url}>" if url else "")] = None
    return "; ".join(seen)


def _published(rows: gpd.GeoDataFrame, day: dt.date) -> str:
    """Every published length of the corridor, with its sources and the drawn difference, as
    the corridor panel gives them (`corridors.details`): figures for a stretch between two
    places measure the drawn line between them; where sources disagree, each is listed."""
    facts = corridor_details(rows, day).facts
    return " | ".join(f.text for f in facts if f.label == "Published")


def _primary_source(rows: gpd.GeoDataFrame) -> tuple[str, str]:
    """The source a row names first: one its status or a figure cites (with an address if one
    of those has it), never merely where the geometry's coordinates came from."""
    cited = {e["source"] for history in rows["status"] for e in history}
    cited |= {f["source"] for figures in rows["figures"] for f in figures}
    sources = [s for entries in rows["sources"] for s in entries]
    return _first_source([s for s in sources if s.get("id") in cited] or sources)


def _first_source(sources: Sequence[Mapping[str, Any]]) -> tuple[str, str]:
    """The title and safe address of the first of ``sources`` with an address, else the
    first's title and no address."""
    linked = [s for s in sources if safe_url(s.get("url"))]
    chosen = (linked or list(sources) or [{"title": "", "url": None}])[0]
    return str(chosen.get("title", "")), safe_url(chosen.get("url")) or ""


def _corridor_rows(site: Site, state: ViewState, day: dt.date) -> list[dict[str, Any]]:
    data = site.data.corridors
    out = []
    for layer in site.catalogue.layers:
        if layer.id not in state.layers:
            continue
        for corridor in layer.corridors:
            rows = data[data["corridor"] == corridor]
            if rows.empty:
                continue
            first = rows.iloc[0]
            current = status_on(first["status"], day)
            if current is None:
                continue  # not yet on the map on this date
            status = status_text(current)
            sources = [s for entries in rows["sources"] for s in entries]
            point = first.geometry.geom_type == "Point"
            quoted = registry.precision(str(first["geometry_quality"]))
            drawn = None if point else int(quoted.rounded(float(rows["length_km"].sum())))
            title, url = _primary_source(rows)
            out.append(
                {
                    "name": str(first["name"]),
                    "kind": str(first["kind"]),
                    "layer": layer.name,
                    "status": status,
                    "drawn_km": drawn,
                    "published": "" if drawn is None else _published(rows, day),
                    "geometry_quality": str(first["geometry_quality"]),
                    "source_title": title,
                    "source_url": url,
                    "sources": _all_sources(sources),
                    "as_of": day.isoformat(),
                    "corridor": corridor,
                    "geometry": _union(rows.geometry),
                }
            )
    return out


def _union(geometries: Iterable[BaseGeometry]) -> BaseGeometry:
    """A corridor's segments as one geometry: its line, or its lines as a MultiLineString."""
    parts = [g for geom in geometries for g in getattr(geom, "geoms", [geom])]
    first: BaseGeometry = parts[0]
    return first if len(parts) == 1 else MultiLineString([LineString(p) for p in parts])


def _member_rows(site: Site, state: ViewState, day: dt.date) -> list[dict[str, Any]]:
    data = site.data
    shapes = dict(zip(data.countries["iso_a3"], data.countries.geometry, strict=True))
    names = site.country_names
    out = []
    for bloc in registry.BLOCS:
        if bloc.id not in state.layers:
            continue
        layer = site.catalogue[bloc.id]
        rows = data.memberships[
            (data.memberships["bloc"] == bloc.id)
            & data.memberships["role"].isin(FILLED_ROLES)
            & data.memberships["certainty"].isin(FILLED_CERTAINTIES)
        ]
        members: dict[str, Mapping[str, Any]] = {}
        for record in rows.to_dict("records"):
            row = {str(k): v for k, v in record.items()}
            if row_span(bloc.id, row["since"], row["until"]).holds_on(day):
                members.setdefault(str(row["iso_a3"]), row)
        for iso_a3 in sorted(members, key=lambda c: names.get(c, c)):
            member = members[iso_a3]
            if iso_a3 not in shapes:
                continue
            since = member.get("since")
            when = f" since {format_partial_date(since)}" if since else ", date not published"
            url = safe_url(member.get("source_url")) or ""
            out.append(
                {
                    "name": names.get(iso_a3, iso_a3),
                    "kind": "member country",
                    "layer": layer.name,
                    "status": f"{member['role']}{when}",
                    "drawn_km": None,
                    "published": "",
                    "geometry_quality": MEMBER_QUALITY,
                    "source_title": str(member["source"]),
                    "source_url": url,
                    "sources": str(member["source"]) + (f" <{url}>" if url else ""),
                    "as_of": day.isoformat(),
                    "corridor": "",
                    "geometry": shapes[iso_a3],
                }
            )
        for area in data.disputed.to_dict("records"):
            holder = owner(area, state.boundaries, day)
            if holder is None or holder not in members:
                continue
            view = registry.view(state.boundaries).label
            title, url = _first_source(area["sources"])
            out.append(
                {
                    "name": f"{area['name']} (disputed)",
                    "kind": "disputed area",
                    "layer": layer.name,
                    "status": f"drawn with {names.get(holder, holder)} ({view} borders)",
                    "drawn_km": None,
                    "published": "",
                    "geometry_quality": MEMBER_QUALITY,
                    "source_title": title,
                    "source_url": url,
                    "sources": _all_sources(area["sources"]),
                    "as_of": day.isoformat(),
                    "corridor": "",
                    "geometry": area["geometry"],
                }
            )
    return out


def _route_rows(comparison: Comparison, day: dt.date) -> list[dict[str, Any]]:
    out = []
    pair = f"{comparison.origin.name} → {comparison.destination.name}"
    quoted = registry.ROUTE_PRECISION
    for row in comparison.rows():
        route = comparison.computed(row.route.id)
        if route is None or row.km is None or row.nm is None:
            continue
        published = []
        for check in row.published:
            f = check.figure
            if f.nm is not None and check.computed is not None:
                change = quoted.change(check.computed, f.nm)
                published.append(f"{f.nm * registry.LENGTH_KM['nmi']:,.0f} km "
                                 f"({f.source.publisher}): computed {change}")  # fmt: skip
        sources = [c.figure.source for c in row.published] + [
            s for caveat in row.caveats for s in caveat.sources
        ]
        entries = [ROUTING_SOURCE] + [
            {"publisher": s.publisher, "date": s.date, "title": s.title, "url": s.url}
            for s in sources
        ]
        title, url = _first_source(entries)
        out.append(
            {
                "name": f"{row.route.label}, {pair}",
                "kind": "computed sea route",
                "layer": "Sea routes",
                "status": f"{quoted.length(row.nm, 'nm')}, {row.days:.1f} days at "
                f"{comparison.speed_kn:g} knots",
                "drawn_km": int(quoted.rounded(row.km)),
                "published": "; ".join(published),
                "geometry_quality": ROUTE_QUALITY,
                "source_title": title,
                "source_url": url,
                "sources": _all_sources(entries),
                "as_of": day.isoformat(),
                "corridor": "",
                "geometry": route.geometry,
            }
        )
    return out


# --- The files ---------------------------------------------------------------------------------


def geojson_bytes(frame: gpd.GeoDataFrame) -> bytes:
    """The rows as an RFC 7946 GeoJSON FeatureCollection (WGS84 longitude, latitude)."""
    text: str = frame.to_json(na="null", drop_id=True, to_wgs84=True)
    return text.encode()


def csv_bytes(frame: gpd.GeoDataFrame) -> bytes:
    """The rows as CSV, the geometry as WKT in a ``geometry`` column. UTF-8 with a byte-order
    mark, which spreadsheets need to read "–" and "→" as written."""
    out = io.StringIO()
    table = pd.DataFrame(frame.drop(columns="geometry"))
    table["geometry"] = frame.geometry.to_wkt()
    table.to_csv(out, index=False)
    return out.getvalue().encode("utf-8-sig")
