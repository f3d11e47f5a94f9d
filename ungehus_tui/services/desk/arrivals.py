"""Desk arrivals (henvendelser): who came to the desk, when and why, and who is still waiting.

Every walk-in is recorded: a new young person, a known one checking in for a meeting (linked
to today's meeting when there is one), or a question (the person may be unknown). The desk's
waiting list is today's arrivals not yet served, oldest first, with the minutes waited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session, col

from ungehus_tui.data.engine import read_session, write_session
from ungehus_tui.data.models import DeskArrival, Meeting, YoungPerson
from ungehus_tui.domain import clock
from ungehus_tui.domain import cpr as cprmod
from ungehus_tui.domain.codes import ArrivalReason, MeetingStatus
from ungehus_tui.domain.labels import labels_of
from ungehus_tui.domain.text import control_message
from ungehus_tui.services.access import audit
from ungehus_tui.services.access.permissions import Action, require, require_person_access
from ungehus_tui.services.context import Actor, Ctx
from ungehus_tui.services.errors import Conflict, NotFound, ValidationFailed

MAX_NOTE = 500

REASON_NAMES_DA: dict[str, str] = labels_of(ArrivalReason)


@dataclass(frozen=True)
class Waiting:
    """One row of the desk's waiting list (no CPR beyond the masked form)."""

    arrival_id: int
    person_id: int | None
    name: str | None
    cpr_masked: str | None
    reason: str
    reason_da: str
    note: str | None
    meeting_id: int | None
    meeting_start: dt.datetime | None
    arrived_at: dt.datetime
    minutes: int
    birth_date: dt.date | None = None  # tells apart two waiting with the same name


def _day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = clock.combine(day, dt.time(0, 0))
    return start, start + dt.timedelta(days=1)


def todays_meeting_in(session: Session, person_id: int) -> Meeting | None:
    """The young person's booked meeting today nearest to now (None when there is none)."""
    start, end = _day_bounds(clock.today())
    meetings = session.execute(
        select(Meeting).where(
            col(Meeting.person_id) == person_id,
            col(Meeting.status) == MeetingStatus.BOOKED,
            col(Meeting.start) >= start,
            col(Meeting.start) < end,
        )
    ).scalars()
    moment = clock.now()
    return min(
        meetings,
        key=lambda m: abs((clock.local(m.start) - moment).total_seconds()),
        default=None,
    )


def record_arrival_in(
    session: Session,
    actor: Actor,
    person_id: int | None,
    reason: str,
    note: str | None = None,
) -> DeskArrival:
    """Record an arrival in the caller's write session. An APPOINTMENT of a known young
    person is linked to today's meeting when there is one."""
    require(actor, Action.RECORD_ARRIVAL)
    errors: dict[str, str] = {}
    if reason not in ArrivalReason.__members__.values():
        errors["reason"] = "Vælg årsag: ny, aftalt møde eller spørgsmål"
    text = " ".join((note or "").split()) or None
    control = control_message(note, "Notatet")
    if control:
        errors["note"] = control
    elif text and len(text) > MAX_NOTE:
        errors["note"] = f"Højst {MAX_NOTE} tegn"
    if reason == ArrivalReason.APPOINTMENT and person_id is None:
        errors["person"] = "Find den unge for at tjekke ind til et møde"
    if errors:
        raise ValidationFailed(errors)
    meeting_id: int | None = None
    if person_id is not None:
        require_person_access(session, actor, person_id, Action.RECORD_ARRIVAL)
        if session.get(YoungPerson, person_id) is None:
            raise NotFound("Den unge findes ikke")
        if reason == ArrivalReason.APPOINTMENT:
            meeting = todays_meeting_in(session, person_id)
            meeting_id = meeting.id if meeting else None
    stamp = clock.now()
    row = DeskArrival(
        person_id=person_id,
        reason=str(reason),
        note=text,
        meeting_id=meeting_id,
        arrived_at=stamp,
        registered_by=actor.id,
        updated_at=stamp,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        "ARRIVAL",
        person_id=person_id,
        purpose="fremmøde i skranken",
        detail=f"arrival={row.id} reason={reason} meeting={meeting_id}",
    )
    return row


