"""The export's PostgreSQL path for the CSV dialects: `COPY (SELECT ...) TO STDOUT` with every
cell already made by the server, byte for byte what `tabular.cell` and the csv writer give
(`tests/dataio/test_export_rows.py` holds the paths to identical output).

Per column, from its SQL type: text as is (neutralised against formula injection in
`excel-da`, as `export_rows` does on SQLite), integers as is, booleans `1`/`0`, dates and
datetimes with `to_char` (local time in `excel-da`, after checking on probe instants that the
server's time zone rules give what Python's zoneinfo gives; ISO 8601 UTC in `rfc4180`). The
young person's id comes as the first cell and is made their pseudonym here while the server
makes the next rows (`export_pseudonyms`; the key never goes to the server, and there is no
table of pseudonyms to fill and join, which cost the server more than the HMAC costs here).
A column of any other type, a server whose rules differ, or a client encoding other than
UTF-8 leaves the entity to the row path.

COPY's CSV quotes exactly where Python's csv module does (a delimiter, a quote, CR or LF in
the value) but for two things handled here: an empty string would be written `""` (NULLIF
makes it the empty cell both write), and lines end in LF (CRLF here: the server sends one
message per row, so the line end is the message's last byte).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Integer,
    String,
    case,
    cast,
    func,
    literal,
    literal_column,
    select,
    type_coerce,
)
from sqlalchemy.engine import Connection
from sqlalchemy.sql import Select, column, table
from sqlalchemy.sql.elements import Label
from sqlalchemy.types import NullType

from ungehus_tui.domain.clock import local
from ungehus_tui.services.dataio.export_pseudonyms import Pseudonyms
from ungehus_tui.services.dataio.export_rows import _PROBES, _base, _is_text
from ungehus_tui.services.dataio.tabular import DANGEROUS, Dialect

_CSV = (Dialect.EXCEL_DA, Dialect.RFC4180)
_DELIMITER = {Dialect.EXCEL_DA: ";", Dialect.RFC4180: ","}
_LOCAL_DA = "DD-MM-YYYY HH24:MI"
BATCH = 1000  # rows per write


class CopyPlan:
    """A run's COPY set-up on one PostgreSQL connection (None from `copy_plan`: no COPY)."""

    def __init__(self, dialect: Dialect, zone: str, pseudonyms: Pseudonyms | None = None) -> None:
        self.dialect = dialect
        self.zone = zone
        self.pseudonyms = pseudonyms


@contextlib.contextmanager
def copy_plan(conn: Connection, dialect: Dialect, zone: str, key: str) -> Iterator[CopyPlan | None]:
    """COPY for this run when the connection is PostgreSQL, the dialect CSV, the client
    encoding UTF-8 and the server's zone rules agree with Python's. For the export's
    transaction only: the session's time zone is the one cells are written in, JIT is off (its
    compiling costs more than these scans) and sorts get room in memory (all three undone when
    the transaction ends)."""
    if conn.dialect.name != "postgresql" or dialect not in _CSV:
        yield None
        return
    raw = conn.connection.driver_connection
    if raw.info.encoding != "utf-8" or not _known_zone(conn, zone):  # type: ignore[union-attr]
        yield None
        return
    people = table("young_person", column("id"))
    largest = conn.execute(select(func.coalesce(func.max(people.c.id), 0))).scalar_one()
    cells_zone = zone if dialect is Dialect.EXCEL_DA else "UTC"
    for name, value in (("TimeZone", cells_zone), ("jit", "off"), ("work_mem", "64MB")):
        conn.execute(select(func.set_config(name, value, True)))
    if dialect is Dialect.EXCEL_DA and not _zone_agrees(conn):
        yield None
        return
    yield CopyPlan(dialect, zone, Pseudonyms(key, int(largest)))


def _known_zone(conn: Connection, zone: str) -> bool:
    names = table("pg_timezone_names", column("name"))
    query = select(func.count()).select_from(names).where(literal_column("name") == zone)
    return bool(conn.execute(query).scalar())


def _zone_agrees(conn: Connection) -> bool:
    """Whether the session's zone gives the local times Python's zoneinfo gives."""
    for instant in _PROBES:
        aware = instant.replace(tzinfo=dt.UTC)
        at = literal(aware, DateTime(timezone=True))
        got = conn.execute(select(func.to_char(at, _LOCAL_DA))).scalar()
        if got != local(aware).strftime("%d-%m-%Y %H:%M"):
            return False
    return True


