"""Open tasks: the staff's own (OUTREACH, CONTACT_PERSON_END, DROPOUT_CONTACT, ACTIVITY_OFFER,
HANDOVER_REJECTED, PLAN_REVISION; due the task's due) and GUARDIAN_MISSING (a list-imported
15-17-year-old without a guardian: the staff's own task, or an unassigned one of a young person
they hold)."""

from __future__ import annotations

from sqlalchemy import and_, or_, select
from sqlmodel import col

from ungehus_tui.data.models import Assignment, Task, YoungPerson
from ungehus_tui.domain.clock import local
from ungehus_tui.domain.codes import TaskKind
from ungehus_tui.domain.cpr import age_on
from ungehus_tui.services.casework.queue.base import PERSON, Build, holding
from ungehus_tui.services.casework.queue.items import (
    KIND_NAMES_DA,
    TASK_KINDS,
    QueueItem,
    QueueKind,
)


def tasks(b: Build) -> list[QueueItem]:
    kinds = [str(k) for k in TASK_KINDS if k in b.wanted]
    rows = b.rows(
        select(
            *PERSON,
            col(YoungPerson.birth_date),
            col(Task.id),
            col(Task.kind),
            col(Task.due),
            col(Task.note),
            col(Task.staff_id),
            col(Task.created_at),
        )
        .join(YoungPerson, col(YoungPerson.id) == Task.person_id)
        .where(
            col(Task.staff_id).in_(b.ids),
            col(Task.done_at).is_(None),
            col(Task.kind).in_(kinds),
        )
    )
    out = []
    for pid, name, cpr, birth, tid, tkind, due, note, holder, created in rows:
        duty = tkind == QueueKind.DROPOUT_CONTACT and age_on(birth, local(created).date()) < 18
        out.append(b.item(tkind, (pid, name, cpr), due, note or "", holder, duty=duty, task_id=tid))
    return out


def guardian_missing(b: Build) -> list[QueueItem]:
    """Open GUARDIAN_MISSING tasks of the queue's staff, and unassigned ones of young people
    one of them holds, while the young person still has no guardian recorded."""
    holder = (
        select(col(Assignment.staff_id))
        .where(col(Assignment.person_id) == col(Task.person_id), *holding(b))
        .limit(1)
        .scalar_subquery()
    )
    rows = b.rows(
        select(*PERSON, col(Task.id), col(Task.due), col(Task.note), col(Task.staff_id), holder)
        .join(YoungPerson, col(YoungPerson.id) == Task.person_id)
        .where(
            col(Task.kind) == TaskKind.GUARDIAN_MISSING,
            col(Task.done_at).is_(None),
            or_(col(YoungPerson.guardian_name).is_(None), col(YoungPerson.guardian_name) == ""),
            or_(
                col(Task.staff_id).in_(b.ids),
                and_(col(Task.staff_id).is_(None), holder.is_not(None)),
            ),
        )
    )
    out: list[QueueItem] = []
    for pid, name, cpr, tid, due, note, staff_id, held_by in rows:
        detail = note or KIND_NAMES_DA[QueueKind.GUARDIAN_MISSING]
        who = staff_id or held_by
        out.append(
            b.item(QueueKind.GUARDIAN_MISSING, (pid, name, cpr), due, detail, who, task_id=tid)
        )
    return out
