"""How PostgreSQL plans the desk search (#18). A search for name words with a short one
(one or two letters) after the longest is planned for its words every time: it is never one
of psycopg's prepared statements (whose generic plan hashes every young person the short word
begins, 10-20 ms at 100,000 young people), while the one-word search and longer words are
(their generic plan suits every word). Migration 0005_search_stats gives the token column
finer statistics on PostgreSQL, and changes nothing on SQLite."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.engine import Engine

from tests.reception.conftest import cpr_aged
from ungehus_tui.data import migrate
from ungehus_tui.data.engine import make_engine
from ungehus_tui.services.desk import people
from ungehus_tui.services.desk.people import PersonInput

NAMES = ["Hans Hansen", "Søren Hansen", "Sofie Hansen-Berg", "Hanne Ibsen"]


def _prepared_searches(ctx) -> list[str]:  # type: ignore[no-untyped-def]
    with ctx.engine.connect() as conn:
        prepared = conn.execute(text("SELECT statement FROM pg_prepared_statements")).scalars()
        return [s for s in prepared if "person_name_token" in s]


def test_a_short_second_word_is_planned_for_its_values(ctx, reception) -> None:  # type: ignore[no-untyped-def]
    if ctx.engine.dialect.name != "postgresql":
        pytest.skip("prepared statements and their plans are PostgreSQL's")
    for i, name in enumerate(NAMES):
        people.register_person(ctx, reception, PersonInput(cpr_aged(20, days=i + 1), name))
    ctx.engine.dispose()  # from here on one connection: the searches' and the checks'
    for _ in range(12):  # psycopg prepares a statement at its 5th run on a connection
        assert [h.name for h in people.search(ctx, reception, "so han")] == [
            "Søren Hansen",
            "Sofie Hansen-Berg",
        ]
        assert len(people.search(ctx, reception, "hans")) == 3
    searches = _prepared_searches(ctx)
    assert searches, "the one-word search is a prepared statement"
    assert not [s for s in searches if "EXISTS" in s], "'so': planned each time"
    for _ in range(12):  # no short word after the first: the same statement, prepared
        assert [h.name for h in people.search(ctx, reception, "hansen søren")] == ["Søren Hansen"]
    assert [s for s in _prepared_searches(ctx) if "EXISTS" in s]


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    e = make_engine(db_url)
    yield e
    e.dispose()


def _stats_target(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(
            conn.execute(
                text(
                    "SELECT attstattarget FROM pg_attribute "
                    "WHERE attrelid = 'person_name_token'::regclass AND attname = 'token'"
                )
            ).scalar_one()
        )


def _schema(engine: Engine) -> list[tuple[str, str]]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT name, sql FROM sqlite_master ORDER BY name"))
        return [(name, sql) for name, sql in rows if name != "alembic_version"]


def test_the_statistics_revision_up_and_down(engine: Engine) -> None:
    migrate.upgrade(engine, "0004_search")
    before = _schema(engine) if engine.dialect.name == "sqlite" else _stats_target(engine)
    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == "0005_search_stats"
    if engine.dialect.name == "sqlite":
        assert _schema(engine) == before  # nothing to do on SQLite
    else:
        assert before == -1  # the server's default_statistics_target
        assert _stats_target(engine) == 1000
    cfg = migrate.alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0004_search")
    after = _schema(engine) if engine.dialect.name == "sqlite" else _stats_target(engine)
    assert after == before
