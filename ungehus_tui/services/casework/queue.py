"""A counsellor's work queue: everything with a due date, in one list sorted by due. A leader
gets the same queue for everyone in their center (read-only oversight, so nothing falls
between two chairs when a counsellor is away); each line then says whose it is (every item
carries `holder_id`/`holder_name`, the staff member whose work it is).

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
- OUTREACH / CONTACT_PERSON_END / DROPOUT_CONTACT / ACTIVITY_OFFER / HANDOVER_REJECTED /
  PLAN_REVISION: the actor's open tasks of that kind. Due: the task's due.
- GUARDIAN_MISSING: a 15-17-year-old registered by list import without a guardian (an open
  task, unassigned or the actor's): shown to the actor's own tasks and, unassigned, to whoever
  holds the young person, until the task is done or a guardian is recorded. Due: the task's due.
- COORDINATOR_MISSING: an open team case (active professionals from two or more centers) with
  no coordinating caseworker, shown to the holder until one is appointed. Due: the day the
  case became a team case (the coordinator is appointed at the latest at the team meeting).

Overdue items say so in words (`status_da` "overskredet"). A 15-17-year-old's first contact
(AWAITING_FIRST_CONTACT or DROPOUT_CONTACT under the education duty) has `education_duty`
set and, overdue, `priority` 2 (other overdue items 1, the rest 0), so it stands out.

Built from a fixed number of set-based queries (one or two per group of kinds, no per-item
queries), whatever the queue's length.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, replace
from enum import StrEnum
from typing import Any

from sqlalchemy import and_, case, exists, func, or_, select
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
from ungehus_tui.services.access import audit
from ungehus_tui.services.access.permissions import Action, require
from ungehus_tui.services.context import Actor, Ctx


class QueueKind(StrEnum):
    AWAITING_FIRST_CONTACT = "AWAITING_FIRST_CONTACT"
    UPCOMING_MEETING = "UPCOMING_MEETING"
    OUTCOME_MISSING = "OUTCOME_MISSING"
    HANDOVER_OFFERED_TO_ME = "HANDOVER_OFFERED_TO_ME"
    HANDOVER_PENDING_FROM_ME = "HANDOVER_PENDING_FROM_ME"
    OUTREACH = "OUTREACH"
    CONTACT_PERSON_END = "CONTACT_PERSON_END"
    GUARDIAN_MISSING = "GUARDIAN_MISSING"
    DROPOUT_CONTACT = "DROPOUT_CONTACT"
    ACTIVITY_OFFER = "ACTIVITY_OFFER"
    HANDOVER_REJECTED = "HANDOVER_REJECTED"
    COORDINATOR_MISSING = "COORDINATOR_MISSING"
    PLAN_REVISION = "PLAN_REVISION"


KIND_NAMES_DA: dict[str, str] = {
    QueueKind.AWAITING_FIRST_CONTACT: "Afventer første kontakt",
    QueueKind.UPCOMING_MEETING: "Kommende møde",
    QueueKind.OUTCOME_MISSING: "Mangler mødeudfald",
    QueueKind.HANDOVER_OFFERED_TO_ME: "Tilbudt mig",
    QueueKind.HANDOVER_PENDING_FROM_ME: "Afventer modtager",
    QueueKind.OUTREACH: "Opsøgende",
    QueueKind.CONTACT_PERSON_END: "Kontaktperson slutter",
    QueueKind.GUARDIAN_MISSING: "Forælder/værge mangler",
    QueueKind.DROPOUT_CONTACT: "Frafald: kontakt",
    QueueKind.ACTIVITY_OFFER: "Frafald: tilbud om aktivitet",
    QueueKind.HANDOVER_REJECTED: "Overdragelse afvist",
    QueueKind.COORDINATOR_MISSING: "Koordinator mangler",
    QueueKind.PLAN_REVISION: "Revidér planen",
}
# A leader's queue is the center's: handovers are offered to someone in it, not to "me".
CENTER_KIND_NAMES_DA: dict[str, str] = {
    **KIND_NAMES_DA,
    QueueKind.HANDOVER_OFFERED_TO_ME: "Tilbudt centeret",
}
OVERDUE_DA = "overskredet"
EDUCATION_DUTY_DA = "15-17 år, uddannelsespligt"
# Open tasks that are simply the staff member's own work, shown as they are.
TASK_KINDS = (
    QueueKind.OUTREACH,
    QueueKind.CONTACT_PERSON_END,
    QueueKind.DROPOUT_CONTACT,
    QueueKind.ACTIVITY_OFFER,
    QueueKind.HANDOVER_REJECTED,
    QueueKind.PLAN_REVISION,
)


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
    holder_id: int | None = None  # whose work it is
    holder_name: str | None = None
    education_duty: bool = False  # a 15-17-year-old's first contact (education duty)
    priority: int = 0  # 2 overdue education-duty contact, 1 other overdue, 0 not overdue

    @property
    def status_da(self) -> str:
        """'overskredet' when the due date has passed, else ''."""
        return OVERDUE_DA if self.overdue else ""

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["name"] = self.person_name
        data["due"] = self.due.isoformat()
        data["kind_da"] = KIND_NAMES_DA[self.kind]
        data["status_da"] = self.status_da
        return data


def counts(items: Iterable[QueueItem]) -> dict[str, int]:
    """Items per kind, every kind present (0 when none)."""
    c = Counter(i.kind for i in items)
    return {k.value: c.get(k.value, 0) for k in QueueKind}


PERSON = (col(YoungPerson.id), col(YoungPerson.name), col(YoungPerson.cpr))


@dataclass
class _Build:
    """What every part of the queue needs: whose items, today, the working-day calendar."""

    ctx: Ctx
    session: Any
    whose: dict[int, str]
    center: bool
    stamp: dt.datetime
    wanted: set[str]
    cal: Any = None
    due_cache: dict[tuple[dt.date, int], dt.date] = field(default_factory=dict)

    @property
    def ids(self) -> list[int]:
        return list(self.whose)

    @property
    def day(self) -> dt.date:
        return self.stamp.date()

    def add_wd(self, start: dt.date, n: int) -> dt.date:
        key = (start, n)
        if key not in self.due_cache:
            if self.cal is None:
                self.cal = work_calendar(self.session)
            self.due_cache[key] = self.cal.add_working_days(start, n)
        return self.due_cache[key]

    def by(self, staff_id: int | None, detail: str) -> str:
        """A leader's line starts with whose it is (the detail stays readable on its own)."""
        if self.center and staff_id in self.whose:
            return f"{self.whose[staff_id]} · {detail}"
        return detail

    def item(
        self,
        kind: str,
        row: tuple[int, str, str],
        due: dt.date,
        detail: str,
        holder: int | None,
        *,
        education_duty: bool = False,
        **refs: int,
    ) -> QueueItem:
        pid, name, cpr = row
        masked = f"{cpr[:6]}-XXXX" if len(cpr) == 10 else mask(cpr)  # stored compact: fast path
        overdue = due < self.day
        priority = (2 if education_duty else 1) if overdue else 0
        if education_duty:
            detail = f"{detail} · {EDUCATION_DUTY_DA}" if detail else EDUCATION_DUTY_DA
        return QueueItem(
            kind,
            pid,
            name,
            masked,
            due,
            self.by(holder, detail),
            overdue=overdue,
            holder_id=holder,
            holder_name=self.whose.get(holder) if holder is not None else None,
            education_duty=education_duty,
            priority=priority,
            **refs,
        )


