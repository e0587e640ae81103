"""One link contract: the Python codec and the map's script spell every view alike.

The map's script writes the live centre and zoom itself, by rules the codec hands it
(`LinkScheme.browser_rules`). tests/link_cases.json holds views and the exact query string each
must give; the same cases run through the codec here and through the script's own `linkQuery`
in Node.js (the function the map calls), so neither side can drift.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import shutil
import subprocess
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest

from corridors import share
from corridors.share import SCHEME, LinkScheme, Parameter, ViewState, Vocabulary

ROOT = Path(__file__).resolve().parents[1]
CASES = json.loads((ROOT / "tests" / "link_cases.json").read_text(encoding="utf-8"))
SCRIPT = ROOT / "corridors" / "web" / "webmap.js"
NODE = shutil.which("node")

_vocab = CASES["vocabulary"]
VOCAB = Vocabulary(
    layers=tuple(_vocab["layers"]),
    default_layers=tuple(_vocab["default_layers"]),
    corridors=frozenset(_vocab["corridors"]),
    paragraphs=frozenset(_vocab["paragraphs"]),
)


def state_of(case: dict[str, Any]) -> ViewState:
    fields = dict(case["state"])
    fields["layers"] = tuple(fields["layers"])
    fields["center"] = tuple(fields["center"])
    if "date" in fields:
        fields["date"] = dt.date.fromisoformat(fields["date"])
    return ViewState(**fields)


def run_script(calls: list[dict[str, Any]]) -> list[str]:
    """``linkQuery`` of the map's script for each call, run in Node.js as the browser runs it."""
    assert NODE, "node is installed by `make test` (npm ci); the link contract needs it"
    program = (
        "global.window = {};"
        f"require({json.dumps(str(SCRIPT))});"
        "const calls = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "console.log(JSON.stringify(calls.map((c) => window.corridorsMap.linkQuery("
        "c.rules, c.query, c.center, c.zoom, c.page))));"
    )
    done = subprocess.run(
        [NODE, "-e", program], input=json.dumps(calls), capture_output=True, text=True, check=True
    )
    result: list[str] = json.loads(done.stdout)
    return result


def script_call(scheme: LinkScheme[Any], state: ViewState, page: list[list[str]]) -> dict[str, Any]:
    """What the page hands the script for ``state``, and the live centre and zoom."""
    return {
        "rules": scheme.browser_rules(),
        "query": [list(pair) for pair in scheme.page_query(state, VOCAB)],
        "center": list(state.center or (0, 0)),
        "zoom": state.zoom,
        "page": page,
    }


@pytest.mark.parametrize("case", CASES["cases"], ids=lambda c: c["query"])
def test_python_spells_each_case(case: dict[str, Any]) -> None:
    state = state_of(case)
    assert SCHEME.query_string(state, VOCAB) == case["query"]
    decoded = share.decode(parse_qs(case["query"], keep_blank_values=True), VOCAB)
    assert decoded == share.Decoded(state, ())


def test_the_script_spells_each_case_as_python_does() -> None:
    calls = [script_call(SCHEME, state_of(c), c.get("page", [])) for c in CASES["cases"]]
    expected = [c.get("query_with_page", c["query"]) for c in CASES["cases"]]
    assert run_script(calls) == expected


def test_the_script_rounds_any_centre_as_python_does() -> None:
    """Random centres, and exact ties (odd sixteenths), which toFixed alone rounds differently."""
    rng = random.Random(20261201)  # noqa: S311 (repeatable test data, not a secret)
    centres = [(rng.uniform(-90, 90), rng.uniform(-180, 180)) for _ in range(2_000)]
    centres += [(k / 16, -k / 16) for k in range(-1440, 1441, 7)]
    centres += [(rng.randint(-90_000, 90_000) / 1000 + 0.0005, 179.9995) for _ in range(200)]
    states = [ViewState(layers=("a", "b"), center=c, zoom=5) for c in centres]
    # The script is handed the raw centre (Leaflet's), Python rounds it on construction.
    calls = [
        {**script_call(SCHEME, s, []), "center": list(c)}
        for s, c in zip(states, centres, strict=True)
    ]
    assert run_script(calls) == [SCHEME.query_string(s, VOCAB) for s in states]


def test_the_link_codec_loads_no_geospatial_stack() -> None:
    probe = (
        "import sys, corridors.share, corridors.registry;"
        "print(sorted(m for m in ('geopandas', 'shapely', 'pandas', 'numpy', 'pyproj', 'folium')"
        " if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"


# -- A new parameter is one record ------------------------------------------------------------


@dataclass(frozen=True)
class ThemedState(ViewState):
    """A throwaway state with one more field, as a new parameter would add."""

    theme: str | None = None


def _read_theme(reader: Any, value: str, vocab: Vocabulary) -> str | None:
    return reader.one_of(value, ("dark", "sepia"), "theme")


THEME = Parameter(
    "theme", "colour theme", "light", "dark", "`dark` or `sepia`", "theme",
    _read_theme, lambda value, vocab: value,
)  # fmt: skip


def test_a_new_parameter_is_one_record() -> None:
    """Adding a parameter (before ``center``) needs its record: the codec reads and writes it,
    the docs list it, and the script places it in order among the ones it writes itself."""
    names = list(SCHEME.names)
    at = names.index("center")
    scheme = LinkScheme((*share.PARAMETERS[:at], THEME, *share.PARAMETERS[at:]), ThemedState)
    state = ThemedState(layers=("a",), theme="dark", center=(1.5, 2.25), zoom=4)
    assert scheme.query_string(state, VOCAB) == "layers=a&theme=dark&center=1.5,2.25&zoom=4"
    decoded = scheme.decode({"theme": "dark", "layers": "a", "center": "1.5,2.25", "zoom": "4"},
                            VOCAB)  # fmt: skip
    assert decoded == share.Decoded(state, ())
    assert scheme.decode({"theme": "neon"}, VOCAB).notices == ('Ignored unknown theme "neon"',)
    assert "| `theme` | colour theme | light | `dark` | `dark` or `sepia` |" in (
        scheme.markdown_table()
    )
    assert run_script([script_call(scheme, state, [])]) == [scheme.query_string(state, VOCAB)]
    # The app's own scheme is untouched by the experiment.
    assert "theme" not in SCHEME.names and replace(state, theme=None).theme is None
