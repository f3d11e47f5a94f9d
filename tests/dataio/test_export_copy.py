"""The export's files are byte for byte what the reference path writes (every value through
`tabular.cell` and Python's csv writer), with hostile text in the cells: delimiters, quotes,
line breaks inside a value, an empty string, formula starters, Danish letters. On PostgreSQL
the files come from COPY (`export_copy`), on SQLite from its fast row path; the same test
holds both to the reference."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from sqlmodel import col, select

from tests.dataio.conftest import T0
from tests.dataio.test_export_rows import build
from ungehus_tui.data.models import Intake
from ungehus_tui.domain import clock
from ungehus_tui.services.dataio import export_parallel
from ungehus_tui.services.dataio.export import pseudonym, run_export
from ungehus_tui.services.dataio.export_copy import copy_plan
from ungehus_tui.services.dataio.export_entities import entities
from ungehus_tui.services.dataio.export_rows import pseudonymiser
from ungehus_tui.services.dataio.tabular import EXTENSIONS, Dialect, RowWriter

HOSTILE = [
    'Semi;ko "ci", ko',
    "Linje\nskift\r\nCRLF",
    "\rstarter med CR",
    "=HYPERLINK(1)",
    "",
    'Ærø Åsø "',
]


def reference(engine, key: str, until: dt.datetime, dialect: Dialect) -> dict[str, bytes]:  # type: ignore[no-untyped-def]
    out: dict[str, bytes] = {}
    with engine.connect() as conn:
        for entity in entities():
            buffer = io.BytesIO()
            writer = RowWriter(buffer, dialect, entity.header(True))
            for row in conn.execute(entity.query(None, until, True, dialect)):
                values = list(row)
                if entity.person:
                    values[0] = pseudonym(key, values[0])
                writer.write(values)
            writer.finish()
            out[entity.name + EXTENSIONS[dialect]] = buffer.getvalue()
    return out


@pytest.mark.parametrize("processes", [1, 3])
@pytest.mark.parametrize("dialect", [Dialect.EXCEL_DA, Dialect.RFC4180])
def test_export_files_equal_the_reference_bytes(  # type: ignore[no-untyped-def]
    ctx, world, actor_for, tmp_path, dialect, processes, monkeypatch
):
    """The same bytes whether one process makes every file or three share them."""
    build(world)
    intakes = world.session.exec(select(Intake).order_by(col(Intake.id))).all()
    for intake, text in zip(intakes, HOSTILE, strict=True):
        intake.situation = text  # any text in the database may be hostile
    world.session.commit()
    world.session.close()  # its connection back in the pool: helpers may be forked
    clock.set_now(T0 + dt.timedelta(days=30))
    forked: list[int] = []
    real_team = export_parallel._Team

    def counted(fork, engine, helpers, *args):  # type: ignore[no-untyped-def]
        forked.append(helpers)
        return real_team(fork, engine, helpers, *args)

    monkeypatch.setattr(export_parallel, "_Team", counted)

    admin = actor_for("it.admin")
    out, cpr = tmp_path / "out", tmp_path / "cpr"
    result = run_export(ctx, admin, out, dialect=dialect, full=True, processes=processes)
    result_cpr = run_export(
        ctx, admin, cpr, dialect=dialect, full=True, include_cpr=True, processes=processes
    )
    assert forked == ([] if processes == 1 else [2, 2])  # two helpers beside this process

    want = reference(ctx.engine, ctx.settings.pseudonym_key, result_cpr.until, dialect)
    assert sum(w.count(b"\n") for w in want.values()) > 40  # the world is really there
    assert b'"Linje\nskift\r\nCRLF"' in want["intakes.csv"]
    for name, data in want.items():
        assert (result_cpr.folder / name).read_bytes() == data, name
    rows = {f.name: f.rows for f in result.files}
    assert rows == {f.name: f.rows for f in result_cpr.files}


def test_postgresql_exports_csv_with_copy(ctx, world) -> None:  # type: ignore[no-untyped-def]
    if ctx.engine.dialect.name != "postgresql":
        pytest.skip("COPY is PostgreSQL's")
    build(world)
    key = "test-pseudonym-key-0123456789"
    for dialect in Dialect:
        with (
            ctx.engine.connect() as conn,
            conn.begin(),
            copy_plan(conn, dialect, "Europe/Copenhagen", key) as plan,
        ):
            assert (plan is not None) == (dialect is not Dialect.JSONL)


def test_copy_lines_read_every_row_then_leave_the_connection_idle(ctx) -> None:  # type: ignore[no-untyped-def]
    """Many rows (most straight from libpq's buffer, some through psycopg's wait), the end
    and the final result read, the connection usable after; an error in the middle of the
    data is the server's error, and the connection still usable after a rollback."""
    if ctx.engine.dialect.name != "postgresql":
        pytest.skip("COPY is PostgreSQL's")
    from psycopg import errors
    from sqlalchemy import Integer, column, func, literal_column
    from sqlalchemy import select as sa_select

    from ungehus_tui.services.dataio.export_copy import CopyPlan, copy_lines

    n = column("n", Integer)
    rows = func.generate_series(1, 50_000).table_valued("n").render_derived()
    plan = CopyPlan(Dialect.RFC4180, "UTC")
    with ctx.engine.connect() as conn:
        with conn.begin():  # as the export's one read transaction
            query = sa_select(n, literal_column("'x,y'")).select_from(rows).order_by(n)
            got = b"".join(data for data, _ in copy_lines(conn, query, plan))
            assert got == b"".join(b'%d,"x,y"\r\n' % i for i in range(1, 50_001))
            assert conn.exec_driver_sql("SELECT 42").scalar() == 42
        failing = sa_select(literal_column("1") / (literal_column("40000") - n)).select_from(rows)
        with pytest.raises(errors.DivisionByZero), conn.begin():
            for _ in copy_lines(conn, failing.order_by(n), plan):
                pass
        assert conn.exec_driver_sql("SELECT 43").scalar() == 43


