"""A deliberately unsafe page, to prove the hostile-text checks would catch a real escape.

It puts corpus strings through two paths the real page must never use: HTML rendered as is
(``components.html``, where a ``<script>`` runs) and a folium Tooltip, whose text folium places
in a JavaScript template literal (``${...}`` runs as the map's script runs). If the checks in
test_hostile.py did not report both, they could not be trusted to report the page.
"""

from __future__ import annotations

import sys
from pathlib import Path

import folium
import streamlit.components.v1 as components
from streamlit_folium import st_folium

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from corridors.assets import ensure_leaflet, use_local_leaflet
from tests.hostile import CORPUS

components.html(CORPUS[1], height=20)  # <script> pushes 2 onto top.pw
ensure_leaflet(Path(__file__).resolve().parent)
fmap = folium.Map(location=[40, 70], zoom_start=4, tiles=None)
# ${...} pushes 6 onto top.pw when the map's script binds the tooltip: no hover needed.
folium.PolyLine([[40, 68], [40, 72]], tooltip=folium.Tooltip(CORPUS[5])).add_to(fmap)
st_folium(use_local_leaflet(fmap), height=300, returned_objects=[], key="map")
