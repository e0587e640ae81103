"""Dates as sources publish them: a day, a month or only a year, never padded with invented days."""

from __future__ import annotations

import datetime as dt
import re

_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def parse_partial_date(text: str) -> dt.date:
    """The first day a ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` string can mean.

    Used for ordering and "as of" comparisons; the original string stays the value shown to
    readers, so a month-precision date is never displayed as the first of the month.
    """
    match = _PARTIAL.match(text)
    if match is None:
        raise ValueError(f"{text!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = match.groups()
    return dt.date(int(year), int(month or 1), int(day or 1))


def certain_start(text: str) -> dt.date:
    """The first day by which what ``text`` dates has certainly begun: the day itself, or the
    first day after the month or year ("2019-03" → 1 April 2019)."""
    start = parse_partial_date(text)
    precision = text.count("-")
    if precision == 2:
        return start
    if precision == 1:
        return (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return start.replace(year=start.year + 1)


def holds_on(since: str | None, until: str | None, when: dt.date) -> bool:
    """Whether a record dated ``since`` to ``until`` (exclusive) certainly holds on ``when``.

    Sources date events to the day, the month or the year, and the map never shows a state
    before it certainly began: a BRI memorandum of "2019-03" holds from 1 April 2019 (on
    10 March it may not yet have been signed), one of "2019" from 1 January 2020. It ends on
    the first day ``until`` can mean: an exit in "2024-03" holds up to 29 February 2024. No
    ``since``: the start is unpublished and the record holds from the beginning of the data.
    """
    if since is not None and when < certain_start(since):
        return False
    return until is None or when < parse_partial_date(until)


_MONTH_NAMES = (
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
)  # fmt: skip


def format_partial_date(text: str) -> str:
    """``text`` for readers at its own precision: "27 Dec 2024", "May 2023" or "2023".

    Raises ValueError as `parse_partial_date` does.
    """
    parse_partial_date(text)  # validates
    parts = text.split("-")
    if len(parts) == 1:
        return parts[0]
    month = _MONTH_NAMES[int(parts[1]) - 1]
    if len(parts) == 2:
        return f"{month} {parts[0]}"
    return f"{int(parts[2])} {month} {parts[0]}"
