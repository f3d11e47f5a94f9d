"""Parallel desks: several processes register young people at the same moment. Nothing is
lost, nobody sees an error (no 'database is locked' on SQLite, no serialisation failure on
PostgreSQL), and the audit chain stays one line."""

from __future__ import annotations

import multiprocessing as mp
import traceback

from sqlalchemy import func, select

from tests.reliability.register_loop import cpr_for
from ungehus_tui.data.engine import read_session
from ungehus_tui.data.models import AuditEvent, AuditHead, YoungPerson
from ungehus_tui.services.access.audit import GENESIS, event_hash

WORKERS = 4
EACH = 12


def _register(url: str, worker: int, start: mp.synchronize.Event) -> list[str]:
    """One desk: register EACH young people; return the errors it saw (as text)."""
    from ungehus_tui.services.context import actor_by_login
    from ungehus_tui.services.desk.people import PersonInput, register_person
    from ungehus_tui.settings import load_settings
    from ungehus_tui.store import open_store

    errors: list[str] = []
    try:
        ctx = open_store(load_settings(db=url))
        with read_session(ctx.engine) as session:
            actor = actor_by_login(session, "rec.2")
        start.wait(60)
        for i in range(EACH):
            index = 5000 + worker * EACH + i
            try:
                register_person(
                    ctx, actor, PersonInput(cpr=cpr_for(index), name=f"Prøve Parallelsen {index}")
                )
            except Exception:
                errors.append(traceback.format_exc(limit=3))
        ctx.engine.dispose()
    except Exception:
        errors.append(traceback.format_exc(limit=3))
    return errors


def test_parallel_registrations_lose_nothing(ctx) -> None:
    url = ctx.engine.url.render_as_string(hide_password=False)
    spawn = mp.get_context("spawn")
    with spawn.Manager() as manager:
        start = manager.Event()
        with spawn.Pool(WORKERS) as pool:
            pending = [pool.apply_async(_register, (url, w, start)) for w in range(WORKERS)]
            start.set()
            errors = [e for p in pending for e in p.get(timeout=300)]
    assert errors == [], errors[0]
    assert not any("locked" in e for e in errors)
    with read_session(ctx.engine) as session:
        found = session.execute(
            select(func.count())
            .select_from(YoungPerson)
            .where(YoungPerson.name.like("Prøve Parallelsen%"))
        ).scalar_one()
        assert found == WORKERS * EACH
        events = session.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars().all()
        head = session.get(AuditHead, 1)
    prev = GENESIS
    for event in events:
        assert event.prev_hash == prev and event_hash(event) == event.hash
        prev = event.hash
    assert head is not None and head.last_hash == prev
