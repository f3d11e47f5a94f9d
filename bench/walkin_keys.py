"""`intake_keys`: the README's walk-in (a new 17-year-old with a social case who is out of
school, from the empty search field to a booked team meeting), driven key by key with Pilot
on a fresh database, using the reception's own key list (`ungehus_tui.walkin`). Counts the
keys that are not data; the figure only counts if the team meeting really got booked."""

from __future__ import annotations

import asyncio
import datetime as dt
import importlib
import tempfile
from pathlib import Path

from bench.common import Metric

FROZEN = dt.datetime(2026, 3, 12, 10, 0)  # a Thursday in term time; the desk is open


def _cpr_aged_17() -> str:
    from ungehus_tui.domain.cpr import century_digit_for

    birth = FROZEN.date().replace(year=FROZEN.year - 17) - dt.timedelta(days=10)
    return f"{birth:%d%m%y}{century_digit_for(birth)}{0:03d}"


async def _drive(ctx, steps) -> str:  # type: ignore[no-untyped-def]
    from textual.worker import WorkerCancelled, WorkerFailed

    from ungehus_tui.app import make_app

    app = make_app(ctx)

    async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
        for _ in range(3):
            try:
                await app.workers.wait_for_complete()
            except (WorkerCancelled, WorkerFailed):
                pass
            await pilot.pause()

    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        for step in steps:
            await pilot.press(*step.keys)
            await settle(pilot)
        return type(app.screen).__name__


def measure() -> Metric:
    from sqlmodel import select

    from ungehus_tui.data.engine import read_session
    from ungehus_tui.data.models import Meeting
    from ungehus_tui.domain import clock
    from ungehus_tui.settings import load_settings
    from ungehus_tui.store import init_store

    walkin = importlib.import_module("ungehus_tui.walkin")
    cpr = _cpr_aged_17()
    args = (cpr, "Freja Prøvesen", "Hanne Prøvesen")
    kwargs = {"phone": "01234567", "guardian_phone": "07654321"}
    steps = walkin.walkin_steps(*args, **kwargs)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        clock.set_now(FROZEN)
        try:
            ctx, _ = init_store(
                load_settings(db=str(folder / "w.db"), data_dir=folder, ics_dir=folder / "ics")
            )
            screen = asyncio.run(_drive(ctx, steps))
            with read_session(ctx.engine) as session:
                kinds = session.exec(select(Meeting.kind)).all()
            ctx.engine.dispose()
        finally:
            clock.set_now(None)
    keys = walkin.control_keys(*args, **kwargs)
    total = sum(len(s.keys) for s in steps)
    if "TEAM_MEETING" not in kinds:
        return Metric.missing(
            f"the walk-in did not book a team meeting (ended on {screen})", goal="<= 10"
        )
    return Metric(
        len(keys),
        unit="keys",
        goal="<= 10",
        detail={"non_data_keys": " ".join(keys), "all_keys": total, "ended_on": screen},
    )