def record_arrival(
    ctx: Ctx,
    actor: Actor,
    person_id: int | None,
    reason: str,
    note: str | None = None,
) -> DeskArrival:
    """Record that someone came to the desk (who, when, why)."""
    with write_session(ctx.engine) as session:
        return record_arrival_in(session, actor, person_id, reason, note)


def mark_served_in(session: Session, actor: Actor, arrival_id: int) -> DeskArrival:
    require(actor, Action.RECORD_ARRIVAL)
    row = session.get(DeskArrival, arrival_id)
    if row is None:
        raise NotFound("Henvendelsen findes ikke")
    if row.served_at is not None:
        raise Conflict("Henvendelsen er allerede ekspederet")
    stamp = clock.now()
    row.served_at = stamp
    row.updated_at = stamp
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        "ARRIVAL_SERVED",
        person_id=row.person_id,
        detail=f"arrival={row.id}",
    )
    return row


def mark_served(ctx: Ctx, actor: Actor, arrival_id: int) -> DeskArrival:
    """The desk has attended to this arrival: it leaves the waiting list."""
    with write_session(ctx.engine) as session:
        return mark_served_in(session, actor, arrival_id)


def open_arrival_in(session: Session, person_id: int) -> DeskArrival | None:
    """The young person's newest unserved arrival today, if any."""
    start, end = _day_bounds(clock.today())
    return (
        session.execute(
            select(DeskArrival)
            .where(
                col(DeskArrival.person_id) == person_id,
                col(DeskArrival.served_at).is_(None),
                col(DeskArrival.arrived_at) >= start,
                col(DeskArrival.arrived_at) < end,
            )
            .order_by(col(DeskArrival.arrived_at).desc())
        )
        .scalars()
        .first()
    )


def serve_person(ctx: Ctx, actor: Actor, person_id: int) -> DeskArrival | None:
    """Mark the young person's open arrival today served (after booking at the desk)."""
    with write_session(ctx.engine) as session:
        row = open_arrival_in(session, person_id)
        if row is None or row.id is None:
            return None
        return mark_served_in(session, actor, row.id)


def waiting_list(ctx: Ctx, actor: Actor, limit: int = 50) -> list[Waiting]:
    """Today's arrivals not yet served, longest waiting first."""
    require(actor, Action.RECORD_ARRIVAL)
    moment = clock.now()
    start, end = _day_bounds(moment.date())
    with read_session(ctx.engine) as session:
        rows = session.execute(
            select(
                DeskArrival,
                col(YoungPerson.name),
                col(YoungPerson.cpr),
                col(Meeting.start),
                col(YoungPerson.birth_date),
            )
            .outerjoin(YoungPerson, col(YoungPerson.id) == col(DeskArrival.person_id))
            .outerjoin(Meeting, col(Meeting.id) == col(DeskArrival.meeting_id))
            .where(
                col(DeskArrival.served_at).is_(None),
                col(DeskArrival.arrived_at) >= start,
                col(DeskArrival.arrived_at) < end,
            )
            .order_by(col(DeskArrival.arrived_at))
            .limit(limit)
        ).all()
    out: list[Waiting] = []
    for arrival, name, cpr, meeting_start, birth_date in rows:
        assert arrival.id is not None
        waited = moment - clock.local(arrival.arrived_at)
        out.append(
            Waiting(
                arrival_id=arrival.id,
                person_id=arrival.person_id,
                name=name,
                cpr_masked=cprmod.mask(cpr) if cpr else None,
                reason=arrival.reason,
                reason_da=REASON_NAMES_DA.get(arrival.reason, arrival.reason),
                note=arrival.note,
                meeting_id=arrival.meeting_id,
                meeting_start=clock.local(meeting_start) if meeting_start else None,
                arrived_at=clock.local(arrival.arrived_at),
                minutes=max(0, int(waited.total_seconds() // 60)),
                birth_date=birth_date,
            )
        )
    return out
