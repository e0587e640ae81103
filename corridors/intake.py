"""A reader's article coming in: pasted text, an uploaded file or a fetched page, checked and
reduced to plain text with whatever title, publisher, date and URL it carries (a `Draft` the
reader may edit), then cleaned and linked to the map exactly as the seed article is (`link`).

HTML is never rendered: trafilatura, made for the job, reads the article's text and metadata
out of it. Plain text and Markdown are cleaned as the seed capture is (`article.clean_capture`:
repeated title and page footer dropped). Anything else is refused with a notice that says why
(`Refused`): text that is not UTF-8, binary files, too much of it, or HTML with no article.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Final
from urllib.parse import urlsplit

from corridors.article import (
    Article,
    ArticleMeta,
    article_to_dict,
    build_article,
    clean_capture,
    footer_dates,
    line_key,
)
from corridors.errors import DataError
from corridors.escape import visible_text
from corridors.gazetteer import Gazetteer
from corridors.schema import READER_ARTICLE_DIGITS

# The page's upload limit (Streamlit's server.maxUploadSize, in MB, in .streamlit/config.toml)
# and the most a paste may hold; a fetched page may be larger (fetch.MAX_BYTES), being HTML.
MAX_TEXT_BYTES: Final = 1_000_000
# A news article runs to tens of paragraphs and a few thousand words: far past that, the text is
# not one article, and linking it would hold the page up.
MAX_PARAGRAPHS: Final = 400
MAX_WORDS: Final = 30_000
# HTML tags (opening and closing) trafilatura will read: ten times a heavy news page;
# 300,000 (150,000 paragraphs) took it 9 s.
MAX_TAGS: Final = 80_000
SUFFIXES: Final = (".txt", ".md", ".html", ".htm")
FIELD_MAX: Final = {"title": 300, "publisher": 120, "url": 2_000}
READER_FILE: Final = "reader"  # Article.raw_file of a reader's article: it has no capture file

_TAG = re.compile(rb"<[A-Za-z!?/]")
# Line starts only: "[ \t]", not "\s", which would eat the blank line before and join blocks.
_MARKDOWN_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+", re.M)
_MARKDOWN_QUOTE = re.compile(r"^[ \t]{0,3}>[ \t]?", re.M)
_MARKDOWN_ITEM = re.compile(r"^[ \t]{0,3}(?:[-*+]|\d{1,9}[.)])[ \t]+", re.M)
_MARKDOWN_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKDOWN_EMPHASIS = re.compile(r"(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1")


class Refused(ValueError):
    """Input the page will not take; the message is for the reader and says what to do."""


@dataclass(frozen=True)
class Draft:
    """What was read, before the reader checks it: the text, and metadata where found."""

    text: str
    title: str
    publisher: str
    date: dt.date | None
    url: str | None
    source: str  # where it was read from, for the reader ("the pasted text"); not stored


def decode(data: bytes, what: str) -> str:
    """``data`` as UTF-8 text, or Refused naming what it looks like instead."""
    # UTF-16 has a byte-order mark, or (without one) a zero in every other byte of Latin text
    # and hardly any in the bytes between.
    few, many = sorted((data[0::2].count(0), data[1::2].count(0)))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or many > len(data) // 4 > 50 * few:
        raise Refused(f"{what} is UTF-16 text: save it as UTF-8 and try again.")
    if b"\x00" in data:
        raise Refused(f"{what} is not text (it holds binary data).")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise Refused(
            f"{what} is not UTF-8 text (byte 0x{data[error.start]:02X} at position "
            f"{error.start:,}; Latin-1 or Windows-1252, perhaps): save it as UTF-8 and try again."
        ) from None
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\t\n\r\f")
    if controls > len(text) // 100:
        raise Refused(f"{what} is not text (it holds control characters).")
    return text


def _check_size(text: str, what: str) -> None:
    size = len(text.encode("utf-8"))
    if size > MAX_TEXT_BYTES:
        raise Refused(f"{what} is {size:,} bytes; an article may be at most {MAX_TEXT_BYTES:,}.")


def _check_paragraphs(text: str) -> None:
    """Refused at once, not after the reader has filled the form, if there are too many
    paragraphs: blank-line separated blocks, or lines where no line is blank."""
    blocks = [b for b in re.split(r"\n[ \t]*\n", text) if b.strip()]
    lines = sum(1 for line in text.splitlines() if line.strip())
    count = len(blocks) if len(blocks) > 1 else lines
    if count > MAX_PARAGRAPHS + 2:  # a title and a footer line may be dropped
        raise Refused(
            f"The text has {count:,} paragraphs; an article may have at most {MAX_PARAGRAPHS}."
        )


def from_text(text: str, source: str = "the pasted text") -> Draft:
    """Pasted text (or a .txt file): the first short line is taken as its title."""
    _check_size(text, "The text")
    if not text.strip():
        raise Refused("There is no text: paste an article, upload a file or give a link.")
    _check_paragraphs(text)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    first = lines[0] if lines else ""
    title = first if len(first) <= FIELD_MAX["title"] and not first.endswith(".") else ""
    dates = set(footer_dates(text))
    return Draft(text, title, "", dates.pop() if len(dates) == 1 else None, None, source)


def from_markdown(text: str, source: str) -> Draft:
    """A Markdown file, its markup dropped: headings, quotes, links and emphasis become text."""
    plain = _MARKDOWN_HEADING.sub("", text)
    plain = _MARKDOWN_QUOTE.sub("", plain)
    plain = _MARKDOWN_ITEM.sub("", plain)
    plain = _MARKDOWN_LINK.sub(r"\1", plain)
    plain = _MARKDOWN_EMPHASIS.sub(r"\2", plain)
    return from_text(plain, source)


def from_html(data: bytes, url: str | None, source: str) -> Draft:
    """A web page reduced to its article's text and metadata by trafilatura."""
    import trafilatura  # a second's import: only when a page is read
    from trafilatura.settings import Document

    tags = len(_TAG.findall(data))
    if tags > MAX_TAGS:
        raise Refused(f"The page has {tags:,} HTML tags; at most {MAX_TAGS:,} are read.")
    try:
        document = trafilatura.bare_extraction(
            data, url=url, with_metadata=True, include_comments=False, include_tables=False
        )
    except (ValueError, RecursionError, MemoryError) as error:
        raise Refused(
            f"The page could not be read as an article ({type(error).__name__})."
        ) from None
    text = document.text if isinstance(document, Document) else None
    if not isinstance(document, Document) or not text or not text.strip():
        raise Refused("No article text was found on the page: paste its text instead.")
    _check_size(text, "The article's text")
    _check_paragraphs(text)
    date = None
    if document.date:
        try:
            date = dt.date.fromisoformat(document.date[:10])
        except ValueError:
            date = None
    publisher = document.sitename or (urlsplit(url).hostname if url else "") or ""
    return Draft(text, document.title or "", publisher, date, url, source)


