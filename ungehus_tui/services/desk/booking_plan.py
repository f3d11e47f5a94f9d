"""What a booking needs, read from the database: the intake's current triage decision (a first
meeting) or the case's current team (any later meeting: `case_plan_in`) turned into required
participants, the candidate professionals per center, and busy times.

Queries are bounded for a large database (100,000 young people, thousands of meetings):
busy times are read only for meetings that overlap the search window (range on the indexed
`meeting.start`, bounded below by the longest meeting we allow), for the candidate staff
(via `ix_meeting_participant_staff`), the rooms and the one young person (`person_id` index).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import and_, func, select
from sqlmodel import Session, col

from ungehus_tui.data.models import (
    Intake,
    Meeting,
    MeetingParticipant,
    Staff,
    TriageDecision,
    YoungPerson,
)
from ungehus_tui.domain import slots as slotmod
from ungehus_tui.domain.calendar import WorkCalendar
from ungehus_tui.domain.codes import AccessRole, MeetingKind, MeetingStatus
from ungehus_tui.domain.cpr import age_on
from ungehus_tui.services.desk.intake import current_decision
from ungehus_tui.services.errors import NotFound, ServiceError
from ungehus_tui.settings import Settings

# A meeting never lasts longer than this: the lower bound of the overlap range scan.
MAX_MEETING = dt.timedelta(hours=12)
NOT_ELIGIBLE_DA = "Visitationen giver ikke et forløb i Ungehuset, så der kan ikke bookes et møde"


@dataclass(frozen=True)
class StaffPick:
    id: int
    name: str
    center: str
    contact_role: str | None


@dataclass(frozen=True)
class Need:
    """One seat for a professional: a center and the contact role the decision asks for."""

    center: str
    role: str | None
    staff_id: int | None = None  # a case meeting: the case's own professional, nobody else


@dataclass(frozen=True)
class Plan:
    """The required participants and rules of a booking: a first meeting for one intake, or a
    later meeting of an open case (`intake_id` None, `is_first` False)."""

    intake_id: int | None
    person_id: int
    person_name: str
    person_email: str | None
    guardian_name: str | None
    under18: bool
    kind: str  # MeetingKind
    minutes: int
    team_meeting: bool
    lead_center: str
    needs: tuple[Need, ...]  # the lead center first
    deadline: dt.date | None
    seats: int
    is_first: bool = True


def _bookable_person(session: Session, person_id: int) -> YoungPerson:
    person = session.get(YoungPerson, person_id)
    if person is None or person.anonymised_at is not None:
        raise NotFound("Den unge findes ikke")
    return person


def _decision_needs(decision: TriageDecision) -> tuple[str, list[Need]]:
    """The lead center and one seat per involved center, the lead first, each with the
    contact role the decision asks for (the lead's own role overrides)."""
    centers = [c for c in decision.centers.split(",") if c]
    lead = decision.lead_center
    if not centers or lead is None or lead not in centers:
        raise ServiceError("Visitationen mangler et ledende center")
    contacts = json.loads(decision.result_json).get("contacts") or []
    needs: list[Need] = []
    for center in [lead, *(c for c in centers if c != lead)]:
        role = next((c.get("role") for c in contacts if c.get("center") == center), None)
        if center == lead and decision.contact_role:
            role = decision.contact_role
        needs.append(Need(center, role or None))
    return lead, needs


def plan_in(
    session: Session, settings: Settings, cal: WorkCalendar, intake_id: int, today: dt.date
) -> Plan:
    """Read the intake's current decision; raise ServiceError when it cannot be booked."""
    intake = session.get(Intake, intake_id)
    if intake is None:
        raise NotFound("Henvendelsen findes ikke")
    decision = current_decision(session, intake_id)
    if not decision.eligible:
        raise ServiceError(NOT_ELIGIBLE_DA)
    person = _bookable_person(session, intake.person_id)
    lead, needs = _decision_needs(decision)
    under18 = age_on(person.birth_date, today) < 18
    team = bool(decision.team_meeting)
    # Young people with the duty of education (15-17) are contacted within N working days of
    # the intake (DOMAIN.md "Facts from law and practice").
    due = None
    if 15 <= decision.age <= 17:
        due = slotmod.deadline(cal, intake.intake_date, settings.first_contact_working_days)
    return Plan(
        intake_id=intake_id,
        person_id=person.id or 0,
        person_name=person.name,
        person_email=person.email,
        guardian_name=person.guardian_name,
        under18=under18,
        kind=str(MeetingKind.TEAM_MEETING if team else MeetingKind.FIRST_CONVERSATION),
        minutes=settings.team_meeting_minutes if team else settings.first_conversation_minutes,
        team_meeting=team,
        lead_center=lead,
        needs=tuple(needs),
        deadline=due,
        seats=len(needs) + 1 + (1 if under18 else 0),
    )


CASE_KINDS = (MeetingKind.FOLLOW_UP, MeetingKind.TEAM_MEETING)
CASE_KIND_DA = "Vælg opfølgende samtale eller opfølgende teammøde"


def case_plan_in(
    session: Session, settings: Settings, person_id: int, kind: str, today: dt.date
) -> Plan:
    """A later meeting of an open case: a FOLLOW_UP conversation with the holder, or a
    TEAM_MEETING with one professional per center of the case's current team (the holder's
    center first); the people are the case's own, not any colleague of the center."""
    from ungehus_tui.services.casework.assignments import active_assignments

    if kind not in CASE_KINDS:
        raise ServiceError(CASE_KIND_DA)
    person = _bookable_person(session, person_id)
    if not person.case_open:
        raise ServiceError("Sagen er lukket: der kan ikke bookes møder")
    team = [
        a
        for a in active_assignments(session, person_id)
        if a.staff_id is not None and a.kind != "CONTACT_PERSON"
    ]
    team.sort(key=lambda a: (not a.holds, a.kind != "COORDINATOR", a.id or 0))
    if not team or not team[0].holds:
        raise ServiceError("Sagen har ingen holder at booke med")
    needs: list[Need] = []
    for a in team if kind == MeetingKind.TEAM_MEETING else team[:1]:
        if all(n.center != a.center_code for n in needs):
            needs.append(Need(str(a.center_code), a.contact_role, a.staff_id))
    under18 = age_on(person.birth_date, today) < 18
    is_team = kind == MeetingKind.TEAM_MEETING
    return Plan(
        intake_id=None,
        person_id=person_id,
        person_name=person.name,
        person_email=person.email,
        guardian_name=person.guardian_name,
        under18=under18,
        kind=str(kind),
        minutes=settings.team_meeting_minutes if is_team else settings.first_conversation_minutes,
        team_meeting=is_team,
        lead_center=needs[0].center,
        needs=tuple(needs),
        deadline=None,
        seats=len(needs) + 1 + (1 if under18 else 0),
        is_first=False,
    )


def upcoming_counts(session: Session, staff_ids: Sequence[int], now: dt.datetime) -> dict[int, int]:
    """Booked meetings from now on, per staff member."""
    if not staff_ids:
        return {}
    m, p = Meeting, MeetingParticipant
    rows = session.execute(
        select(col(p.staff_id), func.count())
        .join(m, col(m.id) == col(p.meeting_id))
        .where(
            col(p.staff_id).in_(staff_ids),
            col(m.status) == str(MeetingStatus.BOOKED),
            col(m.start) >= now,
        )
        .group_by(col(p.staff_id))
    ).all()
    return {int(sid): int(n) for sid, n in rows}


def candidates(session: Session, need: Need, now: dt.datetime) -> list[StaffPick]:
    """Active counsellors of the center with the role, fewest upcoming meetings first (then
    by id); when nobody has the role, any active counsellor of the center. A need naming its
    professional (a case meeting) has just that one, when active."""
    if need.staff_id is not None:
        own = session.get(Staff, need.staff_id)
        if own is None or not own.active:
            return []
        return [StaffPick(need.staff_id, own.name, need.center, own.contact_role)]
    base = select(Staff).where(
        col(Staff.active).is_(True),
        col(Staff.role) == str(AccessRole.COUNSELLOR),
        col(Staff.center_code) == need.center,
    )
    rows: Sequence[Staff] = []
    if need.role:
        rows = session.execute(base.where(col(Staff.contact_role) == need.role)).scalars().all()
    if not rows:
        rows = session.execute(base).scalars().all()
    counts = upcoming_counts(session, [s.id for s in rows if s.id is not None], now)
    ordered = sorted(rows, key=lambda s: (counts.get(s.id or 0, 0), s.id or 0))
    return [StaffPick(s.id or 0, s.name, need.center, s.contact_role) for s in ordered]


def _window(start: dt.datetime, end: dt.datetime):
    m = Meeting
    return and_(
        col(m.status) != str(MeetingStatus.CANCELLED),
        col(m.start) >= start - MAX_MEETING,
        col(m.start) < end,
        col(m.end) > start,
    )


def load_busy(
    session: Session,
    staff_ids: Sequence[int],
    person_id: int,
    start: dt.datetime,
    end: dt.datetime,
) -> slotmod.BusyIndex:
    """Busy times in [start, end) of the staff, every room and the young person."""
    busy = slotmod.BusyIndex()
    m, p = Meeting, MeetingParticipant
    window = _window(start, end)
    if staff_ids:
        for sid, s, e in session.execute(
            select(col(p.staff_id), col(m.start), col(m.end))
            .join(m, col(m.id) == col(p.meeting_id))
            .where(col(p.staff_id).in_(staff_ids), window)
        ):
            busy.add(("staff", sid), s, e)
    for rid, s, e in session.execute(
        select(col(m.room_id), col(m.start), col(m.end)).where(window)
    ):
        busy.add(("room", rid), s, e)
    for s, e in session.execute(
        select(col(m.start), col(m.end)).where(col(m.person_id) == person_id, window)
    ):
        busy.add(("person", person_id), s, e)
    return busy


def clashes(
    session: Session,
    staff_ids: Sequence[int],
    room_id: int,
    person_id: int,
    start: dt.datetime,
    end: dt.datetime,
) -> bool:
    """Whether a staff member, the room or the young person has an overlapping meeting."""
    m, p = Meeting, MeetingParticipant
    window = _window(start, end)
    staff_hit = session.execute(
        select(col(p.id))
        .join(m, col(m.id) == col(p.meeting_id))
        .where(col(p.staff_id).in_(list(staff_ids)), window)
        .limit(1)
    ).first()
    if staff_hit:
        return True
    other = session.execute(
        select(col(m.id))
        .where(window, (col(m.room_id) == room_id) | (col(m.person_id) == person_id))
        .limit(1)
    ).first()
    return other is not None
