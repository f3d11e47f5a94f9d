"""The store: migrations equal the models, init is idempotent, bad databases are refused."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select, text
from sqlmodel import Session, SQLModel

from ungehus_tui.data.engine import StoreError, make_engine
from ungehus_tui.data.models import Room, Staff
from ungehus_tui.settings import load_settings
from ungehus_tui.store import init_store, open_store


def test_migrations_produce_exactly_the_models_schema(ctx) -> None:
    with ctx.engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), SQLModel.metadata
        )
    assert diff == []


def test_init_loads_organisation_and_is_idempotent(settings) -> None:
    ctx, changed = init_store(settings)
    assert changed
    with Session(ctx.engine) as s:
        staff = s.exec(select(func.count()).select_from(Staff)).one()
        rooms = s.exec(select(func.count()).select_from(Room)).one()
    assert staff[0] >= 15 and rooms[0] == 5
    ctx2, changed2 = init_store(settings)
    assert not changed2
    with Session(ctx2.engine) as s:
        assert s.exec(select(func.count()).select_from(Staff)).one()[0] == staff[0]


@pytest.mark.sqlite_only
def test_sqlite_file_is_private_and_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    init_store(load_settings(db=str(path), data_dir=tmp_path))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("SELECT count(*) FROM alembic_version").fetchone()[0] == 1


@pytest.mark.sqlite_only
def test_foreign_keys_and_busy_timeout_are_on(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'y.db'}", busy_timeout_ms=1234)
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 1234


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda p: p / "missing" / "x.db", "Folder does not exist"),
        (
            lambda p: (p / "junk.db").write_bytes(b"this is not sqlite at all") and p / "junk.db",
            "Not an SQLite database",
        ),
    ],
)
def test_unusable_db_paths_fail_cleanly(tmp_path: Path, make, expected: str) -> None:
    path = make(tmp_path)
    before = sorted(os.listdir(tmp_path))
    with pytest.raises(StoreError, match=expected):
        init_store(load_settings(db=str(path), data_dir=tmp_path))
    assert sorted(os.listdir(tmp_path)) == before


@pytest.mark.sqlite_only
def test_read_only_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ro.db"
    settings = load_settings(db=str(path), data_dir=tmp_path)
    init_store(settings)
    os.chmod(path, 0o400)
    before = path.read_bytes()
    with pytest.raises(StoreError, match="read-only"):
        init_store(settings)
    assert path.read_bytes() == before


def test_database_from_a_newer_schema_is_refused(settings, ctx) -> None:
    with ctx.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffff_future'"))
    with pytest.raises(StoreError, match="newer"):
        open_store(settings)
    with pytest.raises(StoreError, match="newer"):
        init_store(settings)
    with ctx.engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == (
            "ffff_future"
        )


def test_empty_database_asks_for_init(settings) -> None:
    with pytest.raises(StoreError, match="ungehus init"):
        open_store(settings)
