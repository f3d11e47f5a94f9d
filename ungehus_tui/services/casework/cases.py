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


def case_view_in(session: Session, person_id: int) -> CaseView:
    person = person_or_404(session, person_id)
    arrivals: list[DeskArrival] = _all(session, DeskArrival, person_id)
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
    meetings: list[Meeting] = _all(session, Meeting, person_id)
    assignments: list[Assignment] = _all(session, Assignment, person_id)
    handovers: list[Handover] = _all(session, Handover, person_id)
    consents: list[Consent] = _all(session, Consent, person_id)
    plans: list[EducationPlan] = _all(session, EducationPlan, person_id)
    tasks: list[Task] = _all(session, Task, person_id)
    ids = {a.staff_id for a in assignments} | {d.decided_by for d in decisions}
    ids |= {h.from_staff_id for h in handovers} | {h.to_staff_id for h in handovers}
    ids |= {h.responded_by for h in handovers} | {t.staff_id for t in tasks}
    names = staff_names(session, {i for i in ids if i is not None})

    def who(staff_id: int | None) -> str:
        return names.get(staff_id, "systemet") if staff_id else "systemet"

    ev: list[TimelineEvent] = []
    add = ev.append
    for a in arrivals:
        add(
            TimelineEvent(
                a.arrived_at,
                "ARRIVAL",
                f"Fremmøde ved skranken ({label_da(ArrivalReason, a.reason).lower()})",
            )
        )
    for i in intakes:
        grade = f", {i.grade}. klasse" if i.grade else ""
        add(
            TimelineEvent(
                i.created_at,
                "INTAKE",
                f"Visitation: situation {label_da(Situation, i.situation).lower()}{grade}",
            )
        )
    for d in decisions:
        source = f"ændret af {who(d.decided_by)}" if d.source == "OVERRIDE" else "regelmotor"
        text = f"Afgørelse ({source}): centre {d.centers or '-'}, ledende {d.lead_center or '-'}"
        if d.team_meeting:
            text += ", tværfagligt team"
        if d.reason:
            text += f" · begrundelse: {d.reason}"
        add(TimelineEvent(d.decided_at, "DECISION", text))
    for m in meetings:
        text = f"{MEETING_DA.get(m.kind, m.kind)} {local(m.start):%d-%m-%Y %H:%M}: "
        text += STATUS_DA.get(m.status, m.status)
        if m.stu_decision:
            text += f" · STU: {m.stu_decision}"
        if m.outcome_note:
            text += f" · {m.outcome_note}"
        add(TimelineEvent(m.start, "MEETING", text))
    for asg in assignments:
        name = who(asg.staff_id) if asg.staff_id else (asg.external_actor or "ekstern")
        role = KIND_DA.get(asg.kind, asg.kind) + (" · holder den unge" if asg.holds else "")
        center = f", {asg.center_code}" if asg.center_code else ""
        paid = f", betales af {asg.paid_by}" if asg.paid_by else ""
        add(
            TimelineEvent(
                asg.started_at, "ASSIGNMENT", f"Tilknyttet: {name} ({role}{center}{paid})"
            )
        )
        if asg.ended_at:
            add(
                TimelineEvent(
                    asg.ended_at,
                    "ASSIGNMENT",
                    f"Afsluttet: {name} ({asg.end_reason or 'uden begrundelse'})",
                )
            )
    for h in handovers:
        to = who(h.to_staff_id) if h.to_staff_id else f"{h.to_external} ({h.to_external_contact})"
        add(
            TimelineEvent(
                h.offered_at,
                "HANDOVER",
                f"Overdragelse ({HANDOVER_DA.get(h.kind, h.kind)}) tilbudt fra "
                f"{who(h.from_staff_id)} til {to}" + (f": {h.reason}" if h.reason else ""),
            )
        )
        if h.responded_at:
            add(
                TimelineEvent(
                    h.responded_at,
                    "HANDOVER",
                    f"Overdragelse til {to} {ANSWER_DA.get(h.status, h.status)}"
                    + (f": {h.response_reason}" if h.response_reason else ""),
                )
            )
    for c in consents:
        add(
            TimelineEvent(c.given_at, "CONSENT", f"Samtykke givet til {c.center_code}: {c.purpose}")
        )
        if c.withdrawn_at:
            add(
                TimelineEvent(
                    c.withdrawn_at, "CONSENT", f"Samtykke til {c.center_code} trukket tilbage"
                )
            )
    for p in plans:
        add(TimelineEvent(p.created_at, "PLAN", f"Uddannelsesplan version {p.version}"))
    for t in tasks:
        add(
            TimelineEvent(
                t.created_at,
                "TASK",
                f"Opgave ({label_da(TaskKind, t.kind).lower()}) til {who(t.staff_id)}, frist "
                f"{t.due:%d-%m-%Y}" + (" · udført" if t.done_at else ""),
            )
        )
    ev.sort(key=lambda e: (e.at, e.kind))

    team = [
        TeamLine(
            a.id or 0,
            a.staff_id,
            who(a.staff_id) if a.staff_id else (a.external_actor or ""),
            a.kind,
            a.center_code,
            a.holds,
            a.paid_by,
        )
        for a in sorted(assignments, key=lambda a: (not a.holds, a.id or 0))
        if a.ended_at is None
    ]
    holder = next((t for t in team if t.holds), None)
    pending = next((h for h in handovers if h.status == "OFFERED"), None)
    offer = None
    if pending is not None and pending.id is not None:
        to = (
            who(pending.to_staff_id)
            if pending.to_staff_id
            else f"{pending.to_external} ({pending.to_external_contact})"
        )
        offer = PendingOffer(
            pending.id,
            pending.kind,
            pending.from_staff_id,
            pending.to_staff_id,
            f"{HANDOVER_DA.get(pending.kind, pending.kind)}: {who(pending.from_staff_id)} → {to}",
        )
    plan_view = plan_view_in(session, person_id)
    plan_lines: list[str] = []
    plan_in = None
    if plan_view is not None:
        plan_in = plan_view.as_in()
        plan_lines.append(f"Version {plan_view.version}")
        plan_lines.append(f"Kort sigt: {plan_view.short_term_goals or '-'}")
        plan_lines.append(f"Langt sigt: {plan_view.long_term_goals or '-'}")
        plan_lines.extend(item.line_da() for item in plan_view.interventions)
    return CaseView(
        person_id=person_id,
        name=person.name,
        cpr_masked=mask(person.cpr),
        age=age_today(person),
        case_open=person.case_open,
        holder=holder,
        team=team,
        events=ev,
        booked_meetings=[
            OpenItem(m.id or 0, f"{MEETING_DA.get(m.kind, m.kind)} {local(m.start):%d-%m-%Y %H:%M}")
            for m in sorted(meetings, key=lambda m: m.start)
            if m.status == "BOOKED"
        ],
        pending_offer=offer,
        consents=[
            OpenItem(c.id or 0, f"{c.center_code}: {c.purpose} ({local(c.given_at):%d-%m-%Y})")
            for c in consents
            if c.withdrawn_at is None
        ],
        plan_lines=plan_lines,
        plan_in=plan_in,
        plan=plan_view,
        open_tasks=[
            OpenItem(
                t.id or 0,
                f"{label_da(TaskKind, t.kind)}, frist {t.due:%d-%m-%Y}: {t.note or ''}",
                t.kind,
            )
            for t in tasks
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
