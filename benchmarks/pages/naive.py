"""The naive build of the same page, the way most Streamlit map apps are written: the whole
folium map rebuilt on every rerun from unsimplified geometry (countries.geojson as loaded),
folium tooltips, and every map event returned to Python. Same data, widgets and layer classes
as app.py, Leaflet served the same way, so the benchmark compares like with like."""

import datetime as dt
from pathlib import Path

import folium
import streamlit as st
from streamlit_folium import st_folium

from corridors.assets import ensure_leaflet, use_local_leaflet
from corridors.dataset import load_dataset
from corridors.layers import build_catalogue, line_style
from corridors.memberships import members_on

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
fmap = folium.Map(location=[55, 90], zoom_start=3, tiles="CartoDB positron")
today = dt.date.today()
for layer in shown:
    if layer.group == "bloc":
        members = members_on(data.memberships, layer.id, today)
        rows = data.countries[data.countries["iso_a3"].isin(members)]
        style = {"className": f"layer-{layer.id}", "color": layer.colour, "fillOpacity": 0.3}
        folium.GeoJson(
            rows.to_json(),
            style_function=lambda _f, s=style: s,
            tooltip=folium.GeoJsonTooltip(["name"]),
        ).add_to(fmap)
        continue
    rows = data.corridors[data.corridors["corridor"].isin(layer.corridors)]
    style = {**line_style(layer, "operational"), "className": f"layer-{layer.id}"}
    folium.GeoJson(
        rows[["id", "name", "geometry"]].to_json(),
        style_function=lambda _f, s=style: s,
        marker=folium.CircleMarker(radius=5),
        tooltip=folium.GeoJsonTooltip(["name"]),
    ).add_to(fmap)
if focus:
    bounds = data.corridors[data.corridors["corridor"] == focus].total_bounds
    fmap.fit_bounds([[bounds[1], bounds[0]], [bounds[3], bounds[2]]])
st_folium(use_local_leaflet(fmap), height=640, use_container_width=True, key="map")
