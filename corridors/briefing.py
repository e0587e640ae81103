"""A one-file briefing of a view: an HTML page that opens from an email attachment with the
network off, showing the same map (Leaflet, the map's script and its data inlined, so it makes
no request), the selected corridor's facts, the compared sea routes, the article's excerpts
with attribution, a table of everything drawn with sources, the date and the link back.

Every text from the data, the article or a link is escaped for where it lands: HTML text and
attributes through `html.escape`, and JSON inside ``<script>`` with ``<``, ``>``, ``&`` and
the line separators written as escapes, so no value can end the script or start markup.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from collections.abc import Iterable, Mapping
from typing import Any, Final

import geopandas as gpd

from corridors.assets import inline_sources
from corridors.dates import format_day
from corridors.escape import safe_url
from corridors.excerpts import (
    attribution,
    is_linked,
    paragraph_label,
    selection_for,
    shown_paragraphs,
)
from corridors.inventory import drawn_text
from corridors.routes import Comparison
from corridors.routeview import legend, map_document, map_tips, table_rows
from corridors.share import MAX_ZOOM, MIN_ZOOM, ViewState
from corridors.site import Site
from corridors.webmap import map_config, view_payload

# The page's own style; the map is as tall as on a laptop screen.
_STYLE: Final = """
body { font: 16px/1.5 system-ui, sans-serif; color: #222; max-width: 1100px; margin: 24px auto;
       padding: 0 16px; }
