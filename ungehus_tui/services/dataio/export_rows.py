"""The export's row path: database rows to file cells, fast, and byte for byte what
`tabular.cell` writes (the reference path).

Every column is selected with SQLAlchemy's result processing switched off (`type_coerce` to
`NullType`), so values arrive as the driver gives them. Per column, chosen once from its SQL
type:

- integers, text and NULL need nothing (text is neutralised against formula injection by
  the database itself in `excel-da`: a `CASE` on its first character);
- on SQLite in `excel-da` (the nightly default), the database also formats dates
  (`strftime('%d-%m-%Y')`), datetimes in local time (`strftime(..., 'localtime')` with the
  process's `TZ` set to the configured zone for the run, after checking that SQLite and
  Python's zoneinfo agree on probe instants; otherwise the reference path is used) and the
  young person's pseudonym (a deterministic SQL function), so no Python runs per cell and the
  csv writer takes the rows as they come;
- anything else goes through the type's own result processor and then `tabular.cell`.

On SQLite the pseudonyms are computed once per young person into a temporary table
(`temp.ungehus_pseudonyms`, keyed by the young person's id) and joined per row, instead of
one Python call per row of every file that names a young person (about five times as many
rows). Rows that need no Python at all come straight from the driver's cursor, so the csv
writer takes them without SQLAlchemy's row objects in between.

When every cell is made in SQL, `lines` goes one step further: the database joins a row's
cells into one text (`SEPARATOR` between them; `printf` for the cells that cannot hold a
delimiter, quote or line break: numbers, dates, pseudonyms; `||` for text, which keeps every
character), so Python handles one value per row instead of one per cell, and the csv module
only sees the rare rows with a cell that needs quoting (`tabular.RowWriter.write_separated`).

`tests/dataio/test_export_rows.py` holds both paths to identical output, DST changes included.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import time
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Enum,
    Integer,
    String,
    TypeDecorator,
    case,
    func,
    literal,
    type_coerce,
)
from sqlalchemy.engine import Connection, CursorResult
from sqlalchemy.engine import Dialect as SADialect
from sqlalchemy.sql import Select, column, table
from sqlalchemy.sql.elements import Label
from sqlalchemy.types import NullType, TypeEngine

from ungehus_tui.domain.clock import local
from ungehus_tui.services.dataio.tabular import DANGEROUS, Dialect, cell

Converter = Callable[[Any], Any]
PSEUDONYM_SQL = "ungehus_pseudonym"
PSEUDONYM_INPUT = b"person:"  # the HMAC message is this and the young person's id
PSEUDONYM_TABLE = "ungehus_pseudonyms"
SEPARATOR = "\x1f"  # between the cells of a row from `lines` (a control character: checked)
LINES_BATCH = 1000  # rows per batch from `lines`
_PRINTF_ARGS = 100  # SQLite takes at most 127 arguments to a function
_pseudonyms = table(PSEUDONYM_TABLE, column("person_id"), column("pseudonym"), schema="temp")
_DATETIME_DA = "%d-%m-%Y %H:%M"
_DATE_DA = "%d-%m-%Y"
_PROBES = (  # UTC instants around both DST changes and either side of midnight
    dt.datetime(2019, 3, 31, 0, 59, 59, 500000),
    dt.datetime(2019, 3, 31, 1, 0),
    dt.datetime(2026, 7, 1, 22, 30),
    dt.datetime(2026, 10, 25, 0, 59),
    dt.datetime(2026, 10, 25, 1, 0),
    dt.datetime(2031, 12, 31, 23, 45),
)


def pseudonymiser(key: str) -> Callable[[int], str]:
    """`young person's id -> pseudonym`, equal to `export.pseudonym(key, id)` (HMAC-SHA256 of
    `person:<id>`, first 32 hex digits). HMAC as RFC 2104 defines it, from two SHA-256
    states with the padded key (and the inner message's prefix) absorbed once: per young
    person two state copies in C, half the time of copying an `hmac` object."""
    inner, outer = hmac_states(key)

    def pseudonym(person_id: int) -> str:
        mac = inner.copy()
        mac.update(str(person_id).encode("ascii"))
        out = outer.copy()
        out.update(mac.digest())
        return out.hexdigest()[:32]

    return pseudonym


def hmac_states(key: str) -> tuple[Any, Any]:
    """HMAC-SHA256's inner state (the padded key and `PSEUDONYM_INPUT` absorbed) and outer
    state (the padded key absorbed), RFC 2104: the pseudonym of id `n` is the outer state
    updated with the digest of the inner state updated with `n` in ASCII digits."""
    block = hashlib.sha256().block_size
    secret = key.encode("utf-8")
    if len(secret) > block:
        secret = hashlib.sha256(secret).digest()
    secret = secret.ljust(block, b"\0")
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in secret) + PSEUDONYM_INPUT)
    outer = hashlib.sha256(bytes(b ^ 0x5C for b in secret))
    return inner, outer


@dataclass(frozen=True)
class Plan:
    """How one run turns rows into cells: which work the database does."""

    dialect: Dialect
    in_sql_dates: bool = False  # SQLite formats dates and local datetimes (excel-da)
    in_sql_pseudonym: bool = False  # SQLite looks the pseudonym up (temp table)


def _base(sa_type: TypeEngine[Any]) -> TypeEngine[Any]:
    return sa_type.impl_instance if isinstance(sa_type, TypeDecorator) else sa_type


def _is_text(sa_type: TypeEngine[Any]) -> bool:
    base = _base(sa_type)
    return isinstance(base, String) and not isinstance(base, Enum)


def reference_converter(
    sa_type: TypeEngine[Any], sa_dialect: SADialect, dialect: Dialect
) -> Converter:
    """The exact path: the type's result processor, then `tabular.cell`."""
    process = sa_type.dialect_impl(sa_dialect).result_processor(sa_dialect, None)
    if process is None:
        return lambda value: cell(value, dialect)
    return lambda value: cell(process(value), dialect)


def _neutralised(column: Any) -> Any:
    """`tabular.neutralise` in SQL: a `'` before text Excel would read as a formula."""
    return case(
        (func.substr(column, 1, 1).in_(list(DANGEROUS)), literal("'", String) + column),
        else_=column,
    )


def _in_sql(expr: Any, sa_type: TypeEngine[Any], plan: Plan) -> Any | None:
    """The column as SQL that already gives its cell, or None when Python converts it."""
    base = _base(sa_type)
    if _is_text(sa_type):
        return _neutralised(expr) if plan.dialect is Dialect.EXCEL_DA else expr
    if isinstance(base, Integer) and not isinstance(base, Boolean):
        return expr
    if plan.in_sql_dates:  # SQLite, excel-da: 0/1 booleans are already the cells
        if isinstance(base, Boolean):
            return expr
        if isinstance(base, DateTime):
            return func.strftime(_DATETIME_DA, expr, "localtime")
        if isinstance(base, Date):
            return func.strftime(_DATE_DA, expr)
    return None


def prepare(
    stmt: Select[Any], plan: Plan, sa_dialect: SADialect, pseudonym: Converter | None
) -> tuple[Select[Any], list[tuple[int, Converter]]]:
    """The query to run (result processing off, cells made in SQL where the plan says so) and
    the Python converters left for the other columns, by position. With `pseudonym`, the first
    column is the young person's id, which becomes their pseudonym."""
    query, python, _ = _prepared(stmt, plan, sa_dialect, pseudonym)
    return query, python


def _prepared(
    stmt: Select[Any], plan: Plan, sa_dialect: SADialect, pseudonym: Converter | None
) -> tuple[Select[Any], list[tuple[int, Converter]], list[bool]]:
    """`prepare`, and per column whether its cell is text (any character) rather than a
    number, a date or a pseudonym made in SQL."""
    columns: list[Any] = []
    python: list[tuple[int, Converter]] = []
    text: list[bool] = []
    person: Any = None
    for i, col in enumerate(stmt.selected_columns):
        expr = col.element if isinstance(col, Label) else col
        sql: Any = None
        if i == 0 and pseudonym is not None:
            if plan.in_sql_pseudonym:
                sql, person = _pseudonyms.c.pseudonym, expr  # joined below
            else:
                python.append((i, pseudonym))
                sql = expr
        else:
            sql = _in_sql(expr, col.type, plan)
            if sql is None:
                python.append((i, reference_converter(col.type, sa_dialect, plan.dialect)))
                sql = expr
        columns.append(type_coerce(sql, NullType()).label(col.key))
        text.append(_is_text(col.type) and not (i == 0 and pseudonym is not None))
    query = stmt.with_only_columns(*columns, maintain_column_froms=True)
    if person is not None:  # the young person's id is a column of the query's FROM
        (base,) = stmt.get_final_froms()
        query = query.select_from(base.outerjoin(_pseudonyms, _pseudonyms.c.person_id == person))
    return query, python, text


def cells(
    conn: Connection,
    stmt: Select[Any],
    plan: Plan,
    *,
    pseudonym: Converter | None,
    yield_per: int,
) -> Iterable[Sequence[Any]]:
    """The rows of `stmt` as cells (NULL stays None: an empty CSV cell, a JSON null). Rows
    stream (`yield_per`), so memory stays flat however many rows there are."""
    query, python = prepare(stmt, plan, conn.dialect, pseudonym)
    if not python and conn.dialect.name == "sqlite":
        # The driver's cursor itself: pysqlite steps one row at a time as it is read (flat
        # memory). Without streaming or yield_per SQLAlchemy has fetched nothing from it yet.
        plain = {"stream_results": False, "yield_per": None}
        return conn.execute(query, execution_options=plain).cursor  # type: ignore[return-value]
    result = conn.execute(query, execution_options={"yield_per": yield_per})
    if not python:
        return result
    return _converted(result, python)


def lines(
    conn: Connection, stmt: Select[Any], plan: Plan, *, pseudonym: Converter | None
) -> Generator[list[str], None, None] | None:
    """The rows of `stmt`, each as one text of its cells joined by `SEPARATOR` (NULL as
    nothing), in batches of `LINES_BATCH`; None unless SQLite makes every cell (then `cells`).
    The cells are those of `cells`, byte for byte: numbers, dates and pseudonyms through one
    `printf` per run of them (none holds a NUL, which `printf` would stop at), text through
    `||` (any character kept)."""
    if conn.dialect.name != "sqlite":
        return None
    query, python, text = _prepared(stmt, plan, conn.dialect, pseudonym)
    if python:
        return None
    parts: list[Any] = []
    run: list[Any] = []

    def printf() -> None:
        for start in range(0, len(run), _PRINTF_ARGS):
            chunk = run[start : start + _PRINTF_ARGS]
            fmt = literal(SEPARATOR.join(["%s"] * len(chunk)), String)
            parts.append(func.printf(fmt, *chunk, type_=String))
        run.clear()

    for col, is_text in zip(query.selected_columns, text, strict=True):
        expr = col.element if isinstance(col, Label) else col
        if is_text:
            printf()
            parts.append(func.coalesce(expr, literal("", String)))
        else:
            run.append(expr)
    printf()
    line = parts[0]
    for part in parts[1:]:
        line = line.op("||")(literal(SEPARATOR, String)).op("||")(part)
    query = query.with_only_columns(type_coerce(line, NullType()).label("line"))
    plain = {"stream_results": False, "yield_per": None}
    return _batches(conn.execute(query, execution_options=plain))


def _batches(result: CursorResult[Any]) -> Generator[list[str], None, None]:
    """The driver's cursor itself, a batch at a time (flat memory)."""
    cursor = result.cursor
    try:
        while rows := cursor.fetchmany(LINES_BATCH):
            yield [row[0] for row in rows]
    finally:
        cursor.close()


def _converted(rows: Iterable[Sequence[Any]], python: list[tuple[int, Converter]]) -> Iterator[Any]:
    for row in rows:
        values = list(row)
        for i, f in python:
            v = values[i]
            if v is not None:
                values[i] = f(v)
        yield values


@contextlib.contextmanager
def plan_for(conn: Connection, dialect: Dialect, key: str, zone: str) -> Iterator[Plan]:
    """The fastest exact plan for this connection, set up for the run and undone after."""
    if conn.dialect.name != "sqlite":
        yield Plan(dialect)
        return
    raw = conn.connection.driver_connection
    pseudonym = pseudonymiser(key)
    raw.create_function(PSEUDONYM_SQL, 1, pseudonym, deterministic=True)  # type: ignore[union-attr]
    try:
        _fill_pseudonyms(raw)
        if dialect is not Dialect.EXCEL_DA:
            yield Plan(dialect, in_sql_pseudonym=True)
            return
        with _process_zone(zone):
            agrees = _sqlite_agrees(conn)
            yield Plan(dialect, in_sql_dates=agrees, in_sql_pseudonym=True)
    finally:
        raw.execute(f"DROP TABLE IF EXISTS temp.{PSEUDONYM_TABLE}")  # type: ignore[union-attr]
        raw.create_function(PSEUDONYM_SQL, 1, None)  # type: ignore[union-attr]


def _fill_pseudonyms(raw: Any) -> None:
    """Every young person's pseudonym, once, in a table of this connection only (SQLite's
    temporary database: it is not part of the read snapshot and goes when it is dropped)."""
    raw.execute(f"DROP TABLE IF EXISTS temp.{PSEUDONYM_TABLE}")
    raw.execute(
        f"CREATE TEMP TABLE {PSEUDONYM_TABLE} (person_id INTEGER PRIMARY KEY, pseudonym TEXT)"
    )
    raw.execute(
        f"INSERT INTO temp.{PSEUDONYM_TABLE} (person_id, pseudonym)"
        f" SELECT id, {PSEUDONYM_SQL}(id) FROM young_person ORDER BY id"
    )


@contextlib.contextmanager
def _process_zone(zone: str) -> Iterator[None]:
    """Set the process's C-library time zone (SQLite's 'localtime') for a while."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = zone
    time.tzset()
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = before
        time.tzset()


def _sqlite_agrees(conn: Connection) -> bool:
    """Whether SQLite's 'localtime' gives what zoneinfo gives, on the probe instants."""
    raw = conn.connection.driver_connection
    for instant in _PROBES:
        text = instant.strftime("%Y-%m-%d %H:%M:%S.%f")
        row = raw.execute(  # type: ignore[union-attr]
            "SELECT strftime(?, ?, 'localtime')", (_DATETIME_DA, text)
        ).fetchone()
        if row is None or row[0] != local(instant.replace(tzinfo=dt.UTC)).strftime(_DATETIME_DA):
            return False
    return True
