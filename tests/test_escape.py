"""Escaping for Streamlit Markdown: hostile text renders literally, links only for http(s)."""

from __future__ import annotations

import html

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from corridors.escape import markdown_link, markdown_text, safe_url, visible_text

# CommonMark, as Streamlit's renderer (remark) implements it, plus its strikethrough and tables.
MD = MarkdownIt("commonmark").enable(["strikethrough", "table"])

HOSTILE = [
    '<img src=x onerror="alert(1)">',
    "<script>alert(1)</script>",
    "[click](javascript:alert(1))",
    "![img](https://example.com/x.png)",
    "<https://example.com>",
    "**bold** _em_ ~~strike~~ `code`",
    "# heading",
    "> quote",
    "- item",
    "1. item",
    "| a | b |\n|---|---|\n| c | d |",
    ":red[coloured] :material/home: $x^2$",
    "${alert(1)} `back` \\ backslash",
    "a\u202eevil\u202c b\u200bc",
    "nul\x00 bell\x07 esc\x1b",
    "&amp; &lt;b&gt; &#x3C;",
    "line one\nline two\r\n  indented",
    "x" * 10_000,
]


def rendered_text(markdown: str) -> tuple[str, str]:
    """The HTML CommonMark makes of ``markdown``, and that HTML's text content."""
    out = MD.render(markdown)
    text = out.removeprefix("<p>").removesuffix("</p>\n")
    return out, html.unescape(text)


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_text_renders_literally(text: str) -> None:
    out, shown = rendered_text(markdown_text(text))
    assert out.startswith("<p>"), out  # one plain paragraph: no heading, list, quote or table
    for tag in ("<a", "<img", "<script", "<em", "<strong", "<code", "<del", "<h1", "<table"):
        assert tag not in out.removeprefix("<p>")
    assert shown == visible_text(text)


@given(st.text(max_size=200))
def test_any_text_renders_as_itself(text: str) -> None:
    out, shown = rendered_text(markdown_text(text))
    assert "<a " not in out and "<img" not in out
    # CommonMark trims a paragraph's surrounding spaces; everything else survives as typed.
    assert shown.strip() == visible_text(text).strip() or not visible_text(text).strip()


def test_visible_text_drops_direction_overrides_and_controls() -> None:
    assert visible_text("a\u202eb\u200bc\x00d\ne") == "abcd e"


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:x",
        "//example.com/x",
        "/relative",
        "https://example.com/ spaced",
        'https://example.com/"onmouseover="x',
        None,
        42,
    ],
)
def test_only_http_urls_are_links(url: object) -> None:
    assert safe_url(url) is None
    assert "](" not in markdown_link("label", url)


def test_http_link_keeps_its_target_whole() -> None:
    link = markdown_link("Torugart [pass]", "https://en.wikipedia.org/wiki/Foo_(bar)")
    out = MD.render(link)
    assert 'href="https://en.wikipedia.org/wiki/Foo_%28bar%29"' in out
    assert ">Torugart [pass]</a>" in out
