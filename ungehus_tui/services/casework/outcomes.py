"""Meeting outcomes, contact persons and tasks.

`record_outcome`: HELD, NO_SHOW or CANCELLED. A no-show creates an OUTREACH task for the holder
due in `settings.outreach_due_working_days` working days. A first TEAM_MEETING cannot be held
without a coordinating caseworker (org. f: appointed at the latest at this meeting): an active
COORDINATOR assignment, or one appointed in the same call (the appointed coordinator then holds
the young person: the team agreed it at the meeting). A held meeting may also appoint a contact
person (from 8th grade; who pays is required), record the team's STU decision and the agreed
plan (a new plan version tied to the meeting).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session, col

from ungehus_tui.data.engine import write_session
from ungehus_tui.data.models import Assignment, Meeting, Task, YoungPerson
from ungehus_tui.data.org import work_calendar
from ungehus_tui.domain.clock import now, today
from ungehus_tui.domain.codes import (
    AssignmentKind,
    ContactPersonKind,
    MeetingKind,
    MeetingStatus,
    TaskKind,
)
from ungehus_tui.domain.text import control_message
from ungehus_tui.services.access import audit
from ungehus_tui.services.access.permissions import Action, require, require_person_access
from ungehus_tui.services.casework.assignments import (
    active_assignments,
    check_holder_invariant,
    holder_of,
)
from ungehus_tui.services.casework.lookups import (
    active_counsellor,
    age_today,
    end_assignment,
    latest_intake,
    new_assignment,
    person_or_404,
)
from ungehus_tui.services.casework.plans import PlanInput, save_plan_in
from ungehus_tui.services.context import Actor, Ctx
from ungehus_tui.services.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    ValidationFailed,
    require_plain,
)

CONTACT_PERSON_MIN_GRADE = 8  # org. f: a contact person is possible from 8th grade
REESTABLISH_MAX_AGE = 24  # org. f: re-established on drop-out or unemployment before 25
REESTABLISH_REASONS = {"DROP_OUT": "Frafald fra uddannelse", "UNEMPLOYED": "Ledighed"}


@dataclass(frozen=True)
class ContactPersonInput:
    """A contact person (org. f): a staff member (`staff_id`; a municipal employee whose
    competence the municipality vouches for), or a person outside the staff register named
    here: a municipal employee, an employee of a municipal enterprise or an adult outside the
    municipality (`kind`), with name, organisation and phone and the common competence
    requirements confirmed. Who pays is agreed by the team (`paid_by`, required)."""

    staff_id: int | None
    paid_by: str
    kind: str = ContactPersonKind.MUNICIPAL
    name: str | None = None
    organisation: str | None = None
    phone: str | None = None
    competence_confirmed: bool = False
    agreed_until: dt.date | None = None  # an agreement to go on after 25 (its end date)


def _clean(value: str | None, limit: int) -> str:
    return " ".join((value or "").split())[:limit]


def _contact_person_errors(
    session: Session, person: YoungPerson, cp: ContactPersonInput
) -> dict[str, str]:
    errors: dict[str, str] = {}
    for key, label, value in (
        ("paid_by", "Hvem der betaler", cp.paid_by),
        ("name", "Navnet", cp.name),
        ("organisation", "Organisationen", cp.organisation),
        ("phone", "Telefonnummeret", cp.phone),
    ):
        control = control_message(value, label)
        if control:
            errors[key] = control
    if not _clean(cp.paid_by, 120):
        errors.setdefault("paid_by", "Notér hvem der betaler kontaktpersonen")
    if cp.kind not in {k.value for k in ContactPersonKind}:
        errors["kind"] = "Vælg kommunalt ansat, ansat i en kommunal virksomhed eller ekstern voksen"
    if cp.staff_id is None:
        for key, value, what in (
            ("name", cp.name, "navnet"),
            ("organisation", cp.organisation, "organisationen"),
            ("phone", cp.phone, "telefonnummeret"),
        ):
            if not _clean(value, 200):
                errors.setdefault(key, f"Skriv {what} på kontaktpersonen")
        if not cp.competence_confirmed:
            errors["competence_confirmed"] = (
                "Bekræft at kontaktpersonen opfylder de fælles kompetencekrav"
            )
    elif cp.kind != ContactPersonKind.MUNICIPAL:
        errors["kind"] = "En medarbejder i systemet er kommunalt ansat"
    intake = latest_intake(session, person.id or 0)
    if (
        intake is not None
        and intake.situation == "grundskole"
        and intake.grade is not None
        and intake.grade < CONTACT_PERSON_MIN_GRADE
    ) or age_today(person) < 14:
        errors["contact_person"] = "Kontaktperson kan først udpeges fra 8. klasse"
    if age_today(person) > REESTABLISH_MAX_AGE:
        _agreement_error(errors, person, cp.agreed_until)
    return errors


def _agreement_error(errors: dict[str, str], person: YoungPerson, until: dt.date | None) -> None:
    """After 25 only by a recorded agreement with an end date (org. f)."""
    if until is None:
        errors["agreed_until"] = (
            "Den unge er fyldt 25: kontaktpersonen fortsætter kun efter aftale med en slutdato"
        )
    elif until <= today():
        errors["agreed_until"] = "Aftalens slutdato skal ligge efter i dag"


def appoint_contact_person_in(
    session: Session, actor: Actor, person_id: int, cp: ContactPersonInput
) -> Assignment:
    person = person_or_404(session, person_id)
    errors = _contact_person_errors(session, person, cp)
    if errors:
        raise ValidationFailed(errors)
    staff = active_counsellor(session, cp.staff_id) if cp.staff_id is not None else None
    if any(a.kind == AssignmentKind.CONTACT_PERSON for a in active_assignments(session, person_id)):
        raise Conflict("Den unge har allerede en kontaktperson")
    row = new_assignment(
        session,
        actor,
        person_id,
        kind=AssignmentKind.CONTACT_PERSON,
        holds=False,
        staff=staff,
        paid_by=_clean(cp.paid_by, 120),
    )
    row.contact_role = "KONTAKTPERSON"
    row.contact_kind = str(cp.kind)
    row.competence_confirmed = True if staff is not None else cp.competence_confirmed
    row.agreed_until = cp.agreed_until
    if staff is None:
        row.contact_name = _clean(cp.name, 200)
        row.contact_org = _clean(cp.organisation, 200)
        row.contact_phone = _clean(cp.phone, 40)
        row.external_actor = f"{row.contact_name} ({row.contact_org})"[:200]
    session.flush()
    audit.record(session, actor, "CONTACT_PERSON", person_id=person_id, detail=str(cp.kind))
    return row


def _active_contact_person(session: Session, person_id: int) -> Assignment:
    row = next(
        (
            a
            for a in active_assignments(session, person_id)
            if a.kind == AssignmentKind.CONTACT_PERSON
        ),
        None,
    )
    if row is None:
        raise Conflict("Den unge har ingen kontaktperson")
    return row


def _contact_person_access(session: Session, actor: Actor, person_id: int) -> YoungPerson:
    """Whoever works with the young person (also the contact person after the case closed)."""
    require_person_access(session, actor, person_id, Action.RECORD_OUTCOME)
    return person_or_404(session, person_id)


def end_contact_person(ctx: Ctx, actor: Actor, person_id: int, judgement: str) -> Assignment:
    """End the contact person by a recorded anchoring judgement: the young person is anchored
    in a youth education or a steady job (org. f) -- a judgement, not the first day there.
    Closes the contact person's open CONTACT_PERSON_END tasks."""
    require_plain("judgement", "Vurderingen", judgement)
    text = _clean(judgement, 180)
    if not text:
        raise ValidationFailed({"judgement": "Skriv vurderingen af at den unge er forankret"})
    with write_session(ctx.engine) as session:
        _contact_person_access(session, actor, person_id)
        row = _active_contact_person(session, person_id)
        end_assignment(row, f"Forankret: {text}", session)
        stamp = now()
        for task in session.execute(
            select(Task).where(
                col(Task.person_id) == person_id,
                col(Task.kind) == TaskKind.CONTACT_PERSON_END,
                col(Task.done_at).is_(None),
            )
        ).scalars():
            task.done_at = stamp
            task.updated_at = stamp
            session.add(task)
        session.flush()
        audit.record(session, actor, "CONTACT_PERSON_END", person_id=person_id)
        check_holder_invariant(session, person_id)
        return row


