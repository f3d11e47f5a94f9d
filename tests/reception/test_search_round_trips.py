"""The desk's search per keystroke is one statement, one round trip to the server: no second
query for the rows, and on PostgreSQL no BEGIN/ROLLBACK around it (autocommit) and no ping
of a connection used a moment ago; a connection that died while idle is replaced before the
search runs on it."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event, text

from tests.reception.conftest import cpr_aged
from ungehus_tui.data import engine as engine_mod
from ungehus_tui.services.desk import people
from ungehus_tui.services.desk.people import PersonInput

NAMES = ["Hans Hansen", "Søren Hansen", "Sofie Hansen-Berg", "Hanne Ibsen", "Ali Fiktiv"]


@pytest.fixture
def registered(ctx, reception):  # type: ignore[no-untyped-def]
    for i, name in enumerate(NAMES):
        people.register_person(ctx, reception, PersonInput(cpr_aged(20, days=i + 1), name))


def _statements(ctx) -> tuple[list[tuple[str, bool]], Any]:  # type: ignore[no-untyped-def]
    seen: list[tuple[str, bool]] = []

    def capture(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        autocommit = getattr(cursor.connection, "autocommit", None)
        seen.append((statement.split()[0].upper(), bool(autocommit)))

    event.listen(ctx.engine, "before_cursor_execute", capture)
    return seen, capture


@pytest.mark.parametrize("term", ["han", "so han", "0", "hansen hans"])
def test_search_is_one_statement(ctx, reception, registered, term) -> None:  # type: ignore[no-untyped-def]
    people.search(ctx, reception, "warm up the pool")
    seen, capture = _statements(ctx)
    try:
        hits = people.search(ctx, reception, term)
    finally:
        event.remove(ctx.engine, "before_cursor_execute", capture)
    assert hits
    selects = [s for s in seen if s[0] != "BEGIN"]
    assert len(selects) == 1
    if ctx.engine.dialect.name == "postgresql":
        assert seen == [("SELECT", True)]  # outside a transaction: no BEGIN, no ROLLBACK


def test_name_hits_in_order_each_person_once(ctx, reception, registered) -> None:  # type: ignore[no-untyped-def]
    names = [h.name for h in people.search(ctx, reception, "han")]
    # by the first matching word (hanne < hans < hansen), each young person once
    assert names == ["Hanne Ibsen", "Hans Hansen", "Søren Hansen", "Sofie Hansen-Berg"]
    assert [h.name for h in people.search(ctx, reception, "so han")] == [
        "Søren Hansen",
        "Sofie Hansen-Berg",
    ]
    assert [h.name for h in people.search(ctx, reception, "han", limit=2)] == [
        "Hanne Ibsen",
        "Hans Hansen",
    ]


def test_idle_connection_is_pinged_and_a_dead_one_replaced(
    ctx, reception, registered, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    if ctx.engine.dialect.name != "postgresql":
        pytest.skip("a server connection (SQLite has none to lose)")
    pings: list[object] = []
    real = ctx.engine.dialect.do_ping
    monkeypatch.setattr(ctx.engine.dialect, "do_ping", lambda c: pings.append(c) or real(c))
    people.search(ctx, reception, "han")
    people.search(ctx, reception, "hans")
    assert pings == []  # used a moment ago: no ping
    first = ctx.engine.connect()
    other = ctx.engine.connect()
    pid = first.execute(text("SELECT pg_backend_pid()")).scalar()
    first.close()  # back in the pool, idle; the next checkout gets it (first in, first out)
    other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    other.close()
    monkeypatch.setattr(engine_mod, "PING_AFTER_IDLE_S", 0.0)
    assert [h.name for h in people.search(ctx, reception, "ali")] == ["Ali Fiktiv"]
    assert pings
