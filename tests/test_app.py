"""The page in-process (streamlit.testing.v1.AppTest): links in, widgets and map view out."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from streamlit.testing.v1 import AppTest

from corridors import routes
from corridors.dataset import GEODATA, load_dataset
from corridors.dates import format_day
from corridors.layers import build_catalogue
from corridors.share import SCHEME
from tests import mutations
from tests.hostile import CORPUS
from tests.pagecopy import app_copy

# The page from a folder of its own, so the map files it publishes never land in the checkout.
APP = app_copy()
ARTICLE = mutations.ARTICLE
# Every layer id in order (pinned in test_layers); the default view shows them all.
DATASET = load_dataset(GEODATA)
ALL_LAYER_IDS = build_catalogue(DATASET.corridors).ids
SEED_PARAGRAPHS = {p.id: p for p in DATASET.articles[0].paragraphs}


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


def test_default_view() -> None:
    at = run()
    assert not at.exception
    assert not at.warning
    assert checked_layers(at) == list(ALL_LAYER_IDS)
    assert at.selectbox(key="focus").value is None
    assert at.sidebar.radio(key="basemap").value == "light"
    assert at.sidebar.radio(key="boundaries").value == "un"
    shown = view(at)
    assert shown["layers"] == list(ALL_LAYER_IDS)
    assert shown["query"] == []  # the default view's link is bare
    assert (shown["center"], shown["zoom"]) == (None, None)
    assert shown["selection"]["key"] == ""
    assert component_args(at)["returned_objects"] == []  # panning and zooming never rerun
    assert [s.value for s in at.subheader][-1] == "The article"


def test_layers_parameter() -> None:
    at = run(layers="nord-stream-1,cku-railway")
    assert checked_layers(at) == ["cku-railway", "nord-stream-1"]
    assert view(at)["query"] == [["layers", "cku-railway,nord-stream-1"]]
    none = run(layers="")  # "layers=" means every layer off
    assert checked_layers(none) == []
    assert view(none)["layers"] == []
    assert view(none)["query"] == [["layers", ""]]


def test_focus_parameter() -> None:
    at = run(focus="cku-railway")
    assert at.selectbox(key="focus").value == "cku-railway"
    assert view(at)["selection"] == {
        "key": "focus:cku-railway",
        "corridors": ["cku-railway"],
        "countries": [],
    }
    panel = " ".join(rendered(m.value)[1] for m in at.markdown)
    assert "China–Kyrgyzstan–Uzbekistan railway" in panel
    assert "≈ 470 km (whole corridor)" in panel
    assert any("What the article says about" in s.value for s in at.subheader)


def test_a_selected_country_shows_its_memberships_sources_and_paragraphs() -> None:
    at = run(country="KAZ", basemap="none")
    assert view(at)["selection"] == {"key": "country:KAZ", "corridors": [], "countries": ["KAZ"]}
    assert ["country", "KAZ"] in view(at)["query"]  # the link keeps it
    html_, panel = zip(*(rendered(m.value) for m in at.markdown), strict=True)
    text = " ".join(panel)
    assert "Kazakhstan" in text and "EAEU: member since 1 Jan 2015" in text
    assert "BRI: signatory since Aug 2015" in text
    # Each membership's source, as a link where it has an address.
    links = " ".join(html_)
    assert 'href="https://greenfdc.org/countries-of-the-belt-and-road-initiative-bri/"' in links
    assert 'href="https://www.commonspace.eu/' in links
    assert [s.value for s in at.subheader][-1] == "What the article says about Kazakhstan"
    listed = [b.key.removeprefix("show-") for b in at.button if b.key.startswith("show-")]
    assert listed and all("KAZ" in SEED_PARAGRAPHS[p].countries for p in listed)
    # Clearing it brings the whole article back; a corridor chosen replaces it.
    at = at.button(key="clear-country").click().run()
    assert view(at)["selection"]["key"] == "" and ["country", "KAZ"] not in view(at)["query"]
    assert [s.value for s in at.subheader][-1] == "The article"
    at = run(country="KAZ").selectbox(key="focus").select("nord-stream-1").run()
    assert view(at)["selection"]["key"] == "focus:nord-stream-1"
    assert ["country", "KAZ"] not in view(at)["query"]


def test_the_panel_links_every_source_with_an_address_and_says_seasonal() -> None:
    at = run(focus="northern-sea-route")
    assert not at.exception
    shown = [rendered(m.value) for m in at.markdown]
    html_out = " ".join(out for out, _ in shown)
    text = " ".join(t for _, t in shown)
    nsr = DATASET.corridors[DATASET.corridors["corridor"] == "northern-sea-route"]
    addresses = {s["url"] for entries in nsr["sources"] for s in entries if s.get("url")}
    assert len(addresses) == 6
    for url in addresses:
        assert f'<a href="{html.escape(url)}">' in html_out, url
    assert "Status: operational in season (July to late November; ice-dependent)" in text
    assert "Drawn: ≈ 6,270 km (whole corridor)" in text


def test_excerpt_parameter() -> None:
    at = run(excerpt="p18")
    selection = view(at)["selection"]
    assert selection["key"] == "excerpt:p18"
    assert selection["corridors"] == ["nord-stream-1"]
    # Already shown: its button clears the highlight instead, and it keeps its place.
    assert at.button(key="show-p18").label == "Clear the highlight"
    at = at.button(key="show-p18").click().run()
    assert view(at)["selection"]["key"] != "excerpt:p18"
    assert at.button(key="show-p18").label == "Show on map"


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
        ({"date": "2022-13-40"}, 'Ignored date "2022-13-40": there is no such day; showing today'),
        ({"date": "1800-01-01"}, "the data's first dated event is on 17 Nov 1869"),
        ({"date": "3000-01-01"}, "it is after today"),
        ({"date": "last tuesday"}, "expected a day as YYYY-MM-DD"),
        ({"date": "<b>2021</b>"}, "expected a day as YYYY-MM-DD"),
        ({"route": "CNSHA,XXXXX"}, "no port XXXXX in the port list"),
        ({"route": "CNSHA,CNSHA"}, "the same port twice"),
        ({"route": ",NLRTM"}, "expected two UN/LOCODEs"),
        ({"route": "CN" * 30_000}, "60,000 characters long"),
        ({"route": "[x](javascript:alert(1)),NLRTM"}, "expected two UN/LOCODEs"),
        ({"speed": "0"}, "expected knots from 1 to 40"),
        ({"speed": "-14"}, "expected knots from 1 to 40"),
        ({"speed": "NaN"}, "expected knots from 1 to 40"),
        ({"speed": "1e9"}, "expected knots from 1 to 40"),
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


def test_a_repeated_date_uses_the_last_with_a_notice() -> None:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params["date"] = ["2021-06-01", "2023-01-01"]
    at.run()
    (warning,) = at.warning
    assert 'Used the last of 2 values given for "date"' in rendered(warning.value)[1]
    assert view(at)["date"] == "2023-01-01"


TODAY = dt.date.today()


def date_shown(at: AppTest) -> tuple[dt.date, dt.date, str, str]:
    """The date input's day, the slider's stop, the caption's day and the map's day."""
    (caption,) = [c.value for c in at.sidebar.caption if "borders as on" in c.value]
    return (
        at.sidebar.date_input(key="date").value,
        at.sidebar.select_slider(key="date-step").value,
        caption.split("**")[1],
        view(at)["date"],
    )


def test_the_date_control_opens_on_today_and_the_link_stays_bare() -> None:
    at = run()
    assert date_shown(at) == (TODAY, TODAY, format_day(TODAY), TODAY.isoformat())
    assert view(at)["dateLabel"] == format_day(TODAY)
    assert ["date", TODAY.isoformat()] not in view(at)["query"]


def test_a_dated_link_sets_the_control_and_the_map() -> None:
    at = run(date="2021-06-01", focus="nord-stream-1")
    day = dt.date(2021, 6, 1)
    assert date_shown(at) == (day, day, "1 Jun 2021", "2021-06-01")
    # A day between two changes is a stop of the slider while it is shown.
    assert format_day(day) in at.sidebar.select_slider(key="date-step").options
    assert ["date", "2021-06-01"] in view(at)["query"]
    panel = " ".join(m.value for m in at.markdown)
    assert "Status: operational since 8 Nov 2011" in panel


def test_the_presets_the_slider_and_the_date_input_move_together() -> None:
    at = run()
    at.sidebar.button(key="date-Article: 25 Apr 2024").click().run()
    article = dt.date(2024, 4, 25)
    assert date_shown(at) == (article, article, "25 Apr 2024", "2024-04-25")
    assert ["date", "2024-04-25"] in view(at)["query"]

    at.sidebar.select_slider(key="date-step").set_value(dt.date(2022, 9, 26)).run()
    assert date_shown(at)[0] == dt.date(2022, 9, 26)  # Nord Stream 1 damaged

    at.sidebar.date_input(key="date").set_value(dt.date(2019, 5, 20)).run()
    day = dt.date(2019, 5, 20)
    assert date_shown(at) == (day, day, "20 May 2019", "2019-05-20")

    at.sidebar.button(key="date-Today").click().run()
    assert date_shown(at) == (TODAY, TODAY, format_day(TODAY), TODAY.isoformat())
    assert not any(key == "date" for key, _ in view(at)["query"])


def test_the_slider_stops_at_each_change_the_timeline_lists() -> None:
    at = run()
    stops = at.sidebar.select_slider(key="date-step").options
    for day in ("1869-11-17", "2011-11-08", "2014-03-18", "2022-09-26", "2024-04-25"):
        assert format_day(dt.date.fromisoformat(day)) in stops, day
    assert stops[-1] == format_day(TODAY)


def test_changing_the_date_changes_only_the_view() -> None:
    at = run()
    before = component_args(at)
    at.sidebar.date_input(key="date").set_value(dt.date(2020, 1, 1)).run()
    after = component_args(at)
    assert view(at)["date"] == "2020-01-01"
    # Same base script, same component identity: the iframe is not rebuilt.
    assert before["script"] == after["script"]


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


def excerpt_order(at: AppTest) -> list[str]:
    """The article panel's paragraphs, top to bottom, by id."""
    return [b.key.split("-", 1)[1] for b in at.button if b.key.startswith("show-")]


