"""Booking a meeting: propose the earliest slots that fit, then book one. The first meeting
after triage (`propose(ctx, actor, intake_id)`, `book(ctx, actor, intake_id, slot)`) or any
later meeting of an open case (`propose_for_case` / `book_for_case`, or `intake_id` None with
`person_id` and `kind`): FOLLOW_UP (a follow-up conversation with the holder) or TEAM_MEETING
(a follow-up team meeting with the case's current team, one professional per center). A case
meeting uses the same slot search, rooms, participants, no double booking and .ics files; its
professionals are the case's own (`booking_plan.case_plan_in`), the case stays as it is, and
only someone on the case (or the desk) may book it. Outcomes are recorded for every meeting
(`outcomes.record_outcome`).

Proposing the slots is `proposals.py` (re-exported here: `propose`, `Proposal`, `Slot`).

`book` holds "no double booking" in the database: in one write transaction it locks the staff
rows, the room row and the young person's row (SELECT ... FOR UPDATE on PostgreSQL, in table
then id order so two desks cannot deadlock; on SQLite `write_session` already holds the write
lock from BEGIN IMMEDIATE), re-checks for overlapping meetings, and only then inserts. Every
pair of clashing bookings shares a locked row, so the second one sees the first and gets
`Conflict`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlmodel import Session, col

from ungehus_tui.data.engine import write_session
from ungehus_tui.data.models import Meeting, MeetingParticipant, Room, Staff, YoungPerson
from ungehus_tui.data.org import work_calendar
from ungehus_tui.domain import clock
from ungehus_tui.domain import slots as slotmod
from ungehus_tui.domain.codes import MeetingStatus, ParticipantKind
from ungehus_tui.domain.labels import CENTER_NAMES_DA
from ungehus_tui.services.access import audit
from ungehus_tui.services.access.permissions import Action, allowed, require
from ungehus_tui.services.casework import assignments
from ungehus_tui.services.context import Actor, Ctx
from ungehus_tui.services.desk import arrivals, booking_text, ics
from ungehus_tui.services.desk.booking_plan import Plan, StaffPick, clashes
from ungehus_tui.services.desk.proposals import (
    Proposal,
    Slot,
    plan_for,
    propose,
    propose_for_case,
)
from ungehus_tui.services.errors import Conflict, NotFound, ServiceError, ValidationFailed

__all__ = [
    "Booking",
    "Proposal",
    "Slot",
    "StaffPick",
    "book",
    "book_for_case",
    "propose",
    "propose_for_case",
]

TAKEN_DA = "Tiden er lige blevet optaget – vælg en anden"
ALREADY_DA = "Der er allerede booket et første møde for denne henvendelse"


@dataclass(frozen=True)
class Booking:
    meeting_id: int
    start: dt.datetime
    end: dt.datetime
    room_name: str
    participants: tuple[str, ...]
    ics_files: tuple[Path, ...]
    confirmation_da: str
    summary_da: str


def _lock(session: Session, staff_ids: list[int], room_id: int, person_id: int) -> None:
    """Lock the rows a clash could share, in one global order (a no-op on SQLite, whose
    BEGIN IMMEDIATE already serialises writers)."""
    session.execute(
        select(col(Staff.id))
        .where(col(Staff.id).in_(sorted(staff_ids)))
        .order_by(col(Staff.id))
        .with_for_update()
    ).all()
    session.execute(select(col(Room.id)).where(col(Room.id) == room_id).with_for_update()).all()
    session.execute(
        select(col(YoungPerson.id)).where(col(YoungPerson.id) == person_id).with_for_update()
    ).all()


def _check_slot(session: Session, plan: Plan, slot: Slot, ctx: Ctx) -> tuple[list[Staff], Room]:
    """The slot as booked must fit the decision, the calendar and the room (ServiceError)."""
    start, end = slot.start, slot.end
    if start.tzinfo is None or end.tzinfo is None:
        raise ServiceError("Tidspunktet mangler tidszone")
    if start < clock.now():
        raise ServiceError("Tidspunktet er passeret – vælg en anden tid")
    if end - start != dt.timedelta(minutes=plan.minutes):
        raise ServiceError(f"Mødet skal vare {plan.minutes} minutter")
    cal = work_calendar(session)
    if not slotmod.fits_calendar(cal, start, end, ctx.settings.booking_grid_minutes):
        raise ServiceError("Tidspunktet ligger uden for åbningstiden")
    room = session.get(Room, slot.room_id)
    if room is None:
        raise NotFound("Lokalet findes ikke")
    if room.seats < plan.seats:
        raise ServiceError(f"{room.name} har ikke plads til {plan.seats} personer")
    staff: list[Staff] = []
    for need in plan.needs:
        picks = [p for p in slot.staff if p.center == need.center]
        if len(picks) != 1:
            center = CENTER_NAMES_DA.get(need.center, need.center)
            raise ValidationFailed({"staff": f"Vælg én rådgiver fra {center}"})
        row = session.get(Staff, picks[0].id)
        if row is None or not row.active or row.center_code != need.center:
            raise ValidationFailed({"staff": f"{picks[0].name} kan ikke deltage i mødet"})
        staff.append(row)
    if len(slot.staff) != len(plan.needs):
        raise ValidationFailed({"staff": "Mødet skal have én rådgiver pr. involveret center"})
    return staff, room


def _pick(staff: list[Staff], wanted: int | None, default: Staff, field: str) -> Staff:
    if wanted is None:
        return default
    chosen = next((s for s in staff if s.id == wanted), None)
    if chosen is None:
        raise ValidationFailed({field: "Skal være en af mødets rådgivere"})
    return chosen


def book_for_case(
    ctx: Ctx,
    actor: Actor,
    person_id: int,
    kind: str,
    slot: Slot,
    *,
    leader_id: int | None = None,
) -> Booking:
    """Book `slot` as a later meeting of the open case (FOLLOW_UP or TEAM_MEETING)."""
    return book(ctx, actor, None, slot, person_id=person_id, kind=kind, leader_id=leader_id)


def _first_already_booked(session: Session, plan: Plan) -> bool:
    if not plan.is_first:
        return False
    already = session.execute(
        select(col(Meeting.id)).where(
            col(Meeting.intake_id) == plan.intake_id,
            col(Meeting.is_first).is_(True),
            col(Meeting.status) == str(MeetingStatus.BOOKED),
        )
    ).first()
    return already is not None


def book(
    ctx: Ctx,
    actor: Actor,
    intake_id: int | None,
    slot: Slot,
    *,
    person_id: int | None = None,
    kind: str | None = None,
    coordinator_id: int | None = None,
    leader_id: int | None = None,
    serve_arrival: bool = False,
) -> Booking:
    """Book `slot` as the intake's first meeting and open the case (one transaction), or
    (`intake_id` None) as the case's meeting of `kind`; then write one .ics per participant.
    Raises `Conflict` when the slot was taken meanwhile.

    With `serve_arrival` (the desk books for the young person in front of it), their open
    arrival today leaves the waiting list in the same transaction, audited: a booking that
    fails leaves them waiting. Only a role that records arrivals serves one."""
    require(actor, Action.BOOK)
    settings = ctx.settings
    with write_session(ctx.engine) as session:
        plan = plan_for(session, ctx, actor, intake_id, person_id, kind)
        _lock(session, [p.id for p in slot.staff], slot.room_id, plan.person_id)
        staff, room = _check_slot(session, plan, slot, ctx)
        coordinator = _pick(staff, coordinator_id, staff[0], "coordinator_id")
        leader = _pick(staff, leader_id, coordinator, "leader_id")
        staff_ids = [s.id or 0 for s in staff]
        if clashes(session, staff_ids, room.id or 0, plan.person_id, slot.start, slot.end):
            raise Conflict(TAKEN_DA)
        if _first_already_booked(session, plan):
            raise Conflict(ALREADY_DA)
        meeting = Meeting(
            person_id=plan.person_id,
            intake_id=plan.intake_id,
            kind=plan.kind,
            is_first=plan.is_first,
            start=slot.start,
            end=slot.end,
            room_id=room.id or 0,
            leader_id=leader.id,
            status=str(MeetingStatus.BOOKED),
            created_by=actor.id,
        )
        session.add(meeting)
        session.flush()
        assert meeting.id is not None
        parts = _participants(meeting.id, plan, staff)
        session.add_all(parts)
        if plan.is_first:
            team = [
                assignments.TeamMember(need.center, s.id or 0, need.role or s.contact_role)
                for need, s in zip(plan.needs, staff, strict=True)
            ]
            lead_center = coordinator.center_code or plan.lead_center
            assignments.open_case_in(
                session, actor, plan.person_id, team, lead_center, plan.team_meeting
            )
        audit.record(
            session,
            actor,
            "BOOK",
            person_id=plan.person_id,
            purpose="booking af første møde" if plan.is_first else "booking af opfølgende møde",
            detail=f"meeting={meeting.id} intake={plan.intake_id} kind={plan.kind} room={room.id}",
        )
        if serve_arrival:
            _serve_open_arrival(session, actor, plan.person_id)
        session.flush()
        person = session.get(YoungPerson, plan.person_id)
        assert person is not None
        info = booking_text.MeetingInfo.build(
            meeting, room, plan, staff, parts, coordinator, leader, person.cpr
        )
    files = ics.write_invitations(settings, info)
    return Booking(
        meeting_id=info.meeting_id,
        start=info.start,
        end=info.end,
        room_name=info.room_name,
        participants=tuple(p.label for p in info.participants),
        ics_files=tuple(files),
        confirmation_da=booking_text.confirmation_da(info, settings),
        summary_da=booking_text.summary_da(info),
    )


def _serve_open_arrival(session: Session, actor: Actor, person_id: int) -> None:
    """The young person's open arrival today, served (when the actor records arrivals)."""
    if not allowed(actor, Action.RECORD_ARRIVAL):
        return
    arrival = arrivals.open_arrival_in(session, person_id)
    if arrival is not None and arrival.id is not None:
        arrivals.mark_served_in(session, actor, arrival.id)


def _participants(meeting_id: int, plan: Plan, staff: list[Staff]) -> list[MeetingParticipant]:
    parts = [
        MeetingParticipant(
            meeting_id=meeting_id,
            kind=str(ParticipantKind.STAFF),
            staff_id=s.id,
            center_code=s.center_code,
            name=s.name,
            email=s.email,
        )
        for s in staff
    ]
    parts.append(
        MeetingParticipant(
            meeting_id=meeting_id,
            kind=str(ParticipantKind.YOUNG_PERSON),
            name=plan.person_name,
            email=plan.person_email,
        )
    )
    if plan.under18:
        parts.append(
            MeetingParticipant(
                meeting_id=meeting_id,
                kind=str(ParticipantKind.GUARDIAN),
                name=plan.guardian_name or "Forælder/værge",
            )
        )
    return parts
