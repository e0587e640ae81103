"""A reader's own article on the page (Streamlit's AppTest, in-process), on a SQLite file and on
a real PostgreSQL server: pasted or fetched, checked, linked, stored and opened by its link; and
every refusal shown as a notice with nothing written."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from corridors import articles, fetch, intake
from harness.loopback import free_port
from tests.hostile import CORPUS
from tests.pagecopy import app_copy
from tests.test_app import rendered, view

APP = app_copy()
TEXT = """Moscow and Beijing edge closer on Arctic shipping

Russian officials said on Tuesday that cargo on the Northern Sea Route could double.

The route is roughly a third shorter than the voyage through the Suez Canal.

Further west, the China–Kyrgyzstan–Uzbekistan railway's construction began. The line will \
cross the Tian Shan at Torugart.

12 November 2026
Views: 1,204"""
PARAGRAPHS = 3


@pytest.fixture
def store(database_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv(articles.SETTING, database_url)
    return database_url


def stored_rows(url: str) -> int:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            if not sa.inspect(connection).has_table("articles"):
                return 0
            query = sa.select(sa.func.count()).select_from(articles.ARTICLES)
            return int(connection.execute(query).scalar_one())
    finally:
        engine.dispose()


def page(**params: str) -> AppTest:
    """The page opened with ``params``, its *Bring your own article* panel open."""
    at = AppTest.from_file(str(APP), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.session_state["intake"] = True  # the panel's expander: built only while open
    return at.run()


def paste(at: AppTest, text: str) -> AppTest:
    at.text_area(key="paste-text").set_value(text)
    return at.button(key="read-text").click().run()


def save(at: AppTest, **fields: object) -> AppTest:
    for name, value in fields.items():
        widget = at.date_input if name == "date" else at.text_input
        widget(key=f"draft-{name}").set_value(value)
    (submit,) = [b for b in at.get("form_submit_button") if "Link and show" in b.proto.label]
    return submit.click().run()  # type: ignore[no-any-return]


def said(element: object) -> str:
    """What a reader reads in a notice (its Markdown rendered)."""
    return rendered(element.value)[1]  # type: ignore[attr-defined]


def excerpts(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if "names" in m.value or "¶" in m.value]


def test_a_pasted_article_is_linked_stored_and_opened_by_its_link(store: str) -> None:
    at = paste(page(basemap="none"), TEXT)
    assert not at.error
    assert (
        at.text_input(key="draft-title").value
        == "Moscow and Beijing edge closer on Arctic shipping"
    )
    assert at.date_input(key="draft-date").value == dt.date(2026, 11, 12)  # from its footer
    at = save(at, publisher="Example Wire")
    assert not at.exception and not at.error
    article_id = at.selectbox(key="article").value
    assert articles.shared_store().load(article_id) is not None
    assert ["article", article_id] in view(at)["query"]
    assert at.sidebar.button(key="date-Article: 12 Nov 2026")  # the date preset is its date
    shown = excerpts(at)
    assert len(shown) == PARAGRAPHS and "Northern Sea Route" in shown[0]
    assert "Example Wire, “Moscow and Beijing edge closer on Arctic shipping”, 12 Nov 2026" in [
        rendered(c.value)[1] for c in at.caption
    ]
    # Another session (another replica, for all the store knows) opens the link.
    other = page(article=article_id, excerpt="p3", basemap="none")
    assert not other.warning
    assert excerpts(other)[2].endswith(shown[2])  # the excerpt named, in its place, marked
    assert view(other)["selection"]["corridors"] == ["cku-railway"]
    assert stored_rows(store) == 1
    again = save(paste(page(), TEXT), publisher="Example Wire")
    assert again.selectbox(key="article").value == article_id and stored_rows(store) == 1


def test_the_seed_stays_the_default_and_the_reader_can_go_back_to_it(store: str) -> None:
    at = save(paste(page(), TEXT), publisher="Example Wire")
    at.selectbox(key="article").set_value("").run()
    assert ["article", at.session_state["article"]] not in view(at)["query"]
    assert any("Russia’s Pivot to Asia" in rendered(c.value)[1] for c in at.caption)


@pytest.mark.parametrize(
    ("text", "notice"),
    [
        ("", "There is no text"),
        ("   \n  ", "There is no text"),
        ("x " * 600_000, "at most 1,000,000"),
        ("Title\n\n" + "\n\n".join(f"Word{i}." for i in range(10_000)), "10,001 paragraphs"),
    ],
    ids=["empty", "blank", "over 1 MB", "10,000 paragraphs"],
)
def test_refused_text_is_a_notice_and_nothing_is_written(
    store: str, text: str, notice: str
) -> None:
    at = paste(page(), text)
    if not at.error:  # read in, refused when linked
        at = save(at, publisher="P")
    assert notice in said(at.error[0])
    assert not at.exception and stored_rows(store) == 0


def test_hostile_metadata_and_text_are_shown_literally(store: str) -> None:
    for text in CORPUS[:12]:
        at = paste(page(), f"Title\n\nThe Northern Sea Route: {text}.")
        at = save(at, title=text, publisher=text)
        assert not at.exception and not at.error
        (caption,) = [c for c in at.caption if "“" in rendered(c.value)[1]]
        html_out, seen = rendered(caption.value)
        assert "<img" not in html_out and "<script" not in html_out and "<a " not in html_out
        assert " ".join(intake.visible_text(text).split()) in seen


def test_an_unknown_article_link_shows_the_seed_with_a_notice(store: str) -> None:
    at = page(article="r" + "0" * 20)
    assert "No article r00000000000000000000 is stored" in said(at.warning[0])
    assert any("Russia’s Pivot to Asia" in rendered(c.value)[1] for c in at.caption)
    assert "not a stored article's id" in said(page(article="../etc/passwd").warning[0])


def test_a_database_that_is_down_leaves_the_seed_and_keeps_the_draft(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    closed = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/corridors"
    monkeypatch.setenv(articles.SETTING, closed)
    at = page(article="r" + "1" * 20)
    assert "Stored articles are unavailable" in said(at.warning[0])
    assert any("Russia’s Pivot to Asia" in rendered(c.value)[1] for c in at.caption)
    at = save(paste(at, TEXT), publisher="Example Wire")
    assert "Stored articles are unavailable" in said(at.error[0])
    assert "Nothing was saved" in said(at.error[0])
    assert at.text_input(key="draft-publisher").value == "Example Wire"  # nothing lost


class Pages(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if self.path == "/to-metadata":
            self.send_response(302)
            self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
            self.end_headers()
            return
        body = (
            b"<html><head><title>Gas talks</title>"
            b'<meta property="og:site_name" content="Loopback News">'
            b'<meta property="article:published_time" content="2026-10-02"></head><body><article>'
            b"<h1>Gas talks</h1><p>Deliveries through the Power of Siberia pipeline reached "
            b"their contracted level this year, officials in Moscow said.</p>"
            b"<p>Negotiators in Beijing were close to terms for a second line.</p>"
            b"</article></body></html>"
        )
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def site_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv(fetch.LOOPBACK_SETTING, "1")
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Pages)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_a_linked_page_is_fetched_read_and_saved(store: str, site_server: str) -> None:
    at = page()
    at.text_input(key="link-url").set_value(f"{site_server}/gas").run()
    at = at.button(key="read-link").click().run()
    assert not at.error
    assert at.text_input(key="draft-publisher").value == "Loopback News"
    assert at.date_input(key="draft-date").value == dt.date(2026, 10, 2)
    at = save(at)
    shown = excerpts(at)
    assert "Power of Siberia" in shown[0] and at.text_input(key="link-url").value == ""
    stored = articles.shared_store().load(at.selectbox(key="article").value)
    assert stored is not None and stored.meta.url == f"{site_server}/gas"
    assert stored.paragraphs[0].corridors == ("power-of-siberia",)


def test_a_link_redirecting_to_the_metadata_address_is_refused(
    store: str, site_server: str
) -> None:
    at = page()
    at.text_input(key="link-url").set_value(f"{site_server}/to-metadata").run()
    at = at.button(key="read-link").click().run()
    assert "169.254.169.254, a link-local address" in said(at.error[0])
    assert not at.get("form") and stored_rows(store) == 0


def test_a_second_text_refills_the_form_and_a_draft_can_be_discarded(store: str) -> None:
    at = paste(page(), TEXT)
    at.text_input(key="draft-publisher").set_value("Pub A").run()
    at = paste(at, "Second headline\n\nThe Power of Siberia pipeline is full.")
    assert at.text_input(key="draft-title").value == "Second headline"
    assert at.text_input(key="draft-publisher").value == ""  # not the first text's
    (discard,) = [b for b in at.get("form_submit_button") if b.proto.label == "Discard"]
    at = discard.click().run()
    assert not at.get("form") and stored_rows(store) == 0
    assert at.expander[0].proto.expanded  # the panel stays open once used


def test_a_date_after_today_is_brought_back_to_today_and_the_page_stays_up(store: str) -> None:
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    at = paste(page(), f"Title\n\n{TEXT.splitlines()[2]}\n\n{tomorrow:%d %B %Y}\nViews: 3")
    assert at.date_input(key="draft-date").value == dt.date.today()
    assert "date it" in said(save(at, publisher="P").error[0])  # its footer says tomorrow


def test_an_address_without_a_scheme_is_fetched_as_https(
    store: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def refuse(url: str) -> fetch.Fetched:
        asked.append(url)
        raise fetch.FetchRefused("no network here")

    monkeypatch.setattr("corridors.page.fetch", refuse)
    at = page()
    at.text_input(key="link-url").set_value("www.example.com/news/rail").run()
    at = at.button(key="read-link").click().run()
    assert asked == ["https://www.example.com/news/rail"] and "no network" in said(at.error[0])
    at.text_input(key="link-url").set_value("").run()
    assert "Give the article's address" in said(at.button(key="read-link").click().run().error[0])
