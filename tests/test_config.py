"""Production settings: what config.toml promises, and a cache clear that costs nothing."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

from corridors.site import _cached_site, load_site
from tests.pagecopy import app_copy

ROOT = Path(__file__).resolve().parents[1]


def test_config_ships_hardened_defaults() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    server, client = config["server"], config["client"]
    assert client["showErrorDetails"] == "none"  # no traceback or server path for readers
    assert client["toolbarMode"] == "viewer"
    assert server["enableXsrfProtection"] is True
    assert server["enableStaticServing"] is True
    assert server["maxUploadSize"] <= 1
    assert server["maxMessageSize"] <= 50
    assert server["fileWatcherType"] == "none"
    assert config["browser"]["gatherUsageStats"] is False


def test_static_serving_exposes_only_the_maps_files(tmp_path: Path) -> None:
    load_site(tmp_path, dt.date(2026, 11, 28))
    served = sorted(p.relative_to(tmp_path / "static") for p in (tmp_path / "static").rglob("*"))
    files = [p for p in served if (tmp_path / "static" / p).is_file()]
    assert {p.parts[0] for p in files} == {"vendor", "corridors"}
    assert all(p.parts[:2] == ("vendor", "leaflet") for p in files if p.parts[0] == "vendor")
    assert {p.suffix for p in files if p.parts[0] == "corridors"} == {".js", ".css", ".json"}


def test_a_client_clearing_the_caches_does_not_reload_the_data() -> None:
    at = AppTest.from_file(str(app_copy()), default_timeout=60).run()
    before = _cached_site.cache_info()
    # What Streamlit does when any client sends "clear cache".
    st.cache_data.clear()
    st.cache_resource.clear()
    at.run()
    assert not at.exception
    after = _cached_site.cache_info()
    assert after.misses == before.misses and after.hits > before.hits
