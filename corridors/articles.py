"""Readers' articles, stored: a SQLite file by default, PostgreSQL when
``CORRIDORS_DATABASE_URL`` is set (any SQLAlchemy URL, e.g.
``postgresql+psycopg://user:password@host/corridors``), so every replica sharing the database
opens every stored article's link.

The schema is the tables below, version `SCHEMA_VERSION`, recorded in ``schema_version``; a
database of another version is refused, not altered (a future version adds its migration here).
A row holds the article's cleaned text and links as the built-article JSON (`article_to_json`,
validated again on the way out), never HTML. Its id is derived from that content
(`intake.content_id`), so the same article sent twice, or by twenty sessions at once, is one
row: a write that finds its id already there changes nothing.

Stored articles are unlisted: the page reaches one only by its id. Operators list, show and
delete them: ``python -m corridors.articles list|show ID|delete ID``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from corridors.article import Article, article_from_dict, article_to_json
from corridors.errors import DataError
from corridors.schema import READER_ARTICLE_ID

SETTING: Final = "CORRIDORS_DATABASE_URL"
DEFAULT_FILE: Final = Path(__file__).resolve().parents[1] / "var" / "articles.sqlite3"
SCHEMA_VERSION: Final = 1
# How long a replica waits for the database before telling the reader it is unavailable.
CONNECT_TIMEOUT_S: Final = 3

METADATA = sa.MetaData()
VERSION_TABLE = sa.Table(
    "schema_version", METADATA, sa.Column("version", sa.Integer, primary_key=True)
)
ARTICLES = sa.Table(
    "articles",
    METADATA,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("publisher", sa.Text, nullable=False),
    sa.Column("published", sa.Date, nullable=False),
    sa.Column("url", sa.Text),
    sa.Column("document", sa.Text, nullable=False),  # the built-article JSON: text and links
    sa.Column("stored", sa.DateTime(timezone=True), nullable=False),
)


class StoreUnavailable(RuntimeError):
    """The database cannot be reached or is not this version's; the message is for the reader."""


@dataclass(frozen=True)
class Stored:
    """One row as an operator lists it."""

    id: str
    title: str
    publisher: str
    published: dt.date
    url: str | None
    stored: dt.datetime


def database_url() -> str:
    """The database the environment names, else the SQLite file under var/."""
    return os.environ.get(SETTING) or f"sqlite:///{DEFAULT_FILE}"


