"""A broken data file leaves the rest of the data loading, and says what is wrong and where.

The page loads leniently (`Problems(strict=False)`): each case below breaks one thing in a copy
of geodata/ and checks that exactly that is left out (a whole file, one feature, one row, one
link), that the problem names the file (never the server path), the feature where known, and
what is wrong, and that nothing was written to the data files.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from corridors.dataset import Dataset, load_dataset
from corridors.errors import Problems
from tests import mutations as m
from tests.mutations import ARTICLE, UNKNOWN_COUNTRY_ROW, append_line, edit_json

FILES = (
    "corridors.geojson",
    "countries.geojson",
    "disputed.geojson",
    "memberships.csv",
    "gazetteer.csv",
    ARTICLE,
)


def digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def load(root: Path) -> Dataset:
    before = digest(root)
    data = load_dataset(root, Problems(strict=False))
    assert digest(root) == before, "loading must never write to the data files"
    for problem in data.problems:
        assert str(root.parent) not in str(problem)
    return data


def truncated(path: Path) -> None:
    text = path.read_bytes()
    path.write_bytes(text[: len(text) // 2])


WHOLE_FILE: dict[str, Callable[[Path], None]] = {
    "empty": lambda p: p.write_bytes(b""),
    "truncated": truncated,
    "not JSON or CSV": lambda p: p.write_bytes(b"<html><body>502 Bad Gateway</body></html>"),
    "wrong encoding": lambda p: p.write_bytes(p.read_text(encoding="utf-8").encode("utf-16")),
    "missing": lambda p: p.unlink(),
}


@pytest.mark.parametrize("breakage", WHOLE_FILE, ids=str)
@pytest.mark.parametrize("name", FILES, ids=lambda n: n.split("/")[-1])
def test_a_whole_broken_file_leaves_the_rest(
    geodata_copy: Path, dataset: Dataset, name: str, breakage: str
) -> None:
    root = geodata_copy
    WHOLE_FILE[breakage](root / name)
    data = load(root)
    short = name.split("/")[-1]
    assert [p.file for p in data.problems if not p.repaired][:1] == [short], data.problems
    # Everything in the other files is still there.
    if short != "corridors.geojson":
        assert len(data.corridors) == len(dataset.corridors)
    if short != "countries.geojson":
        assert len(data.countries) == len(dataset.countries)
    if short not in {"memberships.csv", "countries.geojson"}:
        assert len(data.memberships) == len(dataset.memberships)
    if short != ARTICLE.split("/")[-1]:
        assert len(data.articles) == 1
    else:
        assert data.articles == ()


@pytest.mark.parametrize(
    ("change", "left_out", "fragment"),
    [
        (m.metres, "suez-canal", "not longitude/latitude degrees"),
        (m.nan, "suez-canal", "NaN coordinates"),
        (m.unknown_type, "suez-canal", "geometry type 'Curve'"),
        (m.no_name, "suez-canal", "missing required property 'name'"),
        (m.duplicate, "suez-canal", "duplicate id 'suez-canal'"),
    ],
    ids=lambda v: v.__name__ if callable(v) else None,
)
def test_a_broken_feature_is_left_out_alone(
    geodata_copy: Path,
    dataset: Dataset,
    change: Callable[[dict[str, Any]], None],
    left_out: str,
    fragment: str,
) -> None:
    edit_json(geodata_copy, "corridors.geojson", change)
    data = load(geodata_copy)
    (problem,) = data.problems
    assert (problem.file, problem.feature) == ("corridors.geojson", left_out)
    assert fragment in problem.problem
    expected = len(dataset.corridors) - (0 if change is m.duplicate else 1)
    assert len(data.corridors) == expected
    assert len(data.articles[0].paragraphs) == 22


def test_a_missing_crs_leaves_out_that_file(geodata_copy: Path) -> None:
    edit_json(geodata_copy, "disputed.geojson", m.no_crs)
    data = load(geodata_copy)
    (problem,) = data.problems
    assert problem.file == "disputed.geojson" and "no CRS declared" in problem.problem
    assert data.disputed.empty and len(data.countries) == 237


def test_a_self_intersecting_border_is_repaired_and_counted(geodata_copy: Path) -> None:
    edit_json(geodata_copy, "countries.geojson", m.bowtie_kyrgyzstan)
    data = load(geodata_copy)
    (problem,) = data.problems
    assert problem.repaired and problem.feature == "KGZ" and "Self-intersection" in problem.problem
    kgz = data.countries.set_index("iso_a3").geometry["KGZ"]
    assert kgz.is_valid


def test_a_membership_for_an_unknown_country_is_left_out(
    geodata_copy: Path, dataset: Dataset
) -> None:
    root = geodata_copy
    append_line(root, "memberships.csv", UNKNOWN_COUNTRY_ROW)
    data = load(root)
    (problem,) = data.problems
    assert str(problem) == "memberships.csv, feature ZZZ: country 'ZZZ' is not in countries.geojson"
    assert len(data.memberships) == len(dataset.memberships)


def test_a_bad_membership_row_is_left_out_alone(geodata_copy: Path, dataset: Dataset) -> None:
    root = geodata_copy
    append_line(
        root,
        "memberships.csv",
        "KAZ,eaeu,emperor,confirmed,2015-01-01,,Test source,,,single-source\n",
    )
    data = load(root)
    (problem,) = data.problems
    assert problem.file == "memberships.csv" and "'emperor' is not one of" in problem.problem
    assert len(data.memberships) == len(dataset.memberships)


def test_a_link_to_an_unknown_corridor_is_dropped_and_the_paragraph_kept(
    geodata_copy: Path,
) -> None:
    edit_json(geodata_copy, ARTICLE, m.unknown_corridor_link)
    data = load(geodata_copy)
    (problem,) = data.problems
    assert str(problem) == (
        "2024-04-25-russia-warming-to-bri.json, feature p9: links unknown corridor "
        "'atlantis-tunnel'"
    )
    assert data.articles[0].paragraphs[8].corridors == ()
    assert data.articles[0].paragraphs[8].countries == ("CHN",)


def test_a_failed_file_is_not_reported_again_through_its_references(
    geodata_copy: Path,
) -> None:
    (geodata_copy / "countries.geojson").write_bytes(b"")
    data = load(geodata_copy)
    # One problem, not one per membership row, disputed area and article link.
    assert [str(p) for p in data.problems] == ["countries.geojson: the file is empty"]
    assert all(p.countries == () for p in data.articles[0].paragraphs)
