"""The floor: a bare page with one st_folium map holding a single line, Leaflet served the same
way as the real page. Whatever the real page takes beyond this is what it adds."""

from pathlib import Path

import folium
from streamlit_folium import st_folium

from corridors.assets import ensure_leaflet, use_local_leaflet

ensure_leaflet(Path(__file__).resolve().parent)
fmap = folium.Map(location=[40.1, 74.2], zoom_start=6, tiles=None)
folium.PolyLine(
    [[39.467, 75.987], [40.783, 72.351]], color="#D55E00", weight=4, class_name="layer-floor"
).add_to(fmap)
st_folium(use_local_leaflet(fmap), height=640, returned_objects=[], key="map")