def queue_for(ctx: Ctx, actor: Actor, *, kinds: Iterable[str] | None = None) -> list[QueueItem]:
    """The actor's queue, sorted by due date (then name); `kinds` filters. Audited once."""
    require(actor, Action.VIEW_QUEUE)
    wanted = set(kinds) if kinds else {k.value for k in QueueKind}
    unknown = wanted - {k.value for k in QueueKind}
    if unknown:
        from ungehus_tui.services.errors import ValidationFailed

        raise ValidationFailed({"kind": f"Ukendt type: {', '.join(sorted(unknown))}"})
    items: list[QueueItem] = []
    with write_session(ctx.engine) as session:
        b = _Build(ctx, session, _whose(session, actor), is_center_queue(actor), now(), wanted)
        for part_kinds, part in _PARTS:
            if wanted & part_kinds:
                items.extend(i for i in part(b) if i.kind in wanted)
        audit.record(session, actor, "VIEW_QUEUE", detail=f"{len(items)} punkter")
    items.sort(key=lambda i: (i.due, -i.priority, i.person_name, i.kind))
    return items


def _first_contact(b: _Build) -> list[QueueItem]:
    window = b.ctx.settings.first_contact_window_days
    window_start = b.stamp - dt.timedelta(days=window if window > 0 else 365 * 100)
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
    rows = b.session.execute(
        select(
            *PERSON,
            col(YoungPerson.birth_date),
            col(Assignment.id),
            col(Assignment.started_at),
            col(Assignment.staff_id),
        )
        .join(YoungPerson, col(YoungPerson.id) == Assignment.person_id)
        .where(
            col(Assignment.staff_id).in_(b.ids),
            col(Assignment.ended_at).is_(None),
            col(Assignment.holds).is_(True),
            col(YoungPerson.case_open).is_(True),
            col(Assignment.started_at) >= window_start,
            ~held_or_booked,
            ~outreach,
        )
    ).all()
    out = []
    settings = b.ctx.settings
    for pid, name, cpr, birth, aid, started, holder in rows:
        start = local(started).date()
        minor = age_on(birth, start) < 18
        n = (
            settings.first_contact_working_days
            if minor
            else settings.first_contact_adult_working_days
        )
        detail = f"Tildelt {start:%d-%m-%Y}" + (
            f" · kontakt inden {n} arbejdsdage" if minor else ""
        )
        out.append(
            b.item(
                QueueKind.AWAITING_FIRST_CONTACT,
                (pid, name, cpr),
                b.add_wd(start, n),
                detail,
                holder,
                education_duty=minor,
                assignment_id=aid,
            )
        )
    return out


