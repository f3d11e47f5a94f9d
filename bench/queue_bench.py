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


def main() -> None:
    """Only the two queue figures, on an existing database (the cached demo by default):
    `python -m bench.queue_bench [--db PATH|URL] [--runs N]`; what is measured is run.py's."""
    import argparse
    import json
    import os
    from pathlib import Path

    from bench import feel
    from bench.run import ensure_db, sqlite_target

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--db", help="an SQLite file or a PostgreSQL URL of a demo database")
    parser.add_argument("--runs", type=int, default=5, help="openings of the center queue")
    args = parser.parse_args()
    if args.db and args.db.startswith("postgresql"):
        target = Target(args.db)
    else:
        target = sqlite_target(Path(args.db).resolve() if args.db else ensure_db(100_000))
    results = {
        "queue_open_ms": measure(target),
        "center_queue_open_ms": feel.center_queue(target, args.runs),
    }
    for key, metric in results.items():
        print(f"# {key}: {json.dumps(metric.detail, ensure_ascii=False)}")
    print(json.dumps({key: m.value for key, m in results.items()} | {"load": os.getloadavg()}))


if __name__ == "__main__":
    main()
