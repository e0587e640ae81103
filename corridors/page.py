"""What the page (``app.py``) needs from the package, in one place, and the copy between a link's
state and the page's widgets, kept here so that it is tested without Streamlit.

The view's one home is a `ViewState`. A session opens with the state its link decodes to; the
widgets hold it from then on (`widget_values`), and `state_from_widgets` reads it back on every
rerun. The centre and zoom never pass through a widget: the map's script writes them into the
address itself as the reader pans, so the page keeps the opening link's.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Protocol
from urllib.parse import urlsplit, urlunsplit

import folium
import geopandas as gpd

from corridors import briefing, intake, inventory, picture, registry, routeview
from corridors.article import Article
from corridors.articles import StoreUnavailable, shared_store
from corridors.assets import publish_map
from corridors.dataset import GEODATA
from corridors.dates import format_day
from corridors.details import Details
from corridors.errors import problems_markdown
from corridors.escape import markdown_link, markdown_text
from corridors.excerpts import (
    attribution,
    excerpt_markdown,
    is_linked,
    paragraph,
    selection_for,
    shown_paragraphs,
)
from corridors.fetch import FetchRefused, fetch
from corridors.intake import Draft, Refused
from corridors.registry import SHIP_SPEED_KN
from corridors.routes import Comparison
from corridors.routeview import Shown, comparison_for, map_route
from corridors.share import SCHEME, Decoded, ViewState, decode
from corridors.site import Site, shared_site
from corridors.timeline import PICK, picked_day, with_date
from corridors.turns import stepping_aside, taking_turns
from corridors.webmap import base_map, prepared, view_group, view_payload

__all__ = [
    "GEODATA",
    "HOW_TO_READ",
    "PICK",
    "SEED",
    "SHIP_SPEED_KN",
    "Article",
    "Decoded",
    "Download",
    "Draft",
    "FetchRefused",
    "Key",
    "MapClick",
    "Refused",
    "Site",
    "StoreUnavailable",
    "ViewState",
    "article_label",
    "attribution",
    "basemap_labels",
    "briefing",
    "date_presets",
    "date_steps",
    "downloads",
    "draft_from_file",
    "draft_from_link",
    "draft_from_text",
    "draft_summary",
    "draft_values",
    "ensure_published",
    "excerpt_markdown",
    "format_day",
    "inventory",
    "is_linked",
    "map_click",
    "map_for",
    "markdown_link",
    "markdown_text",
    "nothing_chosen",
    "open_link",
    "page_style",
    "paragraph",
    "picked_date",
    "picture",
    "place_markdown",
    "problems_markdown",
    "route_shown",
    "routeview",
    "same_port_twice",
    "save_article",
    "saved_values",
    "share_link",
    "shared_site",
    "shown_paragraphs",
    "state_from_widgets",
    "stepping_aside",
    "taking_turns",
    "timeline_for",
    "timeline_key",
    "view_labels",
    "view_of",
    "widget_values",
]


# The page's first lines: how to read the map and where the rest of the page is.
HOW_TO_READ: Final = (
    "Hover a line or point for its status and lengths; click it for its full record and "
    "sources and what the article says about it (a click elsewhere or Esc clears it). "
    "Solid lines operate all year, long dashes only in season; shorter dashes and dots do not "
    "operate (yet). *Show on map* marks what a "
    "paragraph names: corridors in yellow, countries outlined. *Sea routes* in the sidebar "
    "compares Suez, the Cape and the Northern Sea Route between two ports. Below the "
    "article: the comparison in full, a timeline of every dated event, and a table of "
    "everything on the map with downloads."
)


class Key:
    """Session-state keys, in one place."""

    LINK: Final = "link"  # the Decoded link this session opened with
    LAYER: Final = "layer:"  # + layer id: one checkbox per layer
    FOCUS: Final = "focus"
    COUNTRY: Final = "country"  # a country or disputed area clicked on the map, or None
    EXCERPT: Final = "excerpt"
    BASEMAP: Final = "basemap"
    BOUNDARIES: Final = "boundaries"
    DATE: Final = "date"  # the exact day shown (the date input)
    DATE_STEP: Final = "date-step"  # the same day on the slider
    # + a count: the timeline chart. A new key after each pick clears the chart's selection,
    # so picking the same event again (after another change of date) picks it again.
    TIMELINE: Final = "timeline-"
    TIMELINE_PICKS: Final = "timeline-picks"
    ROUTE_FROM: Final = "route-from"  # a UN/LOCODE, or None
    ROUTE_TO: Final = "route-to"
    SPEED: Final = "speed"  # knots
    ROUTE_NOTICE: Final = "route-notice"  # why the text typed into a port picker named no port
    TIMELINE_OPEN: Final = "timeline-open"  # the timeline's expander, below the article
    TABLE_OPEN: Final = "table-open"  # the table's expander, below the article
    TABLE: Final = "table"  # + ":" + the selected corridor: the table of everything on the map
    MAP: Final = "map"
    # The reader's article shown (its id), or SEED: a select box's None would mean "nothing
    # chosen" and show its placeholder.
    ARTICLE: Final = "article"
    READER_ARTICLES: Final = "reader-articles"  # id → Article: opened or added this session
    DRAFT: Final = "draft"  # the article read in, before the reader checks and saves it
    INTAKE_NOTICE: Final = "intake-notice"  # why the last text, file or link was refused
    INTAKE: Final = "intake"  # the article panel's expander, built only while it is open
    PASTE: Final = "paste-text"  # the text pasted
    UPLOAD: Final = "upload"  # the file chosen
    LINK_URL: Final = "link-url"  # the address given
    SAVED: Final = "saved"  # the id of the article just saved, for one rerun's notice
    # The draft's form: what the reader checks before saving.
    DRAFT_TITLE: Final = "draft-title"
    DRAFT_PUBLISHER: Final = "draft-publisher"
    DRAFT_DATE: Final = "draft-date"
    DRAFT_URL: Final = "draft-url"


SEED: Final = ""  # the article select box's value for the seed article


@functools.cache
def page_style() -> str:
    """The page's own stylesheet (the layout around the map), a package file like the map's
    script, read once per process rather than on every rerun."""
    return "<style>" + (Path(__file__).parent / "web" / "page.css").read_text("utf-8") + "</style>"


def place_markdown(details: Details) -> str:
    """A clicked country's or disputed area's panel as one escaped Markdown element: its name,
    each membership (or holder) with its source, and the sources as links."""
    title = details.title + (f" ({details.subtitle})" if details.subtitle else "")
    lines = [f"**{markdown_text(title)}**"]
    lines += [f"{markdown_text(f.label)}: {markdown_text(f.text)}" for f in details.facts]
    if not details.facts:
        lines.append("No membership of the EAEU or the Belt and Road Initiative in the data.")
    if details.sources:
        lines.append("Sources:\n" + "\n".join(f"- {markdown_link(s.title, s.url)}"
                                               for s in details.sources))  # fmt: skip
    return "\n\n".join(lines)


def widget_values(state: ViewState, site: Site) -> dict[str, Any]:
    """Session-state values that make the widgets show ``state``."""
    values: dict[str, Any] = {Key.LAYER + i: i in state.layers for i in site.vocab.layers}
    values.update(
        {
            Key.FOCUS: state.focus,
            Key.COUNTRY: state.country,
            Key.EXCERPT: state.excerpt,
            Key.BASEMAP: state.basemap,
            Key.BOUNDARIES: state.boundaries,
            Key.ROUTE_FROM: state.route[0] if state.route else None,
            Key.ROUTE_TO: state.route[1] if state.route else None,
            Key.SPEED: state.speed,
            Key.ROUTE_NOTICE: None,
            Key.ARTICLE: state.article or SEED,
        }
    )
    values.update(date_values(site.vocab.day(state)))
    return values


def date_values(day: dt.date) -> dict[str, dt.date]:
    """Session-state values that make the date input and the slider show ``day``."""
    return {Key.DATE: day, Key.DATE_STEP: day}


def date_steps(site: Site, day: dt.date) -> tuple[dt.date, ...]:
    """The slider's stops (`Site.date_stops`) with ``day``, the one shown, among them, so the
    slider never shows another."""
    stops = site.date_stops
    if day in stops:
        return stops
    at = bisect.bisect(stops, day)
    return (*stops[:at], day, *stops[at:])


def picked_date(site: Site, selection: object) -> dt.date | None:
    """The day a pick on the timeline shows (an event's day, within the days a link may show),
    or None if ``selection`` (what Streamlit stores for the chart) picked nothing."""
    day = picked_day(selection)
    if day is None:
        return None
    return site.vocab.within(day)


def timeline_key(picks: int) -> str:
    """The timeline chart's key after ``picks`` picks: a new one each (see `Key.TIMELINE`)."""
    return f"{Key.TIMELINE}{picks}"


def timeline_for(site: Site, day: dt.date) -> dict[str, Any]:
    """The timeline chart with ``day`` marked."""
    return with_date(site.timeline, day)


def date_presets(site: Site) -> list[tuple[str, dt.date]]:
    """The date control's shortcuts, (label, day): today, and the article's date."""
    presets = [("Today", site.vocab.last_day)]
    if site.article is not None:
        # A reader's article may be dated after today where its reader lives.
        day = site.vocab.within(site.article.meta.date)
        presets.append((f"Article: {format_day(day)}", day))
    return presets


class Values(Protocol):
    """What the widgets' values are read from: ``st.session_state``, or a dict in tests."""

    def __getitem__(self, key: str) -> Any: ...


def state_from_widgets(values: Values, site: Site, opened: ViewState) -> ViewState:
    """The view the widgets describe; the centre and zoom are those of the ``opened`` link."""
    return ViewState(
        layers=tuple(i for i in site.vocab.layers if values[Key.LAYER + i]),
        focus=values[Key.FOCUS],
        country=values[Key.COUNTRY],
        excerpt=values[Key.EXCERPT],
        basemap=values[Key.BASEMAP],
        boundaries=values[Key.BOUNDARIES],
        center=opened.center,
        zoom=opened.zoom,
        # Today is no date in the link: it opens on the day it is opened.
        date=None if values[Key.DATE] in (None, site.vocab.last_day) else values[Key.DATE],
        route=_route(values[Key.ROUTE_FROM], values[Key.ROUTE_TO]),
        # The link spells knots with at most two decimals.
        speed=round(float(values[Key.SPEED]), 2),
        article=values[Key.ARTICLE] or None,
    )


def _route(origin: str | None, destination: str | None) -> tuple[str, str] | None:
    # Until both ports are chosen, and while they are the same, there is nothing to compare.
    return (origin, destination) if origin and destination and origin != destination else None


def same_port_twice(values: Values) -> bool:
    """Whether both port pickers hold the same port (the page says so; nothing is compared)."""
    return values[Key.ROUTE_FROM] is not None and values[Key.ROUTE_FROM] == values[Key.ROUTE_TO]


def route_shown(state: ViewState) -> Shown | None:
    """The comparison the view asks for, or why it cannot be made; None without a route."""
    return comparison_for(state.route, state.speed) if state.route else None


def share_link(page_url: str, state: ViewState, site: Site) -> str:
    """The link to ``state`` on the page at ``page_url`` (its query, if any, replaced)."""
    parts = urlsplit(page_url)
    query = SCHEME.query_string(state, site.vocab)
    return urlunsplit(parts._replace(path=parts.path or "/", query=query, fragment=""))


@dataclass(frozen=True)
class Download:
    """A file the page offers: its button's label and help, its name and type, and how to
    build it (called only when the button is pressed)."""

    label: str
    build: Callable[[], bytes]
    name: str
    mime: str
    help: str


def downloads(
    site: Site,
    state: ViewState,
    comparison: Comparison | None,
    rows: gpd.GeoDataFrame,
    page_url: str,
) -> list[Download]:
    """The files of a view (``rows``, `inventory.view_frame`): GeoJSON, CSV, a picture and a
    briefing. They are of the view's day: their link names it, so opened later it shows the
    same day."""
    day = site.vocab.day(state)
    stem = f"corridors-{day.isoformat()}"
    link = share_link(page_url, dataclasses.replace(state, date=day), site)
    return [
        Download("GeoJSON", lambda: inventory.geojson_bytes(rows), f"{stem}.geojson",
                 "application/geo+json", "These rows as RFC 7946 GeoJSON (WGS84, cut at the "
                 "antimeridian), with source_title, source_url, as_of and geometry_quality on "
                 "every feature."),
        Download("CSV", lambda: inventory.csv_bytes(rows), f"{stem}.csv", "text/csv",
                 "These rows as CSV, the geometry as WKT, with the same columns as the GeoJSON."),
        Download("Picture (PNG)",
                 lambda: picture.png(picture.draw(rows, site.data, site.catalogue, day, link,
                                                  state.focus)),
                 f"{stem}.png", "image/png", "This view as a 2,200 × 1,237 px picture for "
                 "slides, with its title, legend, date, sources and the link back to it; drawn "
                 "without a basemap."),
        Download("Briefing (HTML)",
                 lambda: briefing.briefing(site, state, comparison, rows, link, site.as_of),
                 f"{stem}-briefing.html", "text/html", "One file to send: this map (no tiles), "
                 "the selected corridor's facts, the sea routes, the article's excerpts with "
                 "attribution, every row with its sources, and the link back here. It opens "
                 "offline and makes no request."),
    ]  # fmt: skip


@dataclass(frozen=True)
class MapClick:
    """What a click on the map selects: a corridor, a country, or (both None) nothing."""

    corridor: str | None = None
    country: str | None = None


def map_click(value: object, site: Site) -> MapClick | None:
    """What a click on the map chose: the map's script sends ``{"select": id}`` for a corridor,
    ``{"country": id}`` for a country or disputed area, and ``{"select": ""}`` for a click away
    from them (or Esc), which clears the selection. None for an id the data does not know or
    anything else the component returns, which is ignored."""
    if not isinstance(value, dict):
        return None
    corridor, country = value.get("select"), value.get("country")
    if corridor == "":
        return MapClick()
    if isinstance(corridor, str) and corridor in site.vocab.corridors:
        return MapClick(corridor=corridor)
    if isinstance(country, str) and country in site.vocab.countries:
        return MapClick(country=country)
    return None


def basemap_labels() -> dict[str, str]:
    """Basemap id → the label its radio button shows."""
    return {b.id: b.label for b in registry.BASEMAPS}


def view_labels() -> dict[str, str]:
    """Border view id → the label its radio button shows."""
    return {v.id: v.label for v in registry.VIEWS}


def ensure_published(site: Site, app_dir: Path) -> None:
    """Put the map's files back if something removed them under this running server."""
    if not site.assets.present():
        publish_map(app_dir, site.map_data, site.border_tiles)


def map_for(
    site: Site, state: ViewState, shown: Shown | None = None
) -> tuple[folium.Map, folium.FeatureGroup]:
    """The base map and this rerun's view group, as ``st_folium`` takes them, with the
    comparison ``shown`` drawn if it was made."""
    comparison = shown.comparison if shown else None
    drawn = comparison is not None and routeview.applies(comparison)
    route = map_route(comparison, site.app_dir) if comparison and drawn else None
    view = view_payload(state, site.vocab, selection_for(state, site.article), route)
    group = view_group(view)
    return prepared(base_map(site.assets), group), group


# --- Readers' articles ------------------------------------------------------------------------


def open_link(params: dict[str, list[str]], site: Site) -> tuple[Decoded, Article | None]:
    """The link decoded, and the reader's article it names, loaded from the store: its
    paragraphs are the ones the link's excerpt may name. If it is not stored, or the store is
    down, the link shows the seed article and a notice says why."""
    opened = decode(params, site.vocab)
    article_id = opened.state.article
    if article_id is None:
        return opened, None
    try:
        article = shared_store().load(article_id)
    except StoreUnavailable as error:
        notice = f"{error} The seed article is shown instead"
    else:
        if article is not None:
            return decode(params, site.with_article(article).vocab), article
        notice = f"No article {article_id} is stored (it may have been deleted)"
    state = dataclasses.replace(opened.state, article=None)
    return Decoded(state, (*opened.notices, notice)), None


def view_of(
    site: Site, state: ViewState, articles: Mapping[str, Article]
) -> tuple[Site, ViewState]:
    """The site showing the article ``state`` names (one of the session's ``articles``; None:
    the seed), and the state with its excerpt dropped if that article has no such paragraph
    (the reader just changed article)."""
    article = articles.get(state.article) if state.article else None
    shown = site if article is None else site.with_article(article)
    if state.excerpt is not None and state.excerpt not in shown.vocab.paragraphs:
        state = dataclasses.replace(state, excerpt=None)
    return shown, state


def draft_from_text(text: str) -> Draft:
    """Pasted text, read; Refused says why not."""
    return intake.from_text(text)


def draft_from_file(name: str, data: bytes) -> Draft:
    """An uploaded file, read; Refused says why not."""
    return intake.from_file(name, data)


def nothing_chosen(what: str) -> Draft:
    """Refused: the reader pressed a button with nothing to read."""
    raise Refused(f"Choose {what} first.")


def draft_from_link(url: str) -> Draft:
    """The page at ``url``, fetched safely and read; FetchRefused or Refused says why not. An
    address without a scheme ("www.example.com/a") is taken as https."""
    url = url.strip()
    if not url:
        raise Refused("Give the article's address first (https://…).")
    if not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", url):
        url = "https://" + url
    page = fetch(url)
    if page.content_type in ("text/plain", "text/markdown"):
        text = intake.decode(page.body, "The page")
        draft = (intake.from_markdown if page.content_type == "text/markdown" else
                 intake.from_text)(text, page.url)  # fmt: skip
        return dataclasses.replace(draft, url=page.url)
    return intake.from_html(page.body, page.url, page.url)


def draft_values(site: Site, draft: Draft) -> dict[str, Any]:
    """The draft form's fields as the draft fills them: its date within the days the map
    shows (today if it has none, or one after today)."""
    day = site.vocab.within(draft.date or site.vocab.last_day)
    return {Key.DRAFT_TITLE: draft.title, Key.DRAFT_PUBLISHER: draft.publisher,
            Key.DRAFT_DATE: day, Key.DRAFT_URL: draft.url or ""}  # fmt: skip


def saved_values(article: Article) -> dict[str, Any]:
    """The session once a reader's article is saved: it is the one shown, with no paragraph
    highlighted, and the draft and what was typed are cleared."""
    return {Key.ARTICLE: article.id, Key.EXCERPT: None, Key.DRAFT: None, Key.INTAKE_NOTICE: None,
            Key.PASTE: "", Key.LINK_URL: "", Key.SAVED: article.id}  # fmt: skip


def draft_summary(draft: Draft) -> str:
    """What was read, in a line above the draft's form."""
    words = len(draft.text.split())
    found = "" if draft.date else " No date was found in it: today is assumed."
    return (
        f"Read {words:,} word{'' if words == 1 else 's'} from {draft.source}.{found} Check "
        "what was found, then link it to the map."
    )


def article_label(article: Article) -> str:
    """An article as the article list names it: its title first."""
    meta = article.meta
    return f"“{meta.title}”, {meta.publisher}, {format_day(meta.date)}"


def save_article(
    site: Site, draft: Draft, title: str, publisher: str, day: dt.date, url: str | None
) -> Article:
    """The draft with the reader's metadata, linked as the seed article is and stored (once,
    however often it is sent); Refused or StoreUnavailable says why not, and nothing is
    stored then."""
    corridors = site.data.corridors
    kinds = dict(zip(corridors["corridor"], corridors["kind"], strict=True))
    article = intake.link(draft, title, publisher, day, url, site.data.gazetteer, kinds)
    shared_store().save(article)
    return article
