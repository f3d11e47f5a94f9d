"""A fresh temp SQLite database per test, with the shipped Slagelse organisation."""

from __future__ import annotations

from pathlib import Path

import pytest

from ungehus_tui.data.engine import read_session
from ungehus_tui.services.context import Actor, Ctx, actor_by_login
from ungehus_tui.settings import load_settings
from ungehus_tui.store import init_store


@pytest.fixture
def ctx(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Ctx:
    monkeypatch.setenv("UNGEHUS_CONFIG", str(tmp_path / "no-config.toml"))
    for name in ("UNGEHUS_DB", "UNGEHUS_ORG_FILE", "UNGEHUS_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)
    context, _ = init_store(load_settings(db=str(tmp_path / "t.db"), data_dir=tmp_path))
    return context


def actor(ctx: Ctx, login: str) -> Actor:
    with read_session(ctx.engine) as session:
        return actor_by_login(session, login)


@pytest.fixture
def reception(ctx: Ctx) -> Actor:
    return actor(ctx, "rec.1")
