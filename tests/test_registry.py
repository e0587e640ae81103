"""Each concept is declared once, in corridors/registry.py: adding a bloc or a basemap is that
declaration plus its data, and everything else (schema, layers, map data, tooltips, the link,
the map's script config and the page's labels) follows. The page's copy between a link's state
and its widgets is tested here too, without Streamlit."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from corridors import page, registry, share
from corridors.dataset import GEODATA, load_dataset
from corridors.details import membership_facts
from corridors.layers import build_catalogue
from corridors.mapdata import build_map_data
from corridors.site import Site, load_site
from corridors.webmap import CorridorsLayer, base_map
from tests.contrast import contrast, over

DAY = dt.date(2026, 11, 28)
SCO = registry.Bloc(
    id="sco",
    label="SCO members",
    short="SCO",
    description="Shanghai Cooperation Organisation member states",
    colour="#332288",
    style={"weight": 1.5, "fillOpacity": 0.2},
    pane=342,
)
# Two rows, as memberships.csv would hold them: the SCO Charter's founding members.
SCO_ROWS = (
    "CHN,sco,member,confirmed,2001-06-15,,SCO Charter,,founding member,single-source\n"
    "RUS,sco,member,confirmed,2001-06-15,,SCO Charter,,founding member,single-source\n"
)
DARK = registry.Basemap(
    id="dark",
    label="Dark (CARTO)",
    url="https://{s}.basemaps.cartocdn.com/dark_all/{z}/{x}/{y}{r}.png",
    attribution="&copy; OpenStreetMap contributors &copy; CARTO",
    max_zoom=20,
    subdomains="abcd",
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    return load_site(tmp_path_factory.mktemp("app"), DAY)


def test_a_new_bloc_is_one_declaration_plus_its_rows(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    root = tmp_path / "geodata"
    shutil.copytree(GEODATA, root)
    with (root / registry.MEMBERSHIPS_FILE).open("a", encoding="utf-8") as csv:
        csv.write(SCO_ROWS)
    with pytest.raises(ValueError, match="'sco' is not one of"):
        load_dataset(root)  # undeclared, the rows are refused
    monkeypatch.setattr(registry, "BLOCS", (*registry.BLOCS, SCO))

    data = load_dataset(root)  # strict: any problem would raise
    catalogue = build_catalogue(data.corridors)
    assert catalogue.ids[-1] == "sco" and catalogue["sco"].colour == SCO.colour
    document = build_map_data(data, catalogue)
    assert document["blocs"]["sco"] == [["2001-06-15", None, ["CHN", "RUS"]]]
    (layer,) = [x for x in document["layers"] if x["id"] == "sco"]
    assert layer["pane"] == 342 and layer["style"]["fillOpacity"] == 0.2
    rows = data.memberships[data.memberships["bloc"] == "sco"].to_dict("records")
    assert [f.label for f in membership_facts(rows)] == ["SCO", "SCO"]
    app = load_site(tmp_path / "app", DAY, root)
    assert "sco" in app.vocab.layers
    assert share.decode({"layers": "sco"}, app.vocab).state.layers == ("sco",)


def test_a_new_basemap_is_one_declaration(monkeypatch: pytest.MonkeyPatch, site: Site) -> None:
    monkeypatch.setattr(registry, "BASEMAPS", (*registry.BASEMAPS, DARK))
    vocab = share.Vocabulary(
        layers=site.vocab.layers,
        default_layers=site.vocab.default_layers,
        corridors=site.vocab.corridors,
        paragraphs=site.vocab.paragraphs,
    )
    assert share.decode({"basemap": "dark"}, vocab) == share.Decoded(
        share.ViewState(layers=vocab.default_layers, basemap="dark"), ()
    )
    (layer,) = [
        c for c in base_map(site.assets)._children.values() if isinstance(c, CorridorsLayer)
    ]
    assert layer.config["basemaps"]["dark"]["url"] == DARK.url
    assert page.basemap_labels()["dark"] == "Dark (CARTO)"
    assert "`dark`" in share.SCHEME.markdown_table()


@pytest.mark.parametrize(
    "state",
    [
        share.ViewState(layers=()),
        share.ViewState(layers=("cku-railway", "bri"), focus="nord-stream-1", basemap="none"),
        share.ViewState(layers=("eaeu",), excerpt="p9", boundaries="de-facto"),
        share.ViewState(layers=("bri",), date=dt.date(2021, 6, 1)),
        share.ViewState(layers=("bri",), date=dt.date(1869, 11, 17)),  # the first day there is
        share.ViewState(layers=("nord-stream-1",), route=("KRPUS", "DEHAM"), speed=12.25),
        share.ViewState(layers=("bri",), article="r0123456789abcdef0123"),
        share.ViewState(layers=("bri",), country="KAZ"),
    ],
)
def test_widgets_hold_the_link_state_and_give_it_back(site: Site, state: share.ViewState) -> None:
    opened = share.ViewState(layers=site.vocab.default_layers, center=(41.2, 74.3), zoom=6)
    values = page.widget_values(state, site)
    assert set(values) == {page.Key.LAYER + i for i in site.vocab.layers} | {
        page.Key.FOCUS,
        page.Key.COUNTRY,
        page.Key.EXCERPT,
        page.Key.BASEMAP,
        page.Key.BOUNDARIES,
        page.Key.DATE,
        page.Key.DATE_STEP,
        page.Key.ROUTE_FROM,
        page.Key.ROUTE_TO,
        page.Key.SPEED,
        page.Key.ROUTE_NOTICE,
        page.Key.ARTICLE,
    }
    # The slider and the date input show the same day.
    assert values[page.Key.DATE] == values[page.Key.DATE_STEP] == site.vocab.day(state)
    back = page.state_from_widgets(values, site, opened)
    # The centre and zoom are the opening link's: the map's script keeps them current.
    assert back == share.ViewState(
        layers=state.layers,
        focus=state.focus,
        country=state.country,
        excerpt=state.excerpt,
        basemap=state.basemap,
        boundaries=state.boundaries,
        center=(41.2, 74.3),
        zoom=6,
        date=state.date,
        route=state.route,
        speed=state.speed,
        article=state.article,
    )


def test_a_route_is_read_from_the_pickers_only_with_two_different_ports(site: Site) -> None:
    opened = share.ViewState(layers=site.vocab.default_layers)
    values = page.widget_values(opened, site)
    for origin, destination, route in [
        ("CNSHA", None, None),
        (None, "NLRTM", None),
        ("CNSHA", "CNSHA", None),
        ("CNSHA", "NLRTM", ("CNSHA", "NLRTM")),
    ]:
        values.update({page.Key.ROUTE_FROM: origin, page.Key.ROUTE_TO: destination})
        assert page.state_from_widgets(values, site, opened).route == route
        assert page.same_port_twice(values) == (origin is not None and origin == destination)
    values[page.Key.SPEED] = 12.3456  # typed: the link keeps two decimals
    assert page.state_from_widgets(values, site, opened).speed == 12.35


@pytest.mark.parametrize(
    ("value", "chosen"),
    [
        ({"select": "nord-stream-1", "at": 1}, page.MapClick(corridor="nord-stream-1")),
        ({"country": "KAZ", "at": 1}, page.MapClick(country="KAZ")),
        ({"country": "crimea", "at": 1}, page.MapClick(country="crimea")),  # a disputed area
        ({"select": "", "at": 2}, page.MapClick()),  # a click away from them, or Esc: clear
        ({"select": "atlantis-tunnel"}, None),
        ({"country": "ATL"}, None),
        ({"country": "nord-stream-1"}, None),
        ({"select": ["nord-stream-1"]}, None),
        ("nord-stream-1", None),
        (None, None),
    ],
)
def test_only_a_known_corridor_or_country_click_selects(
    site: Site, value: object, chosen: page.MapClick | None
) -> None:
    assert page.map_click(value, site) == chosen


def test_a_timeline_pick_shows_a_day_a_link_can_hold(site: Site) -> None:
    def pick(day: object) -> object:
        return {"selection": {page.PICK: [{"day": day, "kind": "BRI"}]}}

    assert page.picked_date(site, pick("2019-04-01")) == dt.date(2019, 4, 1)
    assert page.picked_date(site, pick("1700-01-01")) == site.vocab.first_day
    assert page.picked_date(site, pick("2999-01-01")) == site.vocab.last_day
    assert page.picked_date(site, {"selection": {page.PICK: {}}}) is None
    assert page.picked_date(site, "garbage") is None
    assert page.timeline_key(0) != page.timeline_key(1)


def test_every_line_colour_stands_out_3_to_1_from_its_casing() -> None:
    # WCAG 2.1, 1.4.11: graphics needed to understand the content, 3:1 against what is next to
    # them. Lines, routes and places lie on an opaque casing, so that is all they touch on any
    # basemap, terrain's dark greens and white snow alike.
    lines = {
        **registry.CORRIDOR_COLOURS,
        **{f"spare {c}": c for c in registry.SPARE_COLOURS},
        "fallback": registry.FALLBACK_COLOUR,
        **{f"route {r.id}": r.colour for r in registry.SEA_ROUTES},
        "places": registry.PLACES.colour,
        **{f"bloc {b.id}": b.colour for b in registry.BLOCS if b.cased},
    }
    low = {
        line: round(contrast(colour, registry.CASING_COLOUR), 2)
        for line, colour in lines.items()
        if contrast(colour, registry.CASING_COLOUR) < 3.0
    }
    assert low == {}
    assert contrast("#000000", "#FFFFFF") == pytest.approx(21.0)  # the formula itself
    assert contrast("#56B4E9", registry.CASING_COLOUR) < 3.0  # Okabe–Ito's sky blue fails
    # A faded status would fall under 3:1 against the casing: stopped lines were drawn at 0.6.
    assert contrast(over("#C45600", 0.6, "#FFFFFF"), registry.CASING_COLOUR) < 3.0
