"""A comparison as the page shows it (corridors.routeview): the pickers' ports, the table, the
chart, published figures, caveats, the map's lines and tooltips, and the published route files."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest
import shapely

from corridors import assets, registry, routes, routeview
from corridors.encoding import shift_east
from corridors.escape import markdown_text
from tests.hostile import CORPUS
from tests.test_app import rendered

SHANGHAI_ROTTERDAM = routes.compare("CNSHA", "NLRTM", 14)
PIRAEUS_SHANGHAI = routes.compare("GRPIR", "CNSHA", 14)


def test_the_pickers_offer_the_data_ports_and_any_chosen_one_by_name() -> None:
    offered = routeview.port_choices(["USSPG", None, "CNSHA", "USSPG"])
    assert set(offered) == set(routes.sea_routes_data().ports) | {"USSPG"}
    names = [routes.ports()[code].name for code in offered]
    assert names == sorted(names)
    # The country tells apart the two St Petersburgs.
    assert routeview.port_label("USSPG") == "St Petersburg, United States (USSPG)"
    assert routeview.port_label("RULED") == "Saint Petersburg, Russia (RULED)"


@pytest.mark.parametrize(
    ("typed", "code", "notice"),
    [
        ("CNSHA", "CNSHA", None),
        ("busan", "KRPUS", None),  # searoute spells it Pusan: the data's alias
        ("St Petersburg", "RULED", None),  # not Florida's: the one the list offers
        ("vladiv", "RUVVO", None),
        ("pusan", "KRPUS", None),
        ("Rotterdam (NLRTM)", "NLRTM", None),
        ("hamburg", "DEHAM", None),  # and USHAM: the one the list offers is meant
        ("Hamburg (USHAM)", "USHAM", None),
        ("Portland", None, "ports are called 'Portland': give one of"),
        ("nlrtm", "NLRTM", None),
        ("Nowhere at all", None, "No port has the name 'Nowhere at all'"),
        ("Antwrpen", None, "did you mean Antwerpen (BEANR)?"),
        ("   ", None, "No port given"),
        ("x" * 60_000, None, "No port has the name"),
        (None, None, None),
    ],
)
def test_typed_text_becomes_the_port_it_names_or_a_one_line_notice(
    typed: str | None, code: str | None, notice: str | None
) -> None:
    found, said = routeview.picked_port(typed)
    assert found == code
    if notice is None:
        assert said is None
    else:
        assert said is not None and notice in said and "\n" not in said and len(said) < 300


@pytest.mark.parametrize("typed", CORPUS)
def test_hostile_text_typed_into_a_picker_gets_a_notice_shown_literally(typed: str) -> None:
    code, notice = routeview.picked_port(typed)
    if code is None:
        assert notice is not None
        out, text = rendered(markdown_text(notice))
        assert "<a " not in out and "<img" not in out and "<script" not in out
        assert len(text) < 300 and "\n" not in text


def test_the_table_has_a_row_per_route_with_the_computed_figures() -> None:
    text = " | ".join(" | ".join(row.values()) for row in routeview.table_rows(SHANGHAI_ROTTERDAM))
    suez = SHANGHAI_ROTTERDAM.computed("suez")
    nsr = SHANGHAI_ROTTERDAM.computed("nsr")
    assert suez is not None and nsr is not None
    assert f"≈ {round(suez.nm, -1):,.0f} nm ({round(suez.km, -1):,.0f} km)" in text
    assert f"{suez.days(14):.1f}" in text
    saving = nsr.nm - suez.nm
    assert f"−{round(-saving, -1):,.0f} nm (−{-saving / suez.nm * 100:.0f}%)" in text
    assert "Bering Strait, Northern Sea Route" in text
    assert "Does not apply" not in text


def test_a_route_that_does_not_apply_shows_its_reason_and_no_number() -> None:
    (nsr,) = [r for r in routeview.table_rows(PIRAEUS_SHANGHAI) if "Northern" in r["Route"]]
    assert nsr["Distance"] == "Does not apply"
    assert not any(c.isdigit() for c in " ".join(nsr.values()))
    (reason,) = routeview.reasons(PIRAEUS_SHANGHAI)
    assert "no shortcut between Piraeus and Shanghai" in rendered(reason)[1]
    chart = routeview.bar_chart(PIRAEUS_SHANGHAI)
    assert [v["route"] for v in chart["datasets"][chart["data"]["name"]]] == [
        "Via Suez",
        "Via the Cape of Good Hope",
    ]


def test_the_chart_draws_each_route_in_its_map_colour_at_its_distance() -> None:
    chart = routeview.bar_chart(SHANGHAI_ROTTERDAM)
    values = chart["datasets"][chart["data"]["name"]]
    by_label = {r.label: r for r in registry.SEA_ROUTES}
    for value in values:
        declared = by_label[value["route"]]
        computed = SHANGHAI_ROTTERDAM.computed(declared.id)
        assert computed is not None and value["nm"] == round(computed.nm, -1)
    scale = chart["layer"][0]["encoding"]["color"]["scale"]
    assert dict(zip(scale["domain"], scale["range"], strict=True)) == {
        r.label: r.colour for r in registry.SEA_ROUTES
    }


def test_published_figures_stand_beside_the_computed_ones_with_their_sources() -> None:
    lines = [rendered(line) for line in routeview.published_markdown(SHANGHAI_ROTTERDAM)]
    texts = [text for _, text in lines]
    suez = SHANGHAI_ROTTERDAM.computed("suez")
    assert suez is not None
    difference = (suez.nm - 10557) / 10557 * 100
    # Whole percents, as the computed distance is quoted to 10 nm; under half a percent is 0%.
    assert abs(difference) < 0.5
    assert any(
        "10,557 nm" in t and f"computed ≈ {round(suez.nm, -1):,.0f} nm, 0%)" in t for t in texts
    )
    assert any("8,046 nm" in t for t in texts) and any("13,800 nm" in t for t in texts)
    for out, _ in lines:
        assert '<a href="https://' in out


def test_caveats_name_their_sources_as_links_and_only_for_routes_that_apply() -> None:
    shown = [rendered(c) for c in routeview.caveats_markdown(SHANGHAI_ROTTERDAM)]
    assert {"season", "ice-class", "permit", "red-sea"} <= {
        c.id for r in SHANGHAI_ROTTERDAM.rows() for c in r.caveats
    }
    assert len(shown) == sum(len(r.caveats) for r in SHANGHAI_ROTTERDAM.rows())
    assert all('<a href="https://' in out for out, _ in shown)
    assert any("July to late November" in text for _, text in shown)
    no_nsr = [rendered(c)[1] for c in routeview.caveats_markdown(PIRAEUS_SHANGHAI)]
    assert not any("Northern Sea Route" in text.split(":")[0] for text in no_nsr)


def _decoded(lines: list[list[int]], scale: int) -> list[np.ndarray]:
    return [np.cumsum(np.asarray(flat).reshape(-1, 2), axis=0) / scale for flat in lines]


def test_the_map_document_holds_each_route_line_unwrapped_like_every_other_line() -> None:
    document = json.loads(routeview.map_document(SHANGHAI_ROTTERDAM))
    assert [r["id"] for r in document["routes"]] == ["suez", "cape", "nsr"]
    for drawn in document["routes"]:
        route = SHANGHAI_ROTTERDAM.computed(drawn["id"])
        assert route is not None
        expected = shift_east(route.geometry)
        parts = getattr(expected, "geoms", [expected])
        decoded = _decoded(drawn["lines"], document["scale"])
        assert len(decoded) == len(parts)
        for latlon, part in zip(decoded, parts, strict=True):
            lonlat = shapely.get_coordinates(part)
            assert np.allclose(latlon[0], lonlat[0][::-1], atol=1e-3)
            assert np.allclose(latlon[-1], lonlat[-1][::-1], atol=1e-3)
    nsr = document["routes"][2]
    # Through the Bering Strait: drawn east of 180°, never back at -170°.
    lons = np.concatenate([p[:, 1] for p in _decoded(nsr["lines"], document["scale"])])
    assert lons.max() > 180 and lons.min() > -30


def test_the_tooltips_say_what_the_table_says() -> None:
    tips = routeview.map_tips(SHANGHAI_ROTTERDAM)
    rows = {row.route.id: row for row in SHANGHAI_ROTTERDAM.rows()}
    for route_id, tip in tips.items():
        facts = dict(tip["facts"])
        row = rows[route_id]
        assert facts["Distance"].startswith(
            f"≈ {round(row.nm, -1):,.0f} nm ({round(row.km, -1):,.0f} km)"
        )
        assert facts["Days at sea"] == f"{row.days:.1f} at 14 knots"
        assert tip["subtitle"] == "Shanghai → Rotterdam"
        assert len(tip["facts"]) <= 3 and not tip["sources"]  # brief: the panel has the rest
    assert set(routeview.map_tips(PIRAEUS_SHANGHAI)) == {"suez", "cape"}


def test_a_route_file_is_named_by_content_touched_when_reused_and_old_ones_pruned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(assets, "MAX_ROUTE_FILES", 3)
    folder = tmp_path / assets.MAP_DIR / assets.ROUTES_DIR
    urls = []
    for i in range(5):
        urls.append(assets.publish_route(tmp_path, f'{{"n":{i}}}'.encode()))
        newest = folder / urls[-1].rsplit("/", 1)[1]
        os.utime(newest, (1_000 + i, 1_000 + i))
    assert urls[0].startswith("../../app/static/corridors/routes/route-")
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(u.rsplit("/", 1)[1] for u in urls[2:])
    again = assets.publish_route(tmp_path, b'{"n":2}')
    assert again == urls[2]  # the same content: the same file, now the newest
    assert (folder / again.rsplit("/", 1)[1]).stat().st_mtime > 1_004
    assets.publish_route(tmp_path, b'{"n":5}')
    assert (folder / again.rsplit("/", 1)[1]).exists()
    assert not (folder / urls[3].rsplit("/", 1)[1]).exists()  # the oldest one went
