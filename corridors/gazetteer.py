"""The gazetteer: names (aliases) that link a text to corridor, country and bloc ids.

``geodata/gazetteer.csv`` has the columns ``id,kind,alias``; one alias may point to several ids
(one row each), e.g. "Russia-China border crossings" names three crossings.

Matching rules, chosen so that pasted articles link without hand edits:

* Whole words only: "BRI" never matches inside "bristle".
* Capitals in an alias are required, its lower-case letters match either case. So acronyms
  ("BRI", "CKU") are case-sensitive, proper names tolerate ALL-CAPS headlines ("CHINA") but not
  common words ("china", "turkey", "polish"), and an all-lower-case alias ("belt and road")
  matches in any case.
* Straight and curly apostrophes are interchangeable, so are hyphen and en dash (optionally
  spaced), and any run of whitespace matches any other.
* Leftmost-longest: at each position the longest alias wins and its span is consumed, so
  "China" inside "China-Kyrgyzstan-Uzbekistan Railway" does not also link CHN.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, cast

from corridors import registry
from corridors.errors import DataError
from corridors.reading import read_utf8, split_unfinished_line

Kind = Literal["corridor", "country", "bloc", "other"]
# What a text is linked to. An "other" row names something that is not on the map ("Power of
# Siberia 2", "South China Sea", "Russian Railways"): it links nothing, and its words are not
# read again for a shorter alias inside them ("Power of Siberia", "China", "Russian").
KINDS: tuple[Kind, ...] = ("corridor", "country", "bloc")
OTHER: Kind = "other"
COLUMNS = ("id", "kind", "alias")

# Country ids are ISO 3166 alpha-3 so they join the country layer; corridor and bloc ids are
# kebab-case slugs, safe in URLs and query parameters.
_ID_FORMATS: dict[Kind, re.Pattern[str]] = {
    "corridor": re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*"),
    "bloc": re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*"),
    "country": re.compile(r"[A-Z]{3}"),
    "other": re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*"),
}
_APOSTROPHES = "'’‘ʼ"
# Hyphen, Unicode hyphen, non-breaking hyphen, figure dash, en dash, minus. Not the em dash:
# that is parenthetical punctuation, not a joiner inside a name.
_DASHES = "-‐‑‒–−"


@dataclass(frozen=True, order=True)
class GazetteerRow:
    """One row of the gazetteer: ``alias`` names the ``kind`` feature ``id``."""

    id: str
    kind: Kind
    alias: str


@dataclass(frozen=True)
class Mention:
    """An alias found in a text: ``text[start:end]`` names every (kind, id) in ``targets``."""

    start: int
    end: int
    alias: str
    targets: tuple[tuple[Kind, str], ...]


@dataclass(frozen=True)
class Links:
    """The ids a text names, each list sorted and free of duplicates."""

    corridors: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    blocs: tuple[str, ...] = ()


# How far back a definite reference ("the line") may look for the subject it continues.
REFERENCE_WINDOW = 8
# Nouns a definite reference uses, and the corridor kinds each can stand for; blocs declare
# their own nouns (registry.Bloc.nouns).
KIND_NOUNS: Mapping[str, frozenset[str]] = {
    "line": frozenset({"rail", "pipeline"}),
    "railway": frozenset({"rail"}),
    "railroad": frozenset({"rail"}),
    "pipeline": frozenset({"pipeline"}),
    "canal": frozenset({"canal"}),
    "waterway": frozenset({"canal"}),
    "route": frozenset({"sea route"}),
    "crossing": frozenset({"crossing"}),
    "bridge": frozenset({"crossing"}),
    "port": frozenset({"port"}),
    "forum": frozenset({"venue"}),
}


def _reference_nouns() -> dict[str, frozenset[str]]:
    """Noun → what it can stand for: corridor kinds, and the ids of blocs declaring it."""
    nouns = {noun: set(kinds) for noun, kinds in KIND_NOUNS.items()}
    for bloc in registry.BLOCS:
        for noun in bloc.nouns:
            nouns.setdefault(noun, set()).add(bloc.id)
    return {noun: frozenset(targets) for noun, targets in nouns.items()}


def _reference_pattern(nouns: Iterable[str]) -> re.Pattern[str]:
    # "the", up to three words ("the 523km (325-mile) line", "the well-established union"),
    # then the noun. Punctuation ends the phrase, except a separator inside a number (1,000km).
    words = "|".join(sorted(nouns, key=len, reverse=True))
    word = r"(?:[^\s.,;:!?“”\"]|(?<=\d)[.,](?=\d))+"
    return re.compile(rf"\bthe\s+(?:{word}\s+){{0,3}}?({words})\b", re.IGNORECASE)


def _links(targets: Iterable[tuple[Kind, str]]) -> Links:
    ids: dict[Kind, set[str]] = {kind: set() for kind in KINDS}
    for kind, id_ in targets:
        ids[kind].add(id_)
    return Links(
        corridors=tuple(sorted(ids["corridor"])),
        countries=tuple(sorted(ids["country"])),
        blocs=tuple(sorted(ids["bloc"])),
    )


def alias_pattern(alias: str) -> str:
    """Regular expression (without word boundaries) for one alias under the matching rules."""
    parts: list[str] = []
    for char in alias:
        if char.isspace():
            if not parts or parts[-1] != r"\s+":
                parts.append(r"\s+")
        elif char in _APOSTROPHES:
            parts.append(f"[{_APOSTROPHES}]")
        elif char in _DASHES:
            parts.append(rf"\s?[{_DASHES}]\s?")
        elif char.islower() and len(char.upper()) == 1:
            parts.append(f"[{re.escape(char)}{re.escape(char.upper())}]")
        else:
            parts.append(re.escape(char))
    return "".join(parts)


def _first_characters(alias: str) -> set[str]:
    """The characters a match of ``alias`` can start with (`alias_pattern`'s rules)."""
    first = alias[0]
    if first in _APOSTROPHES:
        return set(_APOSTROPHES)
    if first in _DASHES:
        return set(_DASHES) | {" ", "\t", "\n", "\r", "\f", "\v"}
    if first.islower() and len(first.upper()) == 1:
        return {first, first.upper()}
    return {first}


class Gazetteer:
    """A validated set of gazetteer rows, compiled once for matching."""

    def __init__(self, rows: Iterable[GazetteerRow]) -> None:
        self.rows: tuple[GazetteerRow, ...] = tuple(sorted(set(rows)))
        # Aliases that differ only in apostrophe or dash style compile to the same pattern;
        # keying on the pattern merges their targets instead of letting one shadow the other.
        targets: dict[str, set[tuple[Kind, str]]] = {}
        longest: dict[str, str] = {}
        for row in self.rows:
            pattern = alias_pattern(row.alias)
            named = targets.setdefault(pattern, set())
            if row.kind != OTHER:
                named.add((row.kind, row.id))
            longest.setdefault(pattern, row.alias)
        # Python's alternation takes the first alternative that matches, so listing longer
        # aliases first makes it leftmost-longest.
        ordered = sorted(targets, key=lambda p: (-len(longest[p]), longest[p]))
        self._groups: dict[str, tuple[str, tuple[tuple[Kind, str], ...]]] = {}
        # At each word start the engine would try every alias in turn (a thousand country names
        # among them): grouped by the character they can start with, behind a lookahead on it,
        # it tries only that character's. An alias may start with either case of a letter: it
        # joins both groups, under a group name per copy. No two groups match at one position,
        # so leftmost-longest holds within each.
        by_first: dict[str, list[str]] = {}
        for index, pattern in enumerate(ordered):
            alias = longest[pattern]
            for first in sorted(_first_characters(alias)):
                group = f"a{index}_{ord(first)}"
                self._groups[group] = (alias, tuple(sorted(targets[pattern])))
                by_first.setdefault(first, []).append(f"(?P<{group}>{pattern})")
        body = "|".join(
            f"(?={re.escape(first)})(?:{'|'.join(alternatives)})"
            for first, alternatives in by_first.items()
        )
        self._regex = re.compile(rf"(?<!\w)(?:{body or '(?!)'})(?!\w)")

    def mentions(self, text: str) -> list[Mention]:
        """Every alias in ``text``, left to right, non-overlapping."""
        found = []
        for match in self._regex.finditer(text):
            alias, targets = self._groups[cast(str, match.lastgroup)]
            found.append(Mention(match.start(), match.end(), alias, targets))
        return found

    def link(self, text: str) -> Links:
        """The sorted corridor, country and bloc ids that ``text`` names."""
        return _links(t for m in self.mentions(text) for t in m.targets)

    def link_paragraphs(
        self, texts: Sequence[str], corridor_kinds: Mapping[str, str]
    ) -> list[Links]:
        """Each paragraph's links: the aliases it names, and the definite references ("the
        line", "the well-established union") that continue a subject named before.

        A reference resolves to the most recent earlier mention, within `REFERENCE_WINDOW`
        paragraphs, of a corridor whose kind (``corridor_kinds``) its noun can stand for, or of
        a bloc declared with that noun; with none, it links nothing.
        """
        recent: list[tuple[int, Kind, str]] = []  # (paragraph, kind, id), in reading order
        nouns = _reference_nouns()
        pattern = _reference_pattern(nouns)
        out = []
        for number, text in enumerate(texts):
            mentions = self.mentions(text)
            found: list[tuple[int, tuple[tuple[Kind, str], ...]]] = [
                (m.start, m.targets) for m in mentions
            ]
            for match in pattern.finditer(text):
                if any(m.start <= match.start(1) < m.end for m in mentions):
                    continue  # the noun is part of a name ("the Northern Sea Route")
                if any(
                    match.start() <= m.start < match.start(1)
                    and any(kind != "country" for kind, _ in m.targets)
                    for m in mentions
                ):
                    # A corridor or bloc named before the noun is what the phrase names ("the
                    # newer Khorgos crossing"); a country is not ("the Chinese initiative").
                    continue
                found.append((match.start(1), ()))
                noun = match.group(1).lower()
                for seen, kind, id_ in reversed(recent):
                    if seen < number - REFERENCE_WINDOW:
                        break
                    stands_for = corridor_kinds.get(id_) if kind == "corridor" else id_
                    if stands_for in nouns[noun]:
                        found[-1] = (match.start(1), ((kind, id_),))
                        break
            targets = [t for _, ts in sorted(found, key=lambda f: f[0]) for t in ts]
            recent.extend((number, kind, id_) for kind, id_ in targets)
            out.append(_links(targets))
        return out


def parse_gazetteer(
    text: str, file: str, known_ids: Mapping[Kind, Collection[str]] | None = None
) -> Gazetteer:
    """Validate gazetteer CSV text; ``known_ids`` (per kind, optional) catches dangling ids.

    Errors name ``file`` and the offending line, e.g. ``gazetteer.csv, feature line 7: ...``.
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None or tuple(header) != COLUMNS:
        raise DataError(file, f"header must be {','.join(COLUMNS)}, found {header!r}")
    rows: list[GazetteerRow] = []
    seen: set[GazetteerRow] = set()
    kind_of: dict[str, Kind] = {}
    for fields in reader:
        where = f"line {reader.line_num}"
        row = _parse_row(fields, file, where, known_ids)
        if row in seen:
            raise DataError(file, f"duplicate row {','.join(fields)}", where)
        if kind_of.setdefault(row.id, row.kind) != row.kind:
            raise DataError(
                file, f"id {row.id!r} is a {kind_of[row.id]} elsewhere, here a {row.kind}", where
            )
        seen.add(row)
        rows.append(row)
    return Gazetteer(rows)


def _parse_row(
    fields: Sequence[str], file: str, where: str, known_ids: Mapping[Kind, Collection[str]] | None
) -> GazetteerRow:
    if len(fields) != len(COLUMNS):
        raise DataError(file, f"expected {len(COLUMNS)} fields, found {len(fields)}", where)
    id_, kind, alias = fields
    if kind not in (*KINDS, OTHER):
        expected = ", ".join((*KINDS, OTHER))
        raise DataError(file, f"unknown kind {kind!r}; expected one of {expected}", where)
    if not _ID_FORMATS[kind].fullmatch(id_):
        expected = "ISO 3166 alpha-3" if kind == "country" else "a kebab-case slug"
        raise DataError(file, f"malformed {kind} id {id_!r}; expected {expected}", where)
    if alias != alias.strip() or not any(char.isalnum() for char in alias):
        raise DataError(file, f"alias {alias!r} is empty or has surrounding spaces", where)
    if known_ids is not None and kind in known_ids and id_ not in known_ids[kind]:
        raise DataError(file, f"alias {alias!r} points to unknown {kind} id {id_!r}", where)
    return GazetteerRow(id_, kind, alias)


def read_gazetteer(
    path: Path, known_ids: Mapping[Kind, Collection[str]] | None = None
) -> Gazetteer:
    """Load and validate ``geodata/gazetteer.csv`` (see :func:`parse_gazetteer`)."""
    text, unfinished = split_unfinished_line(read_utf8(path))
    if unfinished is not None:
        raise DataError(
            path.name,
            "the file ends part-way through this line: it may be cut short",
            f"line {unfinished}",
        )
    return parse_gazetteer(text, path.name, known_ids)


def format_gazetteer(rows: Iterable[GazetteerRow]) -> str:
    """Gazetteer CSV text, rows sorted by id, kind and alias so rewrites diff cleanly."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in sorted(set(rows)):
        writer.writerow((row.id, row.kind, row.alias))
    return out.getvalue()


def with_country_names(
    rows: Iterable[GazetteerRow], names: Mapping[str, Iterable[str]]
) -> list[GazetteerRow]:
    """``rows`` plus a country row for every (alpha-3 → names) entry, e.g. from pycountry.

    Only adds: a name the standard later drops (Turkey → Türkiye) stays a valid alias.
    """
    merged = set(rows)
    for alpha3, country_names in names.items():
        merged.update(GazetteerRow(alpha3, "country", name) for name in country_names)
    return sorted(merged)


def iso_country_names(countries: Iterable[object]) -> dict[str, list[str]]:
    """alpha-3 → name, common name, official name for pycountry-like records.

    Takes the records rather than importing pycountry, a data-build dependency only.
    """
    fields = ("name", "common_name", "official_name")
    return {
        str(getattr(country, "alpha_3")): [  # noqa: B009 - records are duck-typed
            name for field in fields if (name := getattr(country, field, None))
        ]
        for country in countries
    }