def _cell(expr: Any, sa_type: Any, dialect: Dialect, zone: str) -> Any | None:
    """The column as SQL text that is its CSV cell, or None (no COPY for this entity)."""
    base = _base(sa_type)
    if _is_text(sa_type):
        if dialect is Dialect.EXCEL_DA:  # tabular.neutralise; ascii() is the first character
            dangerous = func.ascii(expr).in_([ord(c) for c in DANGEROUS])
            return case((dangerous, literal("'", String) + expr), else_=func.nullif(expr, ""))
        return func.nullif(expr, "")
    if isinstance(base, Boolean):
        return cast(expr, Integer)  # 1, 0 or NULL
    if isinstance(base, Integer):
        return expr
    if isinstance(base, DateTime):
        if not base.timezone:
            return None
        if dialect is Dialect.EXCEL_DA:  # the session's zone is the local one (copy_plan)
            return func.to_char(expr, _LOCAL_DA, type_=String)
        # the session's zone is UTC; datetime.isoformat(): microseconds only when any
        micro = func.to_char(expr, "US", type_=String)
        return (
            func.to_char(expr, 'YYYY-MM-DD"T"HH24:MI:SS', type_=String)
            + case((micro == "000000", literal("")), else_=literal(".") + micro)
            + literal("+00:00")
        )
    if isinstance(base, Date):
        fmt = "DD-MM-YYYY" if dialect is Dialect.EXCEL_DA else "YYYY-MM-DD"
        return func.to_char(expr, fmt, type_=String)
    return None


def copy_query(stmt: Select[Any], plan: CopyPlan, *, pseudonym: bool) -> Select[Any] | None:
    """`stmt` with every column as its cell (the first, the young person's id, as their
    pseudonym with `pseudonym`), or None when a column has no SQL form here."""
    columns: list[Any] = []
    for i, col in enumerate(stmt.selected_columns):
        expr = col.element if isinstance(col, Label) else col
        if i == 0 and pseudonym:
            sql: Any = expr  # the young person's id: `copy_lines` makes it their pseudonym
        else:
            sql = _cell(expr, col.type, plan.dialect, plan.zone)
            if sql is None:
                return None
        columns.append(type_coerce(sql, NullType()).label(col.key))
    return stmt.with_only_columns(*columns, maintain_column_froms=True)


def copy_lines(
    conn: Connection, query: Select[Any], plan: CopyPlan, *, pseudonym: bool = False
) -> Iterator[tuple[bytes, int]]:
    """The CSV lines of `query` from COPY, each ended with CRLF, in batches (bytes, lines),
    with `pseudonym` the first cell (a young person's id) made their pseudonym. The server
    sends one message per row, ending in LF (an LF inside a quoted value is not at its end)."""
    pseudonyms = plan.pseudonyms if pseudonym else None
    if pseudonym and pseudonyms is None:
        raise ValueError("pseudonyms need the key")
    compiled = query.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    delimiter = _DELIMITER[plan.dialect]
    statement = f"COPY ({compiled}) TO STDOUT (FORMAT csv, DELIMITER '{delimiter}')"
    raw = conn.connection.driver_connection
    with raw.cursor() as cur, cur.copy(statement, compiled.params) as cp:  # type: ignore[union-attr]
        rows = _copied_rows(raw.pgconn, cp)  # type: ignore[union-attr]
        if pseudonyms is not None:
            yield from pseudonyms.lines(rows, delimiter.encode("ascii"))
        else:
            yield from _batched(rows)


def _batched(rows: Iterator[Any]) -> Iterator[tuple[bytes, int]]:
    batch: list[Any] = []
    for data in rows:
        batch.append(data[:-1])
        if len(batch) == BATCH:
            yield _crlf(batch)
            batch = []
    if batch:
        yield _crlf(batch)


def _copied_rows(pgconn: Any, cp: Any) -> Iterator[Any]:
    """The rows of a running COPY TO: those libpq already holds straight from it (psycopg's
    `Copy.read` costs a generator and a wait per row, most of the time of a large export),
    and when it holds none, the next one through `Copy.read`, which waits for the server.
    The end of the data met here is finished here too: the COPY's final result read and
    checked, so the connection is idle again (`Copy` reads nothing more when it closes)."""
    while True:
        nbytes, data = pgconn.get_copy_data(1)  # 1: do not wait
        if nbytes > 0:
            if data[-1:] != b"\n":  # a memoryview of libpq's buffer, kept without a copy
                raise RuntimeError("COPY sent a row without its line end")
            yield data
        elif nbytes == 0:
            data = cp.read()
            if not data:
                return
            if data[-1:] != b"\n":
                raise RuntimeError("COPY sent a row without its line end")
            yield data
        else:  # -1: the data ended; then the command's results, until none is left
            _finish_copy_out(pgconn)
            return


def _finish_copy_out(pgconn: Any) -> None:
    from psycopg import errors, pq

    results = []
    while (result := pgconn.get_result()) is not None:  # all of them: then the line is idle
        results.append(result)
    for result in results:
        if result.status != pq.ExecStatus.COMMAND_OK:  # e.g. an error in a later row
            raise errors.error_from_result(result, encoding="utf-8")


def _crlf(lines: list[Any]) -> tuple[bytes, int]:
    return b"\r\n".join(lines) + b"\r\n", len(lines)
