"""Second sources: other publishers' lists of a bloc's members, and memberships.csv checked by them.

Each file in geodata/sources/checklists/ is one source's statement of who belongs to a bloc on
its date, the countries as the source names them, with citation and provenance; its file name
is its id. Every row of memberships.csv says in ``verified`` how it was checked:

- ``<id>``: that list states the row (the country, in the row's role) and the row is in force
  on the list's date;
- ``after:<id>``: a complete list dated before the row starts, so it could not state it;
- ``not-in:<id>``: a complete list that leaves the country out while the row is in force: the
  sources disagree, and both statements stand;
- ``single-source``: no second source states the row or contradicts it, and no other row states it.

A list never verifies a row that cites it (matched by URL). `verification_problems` finds every
``verified`` cell that is untrue, and every listed country with no row saying so: a country
missing from memberships.csv, or one wrongly added to it, fails one of the two.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from corridors import registry
from corridors.dates import parse_partial_date
from corridors.errors import DataError, Problem
from corridors.reading import check_fields, read_json_object
from corridors.schema import AFTER, CHECK_LIST_FIELDS, NOT_IN, SINGLE_SOURCE, SLUG

Row = Mapping[str, Any]


@dataclass(frozen=True)
class CheckList:
    """One second source's list: ``roles`` maps each listed country (ISO alpha-3) to its role."""

    id: str
    bloc: str
    complete: bool
    date: str
    url: str
    roles: Mapping[str, str]

    @property
    def day(self) -> dt.date:
        """The first day the list's (partial) date can mean."""
        return parse_partial_date(self.date)

    @property
    def file(self) -> str:
        """The list's file name, as problems name it."""
        return f"{self.id}.json"


def read_check_list(path: Path) -> CheckList:
    """The list in ``path``, checked against `CHECK_LIST_FIELDS`; a broken file is a DataError."""
    if not SLUG.match(path.stem):
        raise DataError(path.name, "the file name (the list's id) is not a lowercase slug")
    data = read_json_object(path)
    try:
        check_fields(data, CHECK_LIST_FIELDS)
    except ValueError as exc:
        raise DataError(path.name, str(exc)) from exc
    roles: dict[str, str] = {}
    for entry in data["countries"]:
        if entry["iso_a3"] in roles:
            raise DataError(path.name, "listed twice", feature=entry["iso_a3"])
        roles[entry["iso_a3"]] = entry["role"]
    return CheckList(path.stem, data["bloc"], data["complete"], data["date"], data["url"], roles)


def read_check_lists(root: Path) -> tuple[CheckList, ...]:
    """Every list under ``root`` (geodata/), in file-name order."""
    folder = root / registry.CHECKLISTS_DIR
    paths = sorted(folder.glob("*.json"))
    if not paths:
        raise DataError(registry.CHECKLISTS_DIR, "no check lists: memberships.csv cites them")
    return tuple(read_check_list(path) for path in paths)


def in_force(row: Row, day: dt.date) -> bool:
    """Whether the membership ``row`` holds on ``day`` (no ``since``: its start is unpublished)."""
    since, until = row.get("since"), row.get("until")
    started = since is None or parse_partial_date(since) <= day
    return started and (until is None or day < parse_partial_date(until))


def _states(checklist: CheckList, row: Row) -> bool:
    return bool(checklist.roles.get(row["iso_a3"]) == row["role"])


def _contradicts(checklist: CheckList, row: Row) -> bool:
    """A complete list, dated while ``row`` is in force, that does not state it."""
    return checklist.complete and not _states(checklist, row) and in_force(row, checklist.day)


