"""A fresh temp SQLite database per test, with the shipped Slagelse organisation.

The schema is migrated once per session into a template file; each test gets a copy.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ungehus_tui.data.engine import read_session
from ungehus_tui.services.context import Actor, Ctx, actor_by_login
from ungehus_tui.settings import load_settings
from ungehus_tui.store import init_store, open_store


@pytest.fixture(autouse=True)
def _no_user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UNGEHUS_CONFIG", str(tmp_path / "no-config.toml"))
    for name in ("UNGEHUS_DB", "UNGEHUS_ORG_FILE", "UNGEHUS_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def _template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("template")
    mp = pytest.MonkeyPatch()
    mp.setenv("UNGEHUS_CONFIG", str(folder / "no-config.toml"))
    try:
        ctx, _ = init_store(load_settings(db=str(folder / "t.db"), data_dir=folder))
        ctx.engine.dispose()
    finally:
        mp.undo()
    return folder / "t.db"


@pytest.fixture
def ctx(tmp_path: Path, _template_db: Path) -> Ctx:
    for suffix in ("", "-wal", "-shm"):
        source = Path(f"{_template_db}{suffix}")
        if source.exists():
            shutil.copy(source, tmp_path / f"t.db{suffix}")
    return open_store(load_settings(db=str(tmp_path / "t.db"), data_dir=tmp_path))


def actor(ctx: Ctx, login: str) -> Actor:
    with read_session(ctx.engine) as session:
        return actor_by_login(session, login)


@pytest.fixture
def reception(ctx: Ctx) -> Actor:
    return actor(ctx, "rec.1")