class ArticleStore:
    """The stored articles in the database at ``url``; its schema is made on first use."""

    def __init__(self, url: str) -> None:
        self.url = url
        options: dict[str, object] = {"pool_pre_ping": True}
        backend = sa.engine.make_url(url).get_backend_name()
        if backend == "sqlite":
            database = sa.engine.make_url(url).database
            if database and database != ":memory:":
                Path(database).parent.mkdir(parents=True, exist_ok=True)
            options["connect_args"] = {"timeout": CONNECT_TIMEOUT_S}
        elif backend == "postgresql":
            options["connect_args"] = {"connect_timeout": CONNECT_TIMEOUT_S}
        self.engine = sa.create_engine(url, **options)
        if backend == "sqlite":
            _serialise_writes(self.engine)
        self._ready = False
        self._lock = threading.Lock()

    @contextmanager
    def _connection(self) -> Iterator[sa.Connection]:
        """A transaction on a checked schema; StoreUnavailable if the database is not there."""
        try:
            with self._lock:
                if not self._ready:
                    self._prepare()
                    self._ready = True
            with self.engine.begin() as connection:
                yield connection
        except sa.exc.SQLAlchemyError as error:  # down, refusing us, or not a database
            cause = getattr(error, "orig", None) or error
            raise StoreUnavailable(
                f"Stored articles are unavailable: the database did not answer "
                f"({type(cause).__name__})."
            ) from error

    def _prepare(self) -> None:
        """Create the tables and record the version, or check the version recorded.

        Replicas starting together on an empty database race to create the tables and insert
        the version: the loser's statement fails on a unique key, and its second look finds
        the winner's schema.
        """
        for attempt in (1, 2):
            try:
                return self._create_or_check()
            except (sa.exc.IntegrityError, sa.exc.ProgrammingError):
                if attempt == 2:
                    raise

    def _create_or_check(self) -> None:
        with self.engine.begin() as connection:
            METADATA.create_all(connection, checkfirst=True)
            versions = connection.execute(sa.select(VERSION_TABLE.c.version)).scalars().all()
            if not versions:
                connection.execute(VERSION_TABLE.insert().values(version=SCHEMA_VERSION))
            elif versions != [SCHEMA_VERSION]:
                raise StoreUnavailable(
                    f"Stored articles are unavailable: the database holds schema version "
                    f"{versions}, this app reads version {SCHEMA_VERSION}."
                )

    def save(self, article: Article) -> str:
        """Store ``article`` (its id derived from its content) once; its id either way."""
        if not READER_ARTICLE_ID.fullmatch(article.id):
            raise ValueError(f"not a reader article's id: {article.id!r}")
        row = {
            "id": article.id,
            "title": article.meta.title,
            "publisher": article.meta.publisher,
            "published": article.meta.date,
            "url": article.meta.url,
            "document": article_to_json(article),
            "stored": dt.datetime.now(dt.UTC),
        }
        dialect = postgresql if self.engine.dialect.name == "postgresql" else sqlite
        statement = dialect.insert(ARTICLES).values(row).on_conflict_do_nothing()
        with self._connection() as connection:
            connection.execute(statement)
        return article.id

    def load(self, article_id: str) -> Article | None:
        """The article stored as ``article_id``, or None if there is none."""
        if not READER_ARTICLE_ID.fullmatch(article_id):
            return None
        query = sa.select(ARTICLES.c.document).where(ARTICLES.c.id == article_id)
        with self._connection() as connection:
            document = connection.execute(query).scalar_one_or_none()
        if document is None:
            return None
        try:
            article = article_from_dict(json.loads(document), f"stored article {article_id}")
        except (DataError, json.JSONDecodeError) as error:
            raise StoreUnavailable(f"The stored article {article_id} is damaged: {error}") from None
        if article.id != article_id:
            raise StoreUnavailable(f"The stored article {article_id} holds another id.")
        return article

    def list(self) -> list[Stored]:
        """Every stored article, newest first (for operators: the page lists none)."""
        columns = [ARTICLES.c[name] for name in ("id", "title", "publisher", "published", "url")]
        query = sa.select(*columns, ARTICLES.c.stored).order_by(ARTICLES.c.stored.desc())
        with self._connection() as connection:
            return [Stored(**row._mapping) for row in connection.execute(query)]

    def delete(self, article_id: str) -> bool:
        """Delete ``article_id``; whether there was one."""
        with self._connection() as connection:
            result = connection.execute(ARTICLES.delete().where(ARTICLES.c.id == article_id))
        return bool(result.rowcount)


def _serialise_writes(engine: sa.Engine) -> None:
    """SQLite: each transaction takes the write lock at its start (BEGIN IMMEDIATE), waiting up
    to the timeout for it, instead of failing at once when two try to upgrade a read lock; and
    the write-ahead log lets pages read while an article is written."""

    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, record: object) -> None:
        dbapi_connection.isolation_level = None  # the BEGIN below is the only one
        dbapi_connection.execute("PRAGMA journal_mode=WAL")

    @sa.event.listens_for(engine, "begin")
    def _begin(connection: sa.Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


_STORES: dict[str, ArticleStore] = {}
_STORES_LOCK = threading.Lock()


def shared_store(url: str | None = None) -> ArticleStore:
    """One store (and connection pool) per database per process."""
    url = url or database_url()
    with _STORES_LOCK:
        if url not in _STORES:
            _STORES[url] = ArticleStore(url)
        return _STORES[url]


def main(argv: Sequence[str] | None = None) -> int:
    """The operator command; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m corridors.articles",
        description=f"Readers' stored articles, in the database {SETTING} names "
        f"(default: {DEFAULT_FILE}).",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="every stored article, newest first")
    for name, text in (("show", "one article's metadata and paragraphs"), ("delete", "delete one")):
        commands.add_parser(name, help=text).add_argument("id")
    args = parser.parse_args(argv)
    store = shared_store()
    try:
        if args.command == "list":
            rows = store.list()
            for row in rows:
                print(f"{row.id}  {row.published}  {row.stored:%Y-%m-%d %H:%M}  "
                      f"{row.publisher!r}  {row.title!r}  {row.url or ''}")  # fmt: skip
            print(f"{len(rows)} stored article{'s' if len(rows) != 1 else ''}")
            return 0
        if args.command == "show":
            article = store.load(args.id)
            if article is None:
                print(f"no stored article {args.id!r}", file=sys.stderr)
                return 1
            print(article_to_json(article), end="")
            return 0
        if not store.delete(args.id):
            print(f"no stored article {args.id!r}", file=sys.stderr)
            return 1
        print(f"deleted {args.id}")
        return 0
    except StoreUnavailable as error:
        print(error, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
