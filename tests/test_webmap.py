"""The folium side: a base map that never changes, a small per-rerun view, local files only."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from streamlit_folium import _get_feature_group_string, _get_map_string, generate_js_hash

from corridors.assets import offline_problems, publish_map
from corridors.excerpts import Selection
from corridors.share import SCHEME, ViewState, Vocabulary
from corridors.site import Site, load_site
from corridors.webmap import CorridorsLayer, base_map, prepared, view_group, view_payload


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    return load_site(tmp_path_factory.mktemp("app"), dt.date(2026, 11, 28))


def component_key(site: Site, state: ViewState) -> str:
    """The identity streamlit-folium gives the iframe: a hash of the base map's script."""
    group = view_group(view_payload(state, site.vocab, Selection("")))
    m = prepared(base_map(site.assets), group)
    m.get_root().render()
    return generate_js_hash(_get_map_string(m), "map")


def test_base_map_is_the_same_whatever_the_view(site: Site) -> None:
    default = site.vocab.default_state()
    other = ViewState(("bri",), focus="cku-railway", basemap="none", boundaries="de-facto")
    assert component_key(site, default) == component_key(site, other)


def test_base_map_holds_no_data_and_loads_nothing_remote(site: Site) -> None:
    group = view_group(view_payload(site.vocab.default_state(), site.vocab, Selection("")))
    m = prepared(base_map(site.assets), group)
    assert offline_problems(m, group) == []
    m.get_root().render()
    script = _get_map_string(m)
    assert len(script) < 5_000, "geometry must come from the data file, not the script"
    assert site.assets.data in script


def test_view_payload_carries_the_link_without_the_view(site: Site) -> None:
    state = ViewState(
        ("cku-railway", "eaeu"), focus="cku-railway", basemap="none", center=(41.2, 74.3), zoom=6
    )
    view = view_payload(state, site.vocab, Selection("focus:cku-railway", ("cku-railway",)))
    assert view["query"] == [
        ["layers", "cku-railway,eaeu"],
        ["focus", "cku-railway"],
        ["basemap", "none"],
    ]
    assert (view["center"], view["zoom"]) == ([41.2, 74.3], 6)
    assert view["selection"] == {
        "key": "focus:cku-railway",
        "corridors": ["cku-railway"],
        "countries": [],
    }


def test_the_view_script_cannot_be_broken_out_of(site: Site) -> None:
    vocab = Vocabulary(
        layers=("a",), default_layers=("a",), corridors=frozenset(), paragraphs=frozenset()
    )
    hostile = Selection("</script><script>alert(1)</script>${x}`", ("a'\"",))
    group = view_group(view_payload(ViewState(("a",)), vocab, hostile))
    text = _get_feature_group_string(group, base_map(site.assets))
    assert "</script>" not in text and "<script>" not in text
    (line,) = [x.strip() for x in text.splitlines() if "corridorsMap.apply(" in x]
    call = line.removeprefix("window.corridorsMap.apply(").removesuffix(");")
    assert json.loads(call)["selection"]["key"] == hostile.key


def test_the_map_offers_every_tiled_basemap_and_the_link_rules(site: Site) -> None:
    (layer,) = [
        c for c in base_map(site.assets)._children.values() if isinstance(c, CorridorsLayer)
    ]
    assert list(layer.config["basemaps"]) == ["light", "terrain"]  # "none" draws land, no tiles
    assert layer.config["link"]["order"] == list(SCHEME.names)
    assert (layer.config["link"]["center"], layer.config["link"]["zoom"]) == ("center", "zoom")


def test_publishing_is_idempotent_and_keeps_earlier_versions(tmp_path: Path) -> None:
    first = publish_map(tmp_path, b'{"v":1}')
    folder = tmp_path / "static" / "corridors"
    stamps = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    assert publish_map(tmp_path, b'{"v":1}') == first
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == stamps
    second = publish_map(tmp_path, b'{"v":2}')
    assert second.data != first.data and second.script == first.script
    # A server started before the change may still name the first file.
    names = sorted(p.name for p in folder.iterdir())
    assert {Path(first.data).name, Path(second.data).name} <= set(names) and len(names) == 4
    assert all(
        url.startswith("../../app/static/corridors/") for url in (second.script, second.data)
    )


def test_publishing_puts_back_a_deleted_file(tmp_path: Path) -> None:
    assets = publish_map(tmp_path, b'{"v":1}')
    script = tmp_path / "static" / "corridors" / Path(assets.script).name
    assert assets.present()
    script.unlink()
    assert not assets.present()
    assert publish_map(tmp_path, b'{"v":1}') == assets
    assert script.is_file()
