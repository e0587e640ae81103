"""The page as a browser sees it: what shows its script has run and its map has drawn."""

from __future__ import annotations

import time

from playwright.sync_api import Frame, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

PAGE_TIMEOUT_MS = 15_000

# Connected, and the script has run: before the first run the app reports `initial`, not
# `notRunning`, so this cannot match before the script has run.
APP_READY = (
    '[data-testid="stApp"][data-test-connection-state="CONNECTED"]'
    '[data-test-script-state="notRunning"]'
)
# By its address: the map's script gives the frame a descriptive title in place of Streamlit's.
MAP_IFRAME = 'iframe[src*="/component/streamlit_folium.st_folium/"]'
LEAFLET_DRAWN = "path.leaflet-interactive"


class MapNotDrawn(AssertionError):
    """The st_folium map did not appear or draw in time."""


def wait_for_app(page: Page, url: str, timeout_ms: float = PAGE_TIMEOUT_MS) -> None:
    """Load a Streamlit page and wait until it is connected and its script has finished."""
    page.goto(url)
    page.wait_for_selector(APP_READY, state="attached", timeout=timeout_ms)


def map_iframe(page: Page, timeout_ms: float = PAGE_TIMEOUT_MS) -> Frame:
    """The st_folium iframe's frame, once the iframe is in the page (drawn or not)."""
    handle = page.wait_for_selector(MAP_IFRAME, state="attached", timeout=timeout_ms)
    frame = handle.content_frame() if handle is not None else None
    if frame is None:
        raise MapNotDrawn(f"{MAP_IFRAME} has no frame")
    return frame


def wait_for_map(
    page: Page, drawn: str = LEAFLET_DRAWN, timeout_ms: float = PAGE_TIMEOUT_MS
) -> Frame:
    """The st_folium iframe's frame, once Leaflet has made its map and drawn ``drawn`` in it.

    One deadline covers the three waits; on timeout the error says which step never happened.
    """
    deadline = time.monotonic() + timeout_ms / 1000

    def left_ms() -> float:
        return max(1.0, (deadline - time.monotonic()) * 1000)

    step = f"the map iframe {MAP_IFRAME}"
    try:
        frame = map_iframe(page, left_ms())
        step = ".leaflet-container in the iframe (did Leaflet load?)"
        frame.wait_for_selector(".leaflet-container", state="attached", timeout=left_ms())
        step = f"{drawn} in the map"
        frame.wait_for_selector(drawn, state="attached", timeout=left_ms())
    except PlaywrightTimeoutError as exc:
        raise MapNotDrawn(f"{step} did not appear within {timeout_ms / 1000:.0f} s") from exc
    return frame
