"""A small, known, plainly fictitious world for the export and report tests.

Rows are inserted directly (the triage and booking services live on other branches); the
clock is frozen so every timestamp is known.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlmodel import Session, select

from ungehus_tui.data.models import (
    Assignment,
    Consent,
    EducationPlan,
    Handover,
    Intake,
    Meeting,
    MeetingParticipant,
    PlanIntervention,
    Room,
    Staff,
    Task,
    TriageDecision,
    YoungPerson,
)
from ungehus_tui.domain import clock
from ungehus_tui.domain.folding import fold

T0 = dt.datetime(2026, 11, 10, 10, 0)  # local wall clock when the world is built


def cpr_for(birth: dt.date, serial: int) -> str:
    """A fictitious CPR with the right century digit (2000-2036: 4)."""
    assert 2000 <= birth.year <= 2036
    return birth.strftime("%d%m%y") + "4" + f"{serial:03d}"


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return clock.combine(day, dt.time(hour, 0))


@dataclass
class World:
    session: Session
    staff: dict[str, int] = field(default_factory=dict)
    room_id: int = 0
    serial: int = 0

    def add(self, obj: Any) -> Any:
        self.session.add(obj)
        self.session.flush()
        return obj

    def person(
        self, birth: dt.date, name: str, created: dt.datetime, *, case_open: bool = True
    ) -> YoungPerson:
        self.serial += 1
        return self.add(
            YoungPerson(
                cpr=cpr_for(birth, self.serial),
                birth_date=birth,
                name=name,
                name_folded=fold(name),
                case_open=case_open,
                created_at=created,
                updated_at=created,
            )
        )

    def intake(
        self,
        person: YoungPerson,
        when: dt.datetime,
        *,
        lead: str | None,
        situation: str = "ingen",
        age: int = 20,
        team: bool = False,
    ) -> Intake:
        who = self.staff["rec.1"]
        intake = self.add(
            Intake(
                person_id=person.id,
                intake_date=when.date(),
                situation=situation,
                created_by=who,
                created_at=when,
                updated_at=when,
            )
        )
        self.add(
            TriageDecision(
                intake_id=intake.id,
                source="ENGINE",
                ruleset_version="test",
                eligible=lead is not None,
                age=age,
                rules="R7",
                centers=lead or "",
                lead_center=lead,
                team_meeting=team,
                result_json="{}",
                decided_by=who,
                decided_at=when,
                updated_at=when,
            )
        )
        return intake

    def meeting(
        self,
        person: YoungPerson,
        start: dt.datetime,
        *,
        kind: str = "FIRST_CONVERSATION",
        status: str = "HELD",
        first: bool = True,
        created: dt.datetime | None = None,
    ) -> Meeting:
        stamp = created or start
        m = self.add(
            Meeting(
                person_id=person.id,
                kind=kind,
                is_first=first,
                start=start,
                end=start + dt.timedelta(hours=1),
                room_id=self.room_id,
                status=status,
                created_by=self.staff["rec.1"],
                created_at=stamp,
                updated_at=stamp,
            )
        )
        self.add(MeetingParticipant(meeting_id=m.id, kind="YOUNG_PERSON", name=person.name))
        return m

    def assign(
        self,
        person: YoungPerson,
        login: str,
        started: dt.datetime,
        *,
        kind: str = "CONTACT",
        holds: bool = True,
    ) -> Assignment:
        sid = self.staff[login]
        center = self.session.get(Staff, sid).center_code  # type: ignore[union-attr]
        return self.add(
            Assignment(
                person_id=person.id,
                staff_id=sid,
                center_code=center,
                kind=kind,
                holds=holds,
                started_at=started,
                created_by=sid,
                updated_at=started,
            )
        )

    def handover(
        self,
        person: YoungPerson,
        kind: str,
        offered: dt.datetime,
        *,
        status: str = "OFFERED",
        responded: dt.datetime | None = None,
    ) -> Handover:
        sid = self.staff["cai.vejl.1"]
        return self.add(
            Handover(
                person_id=person.id,
                kind=kind,
                status=status,
                from_staff_id=sid,
                to_external="Slagelse Testskole" if kind != "COLLEAGUE" else None,
                to_external_contact="Kontakt Prøvesen",
                offered_at=offered,
                responded_at=responded,
                created_by=sid,
                updated_at=responded or offered,
            )
        )

    def extras(self, person: YoungPerson, when: dt.datetime) -> None:
        """A consent, an education plan with one intervention and a task."""
        sid = self.staff["cai.vejl.1"]
        consent = self.add(
            Consent(
                person_id=person.id,
                center_code="CKFB",
                purpose="boligstøtte",
                given_at=when,
                recorded_by=sid,
                updated_at=when,
            )
        )
        plan = self.add(
            EducationPlan(
                person_id=person.id,
                version=1,
                short_term_goals="Hemmeligt mål",
                created_by=sid,
                created_at=when,
                updated_at=when,
            )
        )
        self.add(
            PlanIntervention(
                plan_id=plan.id,
                center_code="CKFB",
                area="OTHER",
                description="Hemmelig beskrivelse",
                consent_id=consent.id,
            )
        )
        self.add(
            Task(
                person_id=person.id,
                kind="OUTREACH",
                staff_id=sid,
                due=when.date(),
                note="Hemmelig note",
                created_by=sid,
                created_at=when,
                updated_at=when,
            )
        )


@pytest.fixture
def world(ctx):  # type: ignore[no-untyped-def]
    """A builder on an open session; call `.session.commit()` when done."""
    clock.set_now(T0)
    with Session(ctx.engine, expire_on_commit=False) as session:
        w = World(session)
        w.staff = {s.login: s.id for s in session.exec(select(Staff)).all()}
        w.room_id = session.exec(select(Room)).first().id  # type: ignore[union-attr]
        yield w
