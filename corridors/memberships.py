"""Who belongs to which bloc, when, and on whose word: one row per source's statement."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Final

import pandas as pd

from corridors import registry
from corridors.dates import Span, parse_partial_date, span
from corridors.errors import DataError, Problems
from corridors.reading import check_fields, read_utf8, split_unfinished_line
from corridors.schema import MEMBERSHIP_COLUMNS, MEMBERSHIP_FIELDS


def read_memberships(path: Path, problems: Problems | None = None) -> pd.DataFrame:
    """The memberships table, every row checked; empty cells become None.

    A file that cannot be read as the table raises `DataError`; a bad row is reported to
    ``problems`` (strict by default: raised) and left out.
    """
    problems = problems if problems is not None else Problems()
    text, unfinished = split_unfinished_line(read_utf8(path))
    if unfinished is not None:
        problems.report(
            path.name,
            "the file ends part-way through this line: it may be cut short",
            feature=f"line {unfinished}",
        )
    reader = csv.DictReader(io.StringIO(text))
    if tuple(reader.fieldnames or ()) != MEMBERSHIP_COLUMNS:
        raise DataError(
            path.name, f"header is {reader.fieldnames}, expected {list(MEMBERSHIP_COLUMNS)}"
        )
    rows = []
    for line, raw in enumerate(reader, start=2):
        row = {k: (v if v != "" else None) for k, v in raw.items()}
        label = f"line {line} ({row.get('iso_a3')}, {row.get('bloc')})"
        try:
            if None in raw:  # DictReader files surplus cells under the key None
                raise ValueError("more cells than columns")
            check_fields({k: v for k, v in row.items() if v is not None}, MEMBERSHIP_FIELDS)
            since, until = row["since"], row["until"]
            if since and until and parse_partial_date(until) < parse_partial_date(since):
                raise ValueError(f"until ({until}) is before since ({since})")
        except ValueError as exc:
            problems.report(path.name, str(exc), feature=label)
            continue
        rows.append(row)
    if not rows:
        raise DataError(path.name, "no rows")
    # object dtype keeps empty cells as None (pandas would otherwise turn them into NaN).
    return pd.DataFrame(rows, columns=list(MEMBERSHIP_COLUMNS), dtype=object)


FILLED_ROLES: Final = ("member", "signatory")
# "claimed" rows (the article's own word, without date or document) are shown, never filled.
FILLED_CERTAINTIES: Final = ("confirmed", "unconfirmed")


def member_spans(
    memberships: pd.DataFrame,
    bloc: str,
    roles: tuple[str, ...] = FILLED_ROLES,
    certainties: tuple[str, ...] = FILLED_CERTAINTIES,
) -> list[tuple[str, Span]]:
    """(country, days) for each row giving a country one of ``roles`` in ``bloc``.

    A row holds on the days its dates make certain (`corridors.dates.span`: a month-precision
    ``since`` counts from the next month). One no source dates is drawn from the bloc's founding
    (`registry.Bloc.founded`), the earliest it can have begun: not before the bloc existed,
    and its tooltip says the date is not published.
    """
    founded = {b.id: b.founded for b in registry.BLOCS}.get(bloc)
    rows = memberships[
        (memberships["bloc"] == bloc)
        & memberships["role"].isin(roles)
        & memberships["certainty"].isin(certainties)
    ]
    return [
        (str(iso_a3), span(since or founded, until))
        for iso_a3, since, until in zip(rows["iso_a3"], rows["since"], rows["until"], strict=True)
    ]


def members_on(
    memberships: pd.DataFrame,
    bloc: str,
    when: dt.date,
    roles: tuple[str, ...] = FILLED_ROLES,
    certainties: tuple[str, ...] = FILLED_CERTAINTIES,
) -> frozenset[str]:
    """Countries whose ``roles`` in ``bloc`` were in force on ``when`` (see `member_spans`)."""
    spans = member_spans(memberships, bloc, roles, certainties)
    return frozenset(iso_a3 for iso_a3, days in spans if days.holds_on(when))
