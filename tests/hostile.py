"""Hostile text, and a copy of geodata/ with it in every field a reader sees.

Each string that could run script does something a test can observe if it runs: it pushes its
number onto ``top.pw`` or opens a dialog. A test that finds neither, and finds the text shown
literally, has shown the path is inert; ``unsafe_app.py`` proves the check would notice.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any, Final

from corridors import registry
from tests.mutations import ARTICLE, copy_geodata, edit_json

# What a payload runs if it escapes: push its number onto a list on the top window.
MARK = "(top.pw=top.pw||[]).push"

CORPUS: Final[tuple[str, ...]] = (
    f'<img src=x onerror="{MARK}(1)">',
    f"<script>{MARK}(2)</script>",
    f'<svg onload="{MARK}(3)"><circle r="9"/></svg>',
    '"><img src=x onerror=alert(4)>',
    f"'); {MARK}(5); ('",
    f"${{{MARK}(6)}}",
    f"`;{MARK}(7);`",
    "\\`${alert(8)}\\` back\\\\slash \\u0022",
    f"</script><script>{MARK}(9)</script>",
    f"javascript:{MARK}(10)",
    "data:text/html,<script>alert(11)</script>",
    "[click me](javascript:alert(12)) <javascript:alert(12)>",
    "![pixel](https://tracker.invalid/p.png)",
    f'<a href="javascript:{MARK}(13)">link</a>',
    "{{ 7*7 }} {% if true %}jinja{% endif %}",
    ":red[styled] :material/warning: $x^2$ **bold** _em_",
    "\u202eevil\u202c right-to-left \u200b zero-width",
    "NUL\x00 BEL\x07 ESC\x1b[31m red",
    "# heading\n- list\n> quote",
)
LONG: Final = "very long " * 600  # 6,000 characters
# A URL the schema accepts (http, no spaces or quotes) that tries to end a Markdown link early.
TRICKY_URL: Final = "https://example.com/a)](javascript:alert(14))"


def _corpus(i: int) -> str:
    return CORPUS[i % len(CORPUS)]


def _hostile_source(source: dict[str, Any], i: int) -> None:
    source["title"] = _corpus(i)
    source["publisher"] = _corpus(i + 1)
    if source.get("url"):
        source["url"] = TRICKY_URL


def _hostile_corridors(data: dict[str, Any]) -> None:
    names: dict[str, str] = {}
    for i, feature in enumerate(data["features"]):
        props = feature["properties"]
        # A corridor's name must read the same on every segment (the loader checks).
        number = len(names)
        names.setdefault(props["corridor"], f"{_corpus(number)} [{number}]")
        props["name"] = names[props["corridor"]]
        corridor = list(names).index(props["corridor"])
        if props.get("segment"):
            props["segment"] = _corpus(i + 3)
        props["geometry_note"] = _corpus(i + 5)
        for j, entry in enumerate(props["status"]):  # corridor-level, like the name
            entry["note"] = _corpus(corridor + j + 7)
        for j, figure in enumerate(props["figures"]):
            figure["note"] = _corpus(i + j + 9)
        for j, src in enumerate(props["sources"]):
            _hostile_source(src, i + j)


def _hostile_countries(data: dict[str, Any]) -> None:
    for i, feature in enumerate(f for f in data["features"] if f["properties"]["iso_a3"] in
                                {"KAZ", "KGZ", "CHN", "RUS", "EGY"}):  # fmt: skip
        feature["properties"]["name"] = _corpus(i + 2)


def _hostile_disputed(data: dict[str, Any]) -> None:
    for i, feature in enumerate(data["features"]):
        feature["properties"]["name"] = _corpus(i + 4)
        feature["properties"]["note"] = _corpus(i + 6)
        for src in feature["properties"]["sources"]:
            _hostile_source(src, i)


def _hostile_detail(data: dict[str, Any]) -> None:
    # The territories only the detailed borders draw take their tooltip's name from this file.
    for i, key in enumerate(("GIB", "TUV", "UMI")):
        data["names"][key] = _corpus(i + 7)


def _hostile_article(article: dict[str, Any]) -> None:
    article["title"] = _corpus(0)
    article["publisher"] = _corpus(12)
    for i, paragraph in enumerate(article["paragraphs"]):
        paragraph["text"] = LONG if i == len(article["paragraphs"]) - 1 else _corpus(i)


def hostile_geodata(source: Path, target: Path) -> Path:
    """A copy of ``source`` (geodata/) with hostile text in every field the page shows."""
    copy_geodata(source, target)
    edit_json(target, "corridors.geojson", _hostile_corridors)
    edit_json(target, "countries.geojson", _hostile_countries)
    edit_json(target, "disputed.geojson", _hostile_disputed)
    edit_json(target, registry.DETAIL_FILE, _hostile_detail)
    edit_json(target, ARTICLE, _hostile_article)

    path = target / "memberships.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    for i, row in enumerate(rows):
        if row["iso_a3"] in {"KAZ", "RUS", "ARM", "BLR", "KGZ"}:
            # CSV cannot hold NUL; every other string goes in as it is.
            row["source"] = _corpus(i).replace("\x00", "")
            row["note"] = _corpus(i + 1).replace("\x00", "")
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")

    return target
