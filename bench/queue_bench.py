"""`queue_open_ms`: opening a counsellor's queue (`services.queue.queue_for`), p95 of 20
openings, for the counsellor whose queue in the demo database is nearest 2,000 items."""

from __future__ import annotations

import importlib
import time

from bench.common import CACHE, Metric, percentile
from bench.target import Target

TARGET = 2000


def measure(target: Target, runs: int = 20) -> Metric:
    from sqlmodel import select

    from ungehus_tui.data.engine import read_session
    from ungehus_tui.data.models import Staff
    from ungehus_tui.services.context import Actor
    from ungehus_tui.settings import load_settings
    from ungehus_tui.store import open_store

    queue_for = importlib.import_module("ungehus_tui.services.casework.queue").queue_for
    ctx = open_store(load_settings(db=target.url, data_dir=CACHE))
    with read_session(ctx.engine) as session:
        staff = session.exec(
            select(Staff).where(Staff.role == "COUNSELLOR", Staff.active == True)  # noqa: E712
        ).all()
        actors = [Actor.of(s) for s in staff]
    sizes = {a.login: len(queue_for(ctx, a)) for a in actors}
    actor = min(actors, key=lambda a: abs(sizes[a.login] - TARGET))
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        items = queue_for(ctx, actor)
        timings.append((time.perf_counter() - started) * 1000)
    ctx.engine.dispose()
    return Metric(
        round(percentile(timings, 95), 1),
        unit="ms",
        goal="2,000 items",
        detail={"items": len(items), "login": actor.login, "largest": max(sizes.values())},
    )
