"""Dates as sources publish them: a day, a month or only a year, never padded with invented days."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from typing import NamedTuple, TypeVar

T = TypeVar("T")

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


class Span(NamedTuple):
    """The days a record holds: from ``start`` (None: the beginning of the data) up to, not
    including, ``end`` (None: still holds)."""

    start: dt.date | None
    end: dt.date | None

    def holds_on(self, when: dt.date) -> bool:
        """Whether ``when`` is one of the span's days."""
        return (self.start is None or self.start <= when) and (self.end is None or when < self.end)


def span(since: str | None, until: str | None) -> Span:
    """The days a record dated ``since`` to ``until`` (exclusive) certainly holds.

    Sources date events to the day, the month or the year, and the map never shows a state
    before it certainly began: a BRI memorandum of "2019-03" holds from 1 April 2019 (on
    10 March it may not yet have been signed), one of "2019" from 1 January 2020. It ends on
    the first day ``until`` can mean: an exit in "2024-03" holds up to 29 February 2024. No
    ``since``: the start is unpublished and the record holds from the beginning of the data.
    """
    return Span(
        certain_start(since) if since is not None else None,
        parse_partial_date(until) if until is not None else None,
    )


def holds_on(since: str | None, until: str | None, when: dt.date) -> bool:
    """Whether a record dated ``since`` to ``until`` certainly holds on ``when`` (see `span`)."""
    return span(since, until).holds_on(when)


def piecewise(changes: Iterable[dt.date], value_on: Callable[[dt.date], T]) -> list[tuple[Span, T]]:
    """``value_on`` as the spans of days over which it is constant, given every day it may change.

    It is evaluated once per span, on the span's first day (the day before the first change for
    the opening span), so the answer per day is exactly ``value_on``'s; neighbours with equal
    values are merged. This is how the map carries every date at once: the browser only looks
    up which span holds a day, and the rule of what holds when stays here.
    """
    days = sorted(set(changes))
    if not days:
        return [(Span(None, None), value_on(dt.date.min))]  # the same on every day
    starts: list[dt.date | None] = [None, *days]
    ends: list[dt.date | None] = [*days, None]
    pieces: list[tuple[Span, T]] = []
    for start, end in zip(starts, ends, strict=True):
        value = value_on(start if start is not None else days[0] - dt.timedelta(days=1))
        if pieces and pieces[-1][1] == value:
            pieces[-1] = (Span(pieces[-1][0].start, end), value)
        else:
            pieces.append((Span(start, end), value))
    return pieces


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


def format_day(day: dt.date) -> str:
    """``day`` for readers, as dates are shown everywhere on the page: "25 Apr 2024"."""
    return format_partial_date(day.isoformat())