h1 { font-size: 1.6em; margin: 0 0 4px; }
h2 { font-size: 1.25em; margin: 28px 0 8px; border-bottom: 1px solid #ddd; }
#map { height: 560px; border: 1px solid #bbb; }
table { border-collapse: collapse; width: 100%; font-size: 0.9em; }
th, td { border: 1px solid #ddd; padding: 4px 6px; text-align: left; vertical-align: top; }
blockquote { margin: 8px 0; padding: 4px 12px; border-left: 4px solid #ccc; }
.meta { color: #555; }
dt { font-weight: 600; }
dd { margin: 0 0 6px 16px; }
"""


def _text(value: object) -> str:
    return html.escape(str(value), quote=True)


def _link(label: str, url: object) -> str:
    target = safe_url(url)
    return f'<a href="{_text(target)}">{_text(label)}</a>' if target else _text(label)


def _script_json(value: Any) -> str:
    """JSON that is safe inside a ``<script>`` element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):  # fmt: skip
        text = text.replace(raw, escaped)
    return text


def _script(source: str) -> str:
    # A library's text, never a reader's: only "</script" could end the element early.
    return "<script>" + source.replace("</script", "<\\/script") + "</script>"


def briefing(
    site: Site,
    state: ViewState,
    comparison: Comparison | None,
    rows: gpd.GeoDataFrame,
    link: str,
    made: dt.date,
) -> bytes:
    """The briefing of ``state`` (with ``comparison`` drawn, if any, and ``rows`` from
    `corridors.inventory.view_frame`) as one self-contained HTML file."""
    day = site.vocab.day(state)
    selection = selection_for(state, site.article)
    route = None
    if comparison is not None and any(o.computed for o in comparison.outcomes):
        route = {
            "url": "inline",
            "doc": json.loads(map_document(comparison)),
            "tips": map_tips(comparison),
            "legend": legend(comparison),
        }
    # Without tiles: the land is drawn, as offline it must be.
    view = view_payload(ViewState(**{**state.__dict__, "basemap": "none"}), site.vocab,
                        selection, route)  # fmt: skip
    view["today"] = False  # read later, "today" would be wrong: the map says "As on <day>"
    config = map_config(json.loads(site.map_data), None, fixed_link=link)
    sources = inline_sources()
    title = f"Eurasian corridors in the news: briefing, as on {format_day(day)}"
    parts = [
        '<!doctype html><html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_text(title)}</title>",
        f"<style>{sources['leaflet.css']}{sources['webmap.css']}{_STYLE}</style></head><body>",
        f"<header><h1>{_text(title)}</h1>",
        f'<p class="meta">Made {_text(format_day(made))} from the live view: '
        f"{_link(link, link)}. Lines are approximate; each row below names its sources.</p>",
        "</header><main>",
        f'<div id="map" role="region" aria-label="{_text(_map_label(rows, day))}"></div>',
        *_selected(site, state, day),
        *_routes(comparison),
        *_excerpts(site, state),
        *_table(rows),
        "</main>",
        _script(sources["leaflet.js"]),
        _script(sources["webmap.js"]),
        "<script>",
        f"var map = L.map('map', {{center: [55, 90], zoom: 3, minZoom: {MIN_ZOOM}, "
        f"maxZoom: {MAX_ZOOM}}});",
        "L.control.scale().addTo(map);",
        f"window.corridorsMap.init(map, {_script_json(config)});",
        f"window.corridorsMap.apply({_script_json(view)});",
        "</script></body></html>",
    ]
    return "\n".join(parts).encode()


def _map_label(rows: gpd.GeoDataFrame, day: dt.date) -> str:
    kinds = rows["kind"].value_counts()
    counts = ", ".join(f"{n} {kind}" for kind, n in kinds.items())
    return f"Map as on {format_day(day)}: {counts}. The table below lists each."


def _selected(site: Site, state: ViewState, day: dt.date) -> list[str]:
    if state.focus is None:
        return []
    details = site.details(state.focus, day)
    out = [f"<section><h2>Selected: {_text(details.title)}</h2><dl>"]
    out += [f"<dt>{_text(f.label)}</dt><dd>{_text(f.text)}</dd>" for f in details.facts]
    out.append("</dl><h3>Sources</h3><ul>")
    out += [f"<li>{_link(s.title, s.url)} ({_text(s.label)})</li>" for s in details.sources]
    out.append("</ul></section>")
    return out


def _routes(comparison: Comparison | None) -> list[str]:
    if comparison is None:
        return []
    c = comparison
    out = [
        f"<section><h2>Sea routes: {_text(c.origin.label)} → {_text(c.destination.label)} at "
        f"{c.speed_kn:g} knots</h2>",
        *_html_table(table_rows(c)),
    ]
    reasons = [f"<li>{_text(r.route.label)}: {_text(r.reason)}</li>" for r in c.rows() if r.reason]
    if reasons:
        out += ["<ul>", *reasons, "</ul>"]
    caveats = [
        f"<li>{_text(r.route.label)}: {_text(cv.text)} "
        + "; ".join(_link(s.publisher, s.url) for s in cv.sources)
        + "</li>"
        for r in c.rows()
        if r.nm is not None
        for cv in r.caveats
    ]
    if caveats:
        out += ["<h3>Caveats</h3><ul>", *caveats, "</ul>"]
    out.append("</section>")
    return out


def _excerpts(site: Site, state: ViewState) -> list[str]:
    article = site.article
    if article is None:
        return []
    shown = [p for p in shown_paragraphs(state, article) if is_linked(p)]
    names = {**site.corridor_names, **site.country_names}
    source = _link(attribution(article), article.meta.url)
    out = [f'<section><h2>What the article says</h2><p class="meta">{source}</p>']
    for p in shown:
        named = ", ".join(names.get(i, i) for i in (*p.corridors, *p.countries))
        out.append(
            f'<blockquote><p>{_text(p.text)}</p><footer class="meta">'
            f"{_text(paragraph_label(article, p))} · names {_text(named)}</footer></blockquote>"
        )
    out.append("</section>")
    return out


def _table(rows: gpd.GeoDataFrame) -> list[str]:
    """The corridors, places and routes as a table; the blocs' members (over a hundred) as one
    list per bloc and source."""
    members = rows["kind"].isin(("member country", "disputed area"))
    records: list[Mapping[str, object]] = [
        {
            "Name": r["name"],
            "Kind": r["kind"],
            "Layer": r["layer"],
            "Status": r["status"],
            "Drawn": drawn_text(r),
            "Published (sources): drawn vs published": r["published"],
            "Geometry": r["geometry_quality"],
            "Source": (r["source_title"], r["source_url"]),
        }
        for _, r in rows[~members].iterrows()
    ]
    out = ["<section><h2>Everything on the map</h2>", *_html_table(records)]
    for (layer, title, url), group in rows[members].groupby(
        ["layer", "source_title", "source_url"], sort=False
    ):
        names = ", ".join(f"{n} ({s})" for n, s in zip(group["name"], group["status"], strict=True))
        out.append(f"<p><strong>{_text(layer)}</strong> ({len(group)}, {_link(str(title), url)}): "
                   f"{_text(names)}</p>")  # fmt: skip
    out.append("</section>")
    return out


def _html_table(records: Iterable[Mapping[str, object]]) -> list[str]:
    records = list(records)
    if not records:
        return ["<p>Nothing.</p>"]
    heads = list(records[0])
    out = ["<table><thead><tr>", *(f"<th>{_text(h)}</th>" for h in heads), "</tr></thead><tbody>"]
    for record in records:
        cells = []
        for value in record.values():
            if isinstance(value, tuple):
                cells.append(f"<td>{_link(str(value[0]), value[1])}</td>")
            else:
                cells.append(f"<td>{_text(value)}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return out
