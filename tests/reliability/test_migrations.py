"""Migrations keep data: for every revision r of the chain, a database at r with rows in every
table is upgraded to head and every row is still there with the same values (SQLite and
PostgreSQL, whichever the test run uses). The rows are made from the schema as it is at r
(reflected), so the test needs no change when a revision is added. A table a later revision
rebuilds from other data (its module's `REBUILDS`, e.g. the search tokens) must hold exactly
what the app would write for the rows it was rebuilt from."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    Time,
    select,
    text,
)
from sqlalchemy.engine import Connection, Engine
from sqlmodel import SQLModel

from ungehus_tui.data import migrate
from ungehus_tui.data.engine import make_engine

ROWS_PER_TABLE = 2
SKIP = {"alembic_version"}
WHEN = dt.datetime(2024, 5, 17, 9, 30, 15, 123456, tzinfo=dt.UTC)


def _chain() -> list[str]:
    """Revisions from the first to head."""
    script = ScriptDirectory.from_config(migrate.alembic_config())
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def _value(table: Table, column: Any, n: int, made: dict[str, list[dict[str, Any]]]) -> Any:
    for fk in column.foreign_keys:
        target = fk.column
        if target.table.name == table.name or target.table.name not in made:
            return None  # self-references and cycles: the column must be nullable then
        return made[target.table.name][n][target.name]
    kind = column.type
    if isinstance(kind, Boolean):
        return n % 2 == 0
    if isinstance(kind, Integer):
        return n + 1
    if isinstance(kind, Float | Numeric):
        return n + 0.5
    if isinstance(kind, DateTime):
        return WHEN + dt.timedelta(days=n)
    if isinstance(kind, Date):
        return dt.date(2024, 5, 17) + dt.timedelta(days=n)
    if isinstance(kind, Time):
        return dt.time(9 + n, 30)
    if isinstance(kind, String | Text):
        length = getattr(kind, "length", None) or 40
        return f"{column.name[:3]}{n}Ø"[:length]
    raise AssertionError(f"no sample value for {table.name}.{column.name}: {kind!r}")


def _fill(conn: Connection) -> tuple[MetaData, dict[str, list[dict[str, Any]]]]:
    meta = MetaData()
    meta.reflect(conn)
    made: dict[str, list[dict[str, Any]]] = {}
    for table in meta.sorted_tables:
        if table.name in SKIP:
            continue
        rows = [
            {c.name: _value(table, c, n, made) for c in table.columns}
            for n in range(ROWS_PER_TABLE)
        ]
        conn.execute(table.insert(), rows)
        made[table.name] = rows
    return meta, made


def _norm(value: Any) -> Any:
    if isinstance(value, dt.datetime):  # SQLite hands back naive UTC
        return value.astimezone(dt.UTC) if value.tzinfo else value.replace(tzinfo=dt.UTC)
    if isinstance(value, float):
        return round(value, 6)
    return value


def _rebuilt_after(revision: str) -> set[str]:
    """Tables a revision after `revision` rebuilds from other data."""
    script = ScriptDirectory.from_config(migrate.alembic_config())
    chain = _chain()
    later = chain[chain.index(revision) + 1 :]
    return {t for rev in later for t in getattr(script.get_revision(rev).module, "REBUILDS", ())}


def _expected_rebuild(name: str, made: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    if name == "person_name_token":
        from ungehus_tui.domain.folding import index_tokens

        indexed = {r["person_id"] for r in made[name]}
        rows = [
            {"person_id": p["id"], "token": t}
            for p in made["young_person"]
            if p["id"] in indexed
            for t in index_tokens(p["name"])
        ]
        return sorted(rows, key=lambda r: (r["person_id"], r["token"]))
    raise AssertionError(f"no rule for the rebuilt table {name}")


def _check(
    engine: Engine,
    before: MetaData,
    made: dict[str, list[dict[str, Any]]],
    rebuilt: set[str] = frozenset(),  # type: ignore[assignment]
) -> None:
    after = MetaData()
    after.reflect(engine)
    with engine.connect() as conn:
        for name, rows in made.items():
            if name in rebuilt:
                rows = _expected_rebuild(name, made)
                assert rows, f"{name}: nothing to rebuild"
            assert name in after.tables, f"table {name} was dropped with its data"
            table = after.tables[name]
            kept = [c for c in before.tables[name].columns if c.name in table.c]
            order = [table.c[c.name] for c in before.tables[name].primary_key.columns]
            got = [
                {k: _norm(v) for k, v in r.items()}
                for r in conn.execute(
                    select(*[table.c[c.name] for c in kept]).order_by(*order)
                ).mappings()
            ]
            want = [{c.name: _norm(r[c.name]) for c in kept} for r in rows]
            assert got == want, f"rows of {name} changed in the upgrade"


@pytest.mark.parametrize("revision", _chain())
def test_upgrade_from_revision_with_data_keeps_it(revision: str, new_db_url) -> None:
    engine = make_engine(new_db_url())
    try:
        migrate.upgrade(engine, revision)
        with engine.begin() as conn:
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql("PRAGMA foreign_keys = ON")
            before, made = _fill(conn)
        assert all(made.values())
        migrate.upgrade(engine)
        assert migrate.current_revision(engine) == migrate.head_revision()
        _check(engine, before, made, _rebuilt_after(revision))
        if engine.dialect.name == "sqlite":
            with engine.connect() as conn:
                assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
                assert conn.execute(text("PRAGMA foreign_key_check")).fetchall() == []
    finally:
        engine.dispose()


def test_downgrade_to_base_and_back_gives_the_models_schema(new_db_url) -> None:
    engine = make_engine(new_db_url())
    try:
        migrate.upgrade(engine)
        cfg = migrate.alembic_config()
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "base")
        assert migrate.current_revision(engine) is None
        with engine.connect() as conn:
            left = set(conn.dialect.get_table_names(conn)) - {"alembic_version"}
        assert left == set()
        migrate.upgrade(engine)
        with engine.connect() as conn:
            diff = compare_metadata(
                MigrationContext.configure(conn, opts={"compare_type": True}), SQLModel.metadata
            )
        assert diff == []
    finally:
        engine.dispose()
