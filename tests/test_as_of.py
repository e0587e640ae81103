"""What the data says on a given day: statuses, memberships and disputed areas on each side of
every dated change in the data, and what a month- or year-precision date means.

The map never shows a state before it certainly began (`corridors.dates.holds_on`): a row with
``since`` 2019-03 holds from 1 April 2019 (on 10 March it may not yet have been signed), one
with ``since`` 2019 from 1 January 2020, and one with ``until`` 2024-03 up to 29 February 2024
(``until`` is exclusive). The page shows each date as the source wrote it.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from corridors import registry
from corridors.boundaries import countries_in_view, owner
from corridors.dataset import Dataset
from corridors.dates import certain_start, parse_partial_date, span
from corridors.details import corridor_details, disputed_details
from corridors.encoding import to_json
from corridors.layers import build_catalogue
from corridors.mapdata import build_map_data
from corridors.memberships import members_on
from corridors.status import status_on

DAY = dt.timedelta(days=1)
SCRIPT = Path(__file__).resolve().parents[1] / "corridors" / "web" / "webmap.js"


def _status_changes(dataset: Dataset) -> Iterator[tuple[str, str, str | None, str]]:
    """(feature id, first day, status before, status from) for every dated status entry."""
    for feature_id, history in zip(
        dataset.corridors["id"], dataset.corridors["status"], strict=True
    ):
        for before, entry in zip([None, *history], history, strict=False):
            if entry.get("since"):
                previous = before["status"] if before else None
                yield feature_id, entry["since"], previous, entry["status"]


def test_every_status_change_holds_from_its_day_and_not_the_day_before(dataset: Dataset) -> None:
    changes = list(_status_changes(dataset))
    assert len(changes) >= 10  # CKU ×4, Nord Stream 1 ×3, Power of Siberia, Suez, two bridges
    histories = dict(zip(dataset.corridors["id"], dataset.corridors["status"], strict=True))
    for feature_id, since, before, after in changes:
        first = certain_start(since)
        on_the_day = status_on(histories[feature_id], first)
        day_before = status_on(histories[feature_id], first - DAY)
        assert on_the_day is not None and on_the_day["status"] == after, feature_id
        assert (day_before["status"] if day_before else None) == before, (feature_id, since)


@pytest.mark.parametrize(
    ("day", "status"),
    [
        ("2011-11-07", None),  # before its first dated status: the map does not draw it
        ("2021-06-01", "operational"),
        ("2022-08-31", "stopped"),
        ("2022-09-25", "stopped"),
        ("2022-09-26", "damaged"),
        ("2023-01-01", "damaged"),
    ],
)
def test_nord_stream_1_on_the_days_analysts_ask_about(
    dataset: Dataset, day: str, status: str | None
) -> None:
    rows = dataset.corridors[dataset.corridors["id"] == "nord-stream-1"]
    entry = status_on(rows["status"].iloc[0], dt.date.fromisoformat(day))
    assert (entry["status"] if entry else None) == status


def _row_in_force(row: dict[str, Any], when: dt.date) -> bool:
    return row["iso_a3"] in members_on(pd.DataFrame([row]), row["bloc"], when)


def test_every_accession_and_exit_holds_from_its_day_and_not_the_day_before(
    dataset: Dataset,
) -> None:
    rows = [
        r for r in dataset.memberships.to_dict("records") if r["role"] in ("member", "signatory")
    ]
    dated = [r for r in rows if r["since"] or r["until"]]
    assert len(dated) > 150
    for row in dated:
        if row["since"]:
            first = certain_start(row["since"])
            assert _row_in_force(row, first), row
            assert not _row_in_force(row, first - DAY), row
        if row["until"]:
            end = parse_partial_date(row["until"])
            assert _row_in_force(row, end - DAY), row
            assert not _row_in_force(row, end), row


def test_italy_is_a_signatory_in_2020_and_not_in_2025(dataset: Dataset) -> None:
    assert "ITA" in members_on(dataset.memberships, "bri", dt.date(2020, 1, 1))
    assert "ITA" not in members_on(dataset.memberships, "bri", dt.date(2025, 1, 1))
    # Signed on 23 March 2019: both rows date it to the month or the year, so it shows from April.
    assert "ITA" not in members_on(dataset.memberships, "bri", dt.date(2019, 3, 31))
    assert "ITA" in members_on(dataset.memberships, "bri", dt.date(2019, 4, 1))


@pytest.mark.parametrize(
    ("since", "until", "inside", "outside"),
    [
        # A month: certain from the first day of the next.
        ("2019-03", None, ["2019-04-01", "2024-01-01"], ["2019-03-01", "2019-03-31"]),
        # An exit month: over from its first day.
        ("2019-03", "2024-03", ["2024-02-29"], ["2024-03-01", "2024-03-31"]),
        # A year: certain from 1 January of the next; a day: from that day.
        ("2015", None, ["2016-01-01"], ["2015-01-01", "2015-12-31"]),
        ("2015-08-06", None, ["2015-08-06"], ["2015-08-05"]),
    ],
)
def test_a_partial_date_holds_once_it_is_certain(
    since: str, until: str | None, inside: list[str], outside: list[str]
) -> None:
    row = {
        "iso_a3": "ITA", "bloc": "bri", "role": "signatory", "certainty": "confirmed",
        "since": since, "until": until,
    }  # fmt: skip
    for day in inside:
        assert _row_in_force(row, dt.date.fromisoformat(day)), day
    for day in outside:
        assert not _row_in_force(row, dt.date.fromisoformat(day)), day


def test_crimea_is_russias_in_the_de_facto_view_from_18_march_2014_only(dataset: Dataset) -> None:
    crimea = dataset.disputed[dataset.disputed["id"] == "crimea"].to_dict("records")[0]
    assert owner(crimea, "de-facto", dt.date(2014, 3, 17)) == "UKR"
    assert owner(crimea, "de-facto", dt.date(2014, 3, 18)) == "RUS"
    assert owner(crimea, "de-facto") == "RUS"  # today
    assert owner(crimea, "un", dt.date(2024, 1, 1)) == "UKR"
    before = countries_in_view(dataset.countries, dataset.disputed, "de-facto", dt.date(2014, 1, 1))
    after = countries_in_view(dataset.countries, dataset.disputed, "de-facto", dt.date(2015, 1, 1))
    point = crimea["geometry"].representative_point()
    assert before.set_index("iso_a3").geometry["UKR"].covers(point)
    assert after.set_index("iso_a3").geometry["RUS"].covers(point)


def test_siachen_before_1984_has_no_owner_in_either_view(dataset: Dataset) -> None:
    siachen = dataset.disputed[dataset.disputed["id"] == "siachen-glacier"].to_dict("records")[0]
    assert owner(siachen, "de-facto", dt.date(1980, 1, 1)) is None
    assert owner(siachen, "de-facto", dt.date(1990, 1, 1)) == "IND"


def _changes(dataset: Dataset) -> list[dt.date]:
    """Every day on which something in the data may change, with the day before each."""
    days: set[dt.date] = set()
    for history in dataset.corridors["status"]:
        for entry in history:
            days.update(d for d in span(entry.get("since"), entry.get("until")) if d is not None)
    rows = dataset.memberships
    for since, until in zip(rows["since"], rows["until"], strict=True):
        days.update(d for d in span(since, until) if d is not None)
    days.update(certain_start(s) for s in dataset.disputed["since"])
    return sorted(days | {d - DAY for d in days} | {dt.date(2026, 12, 1)})


def _script(calls: dict[str, Any]) -> dict[str, Any]:
    """The map's own `valueOn` and `membersOn` on the document, in Node.js as the browser runs
    them: for each day, each feature's status and tooltip status line, each bloc's members and
    each disputed area's owner under each view."""
    node = shutil.which("node")
    assert node, "node is installed by `make test` (npm ci)"
    program = (
        "global.window = {};"
        f"require({json.dumps(str(SCRIPT))});"
        "const m = window.corridorsMap;"
        "const c = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "const out = {};"
        "for (const day of c.days) {"
        "  const features = {};"
        "  for (const f of c.doc.features) { const s = m.valueOn(f.states, day);"
        "    features[f.id] = s && [s.status, s.fact[1]]; }"
        "  const blocs = {};"
        "  for (const b of Object.keys(c.doc.blocs))"
        "    blocs[b] = Object.keys(m.membersOn(c.doc.blocs[b], day)).sort();"
        "  const owners = {};"
        "  for (const a of c.doc.countries.filter((x) => x.owners)) {"
        "    owners[a.id] = {};"
        "    for (const v of Object.keys(a.owners)) owners[a.id][v] = m.valueOn(a.owners[v], day);"
        "    owners[a.id].tip = m.valueOn(a.tips, day);"
        "  }"
        "  out[day] = { features, blocs, owners };"
        "}"
        "console.log(JSON.stringify(out));"
    )
    done = subprocess.run(
        [node, "-e", program], input=json.dumps(calls), capture_output=True, text=True, check=True
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def test_the_map_shows_on_every_day_what_the_data_says_for_that_day(dataset: Dataset) -> None:
    """The document carries every date at once; on each side of every change in the data, the
    script's reading of it matches the Python rules feature by feature, country by country."""
    document = json.loads(to_json(build_map_data(dataset, build_catalogue(dataset.corridors))))
    days = _changes(dataset)
    assert len(days) > 150
    shown = _script({"doc": document, "days": [d.isoformat() for d in days]})
    corridors = dataset.corridors
    areas = dataset.disputed.to_dict("records")
    for day in days:
        on_day = shown[day.isoformat()]
        for _, row in corridors.iterrows():
            entry = status_on(row["status"], day)
            expected = None
            if entry is not None:
                rows = corridors[corridors["corridor"] == row["corridor"]]
                facts = corridor_details(rows, day, row["id"]).hover()["facts"]
                expected = [entry["status"], facts[0][1]]
            assert on_day["features"][row["id"]] == expected, (day, row["id"])
        for bloc in ("eaeu", "bri"):
            assert on_day["blocs"][bloc] == sorted(members_on(dataset.memberships, bloc, day))
        names = dict(zip(dataset.countries["iso_a3"], dataset.countries["name"], strict=True))
        for area in areas:
            for view in registry.VIEWS:
                assert on_day["owners"][area["id"]][view.id] == owner(area, view.id, day)
            tip = disputed_details(area, names, day).tooltip()
            assert on_day["owners"][area["id"]]["tip"] == tip, (day, area["id"])


def test_a_feature_is_not_drawn_before_its_first_dated_status(dataset: Dataset) -> None:
    document = build_map_data(dataset, build_catalogue(dataset.corridors))
    ns1 = next(f for f in document["features"] if f["id"] == "nord-stream-1")
    assert ns1["states"][0] == [None, "2011-11-08", None]
    assert [s[2]["status"] for s in ns1["states"][1:]] == ["operational", "stopped", "damaged"]
    # Proposed from the start of the data (no date): the CKU is always drawn.
    cku = next(f for f in document["features"] if f["id"] == "cku-railway/china")
    assert cku["states"][0][:2] == [None, "2024-12-27"]
    assert cku["states"][0][2]["status"] == "proposed"


def test_an_undated_membership_is_drawn_from_the_blocs_founding_never_before(
    dataset: Dataset,
) -> None:
    """Russia's BRI row has no date (GFDC: unconfirmed); the BRI began on 7 Sep 2013."""
    rows = dataset.memberships
    assert "RUS" not in members_on(rows, "bri", dt.date(2013, 9, 6))
    assert "RUS" in members_on(rows, "bri", dt.date(2013, 9, 7))
    assert members_on(rows, "bri", dt.date(1869, 11, 17)) == frozenset()
    assert members_on(rows, "eaeu", dt.date(2014, 12, 31)) == frozenset()
