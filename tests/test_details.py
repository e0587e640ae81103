"""What tooltips and the panel say: dated status, drawn vs published lengths, sources."""

from __future__ import annotations

import dataclasses
import datetime as dt

from corridors import registry
from corridors.dataset import Dataset
from corridors.details import corridor_details, country_details, disputed_details
from corridors.escape import markdown_link
from corridors.layers import build_catalogue
from corridors.mapdata import build_map_data
from tests.quoting import assert_quoted_as_approximate

TODAY = dt.date.today()


def facts(details_facts: tuple[object, ...]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for fact in details_facts:
        out.setdefault(fact.label, []).append(fact.text)  # type: ignore[attr-defined]
    return out


def test_cku_railway_shows_drawn_against_each_published_length(dataset: Dataset) -> None:
    rows = dataset.corridors[dataset.corridors["corridor"] == "cku-railway"]
    details = corridor_details(rows, TODAY)
    said = facts(details.facts)
    assert said["Status"] == [
        "under construction since 27 Dec 2024 (Railway Gazette International)"
    ]
    # An approximate line (473.7 km as measured) is quoted to the nearest 10 km, marked so, and
    # its differences to whole percents.
    assert said["Drawn"] == ["≈ 470 km (whole corridor) along the drawn route (geodesic, WGS84)"]
    assert (
        "523 km (Railway Gazette International; Russia’s Pivot to Asia, 523 km (325 miles)); "
        "drawn −9%" in (said["Published"])
    )
    # Sources that disagree are each shown, not averaged away.
    assert any(text.startswith("454 km") for text in said["Published"])
    assert any(text.startswith("532.53 km") for text in said["Published"])
    assert any(
        s.url and s.url.startswith("https://www.railwaygazette.com/") for s in details.sources
    )


def test_a_segment_tooltip_adds_its_own_length(dataset: Dataset) -> None:
    rows = dataset.corridors[dataset.corridors["corridor"] == "cku-railway"]
    tip = corridor_details(rows, TODAY, "cku-railway/china").tooltip()
    assert tip["subtitle"] == "China: Kashgar – Torugart"
    assert ["This segment", "≈ 150 km drawn; published 213 km (Railway Gazette International)"] in (
        tip["facts"]
    )
    assert tip["sources"]


def test_nord_stream_status_is_dated_with_its_history(dataset: Dataset) -> None:
    rows = dataset.corridors[dataset.corridors["corridor"] == "nord-stream-1"]
    details = corridor_details(rows, TODAY)
    said = facts(details.facts)
    assert said["Status"][0].startswith("damaged since 26 Sep 2022")
    assert said["History"] == ["operational 8 Nov 2011 → stopped 31 Aug 2022 → damaged 26 Sep 2022"]
    # The history is for the panel; the tooltip stays brief.
    assert "History" not in dict(details.tooltip()["facts"])


def test_status_is_the_one_in_force_on_the_day_not_the_last_one_listed(dataset: Dataset) -> None:
    """A history may already list a dated future step (a planned reopening): until that day,
    the tooltip, the panel and the line style show the status in force."""
    frame = dataset.corridors.copy()
    is_ns1 = frame["corridor"] == "nord-stream-1"
    (index,) = frame.index[is_ns1]
    history = frame.at[index, "status"]
    planned = {**history[-1], "status": "operational", "since": "2999-01-01", "until": None}
    frame.at[index, "status"] = [*history, planned]
    said = facts(corridor_details(frame[is_ns1], TODAY).facts)
    assert said["Status"][0].startswith("damaged since 26 Sep 2022")
    document = build_map_data(dataclasses.replace(dataset, corridors=frame), build_catalogue(frame))
    (feature,) = [f for f in document["features"] if f["corridor"] == "nord-stream-1"]
    *_, (start, end, damaged), (later, _, reopened) = feature["states"]
    assert (start, end, later) == ("2022-09-26", "2999-01-01", "2999-01-01")
    assert damaged["status"] == "damaged" and damaged["style"]["dashArray"] == "2 8"
    assert reopened["status"] == "operational"


def test_a_bridge_shows_both_published_lengths(dataset: Dataset) -> None:
    rows = dataset.corridors[dataset.corridors["corridor"] == "blagoveshchensk-heihe"]
    said = facts(corridor_details(rows, TODAY).facts)
    assert [text.split(" (")[0] for text in said["Length"]] == ["1,284 m", "1,080 m"]
    assert "Drawn" not in said  # a point has no drawn length


def test_country_memberships_mark_unconfirmed_and_claimed(dataset: Dataset) -> None:
    m = dataset.memberships
    rows = m[m["iso_a3"] == "RUS"].to_dict("records")
    details = country_details("Russia", rows)  # type: ignore[arg-type]
    texts = [f.text for f in details.facts]
    assert "member since 1 Jan 2015 (commonspace.eu)" in texts
    assert any("unconfirmed" in t for t in texts)
    assert any(t.startswith("claimed signatory, without date or document") for t in texts)


def test_disputed_area_names_both_views(dataset: Dataset) -> None:
    crimea = dataset.disputed[dataset.disputed["id"] == "crimea"].iloc[0].to_dict()
    tip = disputed_details(crimea, {"UKR": "Ukraine", "RUS": "Russia"}).tooltip()
    assert ["UN view", "Ukraine"] in tip["facts"]
    assert ["De facto", "Russia"] in tip["facts"]
    assert ["Status", "occupied since 18 Mar 2014"] in tip["facts"]
    # On a day before Russia took control, the tooltip reads that day.
    before = disputed_details(crimea, {"UKR": "Ukraine"}, dt.date(2014, 3, 17)).tooltip()
    assert ["De facto", "Ukraine"] in before["facts"]
    assert ["Status", "occupied from 18 Mar 2014, not yet on this date"] in before["facts"]


def test_a_figure_for_more_than_is_drawn_is_shown_but_not_compared(dataset: Dataset) -> None:
    rows = dataset.corridors[dataset.corridors["corridor"] == "power-of-siberia"]
    published = facts(corridor_details(rows, TODAY).facts)["Published"]
    (whole,) = [text for text in published if text.startswith("3,000 km")]
    assert whole.endswith("covers more than is drawn, so not compared")
    assert "%" not in whole
    (stage1,) = [text for text in published if "2,200 km" in text]
    assert stage1.endswith("drawn ≈ 1,910 km (−13%)")


def test_no_length_of_an_approximate_line_is_quoted_to_a_tenth(dataset: Dataset) -> None:
    # Every corridor's geometry is approximate: the panel (with the split by country), each
    # segment's tooltip and the hover quote what was measured to 10 km and whole percents.
    lines = dataset.corridors[dataset.corridors.geometry.geom_type != "Point"]
    assert set(lines["geometry_quality"]) == {"approximate"}
    texts = []
    for _, rows in lines.groupby("corridor"):
        whole = corridor_details(rows, TODAY, countries=dataset.countries)
        texts += [f"{f.label}: {f.text}" for f in whole.facts]
        texts += [f"{label}: {text}" for label, text in whole.hover()["facts"]]
        for feature in rows["id"]:
            tip = corridor_details(rows, TODAY, feature).tooltip()
            texts += [f"{label}: {text}" for label, text in tip["facts"]]
    assert any(t.startswith("Drawn: ≈ ") for t in texts)
    assert any(t.startswith("This segment: ≈ ") for t in texts)
    assert any(t.startswith("In Kyrgyzstan: ≈ ") for t in texts)
    assert_quoted_as_approximate(texts)


def test_a_surveyed_line_is_quoted_to_the_kilometre(dataset: Dataset) -> None:
    rows = dataset.corridors[dataset.corridors["corridor"] == "nord-stream-1"].copy()
    approximate = facts(corridor_details(rows, TODAY).facts)
    rows["geometry_quality"] = "surveyed"
    surveyed = facts(corridor_details(rows, TODAY).facts)
    measured = float(rows["length_km"].sum())
    assert surveyed["Drawn"] == [f"{round(measured):,} km along the drawn route (geodesic, WGS84)"]
    assert approximate["Drawn"][0].startswith(f"≈ {round(measured, -1):,.0f} km along")
    change = 100 * (measured - 1224) / 1224
    assert (
        f"1,224 km (Nord Stream AG); drawn {change:.1f}%".replace("-", "−")
        in (surveyed["Published"])
    )


def test_every_source_with_an_address_is_a_link(dataset: Dataset) -> None:
    # Any http(s) address anywhere in a source's record reaches the panel as the source's link,
    # and the Northern Sea Route's sources are links wherever a public address is known.
    for corridor, rows in dataset.corridors.groupby("corridor"):
        details = corridor_details(rows, TODAY)
        by_title = {s.title: s for s in details.sources}
        for record in (s for entries in rows["sources"] for s in entries):
            addresses = [v for v in record.values() if str(v).startswith(("http://", "https://"))]
            source = by_title[record["title"]]
            if addresses:
                assert source.url == record["url"], (corridor, record["title"])
                assert f"]({record['url']})" in markdown_link(source.title, source.url)
            else:
                assert source.url is None
    nsr = dataset.corridors[dataset.corridors["corridor"] == "northern-sea-route"]
    unlinked = [s.label for s in corridor_details(nsr, TODAY).sources if not s.url]
    # The article was captured without its address: the one source left as text.
    assert unlinked == ["Russia’s Pivot to Asia, 25 Apr 2024"]


def test_a_seasonal_route_says_so_in_its_status(dataset: Dataset) -> None:
    rows = dataset.corridors[dataset.corridors["corridor"] == "northern-sea-route"]
    details = corridor_details(rows, TODAY)
    status = "operational in season (July to late November; ice-dependent)"
    (said,) = facts(details.facts)["Status"]
    assert said.startswith(status) and "Parkiet" in said
    # In the hover, not only in the panel's notes; its source is the panel's.
    assert details.hover()["facts"][0] == ["Status", status]
    assert registry.status("seasonal").label == "operational in season"