def test_selecting_an_excerpt_and_clearing_it() -> None:
    at = run()
    before = excerpt_order(at)
    at.button(key="show-p20").click().run()
    assert view(at)["selection"]["corridors"] == ["northern-sea-route", "suez-canal"]
    assert excerpt_order(at) == before  # the reading order holds: the reader keeps their place
    assert before.index("p20") > 10
    at.selectbox(key="focus").select("nord-stream-1").run()
    # Choosing a corridor replaces the excerpt: its paragraphs come up instead.
    assert view(at)["selection"]["key"] == "focus:nord-stream-1"
    at.button(key="clear-focus").click().run()
    assert view(at)["selection"]["key"] == ""


def route_panel(at: AppTest) -> str:
    """The text of the sea-routes panel under the map, as a reader sees it: its Markdown and
    its table's rows."""
    texts = [rendered(m.value)[1] for m in at.main.markdown if m.value.startswith("**")]
    for table in at.main.table:
        texts += [" | ".join([str(i), *map(str, r)]) for i, r in table.value.iterrows()]
    return "\n".join(texts)


def route_file(at: AppTest) -> dict[str, Any]:
    """The route lines the map was pointed at, read from where the page published them."""
    url = view(at)["route"]["url"]
    path = APP.parent / "static" / url.removeprefix("../../app/static/")
    document: dict[str, Any] = json.loads(path.read_text())
    return document


