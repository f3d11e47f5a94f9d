"""Starting the app opens a current store without Alembic, and creates or upgrades any other."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, text

from ungehus_tui.data import migrate
from ungehus_tui.data.engine import StoreError
from ungehus_tui.store import init_store, start_store


def test_head_constant_is_alembics_head() -> None:
    assert migrate.HEAD_REVISION == migrate.head_revision()


def test_empty_database_is_created(settings) -> None:  # type: ignore[no-untyped-def]
    ctx = start_store(settings)
    try:
        assert migrate.stored_revision(ctx.engine) == migrate.HEAD_REVISION
        assert "young_person" in inspect(ctx.engine).get_table_names()
    finally:
        ctx.engine.dispose()


def test_current_database_skips_migrations(settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    init_store(settings)[0].engine.dispose()

    def no_upgrade(*args: object, **kwargs: object) -> bool:
        raise AssertionError("a current schema must not be migrated on start")

    monkeypatch.setattr(migrate, "upgrade", no_upgrade)
    ctx = start_store(settings)
    try:
        with ctx.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM center")).scalar() == 4
    finally:
        ctx.engine.dispose()


def test_unknown_revision_is_refused(settings) -> None:  # type: ignore[no-untyped-def]
    ctx = init_store(settings)[0]
    with ctx.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'older'"))
    ctx.engine.dispose()
    with pytest.raises(StoreError, match="newer than this version"):
        start_store(settings)  # an unknown revision is refused, never guessed at
