"""The child process of the double-booking race (imported by spawn, so a plain module)."""

from __future__ import annotations

import datetime as dt
from typing import Any


def run(
    db_url: str,
    ics_dir: str,
    frozen_now: dt.datetime,
    login: str,
    rounds: list[tuple[int, Any]],
    barrier: Any,
    results: Any,
) -> None:
    """Book each (intake_id, slot) right after both processes reach the barrier."""
    from pathlib import Path

    from ungehus_tui.data.engine import read_session
    from ungehus_tui.domain import clock
    from ungehus_tui.services.context import Ctx, actor_by_login
    from ungehus_tui.services.desk.booking import book
    from ungehus_tui.services.errors import Conflict
    from ungehus_tui.settings import load_settings
    from ungehus_tui.store import open_store

    settings = load_settings(db=db_url, data_dir=Path(ics_dir).parent, ics_dir=Path(ics_dir))
    ctx: Ctx = open_store(settings)
    clock.set_now(frozen_now)
    with read_session(ctx.engine) as session:
        actor = actor_by_login(session, login)
    for n, (intake_id, slot) in enumerate(rounds):
        barrier.wait(timeout=120)
        try:
            booked = book(ctx, actor, intake_id, slot)
            results.put((n, login, "won", booked.meeting_id))
        except Conflict as exc:
            results.put((n, login, "conflict", exc.message))
        except Exception as exc:  # reported to the parent, which fails the test
            results.put((n, login, "error", f"{type(exc).__name__}: {exc}"))
    ctx.engine.dispose()