def test_a_route_link_restores_the_panel_the_lines_and_the_link() -> None:
    at = run(route="CNSHA,NLRTM", speed="12")
    assert not at.exception and not at.warning
    assert at.sidebar.selectbox(key="route-from").value == "CNSHA"
    assert at.sidebar.selectbox(key="route-to").value == "NLRTM"
    assert at.sidebar.number_input(key="speed").value == 12
    comparison = routes.compare("CNSHA", "NLRTM", 12)
    text = route_panel(at)
    assert (
        "Sea routes: Shanghai, China (CNSHA) → Rotterdam, Netherlands (NLRTM) at 12 knots" in text
    )
    for route_id in ("suez", "cape", "nsr"):
        computed = comparison.computed(route_id)
        assert computed is not None
        assert f"≈ {round(computed.nm, -1):,.0f} nm ({round(computed.km, -1):,.0f} km)" in text
        assert f"{computed.days(12):.1f}" in text
    assert "Published figures" in text and "Caveats" in text
    # Beside the pickers, one line per route and where the rest is.
    (summary,) = [c.value for c in at.sidebar.caption if "Via Suez:" in rendered(c.value)[1]]
    nsr = comparison.computed("nsr")
    assert nsr is not None
    assert f"≈ {round(nsr.nm, -1):,.0f} nm, {nsr.days(12):.1f} days" in rendered(summary)[1]
    shown = view(at)
    assert [r["id"] for r in route_file(at)["routes"]] == ["suez", "cape", "nsr"]
    assert dict(shown["route"]["tips"]["nsr"]["facts"])["Days at sea"].endswith("at 12 knots")
    assert ["route", "CNSHA,NLRTM"] in shown["query"] and ["speed", "12"] in shown["query"]