def _meetings(b: _Build) -> list[QueueItem]:
    mine = select(col(MeetingParticipant.meeting_id)).where(
        col(MeetingParticipant.staff_id).in_(b.ids)
    )
    participant = (
        select(func.min(MeetingParticipant.staff_id))
        .where(
            col(MeetingParticipant.meeting_id) == col(Meeting.id),
            col(MeetingParticipant.staff_id).in_(b.ids),
        )
        .scalar_subquery()
    )
    rows = b.session.execute(
        select(
            *PERSON,
            col(Meeting.id),
            col(Meeting.start),
            col(Meeting.kind),
            col(Meeting.is_first),
            col(Meeting.leader_id),
            participant,
        )
        .join(YoungPerson, col(YoungPerson.id) == Meeting.person_id)
        .where(
            col(Meeting.status) == "BOOKED",
            or_(col(Meeting.id).in_(mine), col(Meeting.leader_id).in_(b.ids)),
        )
    ).all()
    out = []
    for pid, name, cpr, mid, start, mkind, first, leader, member in rows:
        begun = start <= b.stamp
        kind = QueueKind.OUTCOME_MISSING if begun else QueueKind.UPCOMING_MEETING
        when = local(start)
        what = {"TEAM_MEETING": "Teammøde", "FIRST_CONVERSATION": "Første samtale"}.get(
            mkind, "Opfølgning"
        )
        if first and mkind == "FOLLOW_UP":
            what = "Første møde"
        detail = f"{what} {when:%d-%m-%Y %H:%M}" + (" · udfald mangler" if begun else "")
        holder = leader if leader in b.whose else member
        out.append(b.item(kind, (pid, name, cpr), when.date(), detail, holder, meeting_id=mid))
    return out


def _handovers(b: _Build) -> list[QueueItem]:
    sender, receiver = aliased(Staff), aliased(Staff)
    rows = b.session.execute(
        select(
            *PERSON,
            col(Handover.id),
            col(Handover.kind),
            col(Handover.offered_at),
            col(Handover.from_staff_id),
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
                col(Handover.to_staff_id).in_(b.ids),
                col(Handover.from_staff_id).in_(b.ids),
            ),
        )
    ).all()
    limit = b.ctx.settings.handover_stale_working_days
    out = []
    for row in rows:
        pid, name, cpr, hid, hkind, at, from_id, to_id, ext, ext_contact, from_name, to_name = row
        offered = local(at).date()
        due = b.add_wd(offered, limit)
        what = _handover_kind_da(hkind)
        if to_id in b.whose:
            kind, holder = QueueKind.HANDOVER_OFFERED_TO_ME, to_id
            to = f" til {to_name}" if b.center else ""
            detail = f"{what} fra {from_name or 'systemet'}{to} {offered:%d-%m-%Y}"
        else:
            kind, holder = QueueKind.HANDOVER_PENDING_FROM_ME, from_id
            to = to_name or f"{ext} ({ext_contact})"
            waiting = "kvittering" if to_id is None else "svar"
            holds = f"{from_name} holder" if b.center else "du holder"
            detail = f"{what} til {to}: afventer {waiting} · {holds} den unge"
        if due < b.day:
            detail += " · forældet"
        # The sender's name is already in a leader's line: it says who holds.
        out.append(_plain(b, kind, (pid, name, cpr), due, detail, holder, handover_id=hid))
    return out


def _plain(
    b: _Build,
    kind: str,
    row: tuple[int, str, str],
    due: dt.date,
    detail: str,
    holder: int | None,
    **refs: int,
) -> QueueItem:
    """An item whose detail already names the people involved (no 'whose ·' prefix)."""
    item = b.item(kind, row, due, detail, None, education_duty=False, **refs)
    name = b.whose.get(holder) if holder is not None else None
    return replace(item, detail_da=detail, holder_id=holder, holder_name=name)


