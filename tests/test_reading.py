"""corridors.reading: data files as text, and the cut that keeps the text readers light."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from corridors.errors import DataError
from corridors.reading import read_json_object, read_utf8, split_unfinished_line

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "module",
    [
        "corridors.reading",
        "corridors.article",
        "corridors.gazetteer",
        "corridors.memberships",
        "corridors.checklists",
    ],
)
def test_text_readers_do_not_import_the_geospatial_stack(module: str) -> None:
    # A fresh interpreter: this test process has long since imported geopandas elsewhere.
    code = (
        f"import sys, {module}; "
        "print(' '.join(m for m in ('geopandas', 'shapely') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "", f"{module} pulls in {result.stdout.strip()}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ("", None)),
        ("a,b\n1,2\n", ("a,b\n1,2\n", None)),
        ("a,b\r\n1,2\r\n", ("a,b\r\n1,2\r\n", None)),
        ("a,b\n1,2\n3,", ("a,b\n1,2\n", 3)),
        ("a,b", ("", 1)),
    ],
)
def test_split_unfinished_line(text: str, expected: tuple[str, int | None]) -> None:
    assert split_unfinished_line(text) == expected


def test_read_utf8_names_the_file_and_the_problem(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"^gone\.csv: the file is missing$"):
        read_utf8(tmp_path / "gone.csv")
    latin = tmp_path / "latin.csv"
    latin.write_bytes("name\nKöln\n".encode("latin-1"))
    with pytest.raises(DataError, match=r"^latin\.csv: not UTF-8 text \(byte 6\)$"):
        read_utf8(latin)


@pytest.mark.parametrize(
    ("text", "problem"),
    [("[1, 2]", "expected a JSON object"), ('{"a": ', "not valid JSON at line 1")],
)
def test_a_json_file_that_is_not_one_object_is_refused_by_name(
    tmp_path: Path, text: str, problem: str
) -> None:
    path = tmp_path / "x.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=problem) as caught:
        read_json_object(path)
    assert caught.value.file == "x.json"
    path.write_text('{"a": 1}', encoding="utf-8")
    assert read_json_object(path) == {"a": 1}
