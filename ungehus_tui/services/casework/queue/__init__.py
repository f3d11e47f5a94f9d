"""A counsellor's work queue: everything with a due date, in one list sorted by due. A leader
gets the same queue for everyone in their center (read-only oversight, so nothing falls
between two chairs when a counsellor is away); each line then says whose it is (every item
carries `holder_id`/`holder_name`, the staff member whose work it is).

Kinds (QueueKind) and their due dates, one module per group of kinds:
- AWAITING_FIRST_CONTACT (`first_contact`): young people the actor holds on an open case with
  no held meeting, nothing booked and no open outreach task, assigned within
  `first_contact_window_days` (90; 0 = no limit: older cases without any meeting are a data
  clean-up, not daily work). Due: 15-17s `first_contact_working_days` (5) working days after
  the assignment (the education duty's contact deadline); 18-29s
  `first_contact_adult_working_days` (10, a house decision) working days.
- UPCOMING_MEETING (`meetings`): booked meetings from now on where the actor takes part or
  leads. Due: the day.
- OUTCOME_MISSING (`meetings`): booked meetings that have begun (outcome not recorded). Due:
  the day.
- HANDOVER_OFFERED_TO_ME / HANDOVER_PENDING_FROM_ME (`meetings`): pending offers to / from the
  actor (the sender still holds). Due: offered + `handover_stale_working_days`, the
  watchdog's limit.
- OUTREACH / CONTACT_PERSON_END / DROPOUT_CONTACT / ACTIVITY_OFFER / HANDOVER_REJECTED /
  PLAN_REVISION (`tasks`): the actor's open tasks of that kind. Due: the task's due.
- GUARDIAN_MISSING (`tasks`): a 15-17-year-old registered by list import without a guardian
  (an open task, unassigned or the actor's): shown to the actor's own tasks and, unassigned, to
  whoever holds the young person, until the task is done or a guardian is recorded. Due: the
  task's due.
- COORDINATOR_MISSING (`team`): an open team case (active professionals from two or more
  centers) with no coordinating caseworker, shown to the holder until one is appointed. Due:
  the day the case became a team case (the coordinator is appointed at the latest at the team
  meeting).

Overdue items say so in words (`status_da` "overskredet"). A 15-17-year-old's first contact
(AWAITING_FIRST_CONTACT or DROPOUT_CONTACT under the education duty) has `education_duty`
set and, overdue, `priority` 2 (other overdue items 1, the rest 0), so it stands out.

Built from a fixed number of set-based queries (one or two per group of kinds, no per-item
queries), whatever the queue's length, in one read transaction; the viewing is then audited
in a short write of its own (the write lock is not held while the queue is read).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ungehus_tui.data.engine import read_session, write_session
from ungehus_tui.domain.clock import now
from ungehus_tui.services.access import audit
from ungehus_tui.services.access.permissions import Action, require
from ungehus_tui.services.casework.queue.base import Build, whose
from ungehus_tui.services.casework.queue.first_contact import first_contact
from ungehus_tui.services.casework.queue.items import (
    CENTER_KIND_NAMES_DA,
    EDUCATION_DUTY_DA,
    KIND_NAMES_DA,
    OVERDUE_DA,
    TASK_KINDS,
    QueueItem,
    QueueKind,
    counts,
    is_center_queue,
    kind_names,
    sort_key,
)
from ungehus_tui.services.casework.queue.meetings import handovers, meetings
from ungehus_tui.services.casework.queue.tasks import guardian_missing, tasks
from ungehus_tui.services.casework.queue.team import coordinator_missing
from ungehus_tui.services.context import Actor, Ctx

__all__ = [
    "CENTER_KIND_NAMES_DA",
    "EDUCATION_DUTY_DA",
    "KIND_NAMES_DA",
    "OVERDUE_DA",
    "TASK_KINDS",
    "QueueItem",
    "QueueKind",
    "counts",
    "is_center_queue",
    "kind_names",
    "queue_for",
]

_PARTS: list[tuple[set[str], Callable[[Build], list[QueueItem]]]] = [
    ({QueueKind.AWAITING_FIRST_CONTACT}, first_contact),
    ({QueueKind.UPCOMING_MEETING, QueueKind.OUTCOME_MISSING}, meetings),
    ({QueueKind.HANDOVER_OFFERED_TO_ME, QueueKind.HANDOVER_PENDING_FROM_ME}, handovers),
    (set(TASK_KINDS), tasks),
    ({QueueKind.GUARDIAN_MISSING}, guardian_missing),
    ({QueueKind.COORDINATOR_MISSING}, coordinator_missing),
]


def queue_for(ctx: Ctx, actor: Actor, *, kinds: Iterable[str] | None = None) -> list[QueueItem]:
    """The actor's queue, sorted by due date (then name); `kinds` filters. Audited once."""
    require(actor, Action.VIEW_QUEUE)
    wanted = set(kinds) if kinds else {k.value for k in QueueKind}
    unknown = wanted - {k.value for k in QueueKind}
    if unknown:
        from ungehus_tui.services.errors import ValidationFailed

        raise ValidationFailed({"kind": f"Ukendt type: {', '.join(sorted(unknown))}"})
    items: list[QueueItem] = []
    with read_session(ctx.engine) as session:
        b = Build(ctx, session, whose(session, actor), is_center_queue(actor), now(), wanted)
        for part_kinds, part in _PARTS:
            if part_kinds <= wanted:
                items.extend(part(b))
            elif wanted & part_kinds:
                items.extend(i for i in part(b) if i.kind in wanted)
    with write_session(ctx.engine) as session:
        audit.record(session, actor, "VIEW_QUEUE", detail=f"{len(items)} punkter")
    items.sort(key=sort_key)
    return items