def agree_continuation(
    ctx: Ctx, actor: Actor, person_id: int, until: dt.date, note: str | None = None
) -> Assignment:
    """Record the agreement that the contact person goes on after the young person's 25th
    birthday, until `until` (org. f)."""
    require_plain("note", "Notatet", note)
    with write_session(ctx.engine) as session:
        person = _contact_person_access(session, actor, person_id)
        row = _active_contact_person(session, person_id)
        errors: dict[str, str] = {}
        _agreement_error(errors, person, until)
        born_25 = _years_after(person.birth_date, REESTABLISH_MAX_AGE + 1)
        if not errors and until <= born_25:
            errors["agreed_until"] = "Aftalen gælder efter den unges 25-års fødselsdag"
        if errors:
            raise ValidationFailed(errors)
        row.agreed_until = until
        row.updated_at = now()
        session.add(row)
        session.flush()
        audit.record(
            session, actor, "CONTACT_PERSON_AGREEMENT", person_id=person_id, detail=str(until)
        )
        return row


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _appoint_coordinator(session: Session, actor: Actor, person_id: int, staff_id: int) -> None:
    staff = active_counsellor(session, staff_id)
    current = active_assignments(session, person_id)
    holder = next((a for a in current if a.holds), None)
    mine = next(
        (a for a in current if a.staff_id == staff_id and a.kind != AssignmentKind.CONTACT_PERSON),
        None,
    )
    if mine is None:
        mine = new_assignment(
            session, actor, person_id, kind=AssignmentKind.COORDINATOR, holds=False, staff=staff
        )
    if holder is not None and holder is not mine:
        holder.holds = False
        if holder.kind == AssignmentKind.COORDINATOR:
            holder.kind = AssignmentKind.CONTACT
        session.add(holder)
    mine.kind = AssignmentKind.COORDINATOR
    mine.holds = True
    mine.updated_at = now()
    session.add(mine)
    session.flush()