def test_choosing_ports_draws_the_routes_and_changes_only_the_view() -> None:
    at = run()
    assert view(at)["route"] is None and not route_panel(at)
    before = component_args(at)
    at.sidebar.selectbox(key="route-from").select("JPYOK").run()
    assert view(at)["route"] is None  # one port is not a route yet
    at.sidebar.selectbox(key="route-to").select("DEHAM").run()
    assert ["route", "JPYOK,DEHAM"] in view(at)["query"]
    assert "Yokohama, Japan (JPYOK) → Hamburg, Germany (DEHAM) at 14 knots" in route_panel(at)
    after = component_args(at)
    assert after["script"] == before["script"] and after["key"] == before["key"]
    # The lines travel as a file; the view carries its address, tooltips and legend only.
    assert len(json.dumps(after)) - len(json.dumps(before)) < 8_000
    url = view(at)["route"]["url"]
    at.sidebar.number_input(key="speed").set_value(20.0).run()
    assert view(at)["route"]["url"] == url  # the same lines; only the days change
    assert ["speed", "20"] in view(at)["query"]
    assert "at 20 knots" in route_panel(at)
    at.sidebar.button(key="route-swap").click().run()
    assert ["route", "DEHAM,JPYOK"] in view(at)["query"]
    at.sidebar.button(key="route-clear").click().run()
    assert view(at)["route"] is None and not route_panel(at)
    assert not any(key == "route" for key, _ in view(at)["query"])


@pytest.mark.parametrize("typed", [0.0, -3.0, 50.0, 1e9])
def test_a_speed_out_of_range_is_refused_with_a_notice_and_the_last_one_kept(typed: float) -> None:
    at = run(route="CNSHA,NLRTM", speed="12")
    at.sidebar.number_input(key="speed").set_value(typed).run()
    assert at.sidebar.number_input(key="speed").value == 12
    (warning,) = at.sidebar.warning
    assert rendered(warning.value)[1].startswith("Speed: speed ")
    assert "outside 1-40 knots" in rendered(warning.value)[1]
    assert "at 12 knots" in route_panel(at) and ["speed", "12"] in view(at)["query"]
    at.sidebar.number_input(key="speed").set_value(9.5).run()
    assert not at.sidebar.warning and "at 9.5 knots" in route_panel(at)


def test_the_same_port_twice_is_said_and_nothing_compared() -> None:
    at = run()
    at.sidebar.selectbox(key="route-from").select("CNSHA").run()
    at.sidebar.selectbox(key="route-to").select("CNSHA").run()
    (warning,) = at.sidebar.warning
    assert "both origin and destination" in warning.value
    assert view(at)["route"] is None and not route_panel(at)