def _untrue(row: Row, rows: Sequence[Row], lists: Sequence[CheckList]) -> str | None:
    """Why ``row``'s ``verified`` cell is untrue, or None."""
    own = [c for c in lists if c.url == row.get("source_url")]
    for cited in own:
        if not _states(cited, row):
            return f"cites {cited.id!r}, which does not list it as {row['role']}"
    others = [c for c in lists if c.bloc == row["bloc"] and c not in own]
    confirming = [c.id for c in others if _states(c, row) and in_force(row, c.day)]
    disagreeing = [c.id for c in others if _contradicts(c, row)]
    value = str(row["verified"])
    if value == SINGLE_SOURCE:
        if confirming:
            return f"says {SINGLE_SOURCE}, but {confirming[0]!r} lists it"
        if disagreeing:
            return f"says {SINGLE_SOURCE}, but {disagreeing[0]!r} leaves it out: {NOT_IN}…"
        also = {
            r["source"]
            for r in rows
            if (r["iso_a3"], r["bloc"], r["role"]) == (row["iso_a3"], row["bloc"], row["role"])
            and r["source"] != row["source"]
        }
        if also:
            return f"says {SINGLE_SOURCE}, but {len(also)} other source(s) state it too"
        return None
    kind = AFTER if value.startswith(AFTER) else NOT_IN if value.startswith(NOT_IN) else ""
    list_id = value.removeprefix(kind)
    checklist = next((c for c in lists if c.id == list_id), None)
    if checklist is None:
        return f"verified names {list_id!r}, which is no file in {registry.CHECKLISTS_DIR}/"
    if checklist in own:
        return f"verified names {list_id!r}, the row's own source: a source cannot confirm itself"
    if checklist.bloc != row["bloc"]:
        return f"{list_id!r} lists {checklist.bloc} members, not {row['bloc']}"
    if not kind:
        listed = checklist.roles.get(row["iso_a3"])
        if listed is None:
            return f"{list_id!r} does not list {row['iso_a3']}"
        if listed != row["role"]:
            return f"{list_id!r} lists it as {listed}, not {row['role']}"
        if not in_force(row, checklist.day):
            return f"the row is not in force on {checklist.date}, the date of {list_id!r}"
        return None
    if not checklist.complete:
        return f"{list_id!r} names some members only: leaving a country out says nothing"
    if _states(checklist, row):
        return f"{list_id!r} lists it: say {list_id}"
    if kind == NOT_IN:
        if not in_force(row, checklist.day):
            return f"the row is not in force on {checklist.date}: {list_id!r} could not list it"
        return None
    since = row.get("since")
    if since is None or parse_partial_date(since) <= checklist.day:
        return f"the row starts on or before {checklist.date}: {list_id!r} leaves it out, {NOT_IN}…"
    if confirming or disagreeing:
        return f"{(confirming or disagreeing)[0]!r} speaks to it: say so"
    return None


def _feature(row: Row) -> str:
    # Sources are "Publisher, “Title”, date": the publisher tells a country's rows apart.
    return f"{row['iso_a3']} {row['bloc']} ({str(row['source']).split(', ')[0]})"


def verification_problems(memberships: pd.DataFrame, lists: Sequence[CheckList]) -> list[Problem]:
    """Every untrue ``verified`` cell, and every listed country with no row in force to match."""
    rows: list[Row] = [{str(k): v for k, v in r.items()} for r in memberships.to_dict("records")]
    problems = []
    for row in rows:
        if (why := _untrue(row, rows, lists)) is not None:
            problems.append(Problem(registry.MEMBERSHIPS_FILE, why, _feature(row)))
    for checklist in lists:
        for iso_a3, role in checklist.roles.items():
            listed = {"iso_a3": iso_a3, "bloc": checklist.bloc, "role": role}
            if not any(
                (r["iso_a3"], r["bloc"], r["role"]) == tuple(listed.values())
                and in_force(r, checklist.day)
                for r in rows
            ):
                problems.append(
                    Problem(
                        checklist.file,
                        f"lists it as {checklist.bloc} {role} on {checklist.date}, but "
                        f"{registry.MEMBERSHIPS_FILE} has no such row in force then: add the "
                        "list's statement as a row",
                        iso_a3,
                    )
                )
    return problems


def verification_summary(memberships: pd.DataFrame) -> dict[tuple[str, str], list[str]]:
    """(bloc, verified) → the countries of the rows saying so, sorted, one entry per row."""
    summary: dict[tuple[str, str], list[str]] = {}
    for bloc, value, iso_a3 in zip(
        memberships["bloc"], memberships["verified"], memberships["iso_a3"], strict=True
    ):
        summary.setdefault((str(bloc), str(value)), []).append(str(iso_a3))
    return {key: sorted(codes) for key, codes in sorted(summary.items())}
