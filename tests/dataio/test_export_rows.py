"""The export's fast row path (`export_rows`) against the reference: every entity, every
dialect, the typed rows through `tabular.cell` and `export.pseudonym`, value by value. The world
has datetimes on both sides of both DST changes and of local midnight, text Excel would read as
a formula, NULLs and booleans. On SQLite the fast path lets the database format cells; on
PostgreSQL it is the reference converters, so the test holds both backends to the same files."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import sqlite3

import pytest
from sqlalchemy import Engine

from tests.dataio.conftest import T0, World, at
from ungehus_tui.domain import clock
from ungehus_tui.services.dataio.export import pseudonym
from ungehus_tui.services.dataio.export_entities import entities
from ungehus_tui.services.dataio.export_rows import Plan, cells, plan_for, pseudonymiser
from ungehus_tui.services.dataio.tabular import Dialect, cell

KEY = "test-pseudonym-key-0123456789"
UTC = dt.UTC
EDGES = [  # UTC instants: DST starts 2026-03-29 01:00 UTC, ends 2026-10-25 01:00 UTC
    dt.datetime(2026, 3, 29, 0, 59, 59, 900000, tzinfo=UTC),
    dt.datetime(2026, 3, 29, 1, 0, tzinfo=UTC),
    dt.datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
    dt.datetime(2026, 10, 25, 1, 30, tzinfo=UTC),
    dt.datetime(2026, 12, 31, 23, 30, tzinfo=UTC),  # already next year in Denmark
    dt.datetime(2026, 6, 30, 22, 0, tzinfo=UTC),  # midnight local, summer
]
NAMES = ["=Søren Prøvesen", "-Ida Eksempel", "@Ali Fiktiv", "\tTab Testesen", "+Plus", "Almen"]


def build(world: World) -> None:
    for i, (edge, name) in enumerate(zip(EDGES, NAMES, strict=True)):
        birth = dt.date(2005 + i, 1 + i, 1 + i)
        p = world.person(birth, name, edge, case_open=i % 2 == 0)
        world.intake(p, edge, lead="CAI" if i % 3 else None, situation=name, team=i % 2 == 1)
        world.meeting(p, at(T0.date() + dt.timedelta(days=i)), created=edge)
        world.assign(p, "cai.vejl.1", edge)
    world.session.commit()


def reference(engine: Engine, dialect: Dialect, include_cpr: bool) -> dict[str, list[list[object]]]:
    out: dict[str, list[list[object]]] = {}
    with engine.connect() as conn:
        for entity in entities():
            rows = []
            for row in conn.execute(entity.query(None, None, include_cpr, dialect)):
                values = list(row)
                if entity.person:
                    values[0] = pseudonym(KEY, values[0])
                rows.append([cell(v, dialect) if v is not None else None for v in values])
            out[entity.name] = rows
    return out


def fast(
    engine: Engine, dialect: Dialect, include_cpr: bool, plan: Plan | None
) -> dict[str, list[list[object]]]:
    out: dict[str, list[list[object]]] = {}
    with engine.connect() as conn, plan_for(conn, dialect, KEY, "Europe/Copenhagen") as chosen:
        for entity in entities():
            stmt = entity.query(None, None, include_cpr, dialect)
            person = pseudonymiser(KEY) if entity.person else None
            rows = cells(conn, stmt, plan or chosen, pseudonym=person, yield_per=2)
            out[entity.name] = [list(r) for r in rows]
    return out


def csv_equal(ref: dict[str, list[list[object]]], got: dict[str, list[list[object]]]) -> None:
    """As the csv writer writes them: None is an empty cell, other values their str()."""
    assert ref.keys() == got.keys()
    for name in ref:
        want = [["" if v is None else str(v) for v in r] for r in ref[name]]
        have = [["" if v is None else str(v) for v in r] for r in got[name]]
        assert have == want, name


@pytest.mark.parametrize("include_cpr", [False, True])
@pytest.mark.parametrize("dialect", list(Dialect))
def test_fast_rows_equal_the_reference(ctx, world, dialect, include_cpr) -> None:  # type: ignore[no-untyped-def]
    build(world)
    clock.set_now(T0 + dt.timedelta(days=30))
    ref = reference(ctx.engine, dialect, include_cpr)
    got = fast(ctx.engine, dialect, include_cpr, None)
    assert sum(len(r) for r in ref.values()) > 30  # the world is really there
    if dialect is Dialect.JSONL:
        assert got == ref  # JSON keeps types: true/false, numbers, null
    else:
        csv_equal(ref, got)
    if dialect is Dialect.EXCEL_DA:
        names = [r[0] for r in fast(ctx.engine, dialect, True, None)["meeting_participants"]]
        assert names and all(not n.startswith(("=", "-", "@", "+", "\t")) for n in names)


def test_pseudonymiser_is_the_hmac(ctx) -> None:  # type: ignore[no-untyped-def]
    fast_one = pseudonymiser(KEY)
    for person_id in [1, 7, 123456, 10_000_000]:
        assert fast_one(person_id) == pseudonym(KEY, person_id)
    # the scheme itself: HMAC-SHA256(key, "person:<id>"), first 32 hex digits
    want = hmac.new(KEY.encode(), b"person:42", hashlib.sha256).hexdigest()[:32]
    assert pseudonym(KEY, 42) == fast_one(42) == want
    long_key = "k" * 200  # longer than a SHA-256 block: hashed first, as HMAC does
    assert pseudonymiser(long_key)(42) == pseudonym(long_key, 42)


def test_sqlite_path_is_used_and_undone(ctx, world) -> None:  # type: ignore[no-untyped-def]
    import os

    if ctx.engine.dialect.name != "sqlite":
        pytest.skip("the in-database formatting is SQLite's")
    build(world)
    before = os.environ.get("TZ")
    pseudonyms = "SELECT count(*) FROM temp.ungehus_pseudonyms"
    with ctx.engine.connect() as conn:
        raw = conn.connection.driver_connection
        with plan_for(conn, Dialect.EXCEL_DA, KEY, "Europe/Copenhagen") as plan:
            assert plan.in_sql_dates and plan.in_sql_pseudonym
            assert raw.execute(pseudonyms).fetchone() == (len(EDGES),)  # once per young person
        assert os.environ.get("TZ") == before
        with pytest.raises(sqlite3.OperationalError, match="no such table"):
            raw.execute(pseudonyms)  # the pooled connection does not keep the table
