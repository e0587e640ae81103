"""The folium map: a base that never changes within a process, and a small per-rerun view.

streamlit-folium rebuilds its iframe (resetting the view) whenever the base map's script
changes, and re-sends every argument whenever one changes. So the base map holds no data and
no state: just Leaflet's map and a `CorridorsLayer` that loads ``webmap.js``, which fetches the
data document (`corridors.mapdata`) and draws every layer. What changes per rerun travels in
``feature_group_to_add`` as one `ApplyView` call of a few hundred bytes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import folium
import folium.elements
from branca.element import MacroElement
from jinja2 import Template

from corridors import registry
from corridors.assets import MapAssets, use_local_leaflet
from corridors.dates import format_day
from corridors.encoding import WEST_EDGE
from corridors.excerpts import Selection
from corridors.share import MAX_ZOOM, MIN_ZOOM, SCHEME, ViewState, Vocabulary

# The map frame's accessible name (its title attribute).
MAP_TITLE: Final = (
    "Map of the Eurasian corridors, bloc members and sea routes of this view; the table under "
    "the map lists everything on it"
)
# Where the map starts before the first view is applied (the data's extent replaces it at once).
_START: Final = (55.0, 90.0)
_START_ZOOM: Final = 3


class CorridorsLayer(folium.elements.JSCSSMixin, MacroElement):
    """Every layer of the app, drawn by ``webmap.js`` from the data document it fetches."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        window.corridorsMap.init({{ this._parent.get_name() }}, {{ this.config|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, assets: MapAssets) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "CorridorsLayer"
        self.default_js = [("corridors_map", assets.script)]
        self.default_css = [("corridors_map_css", assets.stylesheet)]
        self.config = map_config(assets.data, assets.borders)


def map_config(
    data: str | Mapping[str, Any], borders: str | None, fixed_link: str | None = None
) -> dict[str, Any]:
    """What ``webmap.js`` starts from: the data document (its URL, or the document itself for a
    page that fetches nothing), the detailed borders' folder, the basemaps and the link rules.
    With ``fixed_link`` (the offline briefing) the map offers that link and writes no other,
    and has no tiles to fetch."""
    return {
        "data": data,
        "borders": borders,
        "westEdge": WEST_EDGE,
        # folium passes min_zoom/max_zoom to tile layers only; the map needs them too, or a
        # fit could reach zoom 0, which a link cannot hold.
        "minZoom": MIN_ZOOM,
        "maxZoom": MAX_ZOOM,
        "basemaps": {
            b.id: {
                "url": b.url,
                "attribution": b.attribution,
                "maxZoom": b.max_zoom,
                "subdomains": b.subdomains,
            }
            for b in registry.BASEMAPS
            if b.url is not None and fixed_link is None
        },
        "link": SCHEME.browser_rules(),
        "fixedLink": fixed_link,
        "title": MAP_TITLE,
    }


class ApplyView(MacroElement):
    """One call that shows ``view`` on the map (see ``view_payload``)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        window.corridorsMap.apply({{ this.view|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, view: Mapping[str, Any]) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "ApplyView"
        self.view = dict(view)


def base_map(assets: MapAssets) -> folium.Map:
    """The map every rerun passes to ``st_folium``: the same script each time, for one process."""
    m = folium.Map(
        location=_START,
        zoom_start=_START_ZOOM,
        tiles=None,
        min_zoom=MIN_ZOOM,
        max_zoom=MAX_ZOOM,
        control_scale=True,
    )
    CorridorsLayer(assets).add_to(m)
    return m


def view_payload(
    state: ViewState,
    vocab: Vocabulary,
    selection: Selection,
    route: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """What ``webmap.js`` needs to show ``state``, including its link without the view.

    The centre and zoom are the link's, used only when the map first loads; the script adds the
    live ones to the address itself as the reader pans. ``route`` is the compared sea routes'
    part (`corridors.routeview.map_route`): the URL of their lines, their tooltips and legend.
    """
    day = vocab.day(state)
    return {
        "date": day.isoformat(),
        "dateLabel": format_day(day),
        "today": state.date is None,
        "layers": list(state.layers),
        "basemap": state.basemap,
        "boundaries": state.boundaries,
        "selection": {
            "key": selection.key,
            "corridors": list(selection.corridors),
            "countries": list(selection.countries),
        },
        "route": dict(route) if route else None,
        "center": list(state.center) if state.center else None,
        "zoom": state.zoom,
        "query": [[key, value] for key, value in SCHEME.page_query(state, vocab)],
    }


def view_group(view: Mapping[str, Any]) -> folium.FeatureGroup:
    """The per-rerun part of the map, as ``st_folium(feature_group_to_add=...)`` takes it."""
    group = folium.FeatureGroup(name="view", control=False)
    ApplyView(view).add_to(group)
    return group


def prepared(m: folium.Map, group: folium.FeatureGroup) -> folium.Map:
    """``m`` pointed at the app's own Leaflet; raises if anything would still load from the web."""
    return use_local_leaflet(m, group)
