"""Dated statuses and partial dates, the base of an "as of date" view."""

from __future__ import annotations

import datetime as dt

import pytest

from corridors.dates import parse_partial_date
from corridors.status import status_on

HISTORY = [
    {"status": "proposed", "since": None, "until": "2024-12-27"},
    {"status": "under-construction", "since": "2024-12-27", "until": None},
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024", dt.date(2024, 1, 1)),
        ("2022-11", dt.date(2022, 11, 1)),
        ("2022-09-26", dt.date(2022, 9, 26)),
    ],
)
def test_partial_dates_mean_their_first_day(text: str, expected: dt.date) -> None:
    assert parse_partial_date(text) == expected


@pytest.mark.parametrize("text", ["", "26/09/2022", "2022-13", "2022-02-30", "20222"])
def test_malformed_dates_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_partial_date(text)


def test_status_on_a_date() -> None:
    assert status_on(HISTORY, dt.date(2000, 1, 1))["status"] == "proposed"
    assert status_on(HISTORY, dt.date(2024, 12, 26))["status"] == "proposed"
    assert status_on(HISTORY, dt.date(2024, 12, 27))["status"] == "under-construction"
    assert status_on([], dt.date(2024, 12, 27)) is None
