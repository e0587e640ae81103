"""corridors.evaluation: the labelled linking set, its scores, and that the scores can fail."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from corridors import registry
from corridors.dataset import Dataset
from corridors.errors import DataError
from corridors.evaluation import (
    LINKING_SET,
    LabelledArticle,
    Miss,
    Score,
    corridor_kinds,
    evaluate,
    evaluate_linking,
    known_ids,
    parse_linking_set,
    read_linking_set,
)
from corridors.gazetteer import Gazetteer, GazetteerRow

ROOT = Path(__file__).resolve().parent.parent

# Words a careless linker takes for a feature, and the label the set must then leave out
# somewhere: each is the whole test of a near-miss paragraph (see geodata/README.md).
NEAR_MISSES = [
    ("Nord Stream 2", "corridors", "nord-stream-1"),
    ("Power of Siberia 2", "corridors", "power-of-siberia"),
    ("Siberia", "corridors", "power-of-siberia"),
    ("Suez", "corridors", "suez-canal"),
    ("Blagoveshchensk", "corridors", "blagoveshchensk-heihe"),
    ("Indian Ocean", "countries", "IND"),
    ("Georgia", "countries", "GEO"),
    ("South China Sea", "countries", "CHN"),
    ("Russian Railways", "countries", "RUS"),
    ("turkey", "countries", "TUR"),
    ("European Commission", "blocs", "eaeu"),
    ("Global Gateway", "blocs", "bri"),
]


@pytest.fixture(scope="module")
def labelled(dataset: Dataset) -> tuple[LabelledArticle, ...]:
    return read_linking_set(LINKING_SET, known_ids(dataset))


def test_the_set_is_large_and_names_every_corridor_and_bloc(
    dataset: Dataset, labelled: tuple[LabelledArticle, ...]
) -> None:
    paragraphs = [p for article in labelled for p in article.paragraphs]
    assert len(paragraphs) >= 60
    assert all(2 <= len(article.paragraphs) <= 5 for article in labelled)
    assert {c for p in paragraphs for c in p.expected.corridors} == set(dataset.corridors.corridor)
    assert {b for p in paragraphs for b in p.expected.blocs} == set(registry.ids(registry.BLOCS))


@pytest.mark.parametrize(("word", "field", "id_"), NEAR_MISSES)
def test_the_set_has_near_misses(
    labelled: tuple[LabelledArticle, ...], word: str, field: str, id_: str
) -> None:
    assert any(
        word in p.text and id_ not in getattr(p.expected, field)
        for article in labelled
        for p in article.paragraphs
    ), f"no paragraph names {word!r} without {id_}"


def test_the_gazetteer_meets_the_thresholds(dataset: Dataset) -> None:
    evaluation = evaluate_linking(dataset)
    report = [*evaluation.failures(), *map(str, evaluation.misses)]
    assert not evaluation.failures(), "\n".join(report)


# A gazetteer and a set small enough to score by hand.
TINY = Gazetteer(
    [
        GazetteerRow("cku-railway", "corridor", "CKU"),
        GazetteerRow("KAZ", "country", "Kazakhstan"),
        GazetteerRow("KGZ", "country", "Kyrgyzstan"),
        GazetteerRow("eaeu", "bloc", "EAEU"),
    ]
)
TINY_KNOWN = {"corridor": {"cku-railway"}, "country": {"KAZ", "KGZ"}, "bloc": {"eaeu", "bri"}}
TINY_KINDS = {"cku-railway": "rail"}


def tiny_set(second_countries: list[str]) -> tuple[LabelledArticle, ...]:
    paragraphs = [
        {
            "text": "The CKU railway will cross Kyrgyzstan.",
            "corridors": ["cku-railway"],
            "countries": ["KGZ"],
            "blocs": [],
        },
        {
            "text": "The line is backed by Kazakhstan and the EAEU.",  # "the line" is the CKU
            "corridors": ["cku-railway"],
            "countries": second_countries,
            "blocs": ["eaeu"],
        },
    ]
    line = json.dumps({"id": "t1", "paragraphs": paragraphs})
    return parse_linking_set(line, "tiny.jsonl", TINY_KNOWN)


def test_a_right_set_scores_one() -> None:
    evaluation = evaluate(tiny_set(["KAZ"]), TINY, TINY_KINDS)
    assert evaluation.scores == (Score("corridor", 2, 0, 0), Score("country", 2, 0, 0),
                                 Score("bloc", 1, 0, 0))  # fmt: skip
    assert evaluation.misses == ()
    assert evaluation.failures() == []


def test_a_wrong_label_lowers_precision_and_recall() -> None:
    # p2 labelled KGZ for KAZ: KAZ found but not labelled, KGZ labelled but not found.
    evaluation = evaluate(tiny_set(["KGZ"]), TINY, TINY_KINDS)
    country = evaluation.scores[1]
    assert country == Score("country", 1, 1, 1)
    assert (country.precision, country.recall) == (0.5, 0.5)
    assert evaluation.misses == (Miss("t1/p2", "country", "KAZ", True),
                                 Miss("t1/p2", "country", "KGZ", False))  # fmt: skip
    assert evaluation.failures() == ["country precision 0.500 < 0.95", "country recall 0.500 < 0.9"]


def test_a_gazetteer_lacking_an_alias_loses_recall(
    dataset: Dataset, labelled: tuple[LabelledArticle, ...]
) -> None:
    # Counted by hand: "Eurasian Economic Union" is the only EAEU name in e13/p1, e17/p1 and
    # e23/p1; without it e13/p2's "the union" has no subject either.
    lacking = Gazetteer(r for r in dataset.gazetteer.rows if r.alias != "Eurasian Economic Union")
    kinds = corridor_kinds(dataset)
    before = evaluate(labelled, dataset.gazetteer, kinds).scores[2]
    after = evaluate(labelled, lacking, kinds)
    assert after.scores[2] == Score(
        "bloc", before.true_positives - 4, before.false_positives, before.false_negatives + 4
    )
    lost = {m.paragraph for m in after.misses if m.kind == "bloc" and not m.found}
    assert {"e13/p1", "e13/p2", "e17/p1", "e23/p1"} <= lost


GOOD = {"text": "Kazakhstan.", "corridors": [], "countries": ["KAZ"], "blocs": []}


@pytest.mark.parametrize(
    ("second_line", "problem"),
    [
        ("{not json", r"line 2: not valid JSON"),
        (json.dumps({"id": "t2"}), r"line 2: keys must be id, paragraphs in that order"),
        (json.dumps({"id": "t0", "paragraphs": [GOOD]}), r"line 2: ids must be sorted and unique"),
        (json.dumps({"id": "t2", "paragraphs": []}), r"line 2: paragraphs must be a non-empty"),
        (
            json.dumps({"id": "t2", "paragraphs": [GOOD, {**GOOD, "countries": ["XXX"]}]}),
            r"line 2, paragraph 2: countries names unknown ids \['XXX'\]",
        ),
        (
            json.dumps({"id": "t2", "paragraphs": [{**GOOD, "countries": ["KGZ", "KAZ"]}]}),
            r"line 2, paragraph 1: countries must be sorted and free of duplicates",
        ),
        (
            json.dumps({"id": "t2", "paragraphs": [{**GOOD, "text": " "}]}),
            r"line 2, paragraph 1: text must be a non-empty string",
        ),
        (
            json.dumps({"id": "t2", "paragraphs": [{**GOOD, "blocs": "eaeu"}]}),
            r"line 2, paragraph 1: blocs must be a list of id strings",
        ),
    ],
)
def test_a_malformed_line_is_named(second_line: str, problem: str) -> None:
    text = json.dumps({"id": "t1", "paragraphs": [GOOD]}) + "\n" + second_line + "\n"
    with pytest.raises(DataError, match=rf"^tiny\.jsonl, feature {problem}"):
        parse_linking_set(text, "tiny.jsonl", TINY_KNOWN)


def test_the_evaluation_does_not_import_the_geospatial_stack() -> None:
    code = (
        "import sys, corridors.evaluation; "
        "print(' '.join(m for m in ('geopandas', 'shapely') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
