"""Articles: a raw web capture plus its metadata sidecar, cleaned into linked paragraphs.

A capture is the text an analyst copies from a web page: the title may be repeated, the page
footer (date, portal name, view counter, contact links) trails the body. Cleaning is generic so
that pasted articles need no hand edits:

* Lines equal to the sidecar title (ignoring case, apostrophe and dash style) are dropped.
* The footer is the trailing run of short non-sentence lines, dropped only when the run holds at
  least one line that is recognisably page furniture (a date, "Views: 737", "Contact ...",
  "Portal ...", a copyright notice), so a genuine short last line is never lost by accident.
  Its date and portal name are checked against the sidecar.
* Paragraphs are blank-line separated blocks, their lines joined; a capture with no blank lines
  at all has one paragraph per line. Whitespace runs become one space; nothing else changes.

Paragraph ids are positional (``p1``, ``p2``, ...) in the cleaned text: they are stable as long
as the capture and the cleaning rules are, and a rebuild test pins them.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, cast

from corridors.errors import DataError
from corridors.gazetteer import Gazetteer
from corridors.reading import read_utf8

Voice = Literal["reported", "publisher"]
VOICES: tuple[Voice, ...] = ("reported", "publisher")
META_KEYS = ("title", "publisher", "date", "url", "language")
RAW_SUFFIX = ".raw.txt"
META_SUFFIX = ".meta.json"

_APOSTROPHES = "'’‘ʼ"
_DASHES = "-‐‑‒–−"
_SENTENCE_END = re.compile(r"[.!?…:;][\"'”’)\]]*$")
# A footer line is short: longer lines are body text even without a full stop.
_FOOTER_MAX_WORDS = 10
_FOOTER_MAX_CHARS = 80
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_TIME = r"(?:[ ,T]+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp]\.?[Mm]\.?)?)?"
_NUMERIC_DATE = re.compile(rf"(\d{{1,4}})[/.-](\d{{1,2}})[/.-](\d{{1,4}}){_TIME}")
_DAY_MONTH_YEAR = re.compile(rf"(\d{{1,2}})\s+([A-Za-z]+)\.?,?\s+(\d{{4}}){_TIME}")
_MONTH_DAY_YEAR = re.compile(rf"([A-Za-z]+)\.?\s+(\d{{1,2}}),?\s+(\d{{4}}){_TIME}")
# Page furniture: counters and copyright notices whatever their punctuation; labels such as
# "Contact REAB" only when not a sentence, so "Share prices fell." stays body text.
_FURNITURE = re.compile(
    r"^(?:views?|reads?|hits|comments?)\s*:?\s*[\d,. ]+$"
    r"|^[\d,. ]+\s+(?:views?|reads?)$"
    r"|©|\(c\)\s*\d{4}|\bcopyright\b|\ball rights reserved\b",
    re.IGNORECASE,
)
_FURNITURE_LABEL = re.compile(
    r"^(?:contact|share|subscribe|follow|messengers?|print|e-?mail|tags?|source|portal"
    r"|publisher|related|read more)\b",
    re.IGNORECASE,
)
_QUOTED_NAME = re.compile(r"[\"“«]([^\"”»]+)[\"”»]")
_LABELLED_NAME = re.compile(r"^(?:portal|source|publisher)\s*:?\s*[\"“«]", re.IGNORECASE)
# First-person plural is how a publisher speaks for itself; "US" (capitals) is a country.
_WE = re.compile(r"\b(?:[Ww]e|[Oo]ur|[Oo]urs|us)\b")
_QUOTATION = re.compile(r"“[^”]*(?:”|$)|\"[^\"]*(?:\"|$)")


@dataclass(frozen=True)
class ArticleMeta:
    """The sidecar: what the capture itself cannot be trusted to say."""

    title: str
    publisher: str
    date: dt.date
    url: str | None
    language: str


@dataclass(frozen=True)
class Capture:
    """A cleaned capture: body paragraphs, plus what was dropped (for review and tests)."""

    paragraphs: tuple[str, ...]
    footer: tuple[str, ...]
    title_lines: int


@dataclass(frozen=True)
class Paragraph:
    """One body paragraph, whose voice it is, and the ids it names."""

    id: str
    text: str
    voice: Voice
    corridors: tuple[str, ...]
    countries: tuple[str, ...]
    blocs: tuple[str, ...]


@dataclass(frozen=True)
class Article:
    """A built article: metadata, the raw capture's file name, linked paragraphs."""

    id: str
    meta: ArticleMeta
    raw_file: str
    paragraphs: tuple[Paragraph, ...]


