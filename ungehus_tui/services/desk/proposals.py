"""Proposing a meeting: the earliest slots that fit (`booking.py` books one of them).

`propose` reads the intake's current triage decision (DOMAIN.md T1): one professional per
involved center, the young person, a guardian for under-18s, and a room with a seat for each.
Slots lie on a grid (`settings.booking_grid_minutes`, default 30, counted from opening time)
on open days (office hours and closed days from the organisation data, Danish public holidays
from `holidays.DK`) and end by closing time; none starts in the past. Per center the
professional with the fewest upcoming meetings among active counsellors with the contact role
is preferred; a colleague with the same role takes a slot only when the preferred one is busy
then (see `domain/slots.py`). For 15-17-year-olds the first contact is due within
`settings.first_contact_working_days` working days of the intake; when no slot meets that,
the earliest slots are still offered with a Danish `message` saying so.

Who leads: the coordinating caseworker (the lead center's professional, L1) is proposed as
meeting leader (MOEDELEDER) of a team meeting, since the seed (org. b) leaves the choice to the
centers and the coordinator already carries the case; a first conversation is led by its one
professional. The desk may pick any other participant as coordinator or leader.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlmodel import Session

from ungehus_tui.data.engine import read_session
from ungehus_tui.data.models import Room
from ungehus_tui.data.org import work_calendar
from ungehus_tui.domain import clock
from ungehus_tui.domain import slots as slotmod
from ungehus_tui.domain.labels import CENTER_NAMES_DA
from ungehus_tui.services.access.permissions import Action, require, require_person_access
from ungehus_tui.services.context import Actor, Ctx
from ungehus_tui.services.desk import booking_text
from ungehus_tui.services.desk.booking_plan import (
    CASE_KIND_DA,
    Plan,
    StaffPick,
    candidates,
    case_plan_in,
    load_busy,
    plan_in,
)
from ungehus_tui.services.errors import ValidationFailed


@dataclass(frozen=True)
class Slot:
    start: dt.datetime  # aware, local time
    end: dt.datetime
    room_id: int
    room_name: str
    staff: tuple[StaffPick, ...]  # one per involved center, the lead center first


@dataclass(frozen=True)
class Proposal:
    intake_id: int | None  # None: a later meeting of the case
    person_id: int
    kind: str  # MeetingKind: FIRST_CONVERSATION or TEAM_MEETING (T1); FOLLOW_UP
    minutes: int
    slots: tuple[Slot, ...]
    deadline: dt.date | None  # 15-17: last day for the first contact
    coordinator: StaffPick | None  # team meetings: the lead center's professional (first slot)
    leader: StaffPick | None  # MOEDELEDER (first slot): the coordinator, or the one professional
    message: str | None  # Danish, when nothing fits or the deadline cannot be met


def plan_for(
    session: Session,
    ctx: Ctx,
    actor: Actor,
    intake_id: int | None,
    person_id: int | None,
    kind: str | None,
) -> Plan:
    today = clock.today()
    if intake_id is not None:
        return plan_in(session, ctx.settings, work_calendar(session), intake_id, today)
    if person_id is None or kind is None:
        raise ValidationFailed({"kind": CASE_KIND_DA})
    require_person_access(session, actor, person_id, Action.BOOK)
    return case_plan_in(session, ctx.settings, person_id, kind, today)


def propose_for_case(
    ctx: Ctx,
    actor: Actor,
    person_id: int,
    kind: str,
    *,
    from_day: dt.date | None = None,
    limit: int = 12,
) -> Proposal:
    """The earliest slots for a later meeting of the open case (FOLLOW_UP or TEAM_MEETING)."""
    return propose(ctx, actor, None, person_id=person_id, kind=kind, from_day=from_day, limit=limit)


def _shortage(plan: Plan, cands: list[list[StaffPick]], rooms: list[Room]) -> str | None:
    """Why no slot can exist at all (Danish): a center without an active counsellor, or no
    room with a seat for each."""
    for need, found in zip(plan.needs, cands, strict=True):
        if not found:
            center = CENTER_NAMES_DA.get(need.center, need.center)
            return f"Der er ingen aktiv rådgiver i {center} at booke"
    if not any(r.seats >= plan.seats for r in rooms):
        return f"Intet lokale har plads til {plan.seats} personer"
    return None


def _as_slots(
    found: list[slotmod.Found], cands: list[list[StaffPick]], rooms: list[Room]
) -> tuple[Slot, ...]:
    by_id = {s.id: s for group in cands for s in group}
    room_names = {r.id: r.name for r in rooms}
    return tuple(
        Slot(
            clock.local(f.start),
            clock.local(f.end),
            f.room_id,
            room_names[f.room_id],
            tuple(by_id[i] for i in f.staff_ids),
        )
        for f in found
    )


def propose(
    ctx: Ctx,
    actor: Actor,
    intake_id: int | None,
    *,
    person_id: int | None = None,
    kind: str | None = None,
    from_day: dt.date | None = None,
    limit: int = 12,
) -> Proposal:
    """The earliest `limit` slots for the intake's first meeting (or, `intake_id` None, the
    case's meeting of `kind`), from `from_day` (or today)."""
    require(actor, Action.BOOK)
    settings = ctx.settings
    now = clock.now()
    today = now.date()
    first = max(from_day or today, today)
    last = first + dt.timedelta(days=settings.booking_horizon_days)
    with read_session(ctx.engine) as session:
        cal = work_calendar(session)
        plan = plan_for(session, ctx, actor, intake_id, person_id, kind)
        cands = [candidates(session, need, now) for need in plan.needs]
        rooms = list(session.execute(select(Room)).scalars().all())
        empty = Proposal(
            plan.intake_id,
            plan.person_id,
            plan.kind,
            plan.minutes,
            (),
            plan.deadline,
            None,
            None,
            None,
        )
        shortage = _shortage(plan, cands, rooms)
        if shortage is not None:
            return replace(empty, message=shortage)
        staff_ids = [s.id for group in cands for s in group]
        busy = load_busy(
            session,
            staff_ids,
            plan.person_id,
            clock.combine(first, dt.time(0)),
            clock.combine(last + dt.timedelta(days=1), dt.time(0)),
        )
    found_slots = slotmod.find_slots(
        cal,
        first_day=first,
        last_day=last,
        not_before=now,
        minutes=plan.minutes,
        grid=settings.booking_grid_minutes,
        needs=[[s.id for s in group] for group in cands],
        rooms=[slotmod.RoomOption(r.id or 0, r.seats) for r in rooms],
        seats=plan.seats,
        person_key=("person", plan.person_id),
        busy=busy,
        limit=limit,
    )
    slots = _as_slots(found_slots, cands, rooms)
    lead = slots[0].staff[0] if slots else cands[0][0]
    message = booking_text.proposal_message(
        plan, slots[0].start.date() if slots else None, first, from_day, settings
    )
    return replace(
        empty,
        slots=slots,
        coordinator=lead if plan.team_meeting else None,
        leader=lead,
        message=message,
    )
