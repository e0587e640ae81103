"""The article store (corridors.articles) on a SQLite file and on a real PostgreSQL server: what
is stored comes back the same, one article is one row however many send it, and a database that
is down or of another version is reported, never worked around."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time

import pytest
import sqlalchemy as sa

from corridors import articles, intake
from corridors.articles import ArticleStore, StoreUnavailable
from corridors.dataset import Dataset
from harness.loopback import free_port
from harness.postgres import restart, start_postgres
from tests.hostile import CORPUS

LINE = "The China–Kyrgyzstan–Uzbekistan railway will run 523 km from Kashgar."
NEXT = "The line will cross the Torugart pass, officials in Bishkek said."


def article(
    dataset: Dataset, title: str = "Rail deal", text: str = f"{LINE}\n\n{NEXT}"
) -> intake.Article:
    corridors = dataset.corridors
    kinds = dict(zip(corridors["corridor"], corridors["kind"], strict=True))
    draft = intake.from_text(f"{title}\n\n{text}")
    return intake.link(
        draft, title, "Example News", dt.date(2024, 5, 2), "https://example.com/a",
        dataset.gazetteer, kinds,
    )  # fmt: skip


def rows(url: str) -> int:
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        count = connection.execute(sa.select(sa.func.count()).select_from(articles.ARTICLES))
        value = int(count.scalar_one())
    engine.dispose()
    return value


def test_a_stored_article_comes_back_the_same(dataset: Dataset, database_url: str) -> None:
    stored = article(dataset)
    store = ArticleStore(database_url)
    assert store.save(stored) == stored.id
    again = ArticleStore(database_url).load(stored.id)  # another replica's store
    assert again == stored
    assert again is not None and again.paragraphs[1].corridors == ("cku-railway",)


def test_the_same_article_from_twenty_sessions_at_once_is_one_row(
    dataset: Dataset, database_url: str
) -> None:
    stored = article(dataset)
    ids: list[str] = []
    errors: list[BaseException] = []

    def send() -> None:
        try:
            ids.append(ArticleStore(database_url).save(stored))
        except BaseException as error:  # reported below, not lost in the thread
            errors.append(error)

    threads = [threading.Thread(target=send) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and set(ids) == {stored.id} and len(ids) == 20
    assert rows(database_url) == 1
    ArticleStore(database_url).save(article(dataset, title="Another"))
    assert rows(database_url) == 2


def test_hostile_text_is_stored_and_returned_literally(dataset: Dataset, database_url: str) -> None:
    store = ArticleStore(database_url)
    for i, text in enumerate(CORPUS):
        body = " ".join(text.split()) or "x"
        stored = article(dataset, title=f"T{i}", text=f"{LINE}\n\n{body}.")
        store.save(stored)
        assert store.load(stored.id) == stored


def test_unknown_and_malformed_ids_find_nothing(dataset: Dataset, database_url: str) -> None:
    store = ArticleStore(database_url)
    store.save(article(dataset))
    for wrong in ("r" + "0" * 20, "2024-04-25-russia-warming-to-bri", "' OR 1=1 --", "", "r" * 500):
        assert store.load(wrong) is None
    assert not store.delete("r" + "0" * 20)


def test_an_operator_lists_shows_and_deletes(
    dataset: Dataset, database_url: str, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    monkeypatch.setenv(articles.SETTING, database_url)
    one, two = article(dataset), article(dataset, title="Pipeline talks")
    store = articles.shared_store()
    store.save(one)
    time.sleep(0.01)
    store.save(two)
    assert articles.main(["list"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert listed[0].startswith(two.id) and listed[1].startswith(one.id)
    assert "'Pipeline talks'" in listed[0] and listed[-1] == "2 stored articles"
    assert articles.main(["show", one.id]) == 0
    assert json.loads(capsys.readouterr().out)["paragraphs"][0]["text"] == LINE
    assert articles.main(["delete", one.id]) == 0
    assert articles.main(["show", one.id]) == 1
    assert articles.main(["delete", one.id]) == 1
    assert "no stored article" in capsys.readouterr().err
    assert [s.id for s in store.list()] == [two.id]


def test_a_database_that_is_down_is_reported_quickly(dataset: Dataset) -> None:
    closed = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/corridors"
    start = time.monotonic()
    with pytest.raises(StoreUnavailable, match="Stored articles are unavailable"):
        ArticleStore(closed).load("r" + "0" * 20)
    with pytest.raises(StoreUnavailable):
        ArticleStore(closed).save(article(dataset))
    assert time.monotonic() - start < 2 * articles.CONNECT_TIMEOUT_S + 2


def test_a_database_that_goes_down_and_comes_back_is_used_again(dataset: Dataset) -> None:
    server = start_postgres()
    try:
        store = ArticleStore(server.url)
        stored = article(dataset)
        store.save(stored)
        server.stop()
        with pytest.raises(StoreUnavailable, match="did not answer"):
            store.load(stored.id)
        server = restart(server)
        assert store.load(stored.id) == stored  # the same store: its pool reconnects
    finally:
        server.remove()


def test_a_database_of_another_schema_version_is_refused(
    dataset: Dataset, database_url: str
) -> None:
    ArticleStore(database_url).save(article(dataset))
    engine = sa.create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(articles.VERSION_TABLE.update().values(version=99))
    engine.dispose()
    with pytest.raises(StoreUnavailable, match=r"schema version \[99\]"):
        ArticleStore(database_url).load("r" + "0" * 20)


def test_a_damaged_row_is_reported_not_shown(dataset: Dataset, database_url: str) -> None:
    stored = article(dataset)
    ArticleStore(database_url).save(stored)
    engine = sa.create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(articles.ARTICLES.update().values(document='{"id": 1}'))
    engine.dispose()
    with pytest.raises(StoreUnavailable, match="is damaged"):
        ArticleStore(database_url).load(stored.id)


def test_the_store_holds_text_and_links_never_html(dataset: Dataset, database_url: str) -> None:
    html = f"<html><body><article><p>{LINE}</p><p><b>{NEXT}</b></p></article></body></html>"
    draft = intake.from_html(html.encode(), None, "file")
    corridors = dataset.corridors
    kinds = dict(zip(corridors["corridor"], corridors["kind"], strict=True))
    stored = intake.link(draft, "T", "P", dt.date(2024, 5, 2), None, dataset.gazetteer, kinds)
    ArticleStore(database_url).save(stored)
    engine = sa.create_engine(database_url)
    with engine.connect() as connection:
        (document,) = connection.execute(sa.select(articles.ARTICLES.c.document)).scalars()
    engine.dispose()
    assert "<" not in document and json.loads(document)["paragraphs"][1]["text"] == NEXT