def parse_meta(data: object, file: str) -> ArticleMeta:
    """Validate a decoded sidecar: exactly title, publisher, date, url (or null), language."""
    if not isinstance(data, dict):
        raise DataError(file, "sidecar must be a JSON object")
    keys = set(data)
    if keys != set(META_KEYS):
        missing = sorted(set(META_KEYS) - keys)
        extra = sorted(keys - set(META_KEYS))
        raise DataError(file, f"sidecar keys wrong: missing {missing}, unexpected {extra}")
    for key in ("title", "publisher", "language"):
        if not isinstance(data[key], str) or not data[key].strip():
            raise DataError(file, f"{key} must be a non-empty string")
    if not re.fullmatch(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*", data["language"]):
        raise DataError(file, f"language {data['language']!r} is not a BCP 47 tag such as 'en'")
    try:
        date = dt.date.fromisoformat(data["date"])
    except (TypeError, ValueError):
        raise DataError(file, f"date {data['date']!r} is not YYYY-MM-DD") from None
    url = data["url"]
    if url is not None and not (isinstance(url, str) and re.match(r"https?://\S+$", url)):
        raise DataError(file, f"url {url!r} must be an http(s) URL or null (not known)")
    return ArticleMeta(data["title"], data["publisher"], date, url, data["language"])


def read_meta(path: Path) -> ArticleMeta:
    """Load and validate a ``*.meta.json`` sidecar."""
    try:
        data = json.loads(read_utf8(path))
    except json.JSONDecodeError as error:
        raise DataError(path.name, f"not valid JSON: {error}") from None
    return parse_meta(data, path.name)


def line_key(text: str) -> str:
    """Comparison key that ignores case, whitespace runs and apostrophe/dash style."""
    text = re.sub(f"[{_APOSTROPHES}]", "'", text)
    text = re.sub(f"[{_DASHES}]", "-", text)
    return " ".join(text.split()).casefold()


def _normalise_space(text: str) -> str:
    # Zero-width spaces and stray BOMs come along with copy-paste and are invisible noise.
    return " ".join(text.replace("\u200b", "").replace("\ufeff", "").split())


def _is_sentence(line: str) -> bool:
    return bool(_SENTENCE_END.search(line))


def _is_short(line: str) -> bool:
    return len(line) <= _FOOTER_MAX_CHARS and len(line.split()) <= _FOOTER_MAX_WORDS


def _is_furniture(line: str) -> bool:
    """A short line that is recognisably page furniture, not article text."""
    if not _is_short(line):
        return False
    if _FURNITURE.search(line) or _footer_dates(line) is not None:
        return True
    return bool(_FURNITURE_LABEL.search(line)) and not _is_sentence(line)


def _is_footer_candidate(line: str) -> bool:
    return _is_furniture(line) or (_is_short(line) and not _is_sentence(line))


def _year(text: str) -> int:
    year = int(text)
    # POSIX %y: 69-99 are 1900s, 00-68 are 2000s.
    if len(text) <= 2:
        year += 1900 if year >= 69 else 2000
    return year


def _footer_dates(line: str) -> list[dt.date] | None:
    """The dates a footer line can mean (both readings of 4/5/24), or None if not a date line.

    A date-shaped line no reading makes valid (13/13/24) gives an empty list.
    """
    readings: list[tuple[int, int, int]] = []
    if match := _NUMERIC_DATE.fullmatch(line):
        first, second, third = match.groups()
        if len(first) == 4:
            readings.append((int(first), int(second), int(third)))
        elif len(third) in (2, 4):
            year = _year(third)
            readings += [(year, int(first), int(second)), (year, int(second), int(first))]
        else:
            return None
    elif (match := _DAY_MONTH_YEAR.fullmatch(line)) and match.group(2).lower() in _MONTHS:
        day, month, year_text = match.groups()
        readings.append((int(year_text), _MONTHS[month.lower()], int(day)))
    elif (match := _MONTH_DAY_YEAR.fullmatch(line)) and match.group(1).lower() in _MONTHS:
        month, day, year_text = match.groups()
        readings.append((int(year_text), _MONTHS[month.lower()], int(day)))
    else:
        return None
    dates = []
    for year, month_number, day_number in readings:
        try:
            dates.append(dt.date(year, month_number, day_number))
        except ValueError:
            continue
    return dates


def _split_footer(lines: list[str]) -> tuple[list[str], list[str]]:
    """Body lines and footer lines (blank lines inside the footer are discarded)."""
    start = len(lines)
    while start > 0 and (not lines[start - 1] or _is_footer_candidate(lines[start - 1])):
        start -= 1
    tail = [line for line in lines[start:] if line]
    if not any(_is_furniture(line) for line in tail):
        return lines, []
    return lines[:start], tail


def footer_dates(raw: str) -> list[dt.date]:
    """Every date the footer of ``raw`` can mean (both readings of 4/5/24): a reader's draft
    takes its date from there, and a date the reader gives must be one of them."""
    _, footer = _split_footer([_normalise_space(line) for line in raw.splitlines()])
    return [day for line in footer for day in _footer_dates(line) or []]


def _check_footer(footer: list[str], meta: ArticleMeta, file: str) -> None:
    for line in footer:
        dates = _footer_dates(line)
        if dates == []:
            raise DataError(file, f"footer line {line!r} looks like a date but is none")
        if dates and meta.date not in dates:
            raise DataError(
                file,
                f"footer date {line!r} disagrees with the sidecar date {meta.date.isoformat()}; "
                "fix the sidecar or check that the capture is the right article",
            )
        named = _QUOTED_NAME.search(line) if _LABELLED_NAME.match(line) else None
        if named and line_key(named.group(1)) != line_key(meta.publisher):
            raise DataError(
                file,
                f"footer names the publisher {named.group(1)!r}, the sidecar "
                f"{meta.publisher!r}; fix the sidecar or check the capture",
            )


def clean_capture(raw: str, meta: ArticleMeta, file: str) -> Capture:
    """Clean a raw capture into body paragraphs, checking its footer against ``meta``.

    ``file`` names the capture in errors. Raises :class:`DataError` when nothing is left, or
    when the footer's date or portal name disagrees with the sidecar.
    """
    lines = [_normalise_space(line) for line in raw.splitlines()]
    pasted_blank = [not line for line in lines]
    title_key = line_key(meta.title)
    title_lines = sum(1 for line in lines if line_key(line) == title_key)
    # A dropped title line becomes blank, so it still separates the blocks around it.
    lines = ["" if line_key(line) == title_key else line for line in lines]
    body, footer = _split_footer(lines)
    _check_footer(footer, meta, file)
    # Block or line mode is decided on the body as pasted: neither the blank lines left by
    # dropped titles nor the one before the footer say how the body is laid out.
    filled = [index for index, line in enumerate(body) if line]
    blocks = bool(filled) and any(pasted_blank[filled[0] : filled[-1]])
    paragraphs: list[str] = []
    if blocks:
        block: list[str] = []
        for line in [*body, ""]:
            if line:
                block.append(line)
            elif block:
                paragraphs.append(" ".join(block))
                block = []
    else:
        paragraphs = [line for line in body if line]
    if not paragraphs:
        raise DataError(file, "no body paragraphs: the capture is empty or only title and footer")
    return Capture(tuple(paragraphs), tuple(footer), title_lines)


def publisher_pattern(publisher: str) -> re.Pattern[str]:
    """Pattern for the publisher's name, tolerant of apostrophe style and a dropped possessive s.

    Captures misspell names ("Russia’ Pivot to Asia"); the name is still the publisher's.
    """
    parts = []
    for token in re.split(f"([{_APOSTROPHES}]s\\b|[{_APOSTROPHES}]|\\s+)", publisher):
        if not token:
            continue
        if token[0] in _APOSTROPHES and token[1:] == "s":
            parts.append(f"[{_APOSTROPHES}]s?")
        elif token[0] in _APOSTROPHES:
            parts.append(f"[{_APOSTROPHES}]")
        elif token.isspace():
            parts.append(r"\s+")
        else:
            parts.append(re.escape(token))
    return re.compile(r"(?<!\w)" + "".join(parts) + r"(?!\w)", re.IGNORECASE)


def paragraph_voice(text: str, publisher: str) -> Voice:
    """``"publisher"`` if the paragraph names the publisher and says "we"/"our" outside quotes.

    Reporting that quotes someone saying "we" stays ``"reported"``, and so does reporting that
    merely names the publisher.
    """
    if not publisher_pattern(publisher).search(text):
        return "reported"
    unquoted = _QUOTATION.sub(" ", text)
    return "publisher" if _WE.search(unquoted) else "reported"


def build_article(
    article_id: str,
    raw: str,
    meta: ArticleMeta,
    gazetteer: Gazetteer,
    raw_file: str,
    corridor_kinds: Mapping[str, str],
) -> Article:
    """Clean ``raw`` and link each paragraph (``corridor_kinds``: corridor id → kind, for "the
    line"-style references); the publisher's own name is not a place mention."""
    capture = clean_capture(raw, meta, raw_file)
    name = publisher_pattern(meta.publisher)
    texts = [name.sub(lambda m: " " * len(m.group()), text) for text in capture.paragraphs]
    paragraphs = []
    for number, (text, links) in enumerate(
        zip(capture.paragraphs, gazetteer.link_paragraphs(texts, corridor_kinds), strict=True),
        start=1,
    ):
        paragraphs.append(
            Paragraph(
                id=f"p{number}",
                text=text,
                voice=paragraph_voice(text, meta.publisher),
                corridors=links.corridors,
                countries=links.countries,
                blocs=links.blocs,
            )
        )
    return Article(article_id, meta, raw_file, tuple(paragraphs))


def article_id_for(raw_path: Path) -> str:
    """The article id a capture's file name gives: ``<id>.raw.txt``."""
    if not raw_path.name.endswith(RAW_SUFFIX):
        raise DataError(raw_path.name, f"a raw capture's name must end in {RAW_SUFFIX}")
    return raw_path.name[: -len(RAW_SUFFIX)]


def read_raw(path: Path) -> str:
    """A capture's text; anything but UTF-8 is an error naming the file."""
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DataError(
            path.name, f"not UTF-8 text ({error.reason} at byte {error.start})"
        ) from None


def build_from_files(
    raw_path: Path,
    gazetteer: Gazetteer,
    corridor_kinds: Mapping[str, str],
    meta_path: Path | None = None,
) -> Article:
    """Build the article for ``<id>.raw.txt``, its sidecar defaulting to ``<id>.meta.json``."""
    article_id = article_id_for(raw_path)
    meta_path = meta_path or raw_path.with_name(article_id + META_SUFFIX)
    meta = read_meta(meta_path)
    raw = read_raw(raw_path)
    return build_article(article_id, raw, meta, gazetteer, raw_path.name, corridor_kinds)


def article_to_dict(article: Article) -> dict[str, Any]:
    """The article as the JSON-ready dict the built file holds (key order is the schema's)."""
    return {
        "id": article.id,
        "title": article.meta.title,
        "publisher": article.meta.publisher,
        "date": article.meta.date.isoformat(),
        "url": article.meta.url,
        "language": article.meta.language,
        "raw_file": article.raw_file,
        "paragraphs": [
            {
                "id": p.id,
                "text": p.text,
                "voice": p.voice,
                "corridors": list(p.corridors),
                "countries": list(p.countries),
                "blocs": list(p.blocs),
            }
            for p in article.paragraphs
        ],
    }


def article_to_json(article: Article) -> str:
    """Deterministic JSON text for the built file (UTF-8 characters kept, 2-space indent)."""
    return json.dumps(article_to_dict(article), ensure_ascii=False, indent=2) + "\n"


def article_from_dict(data: object, file: str) -> Article:
    """Validate a built article's decoded JSON (the inverse of :func:`article_to_dict`)."""
    if not isinstance(data, dict):
        raise DataError(file, "built article must be a JSON object")
    expected = ("id", *META_KEYS, "raw_file", "paragraphs")
    if tuple(data) != expected:
        raise DataError(file, f"keys must be {', '.join(expected)} in that order")
    meta = parse_meta({key: data[key] for key in META_KEYS}, file)
    if not isinstance(data["paragraphs"], list) or not data["paragraphs"]:
        raise DataError(file, "paragraphs must be a non-empty list")
    paragraphs = tuple(
        _paragraph_from_dict(item, file, f"p{number}")
        for number, item in enumerate(data["paragraphs"], start=1)
    )
    if not isinstance(data["id"], str) or not isinstance(data["raw_file"], str):
        raise DataError(file, "id and raw_file must be strings")
    return Article(data["id"], meta, data["raw_file"], paragraphs)


def _paragraph_from_dict(item: object, file: str, expected_id: str) -> Paragraph:
    keys = ("id", "text", "voice", "corridors", "countries", "blocs")
    if not isinstance(item, Mapping) or tuple(item) != keys:
        raise DataError(file, f"paragraph keys must be {', '.join(keys)}", expected_id)
    if item["id"] != expected_id:
        raise DataError(file, f"paragraph ids are positional; found {item['id']!r}", expected_id)
    if not isinstance(item["text"], str) or not item["text"]:
        raise DataError(file, "text must be a non-empty string", expected_id)
    if item["voice"] not in VOICES:
        raise DataError(file, f"voice must be one of {', '.join(VOICES)}", expected_id)
    lists = []
    for key in ("corridors", "countries", "blocs"):
        ids = item[key]
        if not (isinstance(ids, list) and all(isinstance(i, str) for i in ids)):
            raise DataError(file, f"{key} must be a list of id strings", expected_id)
        if ids != sorted(set(ids)):
            raise DataError(file, f"{key} must be sorted and free of duplicates", expected_id)
        lists.append(tuple(ids))
    return Paragraph(expected_id, item["text"], cast(Voice, item["voice"]), *lists)


def read_article(path: Path) -> Article:
    """Load and validate a built ``<id>.json`` article."""
    try:
        data = json.loads(read_utf8(path))
    except json.JSONDecodeError as error:
        raise DataError(path.name, f"not valid JSON: {error}") from None
    return article_from_dict(data, path.name)
