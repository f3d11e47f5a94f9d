"""Two desks (two processes) book clashing slots at the same moment against one database:
exactly one wins each time, the other gets Conflict, and nobody or no room is ever in two
overlapping meetings. Runs on file SQLite, and on PostgreSQL with UNGEHUS_TEST_BACKEND."""

from __future__ import annotations

import dataclasses
import datetime as dt
import multiprocessing
from itertools import combinations

from sqlmodel import select

from tests.booking.race_worker import run
from ungehus_tui.data.engine import read_session
from ungehus_tui.data.models import Meeting, MeetingParticipant
from ungehus_tui.domain import clock
from ungehus_tui.services.desk import booking
from ungehus_tui.services.desk.booking import Slot, StaffPick

MON = dt.date(2026, 3, 2)


def at(h: int, m: int = 0) -> dt.datetime:
    return clock.combine(MON, dt.time(h, m))


def test_two_processes_never_double_book(ctx, reception, make_intake, ids, db_url) -> None:
    ekko = StaffPick(ids.staff("cai.vejl.1"), "Demo Vejleder Ekko", "CAI", "UDDANNELSESVEJLEDER")
    fox = StaffPick(ids.staff("cai.vejl.2"), "Demo Vejleder Foxtrot", "CAI", "UDDANNELSESVEJLEDER")
    room1, room2 = ids.room("Samtalerum 1"), ids.room("Samtalerum 2")

    def slot(h: int, m: int, room: int, staff: StaffPick) -> Slot:
        start = at(h, m)
        return Slot(start, start + dt.timedelta(minutes=45), room, "x", (staff,))

    a1, b1, a2, b2 = (make_intake(20 + k) for k in range(4))
    same_person = make_intake(22)
    # A second intake of the same young person (e.g. a new situation the same week).
    from ungehus_tui.domain.triage import Facts
    from ungehus_tui.services.desk.intake import record_intake

    with read_session(ctx.engine) as s:
        from ungehus_tui.data.models import YoungPerson

        person = s.get(YoungPerson, ids.person(same_person))
        assert person is not None and person.id is not None
    again, _ = record_intake(
        ctx, reception, person.id, Facts(cpr=person.cpr, on=MON, situation="ingen")
    )
    assert again.id is not None
    proposed = booking.propose(ctx, reception, a1).slots[0]
    rounds_1 = [
        (a1, proposed),  # the same slot: same staff, same room
        (a2, slot(10, 0, room1, ekko)),  # overlapping, only the room is shared
        (same_person, slot(12, 0, room1, ekko)),  # overlapping, only the person is shared
    ]
    rounds_2 = [
        (b1, dataclasses.replace(proposed)),
        (b2, slot(10, 30, room1, fox)),
        (again.id, slot(12, 30, room2, fox)),
    ]
    spawn = multiprocessing.get_context("spawn")
    barrier, results = spawn.Barrier(2), spawn.Queue()
    ics_dir = str(ctx.settings.ics_folder)
    procs = [
        spawn.Process(
            target=run,
            args=(db_url, ics_dir, clock.now(), login, rounds, barrier, results),
        )
        for login, rounds in (("rec.1", rounds_1), ("rec.2", rounds_2))
    ]
    for p in procs:
        p.start()
    outcomes = [results.get(timeout=300) for _ in range(6)]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    for n in range(3):
        got = sorted(o[2] for o in outcomes if o[0] == n)
        assert got == ["conflict", "won"], outcomes
    assert all(o[3] == booking.TAKEN_DA for o in outcomes if o[2] == "conflict")
    _assert_no_overlaps(ctx)


def _assert_no_overlaps(ctx) -> None:  # type: ignore[no-untyped-def]
    with read_session(ctx.engine) as s:
        meetings = s.exec(select(Meeting).where(Meeting.status != "CANCELLED")).all()
        staff: dict[int, set[int]] = {}
        for part in s.exec(select(MeetingParticipant)).all():
            if part.staff_id is not None:
                staff.setdefault(part.meeting_id, set()).add(part.staff_id)
    assert len(meetings) == 3
    for m1, m2 in combinations(meetings, 2):
        if m1.start < m2.end and m2.start < m1.end:
            assert m1.person_id != m2.person_id
            assert m1.room_id != m2.room_id
            assert not (staff.get(m1.id or 0, set()) & staff.get(m2.id or 0, set()))