@pytest.mark.parametrize(
    ("route", "said"),
    [
        ("USDEN,NLRTM", "Denver (USDEN) lies inland"),
        ("KZAAU,NLRTM", "None of the three routes applies between these ports"),
    ],
)
def test_a_route_that_cannot_be_drawn_says_why_and_the_page_stays_up(route: str, said: str) -> None:
    at = run(route=route)
    assert not at.exception
    alerts = " ".join(rendered(a.value)[1] for a in [*at.warning, *at.info])
    assert said in alerts
    assert view(at)["route"] is None
    assert ["route", route] in view(at)["query"]  # the link still says what was asked


BELOW_MAP = ["Timeline: every dated event", "Everything on the map: table and downloads"]


def test_the_timeline_and_the_table_are_built_only_while_open() -> None:
    at = run()
    assert [e.label for e in at.expander][-2:] == BELOW_MAP
    # Closed: neither the chart nor the table is built, nor the article's intake.
    assert not at.get("vega_lite_chart") and not at.dataframe and not at.text_area
    at.session_state["timeline-open"] = True
    at.run()
    (chart,) = at.get("vega_lite_chart")
    assert "Article" in chart.proto.spec  # the timeline's rows
    assert not at.dataframe
    at.session_state["intake"] = True
    at.run()
    assert [t.label for t in at.text_area] == ["The article's text"]


def test_the_table_lists_the_view() -> None:
    at = run(layers="nord-stream-1,eaeu", date="2021-06-01")
    at.session_state["table-open"] = True
    at.run()
    assert not at.exception
    (table,) = at.dataframe
    names = list(table.value["name"])
    assert names[0] == "Nord Stream 1"
    assert {"Armenia", "Belarus", "Kazakhstan", "Kyrgyzstan", "Russia"} <= set(names)
    assert "Power of Siberia" not in names and "China" not in names  # layers not shown
    buttons = at.get("download_button")
    assert [b.proto.label for b in buttons] == [
        "GeoJSON", "CSV", "Picture (PNG)", "Briefing (HTML)"
    ]  # fmt: skip
    # Deferred: each file is built when its button is pressed, never on a rerun.
    assert all(b.proto.deferred_file_id and not b.proto.url for b in buttons)


def test_a_map_file_removed_under_a_running_server_is_put_back() -> None:
    at = run()
    (script,) = [u for u in component_args(at)["js_links"] if "/corridors/webmap-" in u]
    path = APP.parent / "static" / "corridors" / script.rsplit("/", 1)[-1].split("?")[0]
    assert path.is_file()
    path.unlink()
    at.run()
    assert path.is_file()


def page_text(at: AppTest) -> str:
    """Every text the page shows (and the map's arguments), for leak checks."""
    parts = [e.value for kind in ("markdown", "caption", "subheader", "warning", "info", "error")
             for e in getattr(at, kind)]  # fmt: skip
    parts += [json.dumps(component_args(at))] if at.get("component_instance") else []
    return "\n".join(str(p) for p in parts)


M = mutations
FEATURE_CASES = [
    ("corridors.geojson", M.nan, "feature suez-canal: geometry has NaN coordinates"),
    ("corridors.geojson", M.unknown_type, "feature suez-canal: geometry type 'Curve'"),
    ("corridors.geojson", M.metres, "feature suez-canal: coordinates are not longitude"),
    (
        "corridors.geojson",
        M.no_name,
        "feature suez-canal: missing required property 'name'",
    ),
    ("corridors.geojson", M.duplicate, "feature suez-canal: duplicate id 'suez-canal'"),
    ("countries.geojson", M.no_crs, "countries.geojson: no CRS declared"),
    (
        ARTICLE,
        M.unknown_corridor_link,
        "feature p9: links unknown corridor 'atlantis-tunnel'",
    ),
]


