"""Checks on geodata/memberships.csv: schema, vocabularies, dates and the sourced facts it holds."""

from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path

import pycountry
import pytest

MEMBERSHIPS = Path(__file__).resolve().parents[1] / "geodata" / "memberships.csv"
HEADER = ["iso_a3", "bloc", "role", "certainty", "since", "until", "source", "source_url", "note"]
ROLES = {"eaeu": {"member", "observer"}, "bri": {"signatory"}}
CERTAINTIES = {"confirmed", "unconfirmed", "claimed"}
PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
GFDC = "Green Finance & Development Center (GFDC)"
ARTICLE = "Russia’s Pivot to Asia, “Russia Warming to China’s Belt & Road Initiative Projects”"

Row = dict[str, str]


def _bounds(value: str) -> tuple[date, date]:
    """Earliest and latest day a YYYY, YYYY-MM or YYYY-MM-DD value can mean."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        day = date(*parts)
        return day, day
    if len(parts) == 2:
        year, month = parts
        first = date(year, month, 1)
        following = date(year + month // 12, month % 12 + 1, 1)
        return first, date.fromordinal(following.toordinal() - 1)
    return date(parts[0], 1, 1), date(parts[0], 12, 31)


@pytest.fixture(scope="module")
def rows() -> list[Row]:
    with MEMBERSHIPS.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, strict=True))


def _where(rows: list[Row], **match: str) -> list[Row]:
    return [r for r in rows if all(r[k] == v for k, v in match.items())]


def _gfdc(rows: list[Row]) -> list[Row]:
    return [r for r in rows if r["bloc"] == "bri" and r["source"].startswith(GFDC)]


def test_header_is_exact() -> None:
    with MEMBERSHIPS.open(encoding="utf-8", newline="") as f:
        assert next(csv.reader(f)) == HEADER


def test_every_row_has_every_field_and_no_stray_whitespace(rows: list[Row]) -> None:
    for r in rows:
        assert None not in r and None not in r.values(), f"wrong field count: {r}"
        for key, value in r.items():
            assert value == value.strip(), f"{r['iso_a3']} {key!r} has surrounding whitespace"


def test_iso_a3_codes_exist(rows: list[Row]) -> None:
    unknown = {r["iso_a3"] for r in rows if pycountry.countries.get(alpha_3=r["iso_a3"]) is None}
    assert not unknown, f"not ISO 3166 alpha-3: {sorted(unknown)}"


def test_bloc_role_and_certainty_vocabularies(rows: list[Row]) -> None:
    for r in rows:
        assert r["bloc"] in ROLES, r
        assert r["role"] in ROLES[r["bloc"]], f"{r['iso_a3']}: role {r['role']!r} in {r['bloc']}"
        assert r["certainty"] in CERTAINTIES, r


def test_dates_parse_and_since_precedes_until(rows: list[Row]) -> None:
    for r in rows:
        for key in ("since", "until"):
            if r[key]:
                assert PARTIAL_DATE.match(r[key]), f"{r['iso_a3']} {key}={r[key]!r}"
                _bounds(r[key])  # raises on an impossible month or day
        if r["since"] and r["until"]:
            assert _bounds(r["since"])[0] <= _bounds(r["until"])[1], r


def test_every_row_names_its_source(rows: list[Row]) -> None:
    for r in rows:
        assert r["source"], f"{r['iso_a3']} {r['bloc']} row has no source"
        assert not r["source_url"] or r["source_url"].startswith(("http://", "https://")), r


def test_no_duplicate_statements(rows: list[Row]) -> None:
    keys = [(r["iso_a3"], r["bloc"], r["role"], r["source"]) for r in rows]
    assert len(keys) == len(set(keys))


def test_rows_are_sorted_by_bloc_country_source(rows: list[Row]) -> None:
    keys = [(r["bloc"], r["iso_a3"], r["source"]) for r in rows]
    assert keys == sorted(keys)


def test_eaeu_members_and_accession_dates(rows: list[Row]) -> None:
    members = {(r["iso_a3"], r["since"]) for r in _where(rows, bloc="eaeu", role="member")}
    assert members == {
        ("RUS", "2015-01-01"),
        ("BLR", "2015-01-01"),
        ("KAZ", "2015-01-01"),
        ("ARM", "2015-01-02"),
        ("KGZ", "2015-08-06"),
    }
    # The other date widely cited for Kyrgyzstan stays visible.
    (kgz,) = _where(rows, bloc="eaeu", role="member", iso_a3="KGZ")
    assert "12 Aug 2015" in kgz["note"]


def test_eaeu_observers(rows: list[Row]) -> None:
    observers = _where(rows, bloc="eaeu", role="observer")
    assert {r["iso_a3"] for r in observers} == {"MDA", "UZB", "CUB", "IRN"}
    since = {(r["iso_a3"], r["since"]) for r in observers}
    # Moldova: the Bishkek summit (2017) and the EEC's formal decision (2018) are both kept.
    assert since == {
        ("MDA", "2017-04-14"),
        ("MDA", "2018-05-14"),
        ("UZB", "2020-12-11"),
        ("CUB", "2020-12-11"),
        ("IRN", "2024-12-26"),
    }
    (iran,) = _where(rows, bloc="eaeu", iso_a3="IRN")
    assert "2023-12-25" in iran["note"]


def test_russia_bri_gfdc_unconfirmed_article_claimed(rows: list[Row]) -> None:
    (gfdc_rus,) = [r for r in _gfdc(rows) if r["iso_a3"] == "RUS"]
    assert gfdc_rus["certainty"] == "unconfirmed"
    (article_rus,) = [
        r for r in _where(rows, bloc="bri", iso_a3="RUS") if r["source"].startswith(ARTICLE)
    ]
    assert article_rus["certainty"] == "claimed"


def test_article_claim_covers_each_eaeu_member(rows: list[Row]) -> None:
    claimed = [r for r in rows if r["source"].startswith(ARTICLE)]
    assert {r["iso_a3"] for r in claimed} == {"ARM", "BLR", "KAZ", "KGZ", "RUS"}
    assert all(r["bloc"] == "bri" and r["certainty"] == "claimed" for r in claimed)


def test_italy_bri_rows_end(rows: list[Row]) -> None:
    italy = _where(rows, bloc="bri", iso_a3="ITA")
    assert italy and all(r["until"] for r in italy), "an Italy BRI row is left open-ended"
    # The MoU lapsed in March 2024; GFDC dates the exit to Italy's notice of 6 Dec 2023.
    assert {r["until"] for r in italy} == {"2024-03", "2023-12-06"}
    (lapse,) = [r for r in italy if not r["source"].startswith(GFDC)]
    assert lapse["until"] == "2024-03"


def test_gfdc_list_is_complete_against_its_published_counts(rows: list[Row]) -> None:
    """All 152 countries of GFDC's May 2025 list, less China (the initiator, not a signatory).

    GFDC's page for February 2025 says 149 countries including China had joined and not exited,
    of which at least 145 are confirmed; the rows as of end of February 2025 must reproduce that.
    """
    gfdc = _gfdc(rows)
    assert len(gfdc) == 151
    assert "CHN" not in {r["iso_a3"] for r in gfdc}
    assert len({r["iso_a3"] for r in gfdc}) == len(gfdc)
    unconfirmed = {r["iso_a3"] for r in gfdc if r["certainty"] == "unconfirmed"}
    assert unconfirmed == {"AUT", "COG", "NER", "RUS"}
    assert {r["certainty"] for r in gfdc} == {"confirmed", "unconfirmed"}
    # An undated entry is exactly what GFDC means by unconfirmed.
    assert all((r["certainty"] == "unconfirmed") == (r["since"] == "") for r in gfdc)

    feb_2025 = date(2025, 2, 28)
    in_feb_2025 = [
        r
        for r in gfdc
        if (not r["since"] or _bounds(r["since"])[0] <= feb_2025)
        and (not r["until"] or _bounds(r["until"])[1] > feb_2025)
    ]
    assert len(in_feb_2025) + 1 == 149
    assert sum(r["certainty"] == "confirmed" for r in in_feb_2025) + 1 == 145
