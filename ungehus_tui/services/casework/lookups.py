"""Small shared pieces of the counsellor services: look-ups and assignment edits.

Nothing here commits or audits; the calling service function does that in its own unit of work.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlmodel import Session, col

from ungehus_tui.data.models import Assignment, Intake, Staff, YoungPerson
from ungehus_tui.domain.clock import now
from ungehus_tui.domain.cpr import age_on
from ungehus_tui.services.context import Actor
from ungehus_tui.services.errors import NotFound, ServiceError

OPEN = None  # readability: `ended_at is OPEN`


def person_or_404(session: Session, person_id: int) -> YoungPerson:
    person = session.get(YoungPerson, person_id)
    if person is None or person.anonymised_at is not None:
        raise NotFound("Den unge findes ikke")
    return person


def staff_or_404(session: Session, staff_id: int) -> Staff:
    staff = session.get(Staff, staff_id)
    if staff is None:
        raise NotFound("Medarbejderen findes ikke")
    return staff


def active_counsellor(session: Session, staff_id: int) -> Staff:
    staff = staff_or_404(session, staff_id)
    if not staff.active or staff.role != "COUNSELLOR":
        raise ServiceError(f"{staff.name} er ikke en aktiv rådgiver eller vejleder")
    return staff


def latest_intake(session: Session, person_id: int) -> Intake | None:
    return session.execute(
        select(Intake)
        .where(col(Intake.person_id) == person_id)
        .order_by(col(Intake.intake_date).desc(), col(Intake.id).desc())
        .limit(1)
    ).scalar_one_or_none()


def age_today(person: YoungPerson, on: dt.date | None = None) -> int:
    return age_on(person.birth_date, on or now().date())


def end_assignment(assignment: Assignment, reason: str, session: Session) -> None:
    stamp = now()
    assignment.ended_at = stamp
    assignment.end_reason = reason[:200]
    assignment.holds = False
    assignment.updated_at = stamp
    session.add(assignment)


def new_assignment(
    session: Session,
    actor: Actor,
    person_id: int,
    *,
    kind: str,
    holds: bool,
    staff: Staff | None = None,
    external_actor: str | None = None,
    paid_by: str | None = None,
) -> Assignment:
    stamp = now()
    assignment = Assignment(
        person_id=person_id,
        staff_id=staff.id if staff else None,
        external_actor=external_actor,
        center_code=staff.center_code if staff else None,
        kind=kind,
        contact_role=staff.contact_role if staff else None,
        holds=holds,
        paid_by=paid_by,
        started_at=stamp,
        created_by=actor.id,
        updated_at=stamp,
    )
    session.add(assignment)
    return assignment


def staff_names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.execute(
        select(col(Staff.id), col(Staff.name)).where(col(Staff.id).in_(ids))
    ).all()
    return {int(i): str(n) for i, n in rows}
