"""How well the gazetteer links: precision and recall on a labelled set written for the tests.

``geodata/evaluation/linking.jsonl`` holds short made-up news articles, one JSON object a line:
``{"id": "e01", "paragraphs": [{"text", "corridors", "countries", "blocs"}, ...]}``, each
paragraph labelled with the ids a careful analyst expects it to link (geodata/README.md gives
the conventions). Every article is linked as one sequence of paragraphs
(`Gazetteer.link_paragraphs`), so "the line" is scored as the article builder links it.

Scores count (paragraph, id) pairs, per kind: a pair the linker gives and the labels hold is a
true positive, one only the linker gives a false positive, one only the labels hold a false
negative. The gazetteer is held to `MIN_PRECISION` and `MIN_RECALL` for every kind.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

from corridors import registry
from corridors.errors import DataError
from corridors.gazetteer import KINDS, Gazetteer, Kind, Links
from corridors.reading import read_utf8

if TYPE_CHECKING:
    from corridors.dataset import Dataset

LINKING_SET: Final = registry.GEODATA / "evaluation" / "linking.jsonl"
MIN_PRECISION: Final = 0.95
MIN_RECALL: Final = 0.9
# Each kind's list, named alike in a labelled paragraph and in `Links`.
FIELDS: Final[Mapping[Kind, str]] = {
    "corridor": "corridors",
    "country": "countries",
    "bloc": "blocs",
}
_ARTICLE_KEYS = ("id", "paragraphs")
_PARAGRAPH_KEYS = ("text", *FIELDS.values())


@dataclass(frozen=True)
class LabelledParagraph:
    """A paragraph of the set (``id`` is ``e01/p2``) and the links it should get."""

    id: str
    text: str
    expected: Links


@dataclass(frozen=True)
class LabelledArticle:
    """One made-up article: its paragraphs in reading order."""

    id: str
    paragraphs: tuple[LabelledParagraph, ...]


@dataclass(frozen=True)
class Miss:
    """A pair the linker got wrong: ``found`` (a false positive) or missed (a false negative)."""

    paragraph: str
    kind: Kind
    id: str
    found: bool

    def __str__(self) -> str:
        what = "false positive" if self.found else "false negative"
        return f"{self.paragraph} {self.kind} {self.id}: {what}"


@dataclass(frozen=True)
class Score:
    """True positives, false positives and false negatives of one kind."""

    kind: Kind
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        """Share of the pairs found that are labelled (1.0 when nothing is found)."""
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        """Share of the labelled pairs that are found (1.0 when nothing is labelled)."""
        labelled = self.true_positives + self.false_negatives
        return self.true_positives / labelled if labelled else 1.0

    def failures(self) -> list[str]:
        """Which threshold this kind misses, said in a line each; empty when it meets both."""
        out = []
        if self.precision < MIN_PRECISION:
            out.append(f"{self.kind} precision {self.precision:.3f} < {MIN_PRECISION}")
        if self.recall < MIN_RECALL:
            out.append(f"{self.kind} recall {self.recall:.3f} < {MIN_RECALL}")
        return out


@dataclass(frozen=True)
class Evaluation:
    """Scores per kind (in `KINDS` order) and every miss, in reading order."""

    paragraphs: int
    scores: tuple[Score, ...]
    misses: tuple[Miss, ...]

    def failures(self) -> list[str]:
        """Every threshold missed, one line each."""
        return [line for score in self.scores for line in score.failures()]


def _ids(value: object, field: str, known: Collection[str], where: str, file: str) -> list[str]:
    if not (isinstance(value, list) and all(isinstance(i, str) for i in value)):
        raise DataError(file, f"{field} must be a list of id strings", where)
    if value != sorted(set(value)):
        raise DataError(file, f"{field} must be sorted and free of duplicates", where)
    unknown = [i for i in value if i not in known]
    if unknown:
        raise DataError(file, f"{field} names unknown ids {unknown}", where)
    return value


def _paragraph(
    item: object, where: str, pid: str, file: str, known: Mapping[Kind, Collection[str]]
) -> LabelledParagraph:
    if not isinstance(item, dict) or tuple(item) != _PARAGRAPH_KEYS:
        raise DataError(file, f"keys must be {', '.join(_PARAGRAPH_KEYS)} in that order", where)
    if not isinstance(item["text"], str) or not item["text"].strip():
        raise DataError(file, "text must be a non-empty string", where)
    ids = {f: tuple(_ids(item[f], f, known[kind], where, file)) for kind, f in FIELDS.items()}
    return LabelledParagraph(pid, item["text"], Links(**ids))


def parse_linking_set(
    text: str, file: str, known: Mapping[Kind, Collection[str]]
) -> tuple[LabelledArticle, ...]:
    """Validate the set's JSON Lines; ``known`` holds the ids a label may name, per kind.

    Errors name ``file`` and the line, e.g. ``linking.jsonl, feature line 3, paragraph 2: ...``.
    """
    articles: list[LabelledArticle] = []
    for number, line in enumerate(text.splitlines(), start=1):
        where = f"line {number}"
        try:
            data = json.loads(line)
        except json.JSONDecodeError as error:
            raise DataError(file, f"not valid JSON: {error}", where) from None
        if not isinstance(data, dict) or tuple(data) != _ARTICLE_KEYS:
            raise DataError(file, f"keys must be {', '.join(_ARTICLE_KEYS)} in that order", where)
        article_id, items = data["id"], data["paragraphs"]
        if not isinstance(article_id, str) or not article_id:
            raise DataError(file, "id must be a non-empty string", where)
        if articles and article_id <= articles[-1].id:
            raise DataError(
                file,
                f"ids must be sorted and unique: {article_id!r} after {articles[-1].id!r}",
                where,
            )
        if not isinstance(items, list) or not items:
            raise DataError(file, "paragraphs must be a non-empty list", where)
        paragraphs = tuple(
            _paragraph(item, f"{where}, paragraph {n}", f"{article_id}/p{n}", file, known)
            for n, item in enumerate(items, start=1)
        )
        articles.append(LabelledArticle(article_id, paragraphs))
    if not articles:
        raise DataError(file, "the set is empty")
    return tuple(articles)


def read_linking_set(
    path: Path, known: Mapping[Kind, Collection[str]]
) -> tuple[LabelledArticle, ...]:
    """Load and validate the labelled set (see :func:`parse_linking_set`)."""
    return parse_linking_set(read_utf8(path), path.name, known)


def evaluate(
    articles: Sequence[LabelledArticle], gazetteer: Gazetteer, corridor_kinds: Mapping[str, str]
) -> Evaluation:
    """Link each article with ``gazetteer`` and score the links against the labels."""
    counts = {kind: [0, 0, 0] for kind in KINDS}  # true positives, false positives, false negatives
    misses: list[Miss] = []
    for article in articles:
        found = gazetteer.link_paragraphs([p.text for p in article.paragraphs], corridor_kinds)
        for paragraph, links in zip(article.paragraphs, found, strict=True):
            for kind, field in FIELDS.items():
                got = set(getattr(links, field))
                want = set(getattr(paragraph.expected, field))
                counts[kind][0] += len(got & want)
                counts[kind][1] += len(got - want)
                counts[kind][2] += len(want - got)
                misses += [Miss(paragraph.id, kind, i, i in got) for i in sorted(got ^ want)]
    paragraphs = sum(len(article.paragraphs) for article in articles)
    scores = tuple(Score(kind, *counts[kind]) for kind in KINDS)
    return Evaluation(paragraphs, scores, tuple(misses))


def known_ids(data: Dataset) -> dict[Kind, frozenset[str]]:
    """The ids a label may name: the data's corridors and countries, the declared blocs."""
    return {
        "corridor": frozenset(data.corridors["corridor"]),
        "country": frozenset(data.countries["iso_a3"]),
        "bloc": frozenset(registry.ids(registry.BLOCS)),
    }


def corridor_kinds(data: Dataset) -> dict[str, str]:
    """Corridor id → kind, for "the line"-style references."""
    return dict(zip(data.corridors["corridor"], data.corridors["kind"], strict=True))


def evaluate_linking(data: Dataset, path: Path = LINKING_SET) -> Evaluation:
    """The committed gazetteer scored on the labelled set at ``path``."""
    articles = read_linking_set(path, known_ids(data))
    return evaluate(articles, data.gazetteer, corridor_kinds(data))
