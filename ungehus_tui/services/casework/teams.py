"""Follow-up and changing teams (DOMAIN.md "After the desk"; seed org. b and f).

- `add_center`: an open case gains a center and its professional (a single-center
  caseworker brings others in). With two or more centers it is a team case: without a
  coordinating caseworker the holder's queue says "Koordinator mangler" until one is
  appointed (`services/queue.py`; appointed in `outcomes.record_outcome` or `appoint_coordinator`).
- `remove_center`: a team shrinks when a center is done: its professionals' assignments end.
  The center holding the young person cannot be removed (kædeansvar: hand over first).
- A new intake (`intake.record_intake_in`) or a recorded change of situation
  (`record_situation_change`) on an open case puts "Revidér planen" (PLAN_REVISION) in the
  coordinator's queue (or the holder's, when there is no coordinator), due in
  `PLAN_REVISION_WORKING_DAYS` working days; saving the plan closes it (`plans.save_plan_in`).

Who may: a counsellor on the case (`require_person_access`, RECORD_OUTCOME: the team's work).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session, col

from ungehus_tui.data.engine import write_session
from ungehus_tui.data.models import Assignment, Task
from ungehus_tui.data.org import work_calendar
from ungehus_tui.domain.clock import today
from ungehus_tui.domain.codes import AssignmentKind, TaskKind
from ungehus_tui.domain.labels import CENTER_NAMES_DA
from ungehus_tui.services.access import audit
from ungehus_tui.services.access.permissions import Action, require_person_access
from ungehus_tui.services.casework.assignments import (
    active_assignments,
    check_holder_invariant,
    holder_of,
)
from ungehus_tui.services.casework.lookups import (
    active_counsellor,
    end_assignment,
    new_assignment,
    person_or_404,
)
from ungehus_tui.services.context import Actor, Ctx
from ungehus_tui.services.errors import Conflict, ValidationFailed, require_plain

PLAN_REVISION_WORKING_DAYS = 10  # a house decision: the team revises within two weeks


def _professionals(session: Session, person_id: int) -> list[Assignment]:
    """Active staff assignments of the team (contact persons are not a center's member)."""
    return [
        a
        for a in active_assignments(session, person_id)
        if a.staff_id is not None and a.kind != AssignmentKind.CONTACT_PERSON
    ]


def team_centers(session: Session, person_id: int) -> list[str]:
    return sorted({str(a.center_code) for a in _professionals(session, person_id)})


def coordinator_of(session: Session, person_id: int) -> Assignment | None:
    return next(
        (a for a in _professionals(session, person_id) if a.kind == AssignmentKind.COORDINATOR),
        None,
    )


def add_center(ctx: Ctx, actor: Actor, person_id: int, center: str, staff_id: int) -> Assignment:
    """Bring `center` into the open case with its professional `staff_id`."""
    with write_session(ctx.engine) as session:
        require_person_access(session, actor, person_id, Action.RECORD_OUTCOME)
        person = person_or_404(session, person_id)
        if not person.case_open:
            raise Conflict("Sagen er lukket")
        if center not in CENTER_NAMES_DA:
            raise ValidationFailed({"center": "Vælg et af de fire centre"})
        staff = active_counsellor(session, staff_id)
        if staff.center_code != center:
            raise ValidationFailed(
                {"staff_id": f"{staff.name} hører ikke til {CENTER_NAMES_DA[center]}"}
            )
        if center in team_centers(session, person_id):
            raise Conflict(f"{CENTER_NAMES_DA[center]} er allerede med i sagen")
        row = new_assignment(
            session, actor, person_id, kind=AssignmentKind.CONTACT, holds=False, staff=staff
        )
        session.flush()
        audit.record(session, actor, "CENTER_ADD", person_id=person_id, detail=center)
        check_holder_invariant(session, person_id)
        return row


def remove_center(ctx: Ctx, actor: Actor, person_id: int, center: str, reason: str) -> None:
    """The center is done: its professionals leave the team (the holder's center cannot)."""
    require_plain("reason", "Begrundelsen", reason)
    with write_session(ctx.engine) as session:
        require_person_access(session, actor, person_id, Action.RECORD_OUTCOME)
        person = person_or_404(session, person_id)
        if not person.case_open:
            raise Conflict("Sagen er lukket")
        text = " ".join((reason or "").split())
        if not text:
            raise ValidationFailed({"reason": "Skriv hvorfor centeret er færdigt"})
        leaving = [a for a in _professionals(session, person_id) if a.center_code == center]
        if not leaving:
            raise Conflict("Centeret er ikke med i sagen")
        if any(a.holds for a in leaving):
            raise Conflict(
                "Centeret holder den unge (kædeansvar): overdrag den unge, før centeret går ud"
            )
        for a in leaving:
            end_assignment(a, f"Center færdigt: {text}", session)
        session.flush()
        audit.record(session, actor, "CENTER_REMOVE", person_id=person_id, detail=center)
        check_holder_invariant(session, person_id)


def queue_plan_revision_in(session: Session, actor: Actor, person_id: int, why: str) -> None:
    """'Revidér planen' for the coordinator (else the holder) of an open case; one open at a
    time per young person (a second change adds nothing while the first is open)."""
    person = person_or_404(session, person_id)
    if not person.case_open:
        return
    who = coordinator_of(session, person_id) or holder_of(session, person_id)
    if who is None or who.staff_id is None:
        return
    open_task = session.execute(
        select(col(Task.id)).where(
            col(Task.person_id) == person_id,
            col(Task.kind) == TaskKind.PLAN_REVISION,
            col(Task.done_at).is_(None),
        )
    ).first()
    if open_task is not None:
        return
    due = work_calendar(session).add_working_days(today(), PLAN_REVISION_WORKING_DAYS)
    session.add(
        Task(
            person_id=person_id,
            kind=TaskKind.PLAN_REVISION,
            staff_id=who.staff_id,
            due=due,
            note=f"Revidér planen: {why}"[:500],
            created_by=actor.id,
        )
    )
    session.flush()


def record_situation_change(ctx: Ctx, actor: Actor, person_id: int, note: str) -> None:
    """Record that the young person's situation has changed (drop-out, new job, moving ...):
    the team decides who the relevant professionals now are and revises the plan (org. b)."""
    require_plain("note", "Beskrivelsen", note)
    with write_session(ctx.engine) as session:
        require_person_access(session, actor, person_id, Action.RECORD_OUTCOME)
        person = person_or_404(session, person_id)
        if not person.case_open:
            raise Conflict("Sagen er lukket")
        text = " ".join((note or "").split())
        if not text or len(text) > 300:
            raise ValidationFailed({"note": "Beskriv ændringen (højst 300 tegn)"})
        queue_plan_revision_in(session, actor, person_id, f"situationen er ændret ({text})")
        audit.record(session, actor, "SITUATION_CHANGE", person_id=person_id)
