"""Booking fixtures: a frozen Monday morning and young people triaged through the real
intake service (fictitious CPR numbers from tests/cprgen.py)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable

import pytest

from tests.cprgen import born, make_cpr
from ungehus_tui.domain import clock
from ungehus_tui.domain.triage import Facts
from ungehus_tui.services.desk.intake import record_intake
from ungehus_tui.services.desk.people import PersonInput, register_person

# Monday 2 March 2026, 08:00 local: no public holiday within two weeks.
MONDAY = dt.datetime(2026, 3, 2, 8, 0)

_serial = itertools.count(1)


@pytest.fixture
def monday() -> dt.datetime:
    clock.set_now(MONDAY)
    return clock.now()


@pytest.fixture
def make_intake(ctx, reception, monday) -> Callable[..., int]:  # type: ignore[no-untyped-def]
    """make_intake(age, situation="ingen", **facts) -> intake id of a new young person."""

    def make(age: int, situation: str = "ingen", **facts: object) -> int:
        n = next(_serial)
        birth = born(clock.today(), age, days=n % 300 + 1)
        number = make_cpr(birth)
        guardian = {"guardian_name": f"Testforælder {n}"} if age < 18 else {}
        person, _ = register_person(
            ctx, reception, PersonInput(cpr=number, name=f"Testung Nummer{n} Prøvesen", **guardian)
        )
        assert person.id is not None
        intake, _ = record_intake(
            ctx,
            reception,
            person.id,
            Facts(cpr=number, on=clock.today(), situation=situation, **facts),  # type: ignore[arg-type]
        )
        assert intake.id is not None
        return intake.id

    return make


@pytest.fixture
def ids(ctx):  # type: ignore[no-untyped-def]
    """ids.staff(login), ids.room(name), ids.person(intake_id)."""
    from sqlmodel import select

    from ungehus_tui.data.engine import read_session
    from ungehus_tui.data.models import Intake, Room, Staff

    class Ids:
        def staff(self, login: str) -> int:
            with read_session(ctx.engine) as s:
                row = s.exec(select(Staff).where(Staff.login == login)).one()
                assert row.id is not None
                return row.id

        def room(self, name: str) -> int:
            with read_session(ctx.engine) as s:
                row = s.exec(select(Room).where(Room.name == name)).one()
                assert row.id is not None
                return row.id

        def rooms(self) -> list[int]:
            with read_session(ctx.engine) as s:
                return [r.id for r in s.exec(select(Room)).all() if r.id is not None]

        def person(self, intake_id: int) -> int:
            with read_session(ctx.engine) as s:
                intake = s.get(Intake, intake_id)
                assert intake is not None
                return intake.person_id

    return Ids()


@pytest.fixture
def block(ctx, ids, make_intake):  # type: ignore[no-untyped-def]
    """block(start, end, room_id=..., staff_ids=(), person_id=None): a BOOKED meeting of
    another young person (made once) that occupies the room and the staff."""
    from ungehus_tui.data.engine import write_session
    from ungehus_tui.data.models import Meeting, MeetingParticipant

    other: list[int] = []

    def make(
        start: dt.datetime,
        end: dt.datetime,
        *,
        room_id: int,
        staff_ids: tuple[int, ...] = (),
        person_id: int | None = None,
    ) -> int:
        if person_id is None:
            if not other:
                other.append(ids.person(make_intake(25)))
            person_id = other[0]
        with write_session(ctx.engine) as s:
            m = Meeting(
                person_id=person_id,
                kind="FOLLOW_UP",
                start=clock.at_local(start),
                end=clock.at_local(end),
                room_id=room_id,
                status="BOOKED",
                created_by=ids.staff("rec.1"),
            )
            s.add(m)
            s.flush()
            assert m.id is not None
            for sid in staff_ids:
                s.add(MeetingParticipant(meeting_id=m.id, kind="STAFF", staff_id=sid, name="x"))
            return m.id

    return make
