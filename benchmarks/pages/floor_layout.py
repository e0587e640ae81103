"""The floor with the real page's layout: wide page, a sidebar of checkboxes, two columns and a
map as wide as its column, holding a single line. The distance from floor.py to this is what
the layout costs; from this to app.py is what the map and the article add."""

from pathlib import Path

import folium
import streamlit as st
from streamlit_folium import st_folium

from corridors.assets import ensure_leaflet, use_local_leaflet

st.set_page_config(page_title="Eurasian corridors (layout floor)", layout="wide")
with st.sidebar:
    for i in range(8):
        st.checkbox(f"Layer {i + 1}", True, key=f"layer:{i}")
ensure_leaflet(Path(__file__).resolve().parent)
fmap = folium.Map(location=[40.1, 74.2], zoom_start=6, tiles=None)
folium.PolyLine(
    [[39.467, 75.987], [40.783, 72.351]], color="#D55E00", weight=4, class_name="layer-floor"
).add_to(fmap)
left, _ = st.columns([2, 1])
with left:
    st_folium(
        use_local_leaflet(fmap), height=640, use_container_width=True, returned_objects=[],
        key="map",
    )  # fmt: skip
