"""Dated status histories, so that any date can be asked "what was this corridor's status then"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from corridors.dates import holds_on

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