def test_copy_lines_make_the_first_cell_the_pseudonym(ctx) -> None:  # type: ignore[no-untyped-def]
    """With `pseudonym`, each line's first cell (a young person's id as COPY writes it) is
    their pseudonym, the rest of the line as it was, whether the id's pseudonym is kept (up to
    the largest id), made again (above it) or met before; a NULL id stays an empty cell."""
    if ctx.engine.dialect.name != "postgresql":
        pytest.skip("COPY is PostgreSQL's")
    from sqlalchemy import Integer, case, column, func, literal_column
    from sqlalchemy import select as sa_select

    from ungehus_tui.services.dataio.export_copy import CopyPlan, copy_lines
    from ungehus_tui.services.dataio.export_pseudonyms import Pseudonyms

    key = "test-pseudonym-key-0123456789"
    n = column("n", Integer)
    rows = func.generate_series(1, 3000).table_valued("n").render_derived()
    person = case((n % 1000 == 7, None), else_=n % 1500 * 37)  # each twice, 0 to 55463
    plan = CopyPlan(Dialect.EXCEL_DA, "UTC", Pseudonyms(key, largest_id=50_000))
    with ctx.engine.connect() as conn, conn.begin():
        query = sa_select(person, n, literal_column("'a;b'")).select_from(rows).order_by(n)
        got = b"".join(data for data, _ in copy_lines(conn, query, plan, pseudonym=True))
    want = [
        f'{"" if i % 1000 == 7 else pseudonym(key, i % 1500 * 37)};{i};"a;b"\r\n'
        for i in range(1, 3001)
    ]
    assert got == "".join(want).encode()


@pytest.mark.parametrize(
    "text",
    [
        "Enhed\x1fskilt",  # the separator of SQLite's joined lines: that file cell by cell
        "Nul\x00tegn",  # a NUL, which SQLite's printf would stop at (text goes through ||)
        "Æ" * 24,  # the longest a situation holds, in two bytes a letter
    ],
)
def test_export_files_equal_the_reference_bytes_with_any_character(
    ctx, world, actor_for, tmp_path, text
) -> None:  # type: ignore[no-untyped-def]
    if ctx.engine.dialect.name == "postgresql" and "\x00" in text:
        pytest.skip("PostgreSQL text cannot hold a NUL")
    build(world)
    intakes = world.session.exec(select(Intake).order_by(col(Intake.id))).all()
    intakes[2].situation = text
    world.session.commit()
    clock.set_now(T0 + dt.timedelta(days=30))

    result = run_export(ctx, actor_for("it.admin"), tmp_path / "out", full=True, include_cpr=True)

    want = reference(ctx.engine, ctx.settings.pseudonym_key, result.until, Dialect.EXCEL_DA)
    assert text.encode() in want["intakes.csv"]
    for name, data in want.items():
        assert (result.folder / name).read_bytes() == data, name
    written = want["intakes.csv"].decode("utf-8-sig")
    records = list(csv.reader(io.StringIO(written, newline=""), delimiter=";"))
    assert {f.name: f.rows for f in result.files}["intakes.csv"] == len(records) - 1


def test_sqlite_joins_the_cells_of_a_row_when_it_makes_them_all(ctx, world) -> None:  # type: ignore[no-untyped-def]
    """On SQLite in excel-da every file's rows come as one text each (`export_rows.lines`);
    where a cell needs Python (rfc4180's datetimes) there are no lines but cells."""
    if ctx.engine.dialect.name != "sqlite":
        pytest.skip("the joined lines are SQLite's")
    from ungehus_tui.services.dataio.export_rows import SEPARATOR, lines, plan_for

    build(world)
    key = "test-pseudonym-key-0123456789"
    joined: dict[Dialect, list[str]] = {Dialect.EXCEL_DA: [], Dialect.RFC4180: []}
    with ctx.engine.connect() as conn:
        for dialect, names in joined.items():
            with plan_for(conn, dialect, key, "Europe/Copenhagen") as plan:
                for entity in entities():
                    stmt = entity.query(None, None, True, dialect)
                    person = pseudonymiser(key) if entity.person else None
                    batches = lines(conn, stmt, plan, pseudonym=person)
                    if batches is None:
                        continue
                    names.append(entity.name)
                    width = len(entity.header(True))
                    rows = [line for batch in batches for line in batch]
                    assert all(r.count(SEPARATOR) == width - 1 for r in rows), entity.name
    assert joined[Dialect.EXCEL_DA] == [e.name for e in entities()]
    assert "young_people" not in joined[Dialect.RFC4180]  # its datetimes: Python's isoformat
