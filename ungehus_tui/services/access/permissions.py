"""Who may do what: enforced in the service functions, not only by hiding buttons."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from ungehus_tui.domain.codes import AccessRole
from ungehus_tui.domain.labels import label_da
from ungehus_tui.services.context import Actor
from ungehus_tui.services.errors import PermissionDenied

if TYPE_CHECKING:  # the app's first screen asks `allowed` before the store is loaded
    from sqlmodel import Session


class Action(StrEnum):
    SEARCH = "SEARCH"
    VIEW_PERSON = "VIEW_PERSON"
    REVEAL_CPR = "REVEAL_CPR"
    REGISTER = "REGISTER"
    RECORD_ARRIVAL = "RECORD_ARRIVAL"
    TRIAGE = "TRIAGE"
    OVERRIDE_TRIAGE = "OVERRIDE_TRIAGE"
    BOOK = "BOOK"
    VIEW_QUEUE = "VIEW_QUEUE"
    VIEW_CASE = "VIEW_CASE"
    RECORD_OUTCOME = "RECORD_OUTCOME"
    EDIT_PLAN = "EDIT_PLAN"
    MANAGE_CONSENT = "MANAGE_CONSENT"
    HANDOVER = "HANDOVER"
    VIEW_REPORT = "VIEW_REPORT"
    EXPORT = "EXPORT"
    EXPORT_CPR = "EXPORT_CPR"
    IMPORT = "IMPORT"
    MANAGE_STAFF = "MANAGE_STAFF"
    MANAGE_ORG = "MANAGE_ORG"
    RETENTION = "RETENTION"
    BACKUP = "BACKUP"
    AUDIT_READ = "AUDIT_READ"
    HANDOVER_CHECK = "HANDOVER_CHECK"


R, C, L, A = AccessRole.RECEPTION, AccessRole.COUNSELLOR, AccessRole.LEADER, AccessRole.ADMIN

# Reviewed against issue 7 (least privilege):
# - RECEPTION: search, register, triage, book, the desk's arrivals, reveal a CPR at the desk;
#   no queue, no case, no plan, no outcomes, no consent (agreed with the plan), no handovers.
# - COUNSELLOR: their queue; young people they hold or sit in a team with (row level in
#   `require_person_access`): plan, consent, outcomes, handovers; may register, triage and
#   book (outreach, follow-up meetings).
# - LEADER: read-only within their center (queues and cases by row level), reports; no CPR
#   reveal, no writes.
# - ADMIN: staff, organisation, export (also with CPR), import (which registers young people,
#   hence REGISTER), retention, backup, audit log. No desk or case work: IT does not read
#   case notes.
MATRIX: dict[Action, frozenset[str]] = {
    Action.SEARCH: frozenset({R, C, L, A}),
    Action.VIEW_PERSON: frozenset({R, C, L, A}),
    Action.REVEAL_CPR: frozenset({R, C, A}),
    Action.REGISTER: frozenset({R, C, A}),
    Action.RECORD_ARRIVAL: frozenset({R}),
    Action.TRIAGE: frozenset({R, C}),
    Action.OVERRIDE_TRIAGE: frozenset({R, C}),
    Action.BOOK: frozenset({R, C}),
    Action.VIEW_QUEUE: frozenset({C, L}),
    Action.VIEW_CASE: frozenset({C, L}),
    Action.RECORD_OUTCOME: frozenset({C}),
    Action.EDIT_PLAN: frozenset({C}),
    Action.MANAGE_CONSENT: frozenset({R, C}),  # the desk records consent at registration
    Action.HANDOVER: frozenset({C}),
    Action.VIEW_REPORT: frozenset({L, A}),
    Action.EXPORT: frozenset({A}),
    Action.EXPORT_CPR: frozenset({A}),
    Action.IMPORT: frozenset({A}),
    Action.MANAGE_STAFF: frozenset({A}),
    Action.MANAGE_ORG: frozenset({A}),
    Action.RETENTION: frozenset({A}),
    Action.BACKUP: frozenset({A}),
    Action.AUDIT_READ: frozenset({A}),
    Action.HANDOVER_CHECK: frozenset({C, L, A}),
}

ACTION_NAMES_DA: dict[Action, str] = {
    Action.SEARCH: "søge efter unge",
    Action.VIEW_PERSON: "se en ung",
    Action.REVEAL_CPR: "se fuldt CPR-nummer",
    Action.REGISTER: "registrere unge",
    Action.RECORD_ARRIVAL: "registrere fremmøde",
    Action.TRIAGE: "visitere",
    Action.OVERRIDE_TRIAGE: "ændre en visitation",
    Action.BOOK: "booke møder",
    Action.VIEW_QUEUE: "se en arbejdskø",
    Action.VIEW_CASE: "se en sag",
    Action.RECORD_OUTCOME: "registrere mødeudfald",
    Action.EDIT_PLAN: "redigere uddannelsesplaner",
    Action.MANAGE_CONSENT: "registrere samtykke",
    Action.HANDOVER: "overdrage unge",
    Action.VIEW_REPORT: "se rapporter",
    Action.EXPORT: "eksportere data",
    Action.EXPORT_CPR: "eksportere CPR-numre",
    Action.IMPORT: "importere lister",
    Action.MANAGE_STAFF: "administrere medarbejdere",
    Action.MANAGE_ORG: "administrere organisationen",
    Action.RETENTION: "slette efter slettefrister",
    Action.BACKUP: "tage backup",
    Action.AUDIT_READ: "læse loggen",
    Action.HANDOVER_CHECK: "køre kontrol af overdragelser",
}


def allowed(actor: Actor, action: Action) -> bool:
    return actor.role in MATRIX[action]


def require(actor: Actor, action: Action) -> None:
    if not allowed(actor, action):
        role = label_da(AccessRole, actor.role).lower()
        raise PermissionDenied(
            f"Din rolle ({role}) giver ikke adgang til at {ACTION_NAMES_DA[action]}"
        )


def require_person_access(session: Session, actor: Actor, person_id: int, action: Action) -> None:
    """Row-level access to one young person's case (on top of `require(actor, action)`).

    COUNSELLOR: young people they hold or sit in a team with (an active assignment), who
    are offered to them in a pending handover, or for whom they have an open task (e.g. a
    contact person rounding off after the case closed). LEADER: read-only, young people
    with an active assignment in their own center. RECEPTION and ADMIN: as the matrix says.
    """
    require(actor, action)
    if actor.role in (AccessRole.ADMIN, AccessRole.RECEPTION):
        return
    from sqlalchemy import select
    from sqlmodel import col

    from ungehus_tui.data.models import Assignment, Handover, Task

    if actor.role == AccessRole.COUNSELLOR:
        assigned = session.execute(
            select(col(Assignment.id)).where(
                col(Assignment.person_id) == person_id,
                col(Assignment.staff_id) == actor.id,
                col(Assignment.ended_at).is_(None),
            )
        ).first()
        offered = session.execute(
            select(col(Handover.id)).where(
                col(Handover.person_id) == person_id,
                col(Handover.to_staff_id) == actor.id,
                col(Handover.status) == "OFFERED",
            )
        ).first()
        task = session.execute(
            select(col(Task.id)).where(
                col(Task.person_id) == person_id,
                col(Task.staff_id) == actor.id,
                col(Task.done_at).is_(None),
            )
        ).first()
        if assigned or offered or task:
            return
    elif actor.role == AccessRole.LEADER and actor.center_code:
        in_center = session.execute(
            select(col(Assignment.id)).where(
                col(Assignment.person_id) == person_id,
                col(Assignment.center_code) == actor.center_code,
                col(Assignment.ended_at).is_(None),
            )
        ).first()
        if in_center:
            return
    raise PermissionDenied("Du har ikke adgang til denne unges sag")
