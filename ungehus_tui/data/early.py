"""The desk's first answer before the store is loaded (`ungehus run --demo --as LOGIN`).

Launched signed in, the desk takes keys at once, but the store (SQLAlchemy, SQLModel and the
22 models) takes about half a second more to load, so a CPR typed at launch waited for it.
`EarlyReader` answers that search from the standard library's `sqlite3`: the same SQLite
statements the store runs (`early_sql`, held to SQLAlchemy's text by a test), on a read-only
connection, until the store is open; then the desk searches through the store again.

It opens only what the store itself would let the desk read at once: an SQLite file of this
code's schema revision, carrying the demo marker (as `--as` requires), readable by its owner
only (a file the store would tighten first is left to the store), with the login an active
staff member. Anything else, or any error, and there is no early reader: the desk waits for
the store as before. It writes no row (the connection is read-only); on a store in WAL mode
SQLite makes the -wal and -shm files beside it as the store would, with the database file's
own mode.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import stat
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ungehus_tui.data.early_sql import EARLY_SQL
from ungehus_tui.data.search_plan import Shape
from ungehus_tui.data.store_facts import DEMO_MARKER, HEAD_REVISION


@dataclass(frozen=True)
class EarlyStaff:
    """The staff member the app was started as (the columns `Actor` is made of)."""

    id: int
    login: str
    name: str
    role: str
    center_code: str | None
    contact_role: str | None


@dataclass(frozen=True)
class EarlyRow:
    id: int
    name: str
    cpr: str
    birth_date: dt.date


def sqlite_path(db: str | None) -> Path | None:
    """The file of `--db` when it names an SQLite file (a path or `sqlite:///path`)."""
    if db and "://" in db:
        scheme, _, rest = db.partition("://")
        if scheme != "sqlite" or not rest.startswith("/") or "?" in rest:
            return None
        db = rest[1:]
    if not db or db.startswith(":"):  # none, or in memory
        return None
    return Path(db).expanduser()


class EarlyReader:
    """A read-only `sqlite3` connection to the store's file, for the desk's search."""

    def __init__(self, conn: sqlite3.Connection, staff: EarlyStaff) -> None:
        self._conn = conn
        self._lock = threading.Lock()  # a newer search's worker may start before this ends
        self.staff = staff

    @classmethod
    def open(cls, path: Path, login: str) -> EarlyReader | None:
        """The reader, or None when the store must answer (see the module's text)."""
        try:
            info = path.stat()
            if not stat.S_ISREG(info.st_mode) or info.st_mode & 0o077:
                return None
            conn = sqlite3.connect(
                f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False
            )
        except (OSError, ValueError, sqlite3.Error):
            return None
        try:
            staff = _checked(conn, login)
        except sqlite3.Error:
            staff = None
        if staff is None:
            conn.close()
            return None
        return cls(conn, staff)

    def rows(self, shape: Shape, params: dict[str, Any]) -> list[EarlyRow] | None:
        """The search's rows for a planned term (`search_plan.plan`); None: a shape left to
        the store (several dates)."""
        found = EARLY_SQL.get(shape)
        if found is None:
            return None
        sql, fixed = found
        bound = {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in params.items()}
        with self._lock:
            result = self._conn.execute(sql, fixed | bound).fetchall()
        return [EarlyRow(int(i), str(n), str(c), dt.date.fromisoformat(b)) for i, n, c, b in result]

    def close(self) -> None:
        with self._lock:
            self._conn.close()


def _checked(conn: sqlite3.Connection, login: str) -> EarlyStaff | None:
    """The active staff member `login` on a demo store of this schema revision, else None."""
    revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    if revision is None or revision[0] != HEAD_REVISION:
        return None
    marker = conn.execute("SELECT 1 FROM store_meta WHERE key = ?", (DEMO_MARKER,)).fetchone()
    if marker is None:
        return None
    row = conn.execute(
        "SELECT id, login, name, role, center_code, contact_role FROM staff "
        "WHERE login = ? AND active",
        (login,),
    ).fetchone()
    return None if row is None else EarlyStaff(*row)
