"""The naive page's folium map, built in full from the dataset: one function, no Streamlit, so
the naive page (naive.py) and the benchmark's payload measure build the same map."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import folium

from corridors.dataset import Dataset
from corridors.layers import Layer, line_style
from corridors.memberships import members_on


def naive_map(
    data: Dataset, shown_layers: Iterable[Layer], focus: str | None, today: dt.date
) -> folium.Map:
    """The whole map as most Streamlit map apps build it on every rerun: unsimplified geometry
    for every shown layer, folium tooltips, fitted to the ``focus`` corridor if one is chosen."""
    fmap = folium.Map(location=[55, 90], zoom_start=3, tiles="CartoDB positron")
    for layer in shown_layers:
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
    return fmap
