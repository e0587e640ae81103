"""The article beside the map: attributed excerpts, and what a selection highlights.

A selected corridor brings up the paragraphs that name it; a selected paragraph (an excerpt)
highlights the corridors and countries it names. `selection_for` turns a view state into what
the map highlights, with a key that changes only when the reader picks something new, so the
map refits to a new selection but never snaps back while the reader pans.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from corridors.article import Article, Paragraph
from corridors.dates import format_partial_date
from corridors.escape import markdown_text
from corridors.share import ViewState

VOICE_LABELS = {
    "reported": "Article",
    "publisher": "Publisher’s comment",
}


@dataclass(frozen=True)
class Selection:
    """What the map highlights and fits to; ``key`` names the choice that produced it."""

    key: str
    corridors: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.corridors or self.countries)


def attribution(article: Article) -> str:
    """Who published the article and when: "Publisher, “Title”, 25 Apr 2024"."""
    meta = article.meta
    return f"{meta.publisher}, “{meta.title}”, {format_partial_date(meta.date.isoformat())}"


def paragraph_label(article: Article, paragraph: Paragraph) -> str:
    """ "Article ¶9" or "Publisher’s comment ¶22": whose words, and where in the article."""
    number = article.paragraphs.index(paragraph) + 1
    return f"{VOICE_LABELS.get(paragraph.voice, paragraph.voice)} ¶{number}"


def paragraph(article: Article, paragraph_id: str) -> Paragraph:
    """The paragraph with ``paragraph_id``; KeyError if the article has none."""
    for p in article.paragraphs:
        if p.id == paragraph_id:
            return p
    raise KeyError(paragraph_id)


def paragraphs_about(article: Article, named: str) -> tuple[Paragraph, ...]:
    """The paragraphs that name ``named``, a corridor or a country, in article order."""
    return tuple(p for p in article.paragraphs if named in (*p.corridors, *p.countries))


def is_linked(p: Paragraph) -> bool:
    """Whether the paragraph names anything the map can show."""
    return bool(p.corridors or p.countries)


def excerpt_markdown(
    article: Article, paragraph: Paragraph, names: Mapping[str, str], *, chosen: bool
) -> str:
    """A paragraph as the panel shows it, as escaped Markdown: marker, text, whose words and
    what it names. One element, because every element costs each rerun of every session."""
    named = ", ".join(names.get(i, i) for i in (*paragraph.corridors, *paragraph.countries))
    label = paragraph_label(article, paragraph) + (f" · names {named}" if named else "")
    marker = "**Shown on the map**\n\n" if chosen else ""
    return f"{marker}{markdown_text(paragraph.text)}\n\n*{markdown_text(label)}*"


def selection_for(state: ViewState, article: Article | None) -> Selection:
    """What the map highlights for ``state``: the excerpt's places, else the focused corridor,
    else the selected country."""
    if state.excerpt is not None and article is not None:
        p = paragraph(article, state.excerpt)
        return Selection(f"excerpt:{p.id}", p.corridors, p.countries)
    if state.focus is not None:
        return Selection(f"focus:{state.focus}", (state.focus,))
    if state.country is not None:
        return Selection(f"country:{state.country}", (), (state.country,))
    return Selection("")


def shown_paragraphs(state: ViewState, article: Article) -> Sequence[Paragraph]:
    """The excerpts the panel lists, in reading order: those about the focused corridor or
    naming the selected country (else the whole article), and the one shown on the map where
    it stands, so a reader who chose it keeps their place."""
    named = state.focus or state.country
    if named is None:
        return article.paragraphs
    listed = {p.id for p in paragraphs_about(article, named)} | {state.excerpt}
    return tuple(p for p in article.paragraphs if p.id in listed)
