"""`booking_double_bookings`: 8 processes (8 desks) book the same slots at the same moment
through `services.booking.book`. Every desk has its own young person with the same facts, so
the proposed slots fit all of them; each desk walks the same list of slots and books the first
one it gets. Afterwards every pair of overlapping meetings sharing a young person, a room or
a member of staff counts as a double booking (over the whole database)."""

from __future__ import annotations

import multiprocessing as mp
from typing import Any

from bench.common import CACHE, Metric
from bench.target import Target
from bench.writes import PROCESSES, free_cprs

OVERLAPS = """
SELECT count(*) FROM meeting a JOIN meeting b
  ON a.id < b.id AND a.start < b."end" AND b.start < a."end"
 AND a.status != 'CANCELLED' AND b.status != 'CANCELLED'
WHERE a.person_id = b.person_id OR a.room_id = b.room_id OR EXISTS (
  SELECT 1 FROM meeting_participant pa JOIN meeting_participant pb
    ON pa.staff_id = pb.staff_id
  WHERE pa.meeting_id = a.id AND pb.meeting_id = b.id AND pa.staff_id IS NOT NULL)
"""


def _settings(db: str):  # type: ignore[no-untyped-def]
    from ungehus_tui.settings import load_settings

    return load_settings(db=db, data_dir=CACHE, ics_dir=CACHE / "ics")


def _desk(db: str, login: str, intake_id: int, slots: list[Any], start: Any) -> tuple[str, str]:
    from ungehus_tui.data.engine import read_session
    from ungehus_tui.services.context import actor_by_login
    from ungehus_tui.services.desk.booking import book
    from ungehus_tui.services.errors import Conflict
    from ungehus_tui.store import open_store

    ctx = open_store(_settings(db))
    with read_session(ctx.engine) as session:
        actor = actor_by_login(session, login)
    start.wait(120)
    try:
        for slot in slots:
            try:
                book(ctx, actor, intake_id, slot)
                return "won", f"{slot.start:%H:%M}"
            except Conflict:
                continue
        return "none", ""
    except Exception as exc:
        return "error", f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
    finally:
        ctx.engine.dispose()


def measure(target: Target) -> Metric:
    from ungehus_tui.data.engine import read_session
    from ungehus_tui.domain import clock
    from ungehus_tui.domain.triage import Facts
    from ungehus_tui.services.context import actor_by_login
    from ungehus_tui.services.desk.booking import propose
    from ungehus_tui.services.desk.intake import record_intake
    from ungehus_tui.services.desk.people import PersonInput, register_person
    from ungehus_tui.store import open_store

    before = target.scalar(OVERLAPS)
    ctx = open_store(_settings(target.url))
    with read_session(ctx.engine) as session:
        actor = actor_by_login(session, "rec.1")
    intakes: list[int] = []
    for i, number in enumerate(free_cprs(target, PROCESSES)):
        person, _ = register_person(
            ctx, actor, PersonInput(cpr=number, name=f"Prøve Bookingsen {i}")
        )
        assert person.id is not None
        intake, _ = record_intake(
            ctx, actor, person.id, Facts(cpr=number, on=clock.today(), situation="ingen")
        )
        assert intake.id is not None
        intakes.append(intake.id)
    slots = list(propose(ctx, actor, intakes[0], limit=PROCESSES + 4).slots)
    ctx.engine.dispose()
    if not slots:
        return Metric.missing("no slot was proposed", goal="0")
    logins = ["rec.1", "rec.2"]
    spawn = mp.get_context("spawn")
    with spawn.Manager() as manager:
        start = manager.Event()
        with spawn.Pool(PROCESSES) as pool:
            jobs = [
                pool.apply_async(_desk, (target.url, logins[w % 2], intakes[w], slots, start))
                for w in range(PROCESSES)
            ]
            start.set()
            outcomes = [job.get(timeout=1800) for job in jobs]
    after = target.scalar(OVERLAPS)
    errors = [o[1] for o in outcomes if o[0] == "error"]
    return Metric(
        after,
        goal="0",
        reason=f"{len(errors)} desk errors, first: {errors[0]}" if errors else "",
        detail={
            "processes": PROCESSES,
            "slots_offered": len(slots),
            "booked": sum(o[0] == "won" for o in outcomes),
            "double_bookings_before": before,
            "errors": len(errors),
            "database_is_locked": sum("locked" in e for e in errors),
        },
    )