@pytest.mark.parametrize(
    ("name", "change", "fragment"),
    FEATURE_CASES,
    ids=["nan", "curve", "metres", "no-name", "duplicate", "no-crs", "unknown-corridor"],
)
def test_a_broken_feature_leaves_the_page_up_and_says_which(
    geodata_copy: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    change: mutations.Mutation,
    fragment: str,
) -> None:
    root = geodata_copy
    mutations.edit_json(root, name, change)
    monkeypatch.setenv("CORRIDORS_GEODATA", str(root))
    at = run()
    assert not at.exception
    (warning,) = at.warning
    assert fragment in rendered(warning.value)[1]
    assert str(tmp_path) not in page_text(at)
    assert "cku-railway" in view(at)["layers"]  # the rest still draws


def test_a_membership_for_an_unknown_country_leaves_the_page_up(
    geodata_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = geodata_copy
    mutations.append_line(root, "memberships.csv", mutations.UNKNOWN_COUNTRY_ROW)
    monkeypatch.setenv("CORRIDORS_GEODATA", str(root))
    at = run()
    (warning,) = at.warning
    text = rendered(warning.value)[1]
    assert "memberships.csv, feature ZZZ: country 'ZZZ' is not in countries.geojson" in text
    assert view(at)["layers"] == list(ALL_LAYER_IDS)


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("corridors.geojson", b'{"type": "FeatureCollection", "feat', "not valid JSON"),
        ("countries.geojson", b"", "the file is empty"),
        ("disputed.geojson", "{}".encode("utf-16"), "not UTF-8 text"),
        ("memberships.csv", b"<html>502</html>\n", "header is"),
        (ARTICLE, b"[", "not valid JSON"),
    ],
    ids=lambda v: v.split("/")[-1] if isinstance(v, str) and "." in v else None,
)
def test_a_broken_file_leaves_the_page_up_and_says_which(
    geodata_copy: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    content: bytes,
    fragment: str,
) -> None:
    root = geodata_copy
    (root / name).write_bytes(content)
    monkeypatch.setenv("CORRIDORS_GEODATA", str(root))
    at = run()
    assert not at.exception
    (warning,) = at.warning
    _, text = rendered(warning.value)
    assert f"{name.split('/')[-1]}: {fragment}" in text, text
    everything = page_text(at)
    assert str(tmp_path) not in everything and "Traceback" not in everything
    assert view(at)["layers"]  # the map is still there, with whatever loaded
    assert (root / name).read_bytes() == content  # never written


def test_a_repair_is_reported_with_its_count(
    geodata_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = geodata_copy
    mutations.edit_json(root, "countries.geojson", mutations.bowtie_kyrgyzstan)
    monkeypatch.setenv("CORRIDORS_GEODATA", str(root))
    at = run()
    assert not at.exception and not at.warning
    (info,) = [i for i in at.info if "Repaired" in i.value]
    _, text = rendered(info.value)
    assert text.startswith("Repaired 1 invalid geometry (make_valid) in countries.geojson")


HOSTILE_VALUES = (
    st.sampled_from(CORPUS)
    | st.text(max_size=60)
    | st.sampled_from(
        ["%2563ku-railway", "cku-railway%00", "%E2%80%AEeaeu", "eaeu,,,,bri", "x" * 200_000]
    )
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,  # the same cases on every run: a failure here is always reproducible
)
@given(
    st.dictionaries(
        keys=st.sampled_from(SCHEME.names) | st.text(min_size=1, max_size=12),
        values=st.lists(HOSTILE_VALUES, min_size=1, max_size=3),
        max_size=6,
    )
)
def test_any_link_opens_a_valid_view(params: dict[str, list[str]]) -> None:
    at = AppTest.from_file(str(APP), default_timeout=60)
    for key, values in params.items():
        at.query_params[key] = values if len(values) > 1 else values[0]
    at.run()
    assert not at.exception
    shown = view(at)
    assert set(shown["layers"]) <= set(ALL_LAYER_IDS)
    for alert in [*at.warning, *at.info]:
        out, text = rendered(alert.value)
        assert "<a " not in out and "<img" not in out and "<script" not in out
        assert len(text) < 2_000
    assert "Traceback" not in page_text(at)
