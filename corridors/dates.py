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