def _require_coordinator(session: Session, meeting: Meeting) -> None:
    """A team meeting is held with a coordinating caseworker: the first one always (org. f:
    appointed at the latest there), a later one when the case is a team case (two or more
    centers, e.g. after `teams.add_center`)."""
    from ungehus_tui.services.casework.teams import coordinator_of, team_centers

    if meeting.kind != MeetingKind.TEAM_MEETING:
        return
    person_id = meeting.person_id
    if not meeting.is_first and len(team_centers(session, person_id)) < 2:
        return
    if coordinator_of(session, person_id) is None:
        raise ValidationFailed(
            {
                "coordinator": "Teammødet kan ikke registreres som holdt uden en "
                "koordinerende sagsbehandler: udpeg en"
            }
        )


def appoint_coordinator(ctx: Ctx, actor: Actor, person_id: int, staff_id: int) -> Assignment:
    """Appoint the coordinating caseworker outside a meeting (the team agreed it); they then
    hold the young person (the previous holder stays on the team)."""
    with write_session(ctx.engine) as session:
        require_person_access(session, actor, person_id, Action.RECORD_OUTCOME)
        if not person_or_404(session, person_id).case_open:
            raise Conflict("Sagen er lukket")
        _appoint_coordinator(session, actor, person_id, staff_id)
        audit.record(session, actor, "COORDINATOR", person_id=person_id)
        check_holder_invariant(session, person_id)
        holder = holder_of(session, person_id)
        assert holder is not None
        return holder