def _tasks(b: _Build) -> list[QueueItem]:
    kinds = [str(k) for k in TASK_KINDS if k in b.wanted]
    rows = b.session.execute(
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
    ).all()
    out = []
    for pid, name, cpr, birth, tid, tkind, due, note, holder, created in rows:
        duty = tkind == QueueKind.DROPOUT_CONTACT and age_on(birth, local(created).date()) < 18
        out.append(
            b.item(
                tkind, (pid, name, cpr), due, note or "", holder, education_duty=duty, task_id=tid
            )
        )
    return out


def _guardian_missing(b: _Build) -> list[QueueItem]:
    """Open GUARDIAN_MISSING tasks of the queue's staff, and unassigned ones of young people
    one of them holds, while the young person still has no guardian recorded."""
    ids = b.ids
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
    rows = b.session.execute(
        select(*PERSON, col(Task.id), col(Task.due), col(Task.note), col(Task.staff_id), holder)
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
        out.append(
            b.item(QueueKind.GUARDIAN_MISSING, (pid, name, cpr), due, detail, who, task_id=tid)
        )
    return out


def _coordinator_missing(b: _Build) -> list[QueueItem]:
    """Open cases held by the queue's staff whose active professionals span two or more
    centers while none of them is the coordinating caseworker. Counted in the database (a
    center's queue holds tens of thousands of cases; only the few that qualify come back)."""
    held = (
        select(col(Assignment.person_id))
        .join(YoungPerson, col(YoungPerson.id) == Assignment.person_id)
        .where(
            col(Assignment.staff_id).in_(b.ids),
            col(Assignment.ended_at).is_(None),
            col(Assignment.holds).is_(True),
            col(YoungPerson.case_open).is_(True),
        )
    )
    active = (
        col(Assignment.person_id).in_(held),
        col(Assignment.ended_at).is_(None),
        col(Assignment.staff_id).is_not(None),
        col(Assignment.kind) != "CONTACT_PERSON",
    )
    cases = (
        select(
            col(Assignment.person_id).label("pid"),
            func.max(col(Assignment.started_at)).label("since"),
            func.max(case((col(Assignment.holds).is_(True), col(Assignment.staff_id)))).label(
                "holder"
            ),
        )
        .where(*active)
        .group_by(col(Assignment.person_id))
        .having(func.count(func.distinct(col(Assignment.center_code))) >= 2)
        .having(func.sum(case((col(Assignment.kind) == "COORDINATOR", 1), else_=0)) == 0)
        .subquery()
    )
    rows = b.session.execute(
        select(*PERSON, cases.c.since, cases.c.holder)
        .join(cases, cases.c.pid == col(YoungPerson.id))
        .order_by(col(YoungPerson.id))
    ).all()
    if not rows:
        return []
    centers: dict[int, set[str]] = {}
    for pid, center in b.session.execute(
        select(col(Assignment.person_id), col(Assignment.center_code))
        .where(*active, col(Assignment.person_id).in_([r[0] for r in rows]))
        .distinct()
    ).all():
        centers.setdefault(pid, set()).add(center)
    out = []
    for pid, name, cpr, since, holder in rows:
        detail = (
            f"Teamsag ({', '.join(sorted(centers.get(pid, ())))}): "
            "udpeg en koordinerende sagsbehandler"
        )
        out.append(
            b.item(
                QueueKind.COORDINATOR_MISSING,
                (pid, name, cpr),
                local(since).date(),
                detail,
                holder,
            )
        )
    return out


_PARTS: list[tuple[set[str], Callable[[_Build], list[QueueItem]]]] = [
    ({QueueKind.AWAITING_FIRST_CONTACT}, _first_contact),
    ({QueueKind.UPCOMING_MEETING, QueueKind.OUTCOME_MISSING}, _meetings),
    ({QueueKind.HANDOVER_OFFERED_TO_ME, QueueKind.HANDOVER_PENDING_FROM_ME}, _handovers),
    (set(TASK_KINDS), _tasks),
    ({QueueKind.GUARDIAN_MISSING}, _guardian_missing),
    ({QueueKind.COORDINATOR_MISSING}, _coordinator_missing),
]


def _handover_kind_da(kind: str) -> str:
    return {
        "COLLEAGUE": "Overdragelse",
        "EXTERNAL": "Overdragelse til ekstern",
        "EDUCATION_START": "Uddannelsesstart",
        "JOB_START": "Jobstart",
        "TURNING_18": "Fylder 18 (CBU → CAI)",
    }.get(kind, kind)
