"""Stand-in page for the harness's own test: one st_folium map holding one GeoJSON line.

Builds its map the way the real page must for offline use: Leaflet copied beside the page at
start (``ensure_leaflet``) and the map pointed at it (``use_local_leaflet``). No tiles, so the
only requests the page makes are to its own server.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import folium
from streamlit_folium import st_folium

from corridors.assets import ensure_leaflet, use_local_leaflet

# The test finds the drawn line by this class; Leaflet puts a path's `className` on its <path>.
LINE_CLASS = "harness-line"

# Kashgar to Andijan, the CKU railway's ends (geodata/corridors.geojson has the real geometry).
LINE = {
    "type": "Feature",
    "properties": {},
    "geometry": {"type": "LineString", "coordinates": [[75.987, 39.467], [72.351, 40.783]]},
}


def line_style(_feature: dict[str, Any]) -> dict[str, Any]:
    """Style for the line: a class to find it by, and a colour that shows on the blank map."""
    return {"className": LINE_CLASS, "color": "#c0392b", "weight": 5}


ensure_leaflet(Path(__file__).resolve().parent)
fmap = folium.Map(location=[40.1, 74.2], zoom_start=6, tiles=None)
folium.GeoJson(LINE, style_function=line_style).add_to(fmap)
st_folium(use_local_leaflet(fmap), height=400, returned_objects=[], key="map")
