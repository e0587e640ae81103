"""The page in-process (streamlit.testing.v1.AppTest): links in, widgets and map view out."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt
from streamlit.testing.v1 import AppTest

from corridors.dataset import Dataset
from corridors.layers import build_catalogue

APP = Path(__file__).resolve().parents[1] / "app.py"


def run(**params: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def component_args(at: AppTest) -> dict[str, Any]:
    (component,) = at.get("component_instance")
    args: dict[str, Any] = json.loads(component.proto.json_args)
    return args


def view(at: AppTest) -> dict[str, Any]:
    """The state the page asked the map to show (the argument of corridorsMap.apply)."""
    script = component_args(at)["feature_group"]
    (line,) = [x.strip() for x in script.splitlines() if "corridorsMap.apply(" in x]
    result: dict[str, Any] = json.loads(
        line.removeprefix("window.corridorsMap.apply(").removesuffix(");")
    )
    return result


def rendered(markdown: str) -> tuple[str, str]:
    """Markdown as a CommonMark renderer shows it: its HTML, and the text a reader sees."""
    out = MarkdownIt("commonmark").render(markdown)
    return out, html.unescape(re.sub(r"<[^>]+>", "", out)).strip()


def checked_layers(at: AppTest) -> list[str]:
    return [box.key.removeprefix("layer:") for box in at.sidebar.checkbox if box.value]


@pytest.fixture(scope="module")
def all_layers(dataset: Dataset) -> list[str]:
    """Every layer id, in order: the default view shows them all (pinned in test_layers)."""
    return list(build_catalogue(dataset.corridors).ids)


def test_default_view(all_layers: list[str]) -> None:
    at = run()
    assert not at.exception
    assert not at.warning
    assert checked_layers(at) == all_layers
    assert at.sidebar.selectbox(key="focus").value is None
    assert at.sidebar.radio(key="basemap").value == "light"
    assert at.sidebar.radio(key="boundaries").value == "un"
    shown = view(at)
    assert shown["layers"] == all_layers
    assert shown["query"] == []  # the default view's link is bare
    assert (shown["center"], shown["zoom"]) == (None, None)
    assert shown["selection"]["key"] == ""
    assert component_args(at)["returned_objects"] == []  # panning and zooming never rerun
    assert [s.value for s in at.subheader][-1] == "The article"


def test_layers_parameter() -> None:
    at = run(layers="nord-stream-1,cku-railway")
    assert checked_layers(at) == ["cku-railway", "nord-stream-1"]
    assert view(at)["query"] == [["layers", "cku-railway,nord-stream-1"]]
    assert run(layers="")  # "layers=" means every layer off
    assert checked_layers(run(layers="")) == []


def test_focus_parameter() -> None:
    at = run(focus="cku-railway")
    assert at.sidebar.selectbox(key="focus").value == "cku-railway"
    assert view(at)["selection"] == {
        "key": "focus:cku-railway",
        "corridors": ["cku-railway"],
        "countries": [],
    }
    panel = " ".join(rendered(m.value)[1] for m in at.markdown)
    assert "China–Kyrgyzstan–Uzbekistan railway" in panel
    assert "504.5 km (whole corridor)" in panel
    assert any("What the article says about" in s.value for s in at.subheader)


def test_excerpt_parameter() -> None:
    at = run(excerpt="p18")
    selection = view(at)["selection"]
    assert selection["key"] == "excerpt:p18"
    assert selection["corridors"] == ["nord-stream-1"]
    assert at.button(key="show-p18").disabled  # already shown


def test_basemap_and_boundaries_parameters() -> None:
    at = run(basemap="none", boundaries="de-facto")
    assert at.sidebar.radio(key="basemap").value == "none"
    assert at.sidebar.radio(key="boundaries").value == "de-facto"
    assert view(at)["query"] == [["basemap", "none"], ["boundaries", "de-facto"]]


def test_center_and_zoom_parameters() -> None:
    at = run(center="41.2,74.3", zoom="6")
    shown = view(at)
    assert (shown["center"], shown["zoom"]) == ([41.2, 74.3], 6)
    assert not at.warning


@pytest.mark.parametrize(
    ("params", "notice"),
    [
        ({"layers": "nope,cku-railway"}, 'Ignored unknown layer "nope"'),
        ({"focus": "<script>alert(1)</script>"}, "Ignored unknown corridor"),
        ({"zoom": "99"}, "Ignored zoom"),
        ({"center": "abc"}, "Ignored center"),
        ({"excerpt": "[x](javascript:alert(1))"}, "Ignored unknown paragraph"),
        ({"basemap": "x" * 5_000}, "5,000 characters long"),
        ({"utm_source": "mail"}, "Ignored unknown parameter"),
    ],
)
def test_a_bad_link_opens_a_valid_view_with_a_notice(params: dict[str, str], notice: str) -> None:
    at = run(**params)
    assert not at.exception
    (warning,) = at.warning
    out, text = rendered(warning.value)
    assert notice in text
    assert "<a " not in out and "<script" not in out  # shown literally, never as a link or tag
    assert len(text) < 300
    assert view(at)["layers"]  # still draws


def test_toggling_a_layer_changes_only_the_view() -> None:
    at = run()
    before = component_args(at)
    at.sidebar.checkbox(key="layer:nord-stream-1").uncheck().run()
    after = component_args(at)
    assert "nord-stream-1" not in view(at)["layers"]
    # Same base script, same component identity: the iframe is not rebuilt.
    assert after["script"] == before["script"]
    assert after["key"] == before["key"]
    assert len(json.dumps(after)) < 10_000


def test_selecting_an_excerpt_and_clearing_it() -> None:
    at = run()
    at.button(key="show-p20").click().run()
    assert view(at)["selection"]["corridors"] == ["northern-sea-route", "suez-canal"]
    at.sidebar.selectbox(key="focus").select("nord-stream-1").run()
    # Choosing a corridor replaces the excerpt: its paragraphs come up instead.
    assert view(at)["selection"]["key"] == "focus:nord-stream-1"
    at.button(key="clear-focus").click().run()
    assert view(at)["selection"]["key"] == ""


def test_a_map_file_removed_under_a_running_server_is_put_back() -> None:
    at = run()
    (script,) = [u for u in component_args(at)["js_links"] if "/corridors/webmap-" in u]
    path = APP.parent / "static" / "corridors" / script.rsplit("/", 1)[-1].split("?")[0]
    assert path.is_file()
    path.unlink()
    at.run()
    assert path.is_file()
