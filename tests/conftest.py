"""Shared fixtures. Every test gets its own database on the backend CI asks for:
SQLite by default, PostgreSQL when UNGEHUS_TEST_BACKEND=postgresql (then a missing server
fails the run; it never skips). The developer's own config and data never reach a test.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from ungehus_tui.domain import clock

BACKEND = os.environ.get("UNGEHUS_TEST_BACKEND", "sqlite")
PG_ADMIN = os.environ.get(
    "UNGEHUS_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def _pg_conninfo(url: str) -> str:
    from sqlalchemy.engine import make_url

    u = make_url(url)
    parts = [f"host={u.host or '127.0.0.1'}", f"port={u.port or 5432}", f"dbname={u.database}"]
    if u.username:
        parts.append(f"user={u.username}")
    if u.password:
        parts.append(f"password={u.password}")
    return " ".join(parts)


def pytest_sessionstart(session: pytest.Session) -> None:
    if BACKEND == "postgresql":
        import psycopg

        try:
            with psycopg.connect(_pg_conninfo(PG_ADMIN), connect_timeout=5):
                pass
        except psycopg.Error as exc:
            pytest.exit(f"PostgreSQL was asked for but is not reachable: {exc}", returncode=3)
    elif BACKEND != "sqlite":
        pytest.exit(f"Unknown UNGEHUS_TEST_BACKEND={BACKEND!r}", returncode=3)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if BACKEND != "sqlite" and item.get_closest_marker("sqlite_only"):
            item.add_marker(pytest.mark.skip(reason="SQLite-specific (file, WAL, mode)"))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sqlite_only: test of SQLite file behaviour")


@pytest.fixture(autouse=True)
def _isolate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for key in list(os.environ):
        if key.startswith("UNGEHUS_") and key not in (
            "UNGEHUS_TEST_BACKEND",
            "UNGEHUS_TEST_PG_URL",
        ):
            monkeypatch.delenv(key)
    monkeypatch.setenv("UNGEHUS_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.setenv("UNGEHUS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("UNGEHUS_ICS_DIR", str(tmp_path / "ics"))
    monkeypatch.setenv("UNGEHUS_PSEUDONYM_KEY", "test-pseudonym-key")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    clock.set_now(None)
    yield
    clock.set_now(None)


def _new_pg_database() -> tuple[str, Callable[[], None]]:
    import psycopg
    from sqlalchemy.engine import make_url

    name = f"ungehus_t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_pg_conninfo(PG_ADMIN), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(_pg_conninfo(PG_ADMIN), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    url = make_url(PG_ADMIN).set(database=name).render_as_string(hide_password=False)
    return url, drop


@pytest.fixture
def db_url(tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database URL on the backend under test."""
    if BACKEND == "postgresql":
        url, drop = _new_pg_database()
        try:
            yield url
        finally:
            drop()
    else:
        yield f"sqlite:///{tmp_path / 'ungehus.db'}"


@pytest.fixture
def new_db_url(tmp_path: Path) -> Iterator[Callable[[], str]]:
    """A factory of further fresh database URLs (dropped at the end)."""
    drops: list[Callable[[], None]] = []

    def make() -> str:
        if BACKEND == "postgresql":
            url, drop = _new_pg_database()
            drops.append(drop)
            return url
        return f"sqlite:///{tmp_path / f'db-{uuid.uuid4().hex[:8]}.db'}"

    yield make
    for drop in drops:
        drop()


@pytest.fixture
def settings(db_url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    from ungehus_tui.settings import load_settings

    return load_settings(db=db_url, data_dir=tmp_path / "data", ics_dir=tmp_path / "ics")


@pytest.fixture
def ctx(settings):  # type: ignore[no-untyped-def]
    """An initialised database with the shipped Slagelse organisation."""
    from ungehus_tui.store import init_store

    c, _ = init_store(settings)
    yield c
    c.engine.dispose()


@pytest.fixture
def actor_for(ctx):  # type: ignore[no-untyped-def]
    from ungehus_tui.data.engine import read_session
    from ungehus_tui.services.context import actor_by_login

    def get(login: str):  # type: ignore[no-untyped-def]
        with read_session(ctx.engine) as session:
            return actor_by_login(session, login)

    return get


@pytest.fixture
def reception(actor_for):  # type: ignore[no-untyped-def]
    return actor_for("rec.1")
