"""corridors.checklists: memberships.csv checked country by country against second sources.

The committed rows must be verified as their ``verified`` cells say; each way of getting the list
wrong (a country dropped, one wrongly added, a verdict that is untrue) is then made in a copy and
must be caught. The README's account of what the sources do not confirm is checked against the
data, so it cannot drift.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pycountry
import pytest

from corridors import registry
from corridors.checklists import (
    CheckList,
    read_check_list,
    read_check_lists,
    verification_problems,
    verification_summary,
)
from corridors.dataset import Dataset
from corridors.errors import DataError
from corridors.memberships import read_memberships
from corridors.schema import AFTER, MEMBERSHIP_COLUMNS, NOT_IN, SINGLE_SOURCE

PORTAL = "yidaiyilu-2023"
GFDC = "Green Finance & Development Center (GFDC)"
README = Path(__file__).resolve().parent.parent / "geodata" / "README.md"


@pytest.fixture(scope="module")
def lists(geodata: Path) -> tuple[CheckList, ...]:
    return read_check_lists(geodata)


@pytest.fixture(scope="module")
def memberships(geodata: Path) -> pd.DataFrame:
    return read_memberships(geodata / registry.MEMBERSHIPS_FILE)


def _list(lists: tuple[CheckList, ...], list_id: str) -> CheckList:
    (found,) = [c for c in lists if c.id == list_id]
    return found


def _bri_rows(memberships: pd.DataFrame) -> pd.DataFrame:
    return memberships[memberships["bloc"] == "bri"]


# --- the committed data -------------------------------------------------------------------------


def test_every_verified_cell_is_true(
    memberships: pd.DataFrame, lists: tuple[CheckList, ...]
) -> None:
    assert [str(p) for p in verification_problems(memberships, lists)] == []


def test_every_country_the_portal_lists_is_a_bri_signatory_row(
    memberships: pd.DataFrame, lists: tuple[CheckList, ...]
) -> None:
    portal = _list(lists, PORTAL)
    signatories = set(_bri_rows(memberships)["iso_a3"])
    assert set(portal.roles) - signatories == set()
    assert set(portal.roles.values()) == {"signatory"}


def test_every_row_verified_by_a_list_is_in_that_list(
    memberships: pd.DataFrame, lists: tuple[CheckList, ...]
) -> None:
    by_id = {c.id: c for c in lists}
    checked = 0
    for iso_a3, role, value in zip(
        memberships["iso_a3"], memberships["role"], memberships["verified"], strict=True
    ):
        if value in by_id:
            assert by_id[value].roles.get(iso_a3) == role, f"{iso_a3} is not in {value}"
            checked += 1
    assert checked == len(memberships) - 5  # the five rows named in the next two tests


def test_every_single_source_or_later_row_is_absent_from_the_lists(
    memberships: pd.DataFrame, lists: tuple[CheckList, ...]
) -> None:
    portal = _list(lists, PORTAL)
    unconfirmed = memberships[~memberships["verified"].isin([c.id for c in lists])]
    assert sorted(zip(unconfirmed["iso_a3"], unconfirmed["verified"], strict=True)) == [
        # Signed after the portal's list of October 2023: Colombia (May 2025), Jordan (December
        # 2023), Nauru (March 2024, two reports).
        ("COL", f"{AFTER}{PORTAL}"),
        ("JOR", f"{AFTER}{PORTAL}"),
        ("NRU", f"{AFTER}{PORTAL}"),
        ("NRU", f"{AFTER}{PORTAL}"),
        # Only the portal lists Palestine; the row is its statement.
        ("PSE", SINGLE_SOURCE),
    ]
    for iso_a3 in ("COL", "JOR", "NRU"):
        assert iso_a3 not in portal.roles
    others = [c for c in lists if c.bloc == "bri" and c.id != PORTAL]
    assert all("PSE" not in c.roles for c in others)


def test_the_portal_adds_two_countries_and_confirms_gfdcs_unconfirmed_four(
    memberships: pd.DataFrame, lists: tuple[CheckList, ...]
) -> None:
    portal = _list(lists, PORTAL)
    gfdc = _bri_rows(memberships)[_bri_rows(memberships)["source"].str.startswith(GFDC)]
    # Compared country by country, not by count: the portal lists Burkina Faso and Palestine,
    # which the transcription of GFDC's list lacks (each is now a row citing the portal) ...
    assert set(portal.roles) - set(gfdc["iso_a3"]) == {"BFA", "PSE", "STP"}
    cites_portal = _bri_rows(memberships)[_bri_rows(memberships)["source_url"] == portal.url]
    assert set(cites_portal["iso_a3"]) == {"BFA", "PSE"}
    # ... and lists the four countries GFDC flags as unconfirmed; GFDC's rows keep its flag.
    unconfirmed = set(gfdc[gfdc["certainty"] == "unconfirmed"]["iso_a3"])
    assert unconfirmed == {"AUT", "COG", "NER", "RUS"} and unconfirmed <= set(portal.roles)


def test_the_portal_list_is_152_countries_without_china(
    lists: tuple[CheckList, ...], dataset: Dataset
) -> None:
    portal = _list(lists, PORTAL)
    assert len(portal.roles) == 152 and "CHN" not in portal.roles
    drawn = set(dataset.countries["iso_a3"])
    for c in lists:
        for iso_a3 in c.roles:
            assert pycountry.countries.get(alpha_3=iso_a3) is not None, (c.id, iso_a3)
            assert iso_a3 in drawn, (c.id, iso_a3)


def test_eaeu_rows_are_checked_too(memberships: pd.DataFrame) -> None:
    eaeu = memberships[memberships["bloc"] == "eaeu"]
    assert dict(zip(eaeu["iso_a3"], eaeu["verified"], strict=True)) == {
        **dict.fromkeys(["ARM", "BLR", "KAZ", "KGZ", "RUS", "MDA", "UZB", "CUB"], "irna-2024-06"),
        "IRN": "trend-2024-12",  # observer since December 2024, after IRNA's list of June
    }


def test_every_list_says_where_it_came_from(geodata: Path, lists: tuple[CheckList, ...]) -> None:
    assert {c.id for c in lists} == {PORTAL, "ndrc-2021-12", "irna-2024-06", "trend-2024-12"}
    for c in lists:
        data = json.loads((geodata / registry.CHECKLISTS_DIR / c.file).read_text("utf-8"))
        assert data["publisher"] and data["title"] and data["retrieved"], c.id
    portal = json.loads((geodata / registry.CHECKLISTS_DIR / f"{PORTAL}.json").read_text("utf-8"))
    # The snapshot's repository, file and commit, so anyone can fetch the same bytes.
    for fact in ("imlishiyuan/the-belt-and-road", "src/assets/countryList.json", "0a53740b83bf5"):
        assert fact in portal["retrieved"]


def test_the_readme_names_every_row_the_lists_do_not_confirm(memberships: pd.DataFrame) -> None:
    text = README.read_text(encoding="utf-8")
    tally = text[text.index("What they confirm, row by row") : text.index("To update: add rows")]
    bullets = {
        m.group(1): " ".join(m.group(0).split())
        for m in re.finditer(r"^- `([^`]+)`.*?(?=^- |^$)", tally, re.M | re.S)
    }
    for (_, value), codes in verification_summary(memberships).items():
        line = bullets[value]
        assert f"{len(codes)} row" in line, (value, line)
        if len(codes) < 10:
            assert all(code in line for code in codes), (value, line)
    bri = int((memberships["bloc"] == "bri").sum())
    assert f"({len(memberships)} rows: {bri} BRI, {len(memberships) - bri} EAEU)" in tally
    disagreeing = memberships["verified"].str.startswith(NOT_IN)
    assert ("none" in bullets[f"{NOT_IN}…"]) == (not disagreeing.any())


# --- each mistake is caught (in a copy) --------------------------------------------------------

Frame = pd.DataFrame
Mutation = Callable[[Frame, tuple[CheckList, ...]], tuple[Frame, tuple[CheckList, ...]]]


def _row(**cells: str | None) -> dict[str, str | None]:
    base: dict[str, str | None] = dict.fromkeys(MEMBERSHIP_COLUMNS)
    signed = {"bloc": "bri", "role": "signatory", "certainty": "confirmed", "source": "X"}
    return base | signed | cells


def _add(**cells: str | None) -> Mutation:
    return lambda m, lists: (
        pd.concat([m, pd.DataFrame([_row(**cells)])], ignore_index=True),
        lists,
    )


def _drop(iso_a3: str, source: str = GFDC) -> Mutation:
    def drop(m: Frame, lists: tuple[CheckList, ...]) -> tuple[Frame, tuple[CheckList, ...]]:
        gone = (m["iso_a3"] == iso_a3) & m["source"].str.startswith(source)
        assert gone.sum() == 1
        return m[~gone], lists

    return drop


def _set(iso_a3: str, column: str, value: str | None, source: str = GFDC) -> Mutation:
    def change(m: Frame, lists: tuple[CheckList, ...]) -> tuple[Frame, tuple[CheckList, ...]]:
        m = m.copy()
        m.loc[(m["iso_a3"] == iso_a3) & m["source"].str.startswith(source), column] = value
        return m, lists

    return change


def _unlist(list_id: str, iso_a3: str) -> Mutation:
    def unlist(m: Frame, lists: tuple[CheckList, ...]) -> tuple[Frame, tuple[CheckList, ...]]:
        def without(c: CheckList) -> CheckList:
            roles = {k: v for k, v in c.roles.items() if k != iso_a3}
            return dataclasses.replace(c, roles=roles) if c.id == list_id else c

        return m, tuple(without(c) for c in lists)

    return unlist


PORTAL_URL = "https://www.yidaiyilu.gov.cn/dataChart"


@pytest.mark.parametrize(
    ("mutation", "expected"),
    [
        # A country missing from memberships.csv.
        (_drop("KEN"), f"{PORTAL}.json, feature KEN: lists it as bri signatory on 2023-10-19"),
        (_drop("BFA", "Belt and Road Portal"), "ndrc-2021-12.json, feature BFA: lists it"),
        # A country wrongly added, whatever it claims.
        (
            _add(iso_a3="DEU", since="2018-05", verified=PORTAL),
            f"feature DEU bri (X): '{PORTAL}' does not list DEU",
        ),
        (_add(iso_a3="DEU", since="2018-05", verified=SINGLE_SOURCE), "leaves it out: not-in:…"),
        (_add(iso_a3="DEU", verified=SINGLE_SOURCE), "leaves it out: not-in:…"),
        (_add(iso_a3="DEU", since="2018-05", verified=f"{AFTER}{PORTAL}"), "starts on or before"),
        (_add(iso_a3="DEU", since="2018", verified="ndrc-2021-12"), "does not list DEU"),
        # A verdict that is untrue.
        (_set("KEN", "verified", SINGLE_SOURCE), f"says single-source, but '{PORTAL}' lists it"),
        (_set("KEN", "verified", f"{AFTER}{PORTAL}"), f"'{PORTAL}' lists it: say {PORTAL}"),
        (_set("KEN", "verified", f"{NOT_IN}{PORTAL}"), f"'{PORTAL}' lists it: say {PORTAL}"),
        (_set("KEN", "verified", "irna-2024-06"), "'irna-2024-06' lists eaeu members, not bri"),
        (_set("KEN", "verified", "gfdc-2025"), "names 'gfdc-2025', which is no file in"),
        (_set("PSE", "verified", PORTAL, "Belt"), "the row's own source: a source cannot confirm"),
        (_set("NRU", "verified", SINGLE_SOURCE, "Defence"), "1 other source(s) state it too"),
        (_set("COL", "verified", PORTAL), f"'{PORTAL}' does not list COL"),
        (_set("COL", "verified", f"{NOT_IN}{PORTAL}"), "not in force on 2023-10-19"),
        (_set("BFA", "verified", f"{AFTER}ndrc-2021-12", "Belt"), "names some members only"),
        (_set("ITA", "until", "2023-01"), "ITA bri (Green Finance & Development Center (GFDC)): "),
        (_set("KAZ", "role", "observer", "commonspace"), "'irna-2024-06' lists it as member"),
        # A list that is edited, or a row citing it that it does not bear out.
        (_unlist(PORTAL, "KEN"), f"'{PORTAL}' does not list KEN"),
        (_unlist(PORTAL, "PSE"), f"cites '{PORTAL}', which does not list it as signatory"),
        (_unlist("irna-2024-06", "MDA"), "MDA eaeu (EURACTIV): 'irna-2024-06' does not list MDA"),
    ],
)
def test_each_mistake_is_caught(
    memberships: pd.DataFrame, lists: tuple[CheckList, ...], mutation: Mutation, expected: str
) -> None:
    broken, broken_lists = mutation(memberships, lists)
    problems = [str(p) for p in verification_problems(broken, broken_lists)]
    assert problems, "the mistake went unnoticed"
    assert any(expected in p for p in problems), problems


def test_a_disagreement_recorded_as_such_passes(
    memberships: pd.DataFrame, lists: tuple[CheckList, ...]
) -> None:
    """Where the sources disagree, both statements stand: saying so is not an error."""
    added, _ = _add(iso_a3="DEU", since="2018-05", verified=f"{NOT_IN}{PORTAL}")(memberships, lists)
    assert verification_problems(added, lists) == []


def test_a_country_dropped_from_the_committed_file_is_caught(geodata_copy: Path) -> None:
    """End to end, on a copy of geodata/: delete Kenya's row from memberships.csv."""
    path = geodata_copy / registry.MEMBERSHIPS_FILE
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(x for x in lines if not x.startswith("KEN,bri,")), encoding="utf-8")
    problems = verification_problems(read_memberships(path), read_check_lists(geodata_copy))
    assert [str(p) for p in problems] == [
        f"{PORTAL}.json, feature KEN: lists it as bri signatory on 2023-10-19, but "
        "memberships.csv has no such row in force then: add the list's statement as a row"
    ]


# --- the lists themselves ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (lambda d: d["countries"].append(d["countries"][0]), "feature AFG: listed twice"),
        (lambda d: d["countries"][0].update(role="partner"), "'partner' is not one of"),
        (lambda d: d["countries"][0].update(iso_a3="Afg"), "is not an ISO alpha-3 code"),
        (lambda d: d.pop("retrieved"), "missing required property 'retrieved'"),
        (lambda d: d.update(complete="yes"), "'complete' should be a boolean"),
        (lambda d: d.update(bloc="sco"), "'sco' is not one of"),
        (lambda d: d.update(countries=[]), "'countries' needs at least 1"),
    ],
)
def test_a_broken_list_is_refused(
    geodata: Path, tmp_path: Path, change: Callable[[dict[str, object]], object], fragment: str
) -> None:
    path = tmp_path / f"{PORTAL}.json"
    data = json.loads((geodata / registry.CHECKLISTS_DIR / path.name).read_text("utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(DataError, match=rf"^{PORTAL}\.json.*{re.escape(fragment)}"):
        read_check_list(path)


def test_no_lists_at_all_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="no check lists"):
        read_check_lists(tmp_path)
