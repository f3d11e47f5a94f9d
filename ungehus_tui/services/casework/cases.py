"""The case view: one young person's story in time order, and who holds them now.

`case_timeline` reads everything about one case in a handful of queries and is audited as a
view of personal data ("VIEW_CASE").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlmodel import Session, col

from ungehus_tui.data.engine import write_session
from ungehus_tui.data.models import (
    Assignment,
    Consent,
    DeskArrival,
    EducationPlan,
    Handover,
    Intake,
    Meeting,
    Task,
    TriageDecision,
)
from ungehus_tui.domain.clock import local
from ungehus_tui.domain.codes import (
    ArrivalReason,
    AssignmentKind,
    HandoverKind,
    HandoverStatus,
    MeetingKind,
    MeetingStatus,
    Situation,
    TaskKind,
)
from ungehus_tui.domain.cpr import mask
from ungehus_tui.domain.labels import CENTER_NAMES_DA, ROLE_NAMES_DA, label_da, labels_of
from ungehus_tui.services.access import audit
from ungehus_tui.services.access.permissions import Action, require_person_access
from ungehus_tui.services.casework.lookups import age_today, person_or_404, staff_names
from ungehus_tui.services.casework.plans import PlanInput, PlanView, plan_view_in
from ungehus_tui.services.context import Actor, Ctx

KIND_DA = labels_of(AssignmentKind)
MEETING_DA = labels_of(MeetingKind)
STATUS_DA = labels_of(MeetingStatus)
HANDOVER_DA = {code: label.lower() for code, label in labels_of(HandoverKind).items()}
ANSWER_DA = labels_of(HandoverStatus)


@dataclass(frozen=True)
class TimelineEvent:
    at: dt.datetime
    kind: str  # ARRIVAL INTAKE DECISION MEETING ASSIGNMENT HANDOVER CONSENT PLAN TASK
    text_da: str


@dataclass(frozen=True)
class TeamLine:
    assignment_id: int
    staff_id: int | None
    name: str
    kind: str
    center_code: str | None
    holds: bool
    paid_by: str | None

    @property
    def label_da(self) -> str:
        role = KIND_DA.get(self.kind, self.kind)
        center = f", {self.center_code}" if self.center_code else ""
        paid = f", betales af {self.paid_by}" if self.paid_by else ""
        return f"{self.name} ({role}{center}{paid})"


@dataclass(frozen=True)
class OpenItem:
    id: int
    label_da: str
    kind: str | None = None  # a task's kind (TaskKind)


@dataclass(frozen=True)
class PendingOffer:
    id: int
    kind: str
    from_staff_id: int | None
    to_staff_id: int | None
    label_da: str


@dataclass
class CaseView:
    person_id: int
    name: str
    cpr_masked: str
    age: int
    case_open: bool
    holder: TeamLine | None
    team: list[TeamLine]
    events: list[TimelineEvent]
    booked_meetings: list[OpenItem] = field(default_factory=list)
    pending_offer: PendingOffer | None = None
    consents: list[OpenItem] = field(default_factory=list)
    plan_lines: list[str] = field(default_factory=list)
    open_tasks: list[OpenItem] = field(default_factory=list)
    plan_in: PlanInput | None = None  # the current plan to edit (ids and base_version kept)
    plan: PlanView | None = None  # the current plan with each intervention's consent state

    @property
    def holder_da(self) -> str:
        if self.holder is None:
            return "Ingen (sagen er lukket)" if not self.case_open else "INGEN - kontakt leder"
        return self.holder.label_da


def _all(session: Session, model: type, person_id: int) -> list:
    return list(
        session.execute(select(model).where(model.person_id == person_id)).scalars()  # type: ignore[attr-defined]
    )


def case_timeline(ctx: Ctx, actor: Actor, person_id: int) -> CaseView:
    """Everything about one case, oldest first; audited as VIEW_CASE."""
    with write_session(ctx.engine) as session:
        require_person_access(session, actor, person_id, Action.VIEW_CASE)
        view = case_view_in(session, person_id)
        audit.record(session, actor, "VIEW_CASE", person_id=person_id, purpose="sagsbehandling")
        return view


@dataclass
class _CaseRows:
    """Every row of one case, read once, and the names of the staff they mention."""

    arrivals: list[DeskArrival]
    intakes: list[Intake]
    decisions: list[TriageDecision]
    meetings: list[Meeting]
    assignments: list[Assignment]
    handovers: list[Handover]
    consents: list[Consent]
    plans: list[EducationPlan]
    tasks: list[Task]
    names: dict[int, str] = field(default_factory=dict)

    def who(self, staff_id: int | None) -> str:
        return self.names.get(staff_id, "systemet") if staff_id else "systemet"

    def handover_to(self, h: Handover) -> str:
        return (
            self.who(h.to_staff_id)
            if h.to_staff_id
            else f"{h.to_external} ({h.to_external_contact})"
        )


def _case_rows(session: Session, person_id: int) -> _CaseRows:
    intakes: list[Intake] = _all(session, Intake, person_id)
    decisions: list[TriageDecision] = (
        list(
            session.execute(
                select(TriageDecision).where(
                    col(TriageDecision.intake_id).in_([i.id for i in intakes])
                )
            ).scalars()
        )
        if intakes
        else []
    )
    rows = _CaseRows(
        arrivals=_all(session, DeskArrival, person_id),
        intakes=intakes,
        decisions=decisions,
        meetings=_all(session, Meeting, person_id),
        assignments=_all(session, Assignment, person_id),
        handovers=_all(session, Handover, person_id),
        consents=_all(session, Consent, person_id),
        plans=_all(session, EducationPlan, person_id),
        tasks=_all(session, Task, person_id),
    )
    ids = {a.staff_id for a in rows.assignments} | {d.decided_by for d in decisions}
    ids |= {h.from_staff_id for h in rows.handovers} | {h.to_staff_id for h in rows.handovers}
    ids |= {h.responded_by for h in rows.handovers} | {t.staff_id for t in rows.tasks}
    rows.names = staff_names(session, {i for i in ids if i is not None})
    return rows


def _decision_text(rows: _CaseRows, d: TriageDecision) -> str:
    source = f"ændret af {rows.who(d.decided_by)}" if d.source == "OVERRIDE" else "regelmotor"
    text = f"Afgørelse ({source}): centre {d.centers or '-'}, ledende {d.lead_center or '-'}"
    if d.team_meeting:
        text += ", tværfagligt team"
    if d.reason:
        text += f" · begrundelse: {d.reason}"
    return text


def _meeting_text(m: Meeting) -> str:
    text = f"{MEETING_DA.get(m.kind, m.kind)} {local(m.start):%d-%m-%Y %H:%M}: "
    text += STATUS_DA.get(m.status, m.status)
    if m.stu_decision:
        text += f" · STU: {m.stu_decision}"
    if m.outcome_note:
        text += f" · {m.outcome_note}"
    return text


def _desk_events(rows: _CaseRows) -> list[TimelineEvent]:
    """Arrivals, intakes and triage decisions."""
    ev = [
        TimelineEvent(
            a.arrived_at,
            "ARRIVAL",
            f"Fremmøde ved skranken ({label_da(ArrivalReason, a.reason).lower()})",
        )
        for a in rows.arrivals
    ]
    for i in rows.intakes:
        grade = f", {i.grade}. klasse" if i.grade else ""
        situation = label_da(Situation, i.situation).lower()
        ev.append(
            TimelineEvent(i.created_at, "INTAKE", f"Visitation: situation {situation}{grade}")
        )
    ev.extend(
        TimelineEvent(d.decided_at, "DECISION", _decision_text(rows, d)) for d in rows.decisions
    )
    return ev


def _assignment_events(rows: _CaseRows) -> list[TimelineEvent]:
    ev: list[TimelineEvent] = []
    for asg in rows.assignments:
        name = rows.who(asg.staff_id) if asg.staff_id else (asg.external_actor or "ekstern")
        role = KIND_DA.get(asg.kind, asg.kind) + (" · holder den unge" if asg.holds else "")
        center = f", {asg.center_code}" if asg.center_code else ""
        paid = f", betales af {asg.paid_by}" if asg.paid_by else ""
        ev.append(
            TimelineEvent(
                asg.started_at, "ASSIGNMENT", f"Tilknyttet: {name} ({role}{center}{paid})"
            )
        )
        if asg.ended_at:
            ev.append(
                TimelineEvent(
                    asg.ended_at,
                    "ASSIGNMENT",
                    f"Afsluttet: {name} ({asg.end_reason or 'uden begrundelse'})",
                )
            )
    return ev


def _handover_events(rows: _CaseRows) -> list[TimelineEvent]:
    ev: list[TimelineEvent] = []
    for h in rows.handovers:
        to = rows.handover_to(h)
        ev.append(
            TimelineEvent(
                h.offered_at,
                "HANDOVER",
                f"Overdragelse ({HANDOVER_DA.get(h.kind, h.kind)}) tilbudt fra "
                f"{rows.who(h.from_staff_id)} til {to}" + (f": {h.reason}" if h.reason else ""),
            )
        )
        if h.responded_at:
            ev.append(
                TimelineEvent(
                    h.responded_at,
                    "HANDOVER",
                    f"Overdragelse til {to} {ANSWER_DA.get(h.status, h.status)}"
                    + (f": {h.response_reason}" if h.response_reason else ""),
                )
            )
    return ev


def _consent_events(rows: _CaseRows) -> list[TimelineEvent]:
    ev: list[TimelineEvent] = []
    for c in rows.consents:
        ev.append(
            TimelineEvent(c.given_at, "CONSENT", f"Samtykke givet til {c.center_code}: {c.purpose}")
        )
        if c.withdrawn_at:
            ev.append(
                TimelineEvent(
                    c.withdrawn_at, "CONSENT", f"Samtykke til {c.center_code} trukket tilbage"
                )
            )
    return ev


def _plan_and_task_events(rows: _CaseRows) -> list[TimelineEvent]:
    ev = [
        TimelineEvent(p.created_at, "PLAN", f"Uddannelsesplan version {p.version}")
        for p in rows.plans
    ]
    ev.extend(
        TimelineEvent(
            t.created_at,
            "TASK",
            f"Opgave ({label_da(TaskKind, t.kind).lower()}) til {rows.who(t.staff_id)}, frist "
            f"{t.due:%d-%m-%Y}" + (" · udført" if t.done_at else ""),
        )
        for t in rows.tasks
    )
    return ev


def _timeline(rows: _CaseRows) -> list[TimelineEvent]:
    ev = [
        *_desk_events(rows),
        *(TimelineEvent(m.start, "MEETING", _meeting_text(m)) for m in rows.meetings),
        *_assignment_events(rows),
        *_handover_events(rows),
        *_consent_events(rows),
        *_plan_and_task_events(rows),
    ]
    ev.sort(key=lambda e: (e.at, e.kind))
    return ev


def _team(rows: _CaseRows) -> list[TeamLine]:
    """The open assignments, the one who holds the young person first."""
    return [
        TeamLine(
            a.id or 0,
            a.staff_id,
            rows.who(a.staff_id) if a.staff_id else (a.external_actor or ""),
            a.kind,
            a.center_code,
            a.holds,
            a.paid_by,
        )
        for a in sorted(rows.assignments, key=lambda a: (not a.holds, a.id or 0))
        if a.ended_at is None
    ]


def _pending_offer(rows: _CaseRows) -> PendingOffer | None:
    pending = next((h for h in rows.handovers if h.status == "OFFERED"), None)
    if pending is None or pending.id is None:
        return None
    return PendingOffer(
        pending.id,
        pending.kind,
        pending.from_staff_id,
        pending.to_staff_id,
        f"{HANDOVER_DA.get(pending.kind, pending.kind)}: {rows.who(pending.from_staff_id)} → "
        f"{rows.handover_to(pending)}",
    )


def _plan_lines(plan_view: PlanView | None) -> list[str]:
    if plan_view is None:
        return []
    return [
        f"Version {plan_view.version}",
        f"Kort sigt: {plan_view.short_term_goals or '-'}",
        f"Langt sigt: {plan_view.long_term_goals or '-'}",
        *(item.line_da() for item in plan_view.interventions),
    ]


def case_view_in(session: Session, person_id: int) -> CaseView:
    person = person_or_404(session, person_id)
    rows = _case_rows(session, person_id)
    team = _team(rows)
    plan_view = plan_view_in(session, person_id)
    return CaseView(
        person_id=person_id,
        name=person.name,
        cpr_masked=mask(person.cpr),
        age=age_today(person),
        case_open=person.case_open,
        holder=next((t for t in team if t.holds), None),
        team=team,
        events=_timeline(rows),
        booked_meetings=[
            OpenItem(m.id or 0, f"{MEETING_DA.get(m.kind, m.kind)} {local(m.start):%d-%m-%Y %H:%M}")
            for m in sorted(rows.meetings, key=lambda m: m.start)
            if m.status == "BOOKED"
        ],
        pending_offer=_pending_offer(rows),
        consents=[
            OpenItem(c.id or 0, f"{c.center_code}: {c.purpose} ({local(c.given_at):%d-%m-%Y})")
            for c in rows.consents
            if c.withdrawn_at is None
        ],
        plan_lines=_plan_lines(plan_view),
        plan_in=plan_view.as_in() if plan_view is not None else None,
        plan=plan_view,
        open_tasks=[
            OpenItem(
                t.id or 0,
                f"{label_da(TaskKind, t.kind)}, frist {t.due:%d-%m-%Y}: {t.note or ''}",
                t.kind,
            )
            for t in rows.tasks
            if t.done_at is None
        ],
    )


@dataclass(frozen=True)
class StaffChoice:
    id: int
    name: str
    center_code: str | None
    contact_role: str | None

    @property
    def label_da(self) -> str:
        role = ROLE_NAMES_DA.get(self.contact_role or "", "")
        return f"{self.name} ({self.center_code or '-'}{', ' + role if role else ''})"


def counsellors(ctx: Ctx) -> list[StaffChoice]:
    """Active counsellors and caseworkers (for handover, coordinator and contact person)."""
    from sqlmodel import Session as _S

    from ungehus_tui.data.models import Staff

    with _S(ctx.engine) as session:
        rows = session.execute(
            select(Staff)
            .where(col(Staff.role) == "COUNSELLOR", col(Staff.active).is_(True))
            .order_by(col(Staff.center_code), col(Staff.name))
        ).scalars()
        return [StaffChoice(s.id or 0, s.name, s.center_code, s.contact_role) for s in rows]


__all__ = ["CENTER_NAMES_DA", "ROLE_NAMES_DA", "CaseView", "case_timeline"]
