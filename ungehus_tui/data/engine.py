"""The engine factory: one place that turns settings into a configured SQLAlchemy engine.

SQLite: WAL, foreign keys on, a busy timeout, file created with mode 0600, and write
transactions started with BEGIN IMMEDIATE (`write_session`) so concurrent desks queue for the
write lock instead of failing with 'database is locked' half-way through a transaction.
PostgreSQL (`postgresql+psycopg://...`) runs the same code; a pooled connection is pinged
only after it has been idle a while (not on every checkout: the desk searches per keystroke),
and `read_once` runs a single-statement read outside a transaction, so a keystroke's search
is one round trip to the server.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, DisconnectionError
from sqlalchemy.pool import QueuePool, StaticPool
from sqlmodel import Session, create_engine


class StoreError(Exception):
    """The database cannot be used as asked; the message is one clear line."""


def resolve_url(db: str | None, data_dir: Path) -> str:
    """A path or an SQLAlchemy URL -> URL. None means SQLite in the data folder."""
    if db is None or db == "":
        data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        return f"sqlite:///{(data_dir / 'ungehus.db').resolve()}"
    if "://" in db:
        try:
            make_url(db)
        except ArgumentError:
            raise StoreError(f"Not a database URL: {db.split('://')[0]}://...") from None
        return db
    return f"sqlite:///{Path(db).expanduser().resolve()}"


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def _prepare_sqlite_file(url: str) -> None:
    database = make_url(url).database
    if not database or database == ":memory:":
        return
    path = Path(database)
    if not path.parent.is_dir():
        raise StoreError(f"Folder does not exist: {path.parent}")
    if path.exists():
        if path.is_dir():
            raise StoreError(f"Is a folder, not a database file: {path}")
        if not os.access(path, os.R_OK):
            raise StoreError(f"Cannot read database file: {path}")
        if not os.access(path, os.W_OK) or not path.stat().st_mode & stat.S_IWUSR:
            raise StoreError(f"The database file is read-only: {path}")
        if path.stat().st_size >= 16:
            with path.open("rb") as fh:
                if fh.read(16) != b"SQLite format 3\x00":
                    raise StoreError(f"Not an SQLite database: {path}")
        return
    if not os.access(path.parent, os.W_OK):
        raise StoreError(f"Cannot create a database in read-only folder: {path.parent}")
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)


def make_engine(url: str, *, busy_timeout_ms: int = 15000, echo: bool = False) -> Engine:
    """Build an engine for `url`; creates nothing but an empty 0600 SQLite file if missing."""
    if is_sqlite(url):
        _prepare_sqlite_file(url)
        memory = make_url(url).database in (None, "", ":memory:")
        engine = create_engine(
            url,
            echo=echo,
            connect_args={"check_same_thread": False, "timeout": busy_timeout_ms / 1000},
            # A small pool: the desk searches on every keystroke, and opening a connection
            # (with its PRAGMAs) costs more than the indexed query itself.
            poolclass=StaticPool if memory else QueuePool,
        )
        _configure_sqlite(engine, busy_timeout_ms, wal=not memory)
        return engine
    engine = create_engine(url, echo=echo)
    _ping_after_idle(engine)
    return engine


PING_AFTER_IDLE_S = 5.0


def _ping_after_idle(engine: Engine) -> None:
    """SQLAlchemy's `pool_pre_ping` costs a round trip on every checkout. A connection used
    within the last few seconds is taken as alive; an older one is pinged, and a dead one is
    replaced before anything runs on it (a server restart between a desk's keystrokes)."""

    @event.listens_for(engine, "connect")
    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_conn: object, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_conn: Any, record: Any, _proxy: object) -> None:
        if time.monotonic() - record.info.get("idle_since", 0.0) < PING_AFTER_IDLE_S:
            return
        try:
            engine.dialect.do_ping(dbapi_conn)
        except Exception as exc:
            raise DisconnectionError("the pooled connection is gone") from exc


def _configure_sqlite(engine: Engine, busy_timeout_ms: int, *, wal: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves
        cur = dbapi_conn.cursor()
        try:
            cur.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            cur.execute("PRAGMA foreign_keys = ON")
            if wal:
                mode = cur.execute("PRAGMA journal_mode = WAL").fetchone()
                if mode is None or str(mode[0]).lower() != "wal":
                    raise StoreError("Could not switch the SQLite database to WAL mode")
            cur.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"Not a usable SQLite database: {exc}") from None
        finally:
            cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # type: ignore[no-untyped-def]
        if conn.get_execution_options().get("sqlite_immediate"):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """A unit of work that writes: commits on success, rolls back on any error.

    On SQLite the transaction takes the write lock up front (BEGIN IMMEDIATE), so two desks
    never interleave a check-then-insert; on PostgreSQL services lock the rows they check.
    """
    bind = engine.execution_options(sqlite_immediate=True) if is_sqlite(str(engine.url)) else engine
    with Session(bind, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    """A unit of work that only reads."""
    with Session(engine, expire_on_commit=False) as session:
        yield session


@contextmanager
def read_once(engine: Engine) -> Iterator[Session]:
    """A read of ONE statement (the desk's search per keystroke). On PostgreSQL it runs
    outside a transaction (autocommit: no BEGIN and ROLLBACK round trips; one statement sees
    one snapshot anyway); on SQLite it is a `read_session`."""
    if engine.dialect.name == "sqlite":
        with read_session(engine) as session:
            yield session
        return
    with Session(_autocommit(engine), expire_on_commit=False) as session:
        yield session


def _autocommit(engine: Engine) -> Engine:
    cached = engine.__dict__.get("_ungehus_autocommit")
    if cached is None:
        cached = engine.execution_options(isolation_level="AUTOCOMMIT")
        engine.__dict__["_ungehus_autocommit"] = cached
    return cached
