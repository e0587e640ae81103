"""Reading the map's view and share link in a browser test (shared by the page and proxy tests),
and the names of the page's panels."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Frame

# The expanders below the map and the article (each built only while open).
TIMELINE_PANEL = "Timeline: every dated event"
TABLE_PANEL = "Everything on the map: table and downloads"

# The map's visible state: layers drawn, selection, basemap, borders, date, centre, zoom, and the
# identity of the script instance drawing it (a rebuilt iframe gets a new one).
VIEW = """() => {
    const cm = window.corridorsMapInstance, c = cm.map.getCenter();
    return {layers: cm.state.layers, selection: cm.state.selection, basemap: cm.state.basemap,
            boundaries: cm.state.boundaries, date: cm.state.date, zoom: cm.map.getZoom(),
            lat: c.lat, lng: c.lng, instance: cm.id};
}"""


def view_of(frame: Frame) -> dict[str, Any]:
    """The live map's state (see `VIEW`)."""
    result: dict[str, Any] = frame.evaluate(VIEW)
    return result


def settled_link(frame: Frame) -> tuple[str, dict[str, Any]]:
    """The share control's link once it matches the map on screen, and that map's view."""
    frame.wait_for_function(
        """() => {
            const cm = window.corridorsMapInstance;
            if (!cm || !cm.share.input.value) return false;
            // The link the script writes for the live centre and zoom (its rules are checked
            // against the codec in tests/test_link_contract.py); Streamlit's own may follow.
            const c = cm.map.getCenter().wrap();
            const live = cm.linkQuery(cm.state.query, [c.lat, c.lng], cm.map.getZoom(), []);
            const query = new URL(cm.share.input.value).search.slice(1);
            return query === live || query.startsWith(live + "&");
        }"""
    )
    return frame.locator(".cm-share-link").input_value(), view_of(frame)


def same_view(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two maps show the same view: same layers, selection, basemap, borders, date and zoom,
    and centres within one screen pixel (Leaflet aligns a restored view to whole pixels)."""
    keys = ("layers", "selection", "basemap", "boundaries", "date", "zoom")
    pixel = 360 / (256 * 2 ** a["zoom"])  # degrees of longitude per pixel at this zoom
    return (
        all(a[k] == b[k] for k in keys)
        and abs(a["lat"] - b["lat"]) <= pixel
        and abs((a["lng"] - b["lng"] + 180) % 360 - 180) <= pixel
    )