def _outcome_errors(
    meeting: Meeting, status: str, note: str | None, stu_decision: str | None, extras: bool
) -> dict[str, str]:
    """The Danish errors of an outcome; `extras`: a coordinator, contact person, STU decision
    or plan came with it (they belong to a held meeting)."""
    errors: dict[str, str] = {}
    if status not in (MeetingStatus.HELD, MeetingStatus.NO_SHOW, MeetingStatus.CANCELLED):
        errors["status"] = "Vælg holdt, udeblevet eller aflyst"
    elif status != MeetingStatus.CANCELLED and meeting.start > now():
        errors["status"] = "Mødet er ikke begyndt endnu: det kan kun aflyses"
    elif status != MeetingStatus.HELD and extras:
        errors["status"] = "Koordinator, kontaktperson, STU og plan hører til et holdt møde"
    stu = _stu_text(stu_decision)
    if stu and len(stu) > 200:
        errors["stu_decision"] = "Højst 200 tegn"
    for key, label, value, multiline in (
        ("note", "Notatet", note, True),
        ("stu_decision", "STU-beslutningen", stu_decision, False),
    ):
        control = control_message(value, label, multiline=multiline)
        if control:
            errors[key] = control
    return errors


def _stu_text(stu_decision: str | None) -> str | None:
    return " ".join((stu_decision or "").split()) or None


def _booked_meeting(session: Session, actor: Actor, meeting_id: int) -> Meeting:
    """The meeting, locked, that the actor may record an outcome for and that has none yet."""
    meeting = session.get(Meeting, meeting_id, with_for_update=True)
    if meeting is None:
        raise NotFound("Mødet findes ikke")
    require_person_access(session, actor, meeting.person_id, Action.RECORD_OUTCOME)
    person_or_404(session, meeting.person_id)
    if meeting.status != MeetingStatus.BOOKED:
        raise Conflict("Mødets udfald er allerede registreret")
    return meeting


def _held(
    session: Session,
    actor: Actor,
    meeting: Meeting,
    coordinator_staff_id: int | None,
    contact_person: ContactPersonInput | None,
    plan: PlanInput | None,
) -> None:
    """What a held meeting may decide: the coordinator (required at a team meeting), a
    contact person and the agreed plan."""
    person_id = meeting.person_id
    if coordinator_staff_id is not None:
        _appoint_coordinator(session, actor, person_id, coordinator_staff_id)
    _require_coordinator(session, meeting)
    if contact_person is not None:
        appoint_contact_person_in(session, actor, person_id, contact_person)
    if plan is not None:
        save_plan_in(session, actor, person_id, plan, meeting_id=meeting.id)


def _outreach_task(session: Session, ctx: Ctx, actor: Actor, meeting: Meeting) -> None:
    """A no-show: the holder (or the actor) seeks the young person out."""
    holder = holder_of(session, meeting.person_id)
    cal = work_calendar(session)
    session.add(
        Task(
            person_id=meeting.person_id,
            kind=TaskKind.OUTREACH,
            staff_id=holder.staff_id if holder and holder.staff_id else actor.id,
            meeting_id=meeting.id,
            due=cal.add_working_days(today(), ctx.settings.outreach_due_working_days),
            note="Udeblev fra mødet: opsøg den unge",
            created_by=actor.id,
        )
    )


def record_outcome(
    ctx: Ctx,
    actor: Actor,
    meeting_id: int,
    status: str,
    note: str | None = None,
    *,
    coordinator_staff_id: int | None = None,
    contact_person: ContactPersonInput | None = None,
    stu_decision: str | None = None,
    plan: PlanInput | None = None,
) -> Meeting:
    """Record what happened at a booked meeting (see the module text for the rules)."""
    extras = bool(coordinator_staff_id or contact_person or stu_decision or plan)
    with write_session(ctx.engine) as session:
        meeting = _booked_meeting(session, actor, meeting_id)
        person_id = meeting.person_id
        errors = _outcome_errors(meeting, status, note, stu_decision, extras)
        if errors:
            raise ValidationFailed(errors)
        if not person_or_404(session, person_id).case_open and status != MeetingStatus.CANCELLED:
            raise Conflict("Sagen er lukket")
        if status == MeetingStatus.HELD:
            _held(session, actor, meeting, coordinator_staff_id, contact_person, plan)
            meeting.stu_decision = _stu_text(stu_decision)
        if status == MeetingStatus.NO_SHOW:
            _outreach_task(session, ctx, actor, meeting)
        stamp = now()
        meeting.status = status
        meeting.outcome_note = (note or "").strip() or None
        meeting.outcome_by = actor.id
        meeting.outcome_at = stamp
        meeting.updated_at = stamp
        session.add(meeting)
        session.flush()
        audit.record(session, actor, "RECORD_OUTCOME", person_id=person_id, detail=status)
        check_holder_invariant(session, person_id)
        return meeting


