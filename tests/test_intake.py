"""A reader's article coming in (corridors.intake): read from text, Markdown, files and HTML,
linked exactly as the seed article is, and every bad input refused with a notice."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from corridors import intake
from corridors.article import read_meta
from corridors.dataset import GEODATA, Dataset
from corridors.intake import Refused
from corridors.schema import READER_ARTICLE_ID
from tests.hostile import CORPUS

SEED = GEODATA / "articles" / "2024-04-25-russia-warming-to-bri"
DAY = dt.date(2024, 5, 2)
LINE = "The China–Kyrgyzstan–Uzbekistan railway will run 523 km from Kashgar."
NEXT = "The line will cross the Torugart pass, officials in Bishkek said."


def kinds(dataset: Dataset) -> dict[str, str]:
    corridors = dataset.corridors
    return dict(zip(corridors["corridor"], corridors["kind"], strict=True))


def linked(dataset: Dataset, draft: intake.Draft, **fields: object) -> intake.Article:
    values: dict[str, object] = {
        "title": draft.title, "publisher": draft.publisher, "date": draft.date or DAY,
        "url": draft.url,
    }  # fmt: skip
    values.update(fields)
    return intake.link(draft, gazetteer=dataset.gazetteer, corridor_kinds=kinds(dataset), **values)  # type: ignore[arg-type]


def test_the_seed_article_pasted_links_exactly_as_the_seed(dataset: Dataset) -> None:
    raw = SEED.with_suffix(".raw.txt").read_text(encoding="utf-8")
    meta = read_meta(SEED.with_suffix(".meta.json"))
    draft = intake.from_text(raw)
    assert draft.title == meta.title
    article = linked(dataset, draft, publisher=meta.publisher, date=meta.date)
    (seed,) = dataset.articles
    assert article.paragraphs == seed.paragraphs  # text, voice and every link, "the line" too
    assert READER_ARTICLE_ID.fullmatch(article.id)


def test_the_same_article_gets_the_same_id_and_another_title_another(dataset: Dataset) -> None:
    draft = intake.from_text(f"A title\n\n{LINE}\n\n{NEXT}")
    one, two = (linked(dataset, draft) for _ in range(2))
    assert one.id == two.id
    assert linked(dataset, draft, title="Another title").id != one.id


def test_a_reference_continues_the_previous_paragraphs_subject(dataset: Dataset) -> None:
    article = linked(dataset, intake.from_text(f"A title\n\n{LINE}\n\n{NEXT}"))
    first, second = article.paragraphs
    assert first.corridors == ("cku-railway",) and second.corridors == ("cku-railway",)
    assert (
        "KGZ" in second.countries
    )  # Bishkek is not a country, but the pass's country is not named


def test_html_is_read_for_its_article_and_metadata_never_kept_as_html(dataset: Dataset) -> None:
    html = f"""<html><head><title>Rail deal | Example News</title>
    <meta property="og:title" content="Rail deal signed">
    <meta property="og:site_name" content="Example News">
    <meta property="article:published_time" content="2024-06-06T09:00:00Z"></head>
    <body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
    <article><h1>Rail deal signed</h1><p>{LINE}</p><p>{NEXT}</p>
    <p><img src=x onerror="alert(1)"><script>alert(2)</script>Power of Siberia 2 was discussed.</p>
    </article><footer>© 2024 Example News. All rights reserved.</footer></body></html>"""
    draft = intake.from_html(html.encode(), "https://news.example.com/rail", "the link")
    assert (draft.title, draft.publisher, draft.date) == (
        "Rail deal signed", "Example News", dt.date(2024, 6, 6),
    )  # fmt: skip
    article = linked(dataset, draft)
    texts = [p.text for p in article.paragraphs]
    assert LINE in texts and NEXT in texts
    assert not any("<" in t or "alert" in t or "Home" in t for t in texts), texts
    assert article.meta.url == "https://news.example.com/rail"


def test_markdown_markup_is_dropped(dataset: Dataset) -> None:
    text = f"# Rail deal\n\n> {LINE}\n\nThe **line** will [cross](https://x.example) Torugart."
    draft = intake.from_file("deal.md", text.encode())
    assert draft.title == "Rail deal"
    texts = [p.text for p in linked(dataset, draft).paragraphs]
    assert texts == [LINE, "The line will cross Torugart."]


def test_a_date_in_the_texts_footer_is_taken_and_a_different_one_refused(
    dataset: Dataset,
) -> None:
    draft = intake.from_text(f"Title\n\n{LINE}\n\n{NEXT}\n\n12 March 2024\nViews: 210")
    assert draft.date == dt.date(2024, 3, 12)
    assert [p.text for p in linked(dataset, draft).paragraphs] == [LINE, NEXT]
    with pytest.raises(Refused, match="date it 2024-03-12, not 2024-05-02"):
        linked(dataset, draft, date=DAY)


def test_hostile_metadata_is_kept_literally_without_invisible_characters(
    dataset: Dataset,
) -> None:
    draft = intake.from_text(f"Title\n\n{LINE}")
    for text in CORPUS:
        article = linked(dataset, draft, title=text, publisher=text)
        assert article.meta.title == " ".join(intake.visible_text(text).split())
        assert "\u202e" not in article.meta.title and "\x00" not in article.meta.publisher


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("a.txt", b"", "There is no text"),
        ("a.txt", b"   \n\n  ", "There is no text"),
        ("a.txt", "The line runs.".encode("utf-16"), "UTF-16"),
        ("a.txt", "The line runs.".encode("utf-16-le"), "UTF-16"),
        ("a.txt", "Caf\xe9 on the line".encode("latin-1"), r"not UTF-8 text \(byte 0xE9"),
        ("a.html", "<p>Caf\xe9</p>".encode("cp1252"), "not UTF-8"),
        ("a.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary data"),
        ("a.txt", bytes(range(1, 32)) * 10, "control characters"),
        ("a.pdf", b"%PDF-1.7", r"not a \.txt, \.md or \.html file"),
        ("a.txt", b"a " * 600_000, "1,200,000 bytes"),
    ],
)
def test_files_that_are_not_an_articles_text_are_refused(
    name: str, data: bytes, message: str
) -> None:
    with pytest.raises(Refused, match=message):
        intake.from_file(name, data)


def test_a_ten_megabyte_paste_is_refused() -> None:
    with pytest.raises(Refused, match="10,000,000 bytes"):
        intake.from_text("x" * 10_000_000)


def test_ten_thousand_one_word_paragraphs_are_refused_before_the_form(dataset: Dataset) -> None:
    start = time.perf_counter()
    with pytest.raises(Refused, match="10,001 paragraphs; an article may have at most 400"):
        intake.from_text("Title\n\n" + "\n\n".join(f"Word{i}." for i in range(10_000)))
    with pytest.raises(Refused, match="10,000 paragraphs"):  # one a line, no blank lines
        intake.from_text("\n".join(f"Word{i}." for i in range(10_000)))
    assert time.perf_counter() - start < 1
    # Over the limit after the title and footer are dropped: refused when linked.
    draft = intake.from_text("Title\n\n" + "\n\n".join(f"Word{i}." for i in range(401)))
    with pytest.raises(Refused, match="401 paragraphs"):
        linked(dataset, draft)


@pytest.mark.parametrize(
    ("html", "message"),
    [
        ("<div>" * 60_000 + "x" + "</div>" * 60_000, "120,000 HTML tags"),
        ("<p>" + "<b>word</b>" * 50_000 + "</p>", "100,002 HTML tags"),
        ('<html><body><p title="' + "a" * 900_000 + '"></p></body></html>', "No article text"),
        (
            '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
            + "".join(
                f'<!ENTITY {c} "{("&" + p + ";") * 10}">'
                for p, c in zip("abcdefgh", "bcdefghi", strict=True)
            )
            + f"]><html><body><article><p>&i;</p><p>{LINE}</p><p>{NEXT}</p></article>",
            "No article text",
        ),
        ("<html><body></body></html>", "No article text"),
    ],
    ids=["deep nesting", "too many elements", "huge attribute", "entity bomb", "no article"],
)
def test_html_built_to_blow_up_is_refused_quickly(html: str, message: str) -> None:
    start = time.perf_counter()
    with pytest.raises(Refused, match=message):
        intake.from_file("page.html", html.encode())
    assert time.perf_counter() - start < 5


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "T" * 301, "title is 301 characters"),
        ("publisher", "P" * 121, "publisher is 121 characters"),
        ("url", "javascript:alert(1)", "must start with http"),
        ("url", "https://example.com/" + "a" * 2_000, "url is 2,020 characters"),
    ],
)
def test_fields_out_of_bounds_are_refused(
    dataset: Dataset, field: str, value: str, message: str
) -> None:
    with pytest.raises(Refused, match=message):
        linked(dataset, intake.from_text(f"Title\n\n{LINE}"), **{field: value})


def test_a_five_thousand_word_article_links_in_well_under_a_second(dataset: Dataset) -> None:
    paragraph = f"{LINE} {NEXT} Kazakhstan and Russia signed, and the EAEU agreed. " * 3
    text = "Title\n\n" + "\n\n".join([paragraph] * (5_000 // len(paragraph.split()) + 1))
    start = time.perf_counter()
    article = linked(dataset, intake.from_text(text))
    assert sum(len(p.text.split()) for p in article.paragraphs) >= 5_000
    assert time.perf_counter() - start < 5  # the 1 s budget is the benchmark's to report


def test_markdown_blocks_stay_apart_and_list_markers_go(dataset: Dataset) -> None:
    text = (
        f"# Rail deal\n\nBy a reporter in Bishkek\n\n> {LINE}\n\n## The route\n\n"
        "- Kashgar to Torugart\n- Torugart to Andijan\n"
    )
    texts = [p.text for p in linked(dataset, intake.from_file("deal.md", text.encode())).paragraphs]
    assert texts == [
        "By a reporter in Bishkek", LINE, "The route", "Kashgar to Torugart Torugart to Andijan",
    ]  # fmt: skip


def test_a_corrected_title_still_drops_the_headline_the_text_was_read_with(
    dataset: Dataset,
) -> None:
    draft = intake.from_text(f"Rail deal signed\n\n{LINE}\n\n{NEXT}")
    texts = [p.text for p in linked(dataset, draft, title="Rail deal signed in Bishkek").paragraphs]
    assert texts == [LINE, NEXT]
