"""Excerpt linking: a corridor brings up its paragraphs; a paragraph highlights its places."""

from __future__ import annotations

from corridors.dataset import Dataset
from corridors.excerpts import (
    attribution,
    paragraph,
    paragraph_label,
    paragraphs_about,
    selection_for,
    shown_paragraphs,
)
from corridors.share import ViewState

LAYERS = ("cku-railway",)


def test_paragraphs_about_a_corridor(dataset: Dataset) -> None:
    article = dataset.articles[0]
    assert [p.id for p in paragraphs_about(article, "cku-railway")] == [
        "p9", "p10", "p11", "p12", "p21"
    ]  # fmt: skip
    assert [p.id for p in paragraphs_about(article, "nord-stream-1")] == ["p18"]
    assert paragraphs_about(article, "power-of-siberia") == ()


def test_an_excerpt_highlights_its_corridors_and_countries(dataset: Dataset) -> None:
    article = dataset.articles[0]
    selection = selection_for(ViewState(LAYERS, excerpt="p20"), article)
    assert selection.key == "excerpt:p20"
    assert selection.corridors == ("northern-sea-route", "suez-canal")
    assert selection.countries == ("CHN", "RUS")


def test_the_excerpt_wins_over_the_focus_and_nothing_selected_is_empty(dataset: Dataset) -> None:
    article = dataset.articles[0]
    both = selection_for(ViewState(LAYERS, focus="cku-railway", excerpt="p18"), article)
    assert both.corridors == ("nord-stream-1",)
    focus = selection_for(ViewState(LAYERS, focus="cku-railway"), article)
    assert (focus.key, focus.corridors, focus.countries) == (
        "focus:cku-railway",
        ("cku-railway",),
        (),
    )
    nothing = selection_for(ViewState(LAYERS), article)
    assert not nothing and nothing.key == ""


def test_the_panel_lists_the_focused_corridors_paragraphs(dataset: Dataset) -> None:
    article = dataset.articles[0]
    assert len(shown_paragraphs(ViewState(LAYERS), article)) == 22
    focused = shown_paragraphs(ViewState(LAYERS, focus="nord-stream-1"), article)
    assert [p.id for p in focused] == ["p18"]


def test_excerpts_are_attributed(dataset: Dataset) -> None:
    article = dataset.articles[0]
    assert attribution(article) == (
        "Russia’s Pivot to Asia, “Russia Warming to China’s Belt & Road Initiative Projects”, "
        "25 Apr 2024"
    )
    assert paragraph_label(article, paragraph(article, "p9")) == "Article ¶9"
    # The last paragraph is the publisher's own comment, not the reporting it republished.
    assert paragraph_label(article, paragraph(article, "p22")) == "Publisher’s comment ¶22"
