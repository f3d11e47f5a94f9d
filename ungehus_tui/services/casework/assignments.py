"""Who holds a young person (kædeansvar, seed princ. e): assignments and the holder invariant.

Invariant, kept by every service function that changes assignments or cases: a young person
whose case is open has exactly one active holding assignment. `check_holder_invariant` is
called at the end of such a unit of work, before commit, so a breach rolls everything back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session, col

from ungehus_tui.data.models import Assignment, YoungPerson
from ungehus_tui.domain.clock import now
from ungehus_tui.domain.codes import AssignmentKind
from ungehus_tui.services.access import audit
from ungehus_tui.services.context import Actor
from ungehus_tui.services.errors import ServiceError


class InvariantBroken(ServiceError):
    """A unit of work would leave an open case without exactly one holder."""


@dataclass(frozen=True)
class TeamMember:
    center: str
    staff_id: int
    contact_role: str | None


def active_assignments(session: Session, person_id: int) -> list[Assignment]:
    return list(
        session.execute(
            select(Assignment)
            .where(col(Assignment.person_id) == person_id, col(Assignment.ended_at).is_(None))
            .order_by(col(Assignment.id))
        ).scalars()
    )


def holder_of(session: Session, person_id: int) -> Assignment | None:
    holders = [a for a in active_assignments(session, person_id) if a.holds]
    return holders[0] if holders else None


def check_holder_invariant(session: Session, person_id: int) -> None:
    session.flush()
    person = session.get(YoungPerson, person_id)
    if person is None or not person.case_open:
        return
    holders = [a for a in active_assignments(session, person_id) if a.holds]
    if len(holders) != 1:
        raise InvariantBroken(
            "Den unge ville stå uden én ansvarlig (kædeansvar): handlingen er afvist"
        )


def open_case_in(
    session: Session,
    actor: Actor,
    person_id: int,
    team: Sequence[TeamMember],
    lead_center: str,
    team_meeting: bool,
) -> Assignment:
    """Assign one professional per involved center; the lead center's one holds the young person
    (as coordinating caseworker when a team is involved). Existing active assignments of the same
    staff member are kept, not duplicated. Returns the holding assignment."""
    person = session.get(YoungPerson, person_id)
    if person is None:
        raise ServiceError("Den unge findes ikke")
    stamp = now()
    current = active_assignments(session, person_id)
    old_holder = next((a for a in current if a.holds), None)
    holder: Assignment | None = None
    for member in team:
        is_lead = member.center == lead_center
        kind = AssignmentKind.COORDINATOR if (team_meeting and is_lead) else AssignmentKind.CONTACT
        existing = next(
            (a for a in current if a.staff_id == member.staff_id and a.kind == kind), None
        )
        if existing is None:
            existing = Assignment(
                person_id=person_id,
                staff_id=member.staff_id,
                center_code=member.center,
                kind=str(kind),
                contact_role=member.contact_role,
                holds=False,
                started_at=stamp,
                created_by=actor.id,
                updated_at=stamp,
            )
            session.add(existing)
        if is_lead:
            holder = existing
    if holder is None:
        raise ServiceError("Der er ingen medarbejder fra det ledende center")
    if old_holder is not None and old_holder is not holder:
        old_holder.holds = False
        old_holder.updated_at = stamp
        session.add(old_holder)
    holder.holds = True
    holder.updated_at = stamp
    session.add(holder)
    person.case_open = True
    person.updated_at = stamp
    session.add(person)
    session.flush()
    audit.record(session, actor, "ASSIGN", person_id=person_id, purpose="visitation")
    check_holder_invariant(session, person_id)
    return holder
