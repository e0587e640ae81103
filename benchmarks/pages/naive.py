"""The naive build of the same page, the way most Streamlit map apps are written: the whole
folium map rebuilt on every rerun from unsimplified geometry (countries.geojson as loaded),
folium tooltips, and every map event returned to Python. Same data, widgets and layer classes
as app.py, Leaflet served the same way, so the benchmark compares like with like. The map
itself is built by naive_map.py, which the benchmark's payload measure renders too."""

import datetime as dt
from pathlib import Path

import streamlit as st
from streamlit_folium import st_folium

from benchmarks.pages.naive_map import naive_map
from corridors.assets import ensure_leaflet, use_local_leaflet
from corridors.dataset import load_dataset
from corridors.layers import build_catalogue

st.set_page_config(page_title="Eurasian corridors (naive)", layout="wide")
data = st.cache_resource(load_dataset)()
catalogue = build_catalogue(data.corridors)
names = dict(zip(data.corridors["corridor"], data.corridors["name"], strict=False))

with st.sidebar:
    shown = [
        layer
        for layer in catalogue.layers
        if st.checkbox(layer.name, True, key=f"layer:{layer.id}")
    ]
    focus = st.selectbox("Corridor", list(names), index=None, format_func=names.get, key="focus")

ensure_leaflet(Path(__file__).resolve().parent)
fmap = naive_map(data, shown, focus, dt.date.today())
st_folium(use_local_leaflet(fmap), height=640, use_container_width=True, key="map")
