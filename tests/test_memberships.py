"""corridors.memberships: the reader, ``members_on``, and the sourced facts in memberships.csv.

The schema (header, vocabularies, dates, sources) is declared in corridors.schema and enforced
by `read_memberships`; these tests read the committed file through it, strictly, and check the
facts it must hold and the conventions the schema does not cover.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pycountry
import pytest

from corridors import registry
from corridors.errors import DataError, Problems
from corridors.memberships import members_on, read_memberships
from corridors.schema import MEMBERSHIP_COLUMNS

ROLES = {"eaeu": {"member", "observer"}, "bri": {"signatory"}}
GFDC = "Green Finance & Development Center (GFDC)"
ARTICLE = "Russia’s Pivot to Asia, “Russia Warming to China’s Belt & Road Initiative Projects”"
HEADER = ",".join(MEMBERSHIP_COLUMNS)
# The last cell of a test row, ``verified``: the reader checks its form, `corridors.checklists`
# whether it is true (see tests/test_checklists.py).
V = "single-source"


@pytest.fixture(scope="module")
def memberships(geodata: Path) -> pd.DataFrame:
    """The committed file read strictly: any row breaking the schema raises."""
    return read_memberships(geodata / registry.MEMBERSHIPS_FILE)


def _where(frame: pd.DataFrame, **match: str) -> pd.DataFrame:
    for column, value in match.items():
        frame = frame[frame[column] == value]
    return frame


def _gfdc(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[(frame["bloc"] == "bri") & frame["source"].str.startswith(GFDC)]


def _read(tmp_path: Path, *lines: str, problems: Problems | None = None) -> pd.DataFrame:
    path = tmp_path / "memberships.csv"
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return read_memberships(path, problems)


# --- the reader -------------------------------------------------------------------------------


def test_the_reader_keeps_every_committed_row(geodata: Path, memberships: pd.DataFrame) -> None:
    lines = (geodata / registry.MEMBERSHIPS_FILE).read_text(encoding="utf-8").splitlines()
    assert len(memberships) == len(lines) - 1
    assert list(memberships.columns) == list(MEMBERSHIP_COLUMNS)


def test_the_reader_refuses_a_wrong_header(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"^memberships\.csv: header is "):
        _read(tmp_path, HEADER.replace("iso_a3", "country"), f"KAZ,eaeu,member,confirmed,,,X,,,{V}")


@pytest.mark.parametrize(
    ("row", "fragment"),
    [
        (f"KAZ,eaeu,emperor,confirmed,,,X,,,{V}", "'emperor' is not one of"),
        (f"KAZ,eaeu,member,confirmed,2020,2019,X,,,{V}", "until (2019) is before since (2020)"),
        (f"KAZ,eaeu,member,confirmed,8 Nov 2011,,X,,,{V}", "is not a date"),
        (f"KAZ,eaeu,member,confirmed,,,,,,{V}", "missing required property 'source'"),
        (f"KAZ,eaeu,member,confirmed,,,X,javascript:alert(1),,{V}", "not an http(s) URL"),
        (f"KAZ,eaeu,member,confirmed,,,X,,,{V},extra", "more cells than columns"),
        ("KAZ,eaeu,member,confirmed,,,X,,,", "missing required property 'verified'"),
        ("KAZ,eaeu,member,confirmed,,,X,,,by GFDC", "'by GFDC' is not a check list id"),
        ("KAZ,eaeu,member,confirmed,,,X,,,before:irna-2024-06", "is not a check list id"),
    ],
)
def test_a_bad_row_is_reported_and_left_out(tmp_path: Path, row: str, fragment: str) -> None:
    problems = Problems(strict=False)
    frame = _read(
        tmp_path, HEADER, f"RUS,eaeu,member,confirmed,2015,,X,,,{V}", row, problems=problems
    )
    assert frame["iso_a3"].tolist() == ["RUS"]
    (problem,) = problems.items
    assert (problem.file, problem.feature) == ("memberships.csv", "line 3 (KAZ, eaeu)")
    assert fragment in problem.problem


def test_members_on_counts_from_since_until_the_day_before_until(tmp_path: Path) -> None:
    frame = _read(
        tmp_path,
        HEADER,
        f"ARM,eaeu,member,confirmed,2015-01-02,,X,,,{V}",
        f"ITA,bri,signatory,confirmed,2019-03,2024-03,X,,,{V}",
        f"AUT,bri,signatory,unconfirmed,,,X,,,{V}",
        f"RUS,bri,signatory,claimed,2017,,X,,,{V}",
    )
    assert members_on(frame, "eaeu", date(2015, 1, 1)) == set()
    assert members_on(frame, "eaeu", date(2015, 1, 2)) == {"ARM"}
    assert members_on(frame, "bri", date(2024, 2, 29)) == {"ITA", "AUT"}
    assert members_on(frame, "bri", date(2024, 3, 1)) == {"AUT"}
    assert members_on(frame, "bri", date(2024, 3, 1), certainties=("claimed",)) == {"RUS"}


# --- conventions the schema leaves open ---------------------------------------------------------


def test_no_stray_whitespace(memberships: pd.DataFrame) -> None:
    for row in memberships.itertuples():
        for key, value in row._asdict().items():
            assert not isinstance(value, str) or value == value.strip(), f"{row.iso_a3} {key!r}"


def test_iso_a3_codes_exist(memberships: pd.DataFrame) -> None:
    codes = set(memberships["iso_a3"])
    unknown = {code for code in codes if pycountry.countries.get(alpha_3=code) is None}
    assert not unknown, f"not ISO 3166 alpha-3: {sorted(unknown)}"


def test_each_bloc_uses_its_own_roles(memberships: pd.DataFrame) -> None:
    assert set(memberships["bloc"]) == set(ROLES)
    for bloc, role in zip(memberships["bloc"], memberships["role"], strict=True):
        assert role in ROLES[bloc], f"role {role!r} in {bloc}"


def test_no_duplicate_statements(memberships: pd.DataFrame) -> None:
    assert not memberships.duplicated(["iso_a3", "bloc", "role", "source"]).any()


def test_rows_are_sorted_by_bloc_country_source(memberships: pd.DataFrame) -> None:
    keys = list(zip(memberships["bloc"], memberships["iso_a3"], memberships["source"], strict=True))
    assert keys == sorted(keys)


# --- the sourced facts --------------------------------------------------------------------------


def test_eaeu_members_and_accession_dates(memberships: pd.DataFrame) -> None:
    members = _where(memberships, bloc="eaeu", role="member")
    assert set(zip(members["iso_a3"], members["since"], strict=True)) == {
        ("RUS", "2015-01-01"),
        ("BLR", "2015-01-01"),
        ("KAZ", "2015-01-01"),
        ("ARM", "2015-01-02"),
        ("KGZ", "2015-08-06"),
    }
    assert members_on(memberships, "eaeu", date(2015, 8, 5), roles=("member",)) == {
        "RUS",
        "BLR",
        "KAZ",
        "ARM",
    }
    # The other date widely cited for Kyrgyzstan stays visible.
    (kgz_note,) = _where(members, iso_a3="KGZ")["note"]
    assert "12 Aug 2015" in kgz_note


def test_eaeu_observers(memberships: pd.DataFrame) -> None:
    observers = _where(memberships, bloc="eaeu", role="observer")
    # Moldova: the Bishkek summit (2017) and the EEC's formal decision (2018) are both kept.
    assert set(zip(observers["iso_a3"], observers["since"], strict=True)) == {
        ("MDA", "2017-04-14"),
        ("MDA", "2018-05-14"),
        ("UZB", "2020-12-11"),
        ("CUB", "2020-12-11"),
        ("IRN", "2024-12-26"),
    }
    assert members_on(memberships, "eaeu", date(2026, 1, 1), roles=("observer",)) == {
        "MDA",
        "UZB",
        "CUB",
        "IRN",
    }
    (iran_note,) = _where(memberships, bloc="eaeu", iso_a3="IRN")["note"]
    assert "2023-12-25" in iran_note


def test_russia_bri_gfdc_unconfirmed_article_claimed(memberships: pd.DataFrame) -> None:
    (gfdc_rus,) = _where(_gfdc(memberships), iso_a3="RUS")["certainty"]
    assert gfdc_rus == "unconfirmed"
    russia = _where(memberships, bloc="bri", iso_a3="RUS")
    (article_rus,) = russia[russia["source"].str.startswith(ARTICLE)]["certainty"]
    assert article_rus == "claimed"


def test_article_claim_covers_each_eaeu_member(memberships: pd.DataFrame) -> None:
    claimed = memberships[memberships["source"].str.startswith(ARTICLE)]
    assert set(claimed["iso_a3"]) == {"ARM", "BLR", "KAZ", "KGZ", "RUS"}
    assert set(claimed["bloc"]) == {"bri"} and set(claimed["certainty"]) == {"claimed"}


def test_italy_bri_rows_end(memberships: pd.DataFrame) -> None:
    italy = _where(memberships, bloc="bri", iso_a3="ITA")
    assert len(italy) and italy["until"].notna().all(), "an Italy BRI row is left open-ended"
    # The MoU lapsed in March 2024; GFDC dates the exit to Italy's notice of 6 Dec 2023.
    assert set(italy["until"]) == {"2024-03", "2023-12-06"}
    (lapse,) = italy[~italy["source"].str.startswith(GFDC)]["until"]
    assert lapse == "2024-03"


def test_gfdc_list_is_complete_against_its_published_counts(memberships: pd.DataFrame) -> None:
    """All 152 countries of GFDC's May 2025 list, less China (the initiator, not a signatory).

    GFDC's page for February 2025 says 149 countries including China had joined and not exited,
    of which at least 145 are confirmed; the rows as of end of February 2025 must reproduce that.
    """
    gfdc = _gfdc(memberships)
    assert len(gfdc) == 151
    assert "CHN" not in set(gfdc["iso_a3"])
    assert gfdc["iso_a3"].is_unique
    unconfirmed = set(_where(gfdc, certainty="unconfirmed")["iso_a3"])
    assert unconfirmed == {"AUT", "COG", "NER", "RUS"}
    assert set(gfdc["certainty"]) == {"confirmed", "unconfirmed"}
    # An undated entry is exactly what GFDC means by unconfirmed.
    assert ((gfdc["certainty"] == "unconfirmed") == gfdc["since"].isna()).all()

    feb_2025 = date(2025, 2, 28)
    assert len(members_on(gfdc, "bri", feb_2025)) + 1 == 149
    assert len(members_on(gfdc, "bri", feb_2025, certainties=("confirmed",))) + 1 == 145


@pytest.mark.parametrize(
    ("iso_a3", "before", "on"),
    [
        # A Belt and Road cooperation document signed on 25 March 2024 (Defence Connect; CRI).
        ("NRU", date(2024, 3, 24), date(2024, 3, 25)),
        # An MoU signed in December 2021 (Forum Macao; Macauhub): month precision, so the map
        # shows it from 1 January 2022, when it had certainly been signed.
        ("STP", date(2021, 12, 31), date(2022, 1, 1)),
    ],
)
def test_signatories_missing_from_the_transcribed_list_are_there(
    memberships: pd.DataFrame, iso_a3: str, before: date, on: date
) -> None:
    rows = _where(memberships, iso_a3=iso_a3, bloc="bri")
    assert len(set(rows["source"])) == 2  # each signing confirmed by two reports
    assert iso_a3 not in members_on(memberships, "bri", before)
    assert iso_a3 in members_on(memberships, "bri", on)
