"""The engine factory: one place that turns settings into a configured SQLAlchemy engine.

SQLite: WAL, foreign keys on, a busy timeout, file created with mode 0600 (an existing file
more open than that, and its -wal/-shm files, are tightened to 0600 and `notice` says so once),
and write
transactions started with BEGIN IMMEDIATE (`write_session`) so concurrent desks queue for the
write lock instead of failing with 'database is locked' half-way through a transaction.
PostgreSQL (`postgresql+psycopg://...`) runs the same code; a pooled connection is pinged
only after it has been idle a while (not on every checkout: the desk searches per keystroke),
and `read_once` runs a single-statement read outside a transaction, so a keystroke's search
is one round trip to the server. A statement marked `CUSTOM_PLAN` is planned for its own
parameters every time (not a prepared statement's generic plan).
"""

from __future__ import annotations

import os
import sqlite3
import stat
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, DisconnectionError, NoSuchModuleError
from sqlalchemy.pool import QueuePool, StaticPool
from sqlmodel import Session, create_engine


class StoreError(Exception):
    """The database cannot be used as asked; the message is one clear line."""


def _log_notice(message: str) -> None:
    import logging

    logging.getLogger("ungehus").warning(message)


# Where one-line notices about the store go (the CLI points it at stderr).
notice: Callable[[str], None] = _log_notice
_told: set[str] = set()

BACKENDS = ("sqlite", "postgresql")
MEMORY_REFUSED = "An in-memory database keeps nothing: give a database file path or a URL"


def _parse(db: str) -> URL:
    scheme = db.split("://")[0]
    try:
        url = make_url(db)
    except (ArgumentError, ValueError):  # ValueError: a port that is not a number
        raise StoreError(f"Not a database URL: {scheme}://...") from None
    backend = url.get_backend_name()
    if backend not in BACKENDS:
        raise StoreError(
            f"Unsupported database {backend!r}: Ungehus runs on SQLite (a file path) or "
            "PostgreSQL (postgresql+psycopg://...)"
        )
    if backend == "postgresql" and url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")  # the driver Ungehus ships with
    return url


def resolve_url(db: str | None, data_dir: Path, *, create: bool = True) -> str:
    """A path or an SQLAlchemy URL -> URL. None means SQLite in the data folder (created
    only with `create`). In-memory SQLite and unsupported backends are refused."""
    if db is None or db == "":
        if create:
            data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        return f"sqlite:///{(data_dir / 'ungehus.db').resolve()}"
    if db.strip() in (":memory:", "") or db.startswith("file::memory:"):
        raise StoreError(MEMORY_REFUSED)
    if "://" in db:
        url = _parse(db)
        if url.get_backend_name() == "sqlite" and (
            url.database in (None, "", ":memory:")
            or "memory" in str(url.query.get("mode", ""))
            or str(url.database).startswith("file::memory:")
        ):
            raise StoreError(MEMORY_REFUSED)
        return url.render_as_string(hide_password=False)
    return f"sqlite:///{Path(db).expanduser().resolve()}"


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def _tighten(path: Path) -> None:
    """A database file (or its -wal/-shm) readable or writable by others -> 0600; one
    notice per file and process."""
    tightened: list[str] = []
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            mode = stat.S_IMODE(p.stat().st_mode)
        except OSError:
            continue
        if not mode & 0o077:
            continue
        try:
            os.chmod(p, 0o600)
        except OSError:
            raise StoreError(
                f"The database file {p} can be read by others (mode {mode:o}) and cannot be "
                "made private: chmod 600 it"
            ) from None
        if str(p) not in _told:
            _told.add(str(p))
            tightened.append(f"{p.name} (was {mode:o})")
    if tightened:
        notice(f"Database files were open to others, now 600: {', '.join(tightened)}")


def _prepare_sqlite_file(url: str, *, create: bool = True) -> None:
    database = make_url(url).database
    if not database or database == ":memory:":
        return
    path = Path(database)
    if not create and not path.exists():
        raise StoreError(f"No database at {path}: run `ungehus init` first (or give --db)")
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
        _tighten(path)
        return
    if not os.access(path.parent, os.W_OK):
        raise StoreError(f"Cannot create a database in read-only folder: {path.parent}")
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)


def make_engine(
    url: str, *, busy_timeout_ms: int = 15000, echo: bool = False, create: bool = True
) -> Engine:
    """Build an engine for `url`; creates nothing but an empty 0600 SQLite file if missing
    (and not even that without `create`: a missing file is then a StoreError)."""
    try:
        return _make_engine(url, busy_timeout_ms=busy_timeout_ms, echo=echo, create=create)
    except (NoSuchModuleError, ImportError):
        raise StoreError(
            f"No database driver for {url.split('://')[0]}://...: Ungehus runs on SQLite or "
            "PostgreSQL (postgresql+psycopg://...)"
        ) from None
    except (ArgumentError, ValueError, TypeError) as exc:
        raise StoreError(f"Not a usable database URL ({type(exc).__name__})") from None


def _make_engine(url: str, *, busy_timeout_ms: int, echo: bool, create: bool) -> Engine:
    if is_sqlite(url):
        _prepare_sqlite_file(url, create=create)
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
    _custom_plans(engine)
    return engine


# An execution option: PostgreSQL plans the statement for its parameters on every execution.
CUSTOM_PLAN = "ungehus_custom_plan"


def _custom_plans(engine: Engine) -> None:
    """psycopg prepares a statement once it has run 5 times on a connection, and after 5
    more runs PostgreSQL may settle on one generic plan for every parameter. For a statement
    whose best plan depends on its parameters (the desk's search for two name words: stop an
    ordered scan early when the words are common together, hash the rarer word's young
    people when they are not) a statement marked `CUSTOM_PLAN` is sent unprepared: the server
    plans it for the values at hand, in the same single round trip. (Only psycopg 3 prepares
    by itself; another driver is left as it is.)"""
    if engine.dialect.driver != "psycopg":
        return

    @event.listens_for(engine, "do_execute")
    def _unprepared(cursor: Any, statement: str, parameters: Any, context: Any) -> bool:
        if not context.execution_options.get(CUSTOM_PLAN):
            return False
        cursor.execute(statement, parameters, prepare=False)
        return True


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
    def _on_begin(conn):
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