def from_file(name: str, data: bytes) -> Draft:
    """An uploaded .txt, .md or .html file."""
    what = f"The file {name!r}"
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in SUFFIXES:
        raise Refused(f"{what} is not a .txt, .md or .html file.")
    if len(data) > MAX_TEXT_BYTES:
        raise Refused(f"{what} is {len(data):,} bytes; at most {MAX_TEXT_BYTES:,} are taken.")
    if suffix in (".html", ".htm"):
        decode(data, what)  # the same notice for UTF-16, binary or Latin-1 as any text
        return from_html(data, None, f"the file {name!r}")
    text = decode(data, what)
    read = from_markdown if suffix == ".md" else from_text
    return read(text, f"the file {name!r}")


def _field(value: str, name: str) -> str:
    """A metadata field as stored: visible characters only, one line, within its length."""
    cleaned = " ".join(visible_text(value).split())
    if len(cleaned) > FIELD_MAX[name]:
        raise Refused(f"The {name} is {len(cleaned):,} characters; at most {FIELD_MAX[name]}.")
    return cleaned


def content_id(article: Article) -> str:
    """An id derived from everything stored: the same article sent twice is one row, one link."""
    document = article_to_dict(replace(article, id=""))
    digest = hashlib.sha256(json.dumps(document, sort_keys=True).encode("utf-8")).hexdigest()
    return "r" + digest[:READER_ARTICLE_DIGITS]


def link(
    draft: Draft,
    title: str,
    publisher: str,
    date: dt.date,
    url: str | None,
    gazetteer: Gazetteer,
    corridor_kinds: Mapping[str, str],
) -> Article:
    """The draft with the reader's metadata, cleaned and linked as the seed article is."""
    title = _field(title, "title")
    publisher = _field(publisher, "publisher") or "Publisher not given"
    url = _field(url or "", "url") or None
    if url is not None and not re.fullmatch(r"https?://\S+", url):
        raise Refused("The link must start with http:// or https://.")
    words = len(draft.text.split())
    if words > MAX_WORDS:
        raise Refused(f"The text has {words:,} words; an article may have at most {MAX_WORDS:,}.")
    if not title:
        title = " ".join(draft.text.split()[:12])
    text = draft.text
    if draft.title and line_key(draft.title) != line_key(title):
        # The headline the draft was read with is dropped as a repeated title, however the
        # reader then corrected the title.
        lines = text.splitlines()
        text = "\n".join("" if line_key(line) == line_key(draft.title) else line for line in lines)
    dated = footer_dates(text)
    if dated and date not in dated:
        raise Refused(
            f"The text's last lines date it {dated[0].isoformat()}, not {date.isoformat()}: "
            "correct the date, or delete the date line from the text."
        )
    meta = ArticleMeta(title, publisher, date, url, "en")
    try:
        # Counted before linking, which is what 10,000 one-word paragraphs would hold up.
        paragraphs = len(clean_capture(text, meta, READER_FILE).paragraphs)
        if paragraphs > MAX_PARAGRAPHS:
            raise Refused(
                f"The text has {paragraphs:,} paragraphs; an article may have at most "
                f"{MAX_PARAGRAPHS}."
            )
        article = build_article("", text, meta, gazetteer, READER_FILE, corridor_kinds)
    except DataError as error:
        problem = error.problem.replace("the sidecar", "the form").replace("sidecar", "form")
        raise Refused(f"The article could not be read: {problem}.") from None
    return replace(article, id=content_id(article))
