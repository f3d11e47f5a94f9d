"""Fixtures for the counsellor tests: a frozen clock and small, plainly fictitious cases."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pytest

from ungehus_tui.domain import clock

FROZEN = dt.datetime(2026, 3, 10, 10, 0)  # a Tuesday, local time
_serial = itertools.count(100)


@dataclass
class Case:
    person_id: int
    name: str


@pytest.fixture
def frozen() -> dt.datetime:
    clock.set_now(FROZEN)
    return FROZEN


def new_case(
    ctx,  # type: ignore[no-untyped-def]
    holder: str,
    *,
    age: int = 20,
    team: Sequence[str] = (),
    grade: int | None = None,
    name: str | None = None,
    birth: dt.date | None = None,
) -> Case:
    """Register a fictitious young person and open a case with `holder` holding it (as
    coordinator when `team` names further logins)."""
    from ungehus_tui.data.engine import read_session, write_session
    from ungehus_tui.data.models import Intake
    from ungehus_tui.domain.cpr import century_digit_for
    from ungehus_tui.services.casework.assignments import TeamMember, open_case_in
    from ungehus_tui.services.context import actor_by_login
    from ungehus_tui.services.desk.people import PersonInput, register_person_in

    today = clock.today()
    born = birth or today.replace(year=today.year - age) - dt.timedelta(days=40)
    serial = next(_serial)
    number = f"{born:%d%m%y}{century_digit_for(born)}{serial:03d}"
    person_name = name or f"Test Prøvesen {serial}"
    with read_session(ctx.engine) as session:
        rec = actor_by_login(session, "rec.1")
        members = [actor_by_login(session, login) for login in (holder, *team)]
    with write_session(ctx.engine) as session:
        person, _ = register_person_in(
            session, rec, PersonInput(number, person_name, guardian_name="Forælder Prøvesen")
        )
        assert person.id is not None
        session.add(
            Intake(
                person_id=person.id,
                intake_date=today,
                situation="grundskole" if grade else "ingen",
                grade=grade,
                created_by=rec.id,
            )
        )
        open_case_in(
            session,
            rec,
            person.id,
            [TeamMember(str(m.center_code), m.id, m.contact_role) for m in members],
            str(members[0].center_code),
            bool(team),
        )
        return Case(person.id, person_name)


@pytest.fixture
def make_case(ctx, frozen) -> Callable[..., Case]:  # type: ignore[no-untyped-def]
    """make_case(holder_login, *, age=20, team=(), grade=None, name=..., birth=...) -> Case."""

    def make(holder: str, **kwargs: object) -> Case:
        return new_case(ctx, holder, **kwargs)  # type: ignore[arg-type]

    return make


@pytest.fixture
def make_meeting(ctx, actor_for):  # type: ignore[no-untyped-def]
    """make_meeting(person_id, start, logins, kind=..., is_first=True) -> meeting id."""
    from sqlmodel import select

    from ungehus_tui.data.engine import write_session
    from ungehus_tui.data.models import Meeting, MeetingParticipant, Room

    def make(
        person_id: int,
        start: dt.datetime,
        logins: Sequence[str],
        *,
        kind: str = "FIRST_CONVERSATION",
        is_first: bool = True,
    ) -> int:
        staff = [actor_for(login) for login in logins]
        with write_session(ctx.engine) as session:
            room = session.exec(select(Room)).first()
            assert room is not None and room.id is not None
            begins = clock.at_local(start)
            m = Meeting(
                person_id=person_id,
                kind=kind,
                is_first=is_first,
                start=begins,
                end=begins + dt.timedelta(minutes=45),
                room_id=room.id,
                leader_id=staff[0].id,
                created_by=staff[0].id,
            )
            session.add(m)
            session.flush()
            assert m.id is not None
            for s in staff:
                session.add(
                    MeetingParticipant(
                        meeting_id=m.id,
                        kind="STAFF",
                        staff_id=s.id,
                        center_code=s.center_code,
                        name=s.name,
                    )
                )
            return m.id

    return make


def holders(ctx, person_id: int) -> list[int | None]:  # type: ignore[no-untyped-def]
    from ungehus_tui.data.engine import read_session
    from ungehus_tui.services.casework.assignments import active_assignments

    with read_session(ctx.engine) as session:
        return [a.staff_id for a in active_assignments(session, person_id) if a.holds]


@pytest.fixture
def scenario(ctx, actor_for, make_case, make_meeting) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """One of each queue kind for cai.vejl.1 ('Demo Vejleder Ekko'); name -> person id."""
    from ungehus_tui.services.casework import handovers as ho
    from ungehus_tui.services.casework import outcomes

    me, colleague, besk = actor_for("cai.vejl.1"), actor_for("cai.vejl.2"), actor_for("cai.besk.1")
    past = FROZEN - dt.timedelta(days=1)
    out: dict[str, int] = {}
    out["Alma Førstesen"] = make_case("cai.vejl.1", age=16, name="Alma Førstesen").person_id
    p = make_case("cai.vejl.1", name="Bjørn Mødesen").person_id
    make_meeting(p, FROZEN + dt.timedelta(days=2), ["cai.vejl.1"])
    out["Bjørn Mødesen"] = p
    p = make_case("cai.vejl.1", name="Clara Udfaldsen").person_id
    make_meeting(p, past, ["cai.vejl.1"])
    out["Clara Udfaldsen"] = p
    p = make_case("cai.vejl.2", name="Dan Tilbudsen").person_id
    outcomes.record_outcome(
        ctx, colleague, make_meeting(p, past - dt.timedelta(days=7), ["cai.vejl.2"]), "HELD"
    )
    ho.offer_handover(ctx, colleague, p, kind="COLLEAGUE", to_staff_id=me.id, reason="Ferie")
    out["Dan Tilbudsen"] = p
    p = make_case("cai.vejl.1", name="Emma Afsendersen").person_id
    outcomes.record_outcome(
        ctx, me, make_meeting(p, past - dt.timedelta(days=7), ["cai.vejl.1"]), "HELD"
    )
    ho.offer_handover(ctx, me, p, kind="COLLEAGUE", to_staff_id=besk.id, reason="Jobfokus")
    out["Emma Afsendersen"] = p
    p = make_case("cai.vejl.1", name="Frede Udebliversen").person_id
    outcomes.record_outcome(ctx, me, make_meeting(p, past, ["cai.vejl.1"]), "NO_SHOW")
    out["Frede Udebliversen"] = p
    p = make_case("cai.besk.1", name="Gry Ankersen").person_id
    outcomes.appoint_contact_person(ctx, besk, p, outcomes.ContactPersonInput(me.id, "CAI"))
    h = ho.offer_handover(
        ctx,
        besk,
        p,
        kind="EDUCATION_START",
        to_external="FGU Vestsjælland",
        to_external_contact="Demo Studievejleder",
    )
    ho.acknowledge_external(ctx, besk, h.id, acknowledged_by="Demo Studievejleder")
    out["Gry Ankersen"] = p
    return out
