"""A broken data file leaves the rest of the data loading, and says what is wrong and where.

The page loads leniently (`Problems(strict=False)`): each case below breaks one thing in a copy
of geodata/ and checks that exactly that is left out (a whole file, one feature, one row, one
link), that the problem names the file (never the server path), the feature where known, and
what is wrong, and that nothing was written to the data files.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from corridors.dataset import Dataset, load_dataset
from corridors.errors import Problems

ARTICLE = "articles/2024-04-25-russia-warming-to-bri.json"
FILES = (
    "corridors.geojson",
    "countries.geojson",
    "disputed.geojson",
    "memberships.csv",
    "gazetteer.csv",
    ARTICLE,
)


def copy_geodata(geodata: Path, tmp_path: Path) -> Path:
    root = tmp_path / "geodata"
    shutil.copytree(geodata, root)
    return root


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


def edit_json(root: Path, name: str, change: Callable[[Any], None]) -> None:
    path = root / name
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


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
    geodata: Path, tmp_path: Path, dataset: Dataset, name: str, breakage: str
) -> None:
    root = copy_geodata(geodata, tmp_path)
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


def feature(data: dict[str, Any], feature_id: str) -> dict[str, Any]:
    return next(f for f in data["features"] if f["properties"]["id"] == feature_id)


def _metres(d: dict[str, Any]) -> None:
    feature(d, "suez-canal")["geometry"]["coordinates"][0] = [3595000.0, 3667000.0]


def _nan(d: dict[str, Any]) -> None:
    feature(d, "suez-canal")["geometry"]["coordinates"][1] = [float("nan"), 31.0]


def _unknown_type(d: dict[str, Any]) -> None:
    feature(d, "suez-canal")["geometry"]["type"] = "Curve"


def _no_name(d: dict[str, Any]) -> None:
    del feature(d, "suez-canal")["properties"]["name"]


def _duplicate(d: dict[str, Any]) -> None:
    d["features"].append(json.loads(json.dumps(feature(d, "suez-canal"))))


@pytest.mark.parametrize(
    ("change", "left_out", "fragment"),
    [
        (_metres, "suez-canal", "not longitude/latitude degrees"),
        (_nan, "suez-canal", "NaN coordinates"),
        (_unknown_type, "suez-canal", "geometry type 'Curve'"),
        (_no_name, "suez-canal", "missing required property 'name'"),
        (_duplicate, "suez-canal", "duplicate id 'suez-canal'"),
    ],
    ids=lambda v: v.__name__.strip("_") if callable(v) else None,
)
def test_a_broken_feature_is_left_out_alone(
    geodata: Path,
    tmp_path: Path,
    dataset: Dataset,
    change: Callable[[dict[str, Any]], None],
    left_out: str,
    fragment: str,
) -> None:
    root = copy_geodata(geodata, tmp_path)
    edit_json(root, "corridors.geojson", change)
    data = load(root)
    (problem,) = data.problems
    assert (problem.file, problem.feature) == ("corridors.geojson", left_out)
    assert fragment in problem.problem
    expected = len(dataset.corridors) - (0 if change is _duplicate else 1)
    assert len(data.corridors) == expected
    assert len(data.articles[0].paragraphs) == 22


def test_a_missing_crs_leaves_out_that_file(geodata: Path, tmp_path: Path) -> None:
    root = copy_geodata(geodata, tmp_path)
    edit_json(root, "disputed.geojson", lambda d: d.pop("crs"))
    data = load(root)
    (problem,) = data.problems
    assert problem.file == "disputed.geojson" and "no CRS declared" in problem.problem
    assert data.disputed.empty and len(data.countries) == 237


def test_a_self_intersecting_border_is_repaired_and_counted(geodata: Path, tmp_path: Path) -> None:
    root = copy_geodata(geodata, tmp_path)

    def bowtie(d: dict[str, Any]) -> None:
        country = next(f for f in d["features"] if f["properties"]["iso_a3"] == "KGZ")
        country["geometry"] = {
            "type": "Polygon",
            "coordinates": [[[70, 40], [80, 43], [80, 40], [70, 43], [70, 40]]],
        }

    edit_json(root, "countries.geojson", bowtie)
    data = load(root)
    (problem,) = data.problems
    assert problem.repaired and problem.feature == "KGZ" and "Self-intersection" in problem.problem
    kgz = data.countries.set_index("iso_a3").geometry["KGZ"]
    assert kgz.is_valid


def test_a_membership_for_an_unknown_country_is_left_out(
    geodata: Path, tmp_path: Path, dataset: Dataset
) -> None:
    root = copy_geodata(geodata, tmp_path)
    with (root / "memberships.csv").open("a", encoding="utf-8") as out:
        out.write("ZZZ,eaeu,member,confirmed,2015-01-01,,Test source,,\n")
    data = load(root)
    (problem,) = data.problems
    assert str(problem) == "memberships.csv, feature ZZZ: country 'ZZZ' is not in countries.geojson"
    assert len(data.memberships) == len(dataset.memberships)


def test_a_bad_membership_row_is_left_out_alone(
    geodata: Path, tmp_path: Path, dataset: Dataset
) -> None:
    root = copy_geodata(geodata, tmp_path)
    with (root / "memberships.csv").open("a", encoding="utf-8") as out:
        out.write("KAZ,eaeu,emperor,confirmed,2015-01-01,,Test source,,\n")
    data = load(root)
    (problem,) = data.problems
    assert problem.file == "memberships.csv" and "'emperor' is not one of" in problem.problem
    assert len(data.memberships) == len(dataset.memberships)


def test_a_link_to_an_unknown_corridor_is_dropped_and_the_paragraph_kept(
    geodata: Path, tmp_path: Path
) -> None:
    root = copy_geodata(geodata, tmp_path)
    edit_json(root, ARTICLE, lambda a: a["paragraphs"][8].update(corridors=["atlantis-tunnel"]))
    data = load(root)
    (problem,) = data.problems
    assert str(problem) == (
        "2024-04-25-russia-warming-to-bri.json, feature p9: links unknown corridor "
        "'atlantis-tunnel'"
    )
    assert data.articles[0].paragraphs[8].corridors == ()
    assert data.articles[0].paragraphs[8].countries == ("CHN",)


def test_a_failed_file_is_not_reported_again_through_its_references(
    geodata: Path, tmp_path: Path
) -> None:
    root = copy_geodata(geodata, tmp_path)
    (root / "countries.geojson").write_bytes(b"")
    data = load(root)
    # One problem, not one per membership row, disputed area and article link.
    assert [str(p) for p in data.problems] == ["countries.geojson: the file is empty"]
    assert all(p.countries == () for p in data.articles[0].paragraphs)
