"""One edited name never takes the page down: every name another part of the data refers to is
renamed in turn (a careless edit, or a hostile string in a name field), and what depends on it
is left out and listed, while everything else still loads and renders.

The kinds of reference: figure → waypoint and figure/status/event → source (within a feature),
segment → corridor (its id), paragraph → corridor and country, gazetteer → id, and the rows of
the other files → countries (tests/test_references.py and tests/test_broken_data.py). Finally,
the hostile corpus is appended to every string in every data file, names included.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from corridors import registry
from corridors.dataset import GEODATA, load_dataset
from corridors.details import corridor_details
from corridors.errors import Problems
from corridors.loader import load_corridors
from tests.hostile import CORPUS
from tests.mutations import copy_geodata
from tests.pagecopy import app_copy

DAY = dt.date(2026, 11, 28)
FEATURES: list[dict[str, Any]] = json.loads(
    (GEODATA / registry.CORRIDORS_FILE).read_text(encoding="utf-8")
)["features"]
# Every (corridor, waypoint name) a figure measures between.
BETWEEN = sorted(
    {
        (f["properties"]["corridor"], name)
        for f in FEATURES
        for fig in f["properties"]["figures"]
        for name in fig.get("between") or []
    }
)
# Every (feature, source id) its figures, status entries or events cite.
CITED = sorted(
    {
        (f["properties"]["id"], entry["source"])
        for f in FEATURES
        for key in ("figures", "status", "events")
        for entry in f["properties"].get(key) or []
    }
)


def edited(tmp_path: Path, feature_id: str, change: Any) -> Path:
    """corridors.geojson with ``change`` applied to the properties of the feature
    ``feature_id`` (of every segment, for a corridor id), in a copy."""
    data = json.loads((GEODATA / registry.CORRIDORS_FILE).read_text(encoding="utf-8"))
    changed = [
        f
        for f in data["features"]
        if feature_id in (f["properties"]["id"], f["properties"]["corridor"])
    ]
    assert changed
    for feature in changed:
        change(feature["properties"])
    path = tmp_path / registry.CORRIDORS_FILE
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def renders(path: Path) -> list[str]:
    """Load ``path`` leniently and build every corridor's panel and every segment's tooltip, as
    the page does; the problems reported, as text."""
    problems = Problems(strict=False)
    frame = load_corridors(path, problems)
    for _, rows in frame.groupby("corridor", sort=False):
        corridor_details(rows, DAY)
        for feature_id in rows["id"]:
            corridor_details(rows, DAY, feature_id).tooltip()
    assert len(frame) == len(FEATURES), "a feature was left out for a broken reference"
    return [str(p) for p in problems.items]


@pytest.mark.parametrize(("corridor", "name"), BETWEEN)
def test_a_renamed_waypoint_leaves_out_only_the_figures_measured_from_it(
    tmp_path: Path, corridor: str, name: str
) -> None:
    def rename(props: dict[str, Any]) -> None:
        for waypoint in props.get("waypoints") or []:
            if waypoint["name"] == name:
                waypoint["name"] = name + CORPUS[0]

    said = renders(edited(tmp_path, corridor, rename))
    assert said and all(f"no waypoint {name!r}" in s for s in said), said


@pytest.mark.parametrize(("feature_id", "source"), CITED)
def test_a_renamed_source_leaves_out_only_what_cites_it(
    tmp_path: Path, feature_id: str, source: str
) -> None:
    def rename(props: dict[str, Any]) -> None:
        for entry in props["sources"]:
            if entry.get("id") == source:
                entry["id"] = source + "-renamed"

    said = renders(edited(tmp_path, feature_id, rename))
    assert said and all(
        s.startswith(f"corridors.geojson, feature {feature_id}: ") and repr(source) in s
        for s in said
    ), said


def test_a_segment_naming_another_corridor_is_left_out(tmp_path: Path) -> None:
    path = edited(tmp_path, "cku-railway/uzbekistan", lambda p: p.update(corridor="suez-canal"))
    problems = Problems(strict=False)
    frame = load_corridors(path, problems)
    assert "cku-railway/uzbekistan" not in set(frame["id"])
    assert [str(p) for p in problems.items] == [
        "corridors.geojson, feature cku-railway/uzbekistan: "
        "id names a corridor other than 'suez-canal'"
    ]


def test_a_renamed_corridor_is_unlinked_from_the_article_and_the_gazetteer_reported(
    tmp_path: Path,
) -> None:
    root = copy_geodata(GEODATA, tmp_path / "geodata")

    def rename(props: dict[str, Any]) -> None:
        props["corridor"] = props["id"] = "suez-canal-" + "x"

    edited(root, "suez-canal", rename)
    problems = Problems(strict=False)
    data = load_dataset(root, problems)
    said = [str(p) for p in problems.items]
    assert any(s.startswith("gazetteer.csv") and "suez-canal" in s for s in said), said
    assert any("links unknown corridor 'suez-canal'" in s for s in said), said
    assert "suez-canal-x" in set(data.corridors["corridor"])


def _with_corpus(value: Any, n: list[int]) -> Any:
    """``value`` with a corpus string appended to every string in it, keys kept."""
    if isinstance(value, str):
        n[0] += 1
        return value + CORPUS[n[0] % len(CORPUS)]
    if isinstance(value, list):
        return [_with_corpus(v, n) for v in value]
    if isinstance(value, dict):
        return {k: v if k == "type" else _with_corpus(v, n) for k, v in value.items()}
    return value


def test_hostile_text_appended_to_every_string_of_every_file_leaves_the_page_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Names, ids, dates and notes alike: whatever still reads is shown, the rest is listed."""
    root = copy_geodata(GEODATA, tmp_path / "geodata")
    counter = [0]
    for path in sorted(root.rglob("*")):
        if path.suffix in {".geojson", ".json"}:
            data = json.loads(path.read_text(encoding="utf-8"))
            # GeoJSON's own members ("type", the CRS name) stay, or nothing is read at all.
            if "features" in data:
                for feature in data["features"]:
                    feature["properties"] = _with_corpus(feature["properties"], counter)
            else:
                data = _with_corpus(data, counter)
            path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        elif path.suffix == ".csv":
            lines = path.read_text(encoding="utf-8").splitlines()
            cells = [line.split(",") for line in lines[1:]]
            rows = [",".join(c + CORPUS[i % 3].replace(",", " ") for i, c in enumerate(r))
                    for r in cells]  # fmt: skip
            path.write_text("\n".join([lines[0], *rows]) + "\n", encoding="utf-8")
    monkeypatch.setenv("CORRIDORS_GEODATA", str(root))
    at = AppTest.from_file(str(app_copy()), default_timeout=120).run()
    assert not at.exception
    assert at.warning, "the page should list what it left out"
