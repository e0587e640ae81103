"""Dated status histories, so that any date can be asked "what was this corridor's status then"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from corridors.dates import parse_partial_date

StatusEntry = Mapping[str, Any]


def status_on(history: Sequence[StatusEntry], when: dt.date) -> StatusEntry | None:
    """The entry in force on ``when``: started by then (or with no known start) and not yet ended.

    An entry with no ``since`` is the earliest state, known only to have held before the next one.
    """
    current: StatusEntry | None = None
    for entry in history:
        since = entry.get("since")
        until = entry.get("until")
        if since is not None and parse_partial_date(since) > when:
            continue
        if until is not None and parse_partial_date(until) <= when:
            continue
        current = entry
    return current
