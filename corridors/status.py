"""Dated status histories, so that any date can be asked "what was this corridor's status then"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from corridors import registry
from corridors.dates import Span, format_partial_date, holds_on, piecewise, span

StatusEntry = Mapping[str, Any]


def status_on(history: Sequence[StatusEntry], when: dt.date) -> StatusEntry | None:
    """The entry in force on ``when``: certainly started by then (`holds_on`: a month-precision
    start counts from the next month) or with no known start, and not yet ended.

    An entry with no ``since`` is the earliest state, known only to have held before the next one.
    """
    current: StatusEntry | None = None
    for entry in history:
        if holds_on(entry.get("since"), entry.get("until"), when):
            current = entry
    return current


def status_spans(
    history: Sequence[StatusEntry],
) -> list[tuple[Span, StatusEntry | None]]:
    """`status_on` for every day at once: the entry in force over each span of days, None over
    the days before the first dated entry."""
    changes = [d for e in history for d in span(e.get("since"), e.get("until")) if d is not None]
    return piecewise(changes, lambda when: status_on(history, when))


def status_text(entry: StatusEntry) -> str:
    """A status entry as readers see it wherever a status shows (hover, panel, table): "operational
    in season (July to late November; ice-dependent)", "under construction since 27 Dec 2024"."""
    text = registry.status(entry["status"]).label
    if entry.get("season"):
        text += f" ({entry['season']})"
    if entry.get("since"):
        text += f" since {format_partial_date(entry['since'])}"
    return text
