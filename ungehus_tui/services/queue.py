"""A counsellor's work queue: everything with a due date, in one list sorted by due. A leader
gets the same queue for everyone in their center (read-only oversight, so nothing falls
between two chairs when a counsellor is away); each line then says whose it is.

Kinds (QueueKind) and their due dates:
- AWAITING_FIRST_CONTACT: young people the actor holds on an open case with no held meeting,
  nothing booked and no open outreach task, assigned within `first_contact_window_days`
  (90; 0 = no limit: older cases without any meeting are a data clean-up, not daily work).
  Due: 15-17s `first_contact_working_days` (5) working days after the assignment (the
  education duty's contact deadline); 18-29s `first_contact_adult_working_days` (10, a house
  decision) working days.
- UPCOMING_MEETING: booked meetings from now on where the actor takes part or leads. Due: the day.
- OUTCOME_MISSING: booked meetings that have begun (outcome not recorded). Due: the day.
- HANDOVER_OFFERED_TO_ME / HANDOVER_PENDING_FROM_ME: pending offers to / from the actor (the
  sender still holds). Due: offered + `handover_stale_working_days`, the watchdog's limit.
- OUTREACH / CONTACT_PERSON_END: the actor's open tasks of that kind. Due: the task's due.
- GUARDIAN_MISSING: a 15-17-year-old registered by list import without a guardian (an open
  task, unassigned or the actor's): shown to the actor's own tasks and, unassigned, to whoever
  holds the young person, until the task is done or a guardian is recorded. Due: the task's due.

Built from six set-based queries (no per-item queries), whatever the queue's length.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import aliased
from sqlmodel import col

from ungehus_tui.data.engine import write_session
from ungehus_tui.data.models import (
    Assignment,
    Handover,
    Meeting,
    MeetingParticipant,
    Staff,
    Task,
    YoungPerson,
)
from ungehus_tui.data.org import work_calendar
from ungehus_tui.domain.clock import local, now
from ungehus_tui.domain.codes import AccessRole, TaskKind
from ungehus_tui.domain.cpr import age_on, mask
from ungehus_tui.services import audit
from ungehus_tui.services.context import Actor, Ctx
from ungehus_tui.services.permissions import Action, require


class QueueKind(StrEnum):
    AWAITING_FIRST_CONTACT = "AWAITING_FIRST_CONTACT"
    UPCOMING_MEETING = "UPCOMING_MEETING"
    OUTCOME_MISSING = "OUTCOME_MISSING"
    HANDOVER_OFFERED_TO_ME = "HANDOVER_OFFERED_TO_ME"
    HANDOVER_PENDING_FROM_ME = "HANDOVER_PENDING_FROM_ME"
    OUTREACH = "OUTREACH"
    CONTACT_PERSON_END = "CONTACT_PERSON_END"
    GUARDIAN_MISSING = "GUARDIAN_MISSING"


KIND_NAMES_DA: dict[str, str] = {
    QueueKind.AWAITING_FIRST_CONTACT: "Afventer første kontakt",
    QueueKind.UPCOMING_MEETING: "Kommende møde",
    QueueKind.OUTCOME_MISSING: "Mangler mødeudfald",
    QueueKind.HANDOVER_OFFERED_TO_ME: "Tilbudt mig",
    QueueKind.HANDOVER_PENDING_FROM_ME: "Afventer modtager",
    QueueKind.OUTREACH: "Opsøgende (udeblevet)",
    QueueKind.CONTACT_PERSON_END: "Kontaktperson slutter",
    QueueKind.GUARDIAN_MISSING: "Forælder/værge mangler",
}
# A leader's queue is the center's: handovers are offered to someone in it, not to "me".
CENTER_KIND_NAMES_DA: dict[str, str] = {
    **KIND_NAMES_DA,
    QueueKind.HANDOVER_OFFERED_TO_ME: "Tilbudt centeret",
}


def is_center_queue(actor: Actor) -> bool:
    """Whether the actor's queue is their center's (a leader's), not their own."""
    return actor.role == AccessRole.LEADER


def kind_names(actor: Actor) -> dict[str, str]:
    return CENTER_KIND_NAMES_DA if is_center_queue(actor) else KIND_NAMES_DA


def _whose(session: Any, actor: Actor) -> dict[int, str]:
    """Staff id -> name of the people whose items the queue shows: the actor, or for a leader
    everyone in their center (disabled logins too: their open items still need someone)."""
    if not is_center_queue(actor):
        return {actor.id: actor.name}
    if not actor.center_code:
        return {}
    rows = session.execute(
        select(col(Staff.id), col(Staff.name)).where(col(Staff.center_code) == actor.center_code)
    ).all()
    return dict(rows)


@dataclass(frozen=True, slots=True)
class QueueItem:
    kind: str
    person_id: int
    person_name: str
    cpr_masked: str
    due: dt.date
    detail_da: str
    meeting_id: int | None = None
    handover_id: int | None = None
    task_id: int | None = None
    assignment_id: int | None = None
    overdue: bool = False

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["name"] = self.person_name
        data["due"] = self.due.isoformat()
        data["kind_da"] = KIND_NAMES_DA[self.kind]
        return data


def counts(items: Iterable[QueueItem]) -> dict[str, int]:
    """Items per kind, every kind present (0 when none)."""
    c = Counter(i.kind for i in items)
    return {k.value: c.get(k.value, 0) for k in QueueKind}


def queue_for(ctx: Ctx, actor: Actor, *, kinds: Iterable[str] | None = None) -> list[QueueItem]:
    """The actor's queue, sorted by due date (then name); `kinds` filters. Audited once."""
    require(actor, Action.VIEW_QUEUE)
    wanted = set(kinds) if kinds else {k.value for k in QueueKind}
    unknown = wanted - {k.value for k in QueueKind}
    if unknown:
        from ungehus_tui.services.errors import ValidationFailed

        raise ValidationFailed({"kind": f"Ukendt type: {', '.join(sorted(unknown))}"})
    items: list[QueueItem] = []
    stamp = now()
    day = stamp.date()
    with write_session(ctx.engine) as session:
        whose = _whose(session, actor)
        ids = list(whose)
        center = is_center_queue(actor)

        def by(staff_id: int, detail: str) -> str:
            return f"{whose[staff_id]} · {detail}" if center else detail

        cal = work_calendar(session)
        due_cache: dict[tuple[dt.date, int], dt.date] = {}

        def add_wd(start: dt.date, n: int) -> dt.date:
            key = (start, n)
            if key not in due_cache:
                due_cache[key] = cal.add_working_days(start, n)
            return due_cache[key]

        person = (col(YoungPerson.id), col(YoungPerson.name), col(YoungPerson.cpr))
        if QueueKind.AWAITING_FIRST_CONTACT in wanted:
            window = ctx.settings.first_contact_window_days
            window_start = stamp - dt.timedelta(days=window if window > 0 else 365 * 100)
            held_or_booked = exists().where(
                and_(
                    col(Meeting.person_id) == col(Assignment.person_id),
                    col(Meeting.status).in_(("HELD", "BOOKED")),
                )
            )
            outreach = exists().where(
                and_(
                    col(Task.person_id) == col(Assignment.person_id),
                    col(Task.kind) == "OUTREACH",
                    col(Task.done_at).is_(None),
                )
            )
            rows = session.execute(
                select(
                    *person,
                    col(YoungPerson.birth_date),
                    col(Assignment.id),
                    col(Assignment.started_at),
                    col(Assignment.staff_id),
                )
                .join(YoungPerson, col(YoungPerson.id) == Assignment.person_id)
                .where(
                    col(Assignment.staff_id).in_(ids),
                    col(Assignment.ended_at).is_(None),
                    col(Assignment.holds).is_(True),
                    col(YoungPerson.case_open).is_(True),
                    col(Assignment.started_at) >= window_start,
                    ~held_or_booked,
                    ~outreach,
                )
            ).all()
            for pid, name, cpr, birth, aid, started, holder in rows:
                start = local(started).date()
                minor = age_on(birth, start) < 18
                n = (
                    ctx.settings.first_contact_working_days
                    if minor
                    else ctx.settings.first_contact_adult_working_days
                )
                detail = f"Tildelt {start:%d-%m-%Y}" + (
                    f" · 15-17 år: kontakt inden {n} arbejdsdage" if minor else ""
                )
                items.append(
                    _item(
                        QueueKind.AWAITING_FIRST_CONTACT,
                        pid,
                        name,
                        cpr,
                        add_wd(start, n),
                        by(holder, detail),
                        day,
                        assignment_id=aid,
                    )
                )
        if {QueueKind.UPCOMING_MEETING, QueueKind.OUTCOME_MISSING} & wanted:
            mine = select(col(MeetingParticipant.meeting_id)).where(
                col(MeetingParticipant.staff_id).in_(ids)
            )
            rows = session.execute(
                select(
                    *person,
                    col(Meeting.id),
                    col(Meeting.start),
                    col(Meeting.kind),
                    col(Meeting.is_first),
                )
                .join(YoungPerson, col(YoungPerson.id) == Meeting.person_id)
                .where(
                    col(Meeting.status) == "BOOKED",
                    or_(col(Meeting.id).in_(mine), col(Meeting.leader_id).in_(ids)),
                )
            ).all()
            for pid, name, cpr, mid, start, mkind, first in rows:
                begun = start <= stamp
                kind = QueueKind.OUTCOME_MISSING if begun else QueueKind.UPCOMING_MEETING
                if kind not in wanted:
                    continue
                when = local(start)
                what = {"TEAM_MEETING": "Teammøde", "FIRST_CONVERSATION": "Første samtale"}.get(
                    mkind, "Opfølgning"
                )
                if first and mkind == "FOLLOW_UP":
                    what = "Første møde"
                detail = f"{what} {when:%d-%m-%Y %H:%M}" + (" · udfald mangler" if begun else "")
                items.append(_item(kind, pid, name, cpr, when.date(), detail, day, meeting_id=mid))
        if {QueueKind.HANDOVER_OFFERED_TO_ME, QueueKind.HANDOVER_PENDING_FROM_ME} & wanted:
            sender, receiver = aliased(Staff), aliased(Staff)
            rows = session.execute(
                select(
                    *person,
                    col(Handover.id),
                    col(Handover.kind),
                    col(Handover.offered_at),
                    col(Handover.to_staff_id),
                    col(Handover.to_external),
                    col(Handover.to_external_contact),
                    col(sender.name),
                    col(receiver.name),
                )
                .join(YoungPerson, col(YoungPerson.id) == Handover.person_id)
                .outerjoin(sender, col(sender.id) == col(Handover.from_staff_id))
                .outerjoin(receiver, col(receiver.id) == col(Handover.to_staff_id))
                .where(
                    col(Handover.status) == "OFFERED",
                    or_(
                        col(Handover.to_staff_id).in_(ids),
                        col(Handover.from_staff_id).in_(ids),
                    ),
                )
            ).all()
            limit = ctx.settings.handover_stale_working_days
            for pid, name, cpr, hid, hkind, at, to_id, ext, ext_contact, from_name, to_name in rows:
                offered = local(at).date()
                due = add_wd(offered, limit)
                what = _handover_kind_da(hkind)
                if to_id in whose:
                    kind = QueueKind.HANDOVER_OFFERED_TO_ME
                    to = f" til {to_name}" if center else ""
                    detail = f"{what} fra {from_name or 'systemet'}{to} {offered:%d-%m-%Y}"
                else:
                    kind = QueueKind.HANDOVER_PENDING_FROM_ME
                    to = to_name or f"{ext} ({ext_contact})"
                    waiting = "kvittering" if to_id is None else "svar"
                    holds = f"{from_name} holder" if center else "du holder"
                    detail = f"{what} til {to}: afventer {waiting} · {holds} den unge"
                if kind not in wanted:
                    continue
                if due < day:
                    detail += " · forældet"
                items.append(_item(kind, pid, name, cpr, due, detail, day, handover_id=hid))
        task_kinds = [k for k in (QueueKind.OUTREACH, QueueKind.CONTACT_PERSON_END) if k in wanted]
        if task_kinds:
            rows = session.execute(
                select(
                    *person,
                    col(Task.id),
                    col(Task.kind),
                    col(Task.due),
                    col(Task.note),
                    col(Task.staff_id),
                )
                .join(YoungPerson, col(YoungPerson.id) == Task.person_id)
                .where(
                    col(Task.staff_id).in_(ids),
                    col(Task.done_at).is_(None),
                    col(Task.kind).in_([str(k) for k in task_kinds]),
                )
            ).all()
            for pid, name, cpr, tid, tkind, due, note, holder in rows:
                detail = by(holder, note or "")
                items.append(_item(tkind, pid, name, cpr, due, detail, day, task_id=tid))
        if QueueKind.GUARDIAN_MISSING in wanted:
            items.extend(_guardian_missing(session, ids, whose if center else None, day))
        audit.record(session, actor, "VIEW_QUEUE", detail=f"{len(items)} punkter")
    items.sort(key=lambda i: (i.due, i.person_name, i.kind))
    return items


def _guardian_missing(
    session: Any, ids: list[int], whose: dict[int, str] | None, day: dt.date
) -> list[QueueItem]:
    """Open GUARDIAN_MISSING tasks of `ids`, and unassigned ones of young people one of `ids`
    holds, while the young person still has no guardian recorded. `whose` (a leader's center
    queue) names the staff member on each line."""
    holder = (
        select(col(Assignment.staff_id))
        .where(
            col(Assignment.person_id) == col(Task.person_id),
            col(Assignment.ended_at).is_(None),
            col(Assignment.holds).is_(True),
            col(Assignment.staff_id).in_(ids),
        )
        .limit(1)
        .scalar_subquery()
    )
    rows = session.execute(
        select(
            col(YoungPerson.id),
            col(YoungPerson.name),
            col(YoungPerson.cpr),
            col(Task.id),
            col(Task.due),
            col(Task.note),
            col(Task.staff_id),
            holder,
        )
        .join(YoungPerson, col(YoungPerson.id) == Task.person_id)
        .where(
            col(Task.kind) == TaskKind.GUARDIAN_MISSING,
            col(Task.done_at).is_(None),
            or_(col(YoungPerson.guardian_name).is_(None), col(YoungPerson.guardian_name) == ""),
            or_(
                col(Task.staff_id).in_(ids),
                and_(col(Task.staff_id).is_(None), holder.is_not(None)),
            ),
        )
    ).all()
    out: list[QueueItem] = []
    for pid, name, cpr, tid, due, note, staff_id, held_by in rows:
        detail = note or KIND_NAMES_DA[QueueKind.GUARDIAN_MISSING]
        who = staff_id or held_by
        if whose is not None and who in whose:
            detail = f"{whose[who]} · {detail}"
        out.append(_item(QueueKind.GUARDIAN_MISSING, pid, name, cpr, due, detail, day, task_id=tid))
    return out


def _item(
    kind: str,
    person_id: int,
    name: str,
    cpr: str,
    due: dt.date,
    detail: str,
    today: dt.date,
    **refs: int,
) -> QueueItem:
    masked = f"{cpr[:6]}-XXXX" if len(cpr) == 10 else mask(cpr)  # stored compact: fast path
    return QueueItem(kind, person_id, name, masked, due, detail, overdue=due < today, **refs)


def _handover_kind_da(kind: str) -> str:
    return {
        "COLLEAGUE": "Overdragelse",
        "EXTERNAL": "Overdragelse til ekstern",
        "EDUCATION_START": "Uddannelsesstart",
        "JOB_START": "Jobstart",
        "TURNING_18": "Fylder 18 (CBU → CAI)",
    }.get(kind, kind)