def appoint_contact_person(
    ctx: Ctx, actor: Actor, person_id: int, cp: ContactPersonInput
) -> Assignment:
    """Appoint a contact person outside a meeting (the holder's decision)."""
    with write_session(ctx.engine) as session:
        require_person_access(session, actor, person_id, Action.RECORD_OUTCOME)
        row = appoint_contact_person_in(session, actor, person_id, cp)
        check_holder_invariant(session, person_id)
        return row


def reestablish_contact_person(
    ctx: Ctx, actor: Actor, person_id: int, cp: ContactPersonInput, reason: str
) -> Assignment:
    """Drop-out or unemployment before 25: a contact person again (org. f). A closed case is
    reopened with the acting counsellor as holder (the outside actor's hold ends)."""
    require(actor, Action.RECORD_OUTCOME)
    if reason not in REESTABLISH_REASONS:
        raise ValidationFailed({"reason": "Vælg frafald eller ledighed"})
    with write_session(ctx.engine) as session:
        person = person_or_404(session, person_id)
        if age_today(person) > REESTABLISH_MAX_AGE:
            raise ValidationFailed(
                {"reason": "Kontaktperson kan kun genetableres før den unge fylder 25"}
            )
        if person.case_open:
            require_person_access(session, actor, person_id, Action.RECORD_OUTCOME)
        else:
            known = session.execute(
                select(col(Assignment.id)).where(
                    col(Assignment.person_id) == person_id, col(Assignment.staff_id) == actor.id
                )
            ).first()
            if known is None:
                raise PermissionDenied("Du har ikke haft den unges sag")
            me = active_counsellor(session, actor.id)
            for a in active_assignments(session, person_id):
                end_assignment(a, REESTABLISH_REASONS[reason], session)
            new_assignment(
                session, actor, person_id, kind=AssignmentKind.CONTACT, holds=True, staff=me
            )
            person.case_open = True
            person.updated_at = now()
            session.add(person)
            session.flush()
            audit.record(session, actor, "CASE_REOPEN", person_id=person_id, detail=reason)
        row = appoint_contact_person_in(session, actor, person_id, cp)
        check_holder_invariant(session, person_id)
        return row


def complete_task(ctx: Ctx, actor: Actor, task_id: int, note: str | None = None) -> Task:
    """Mark a task in the queue done: outreach, contact person ending, a drop-out contact
    (recording the contact), an activity offer (recording the offer: `note` says which
    activity, required), a refused handover acted on, a plan revision."""
    require_plain("note", "Notatet", note)
    with write_session(ctx.engine) as session:
        task = session.get(Task, task_id, with_for_update=True)
        if task is None:
            raise NotFound("Opgaven findes ikke")
        require_person_access(session, actor, task.person_id, Action.RECORD_OUTCOME)
        if task.done_at is not None:
            raise Conflict("Opgaven er allerede udført")
        if task.kind == TaskKind.ACTIVITY_OFFER and not (note or "").strip():
            raise ValidationFailed({"note": "Skriv hvilken aktivitet den unge er tilbudt"})
        task.done_at = now()
        task.updated_at = task.done_at
        if note and note.strip():
            task.note = f"{task.note or ''} · {note.strip()}"[:500]
        session.add(task)
        session.flush()
        audit.record(session, actor, "TASK_DONE", person_id=task.person_id, detail=task.kind)
        check_holder_invariant(session, task.person_id)
        return task
