"""Retention (slettefrist): young people with no activity for `settings.retention_months`
are anonymised in place, so statistics survive.

Activity is the newest of: the young person's own row (created/changed), intakes, triage
decisions, meetings (start or change), desk arrivals, assignments, handovers, consents,
plans and tasks. Young people whose case is open (an active assignment, kædeansvar) are never
anonymised: someone still holds them.

Anonymising keeps the row and its ids (intakes, decisions, meetings, assignments stay and
count by center, rule, month); it removes what identifies the person:
- CPR -> 'ANON' + the id zero-padded (10 characters, still unique, never a valid CPR);
- birth date -> 1 July of the birth year (age bands stay computable within a year);
- name -> 'Anonymiseret'; phone, e-mail, guardian cleared; name tokens deleted;
- free text that may name people: meeting outcome notes, plan goals and interventions,
  handover reasons, arrival and task notes, non-staff meeting participants (name, e-mail);
- `anonymised_at` set; one RETENTION_ANONYMISE audit event per person.
Audit events older than `audit_retention_months` are pruned (`prune_audit`, below) with a
chain checkpoint; within that window the log, search terms included, stays as logged.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, func, select, union_all, update
from sqlmodel import Session, col

from ungehus_tui.data.engine import read_session, write_session
from ungehus_tui.data.models import (
    Assignment,
    AuditEvent,
    Consent,
    DeskArrival,
    EducationPlan,
    Handover,
    Intake,
    Meeting,
    MeetingParticipant,
    PersonNameToken,
    PlanIntervention,
    Task,
    TriageDecision,
    YoungPerson,
)
from ungehus_tui.domain.clock import now, stored
from ungehus_tui.services.access import audit
from ungehus_tui.services.access.permissions import Action, require
from ungehus_tui.services.context import Actor, Ctx
from ungehus_tui.services.errors import ValidationFailed

ANON_NAME = "Anonymiseret"
MIN_RETENTION_MONTHS = 6


def retention_months(ctx: Ctx) -> int:
    """The configured deadline, refused below MIN_RETENTION_MONTHS (0 once anonymised a third
    of a database): a ValidationFailed before anything is read or changed."""
    months = ctx.settings.retention_months
    if not isinstance(months, int) or months < MIN_RETENTION_MONTHS:
        raise ValidationFailed(
            {
                "retention_months": f"Slettefristen skal være mindst {MIN_RETENTION_MONTHS} "
                "måneder (retention_months)"
            }
        )
    return months


@dataclass(frozen=True)
class Candidate:
    person_id: int
    last_activity: dt.datetime


def anon_cpr(person_id: int) -> str:
    return f"ANON{person_id:06d}" if person_id < 1_000_000 else f"A{person_id:09d}"


def _activity():
    """(person_id, at) rows of every kind of activity."""
    yp = YoungPerson
    parts = [
        select(col(yp.id).label("pid"), col(yp.updated_at).label("at")),
        select(col(Intake.person_id), col(Intake.updated_at)),
        select(col(Intake.person_id), col(TriageDecision.updated_at)).join(
            TriageDecision,
            col(TriageDecision.intake_id) == col(Intake.id),
        ),
        select(col(Meeting.person_id), col(Meeting.updated_at)),
        select(col(Meeting.person_id), col(Meeting.start)),
        select(col(DeskArrival.person_id), col(DeskArrival.updated_at)),
        select(col(Assignment.person_id), col(Assignment.updated_at)),
        select(col(Handover.person_id), col(Handover.updated_at)),
        select(col(Consent.person_id), col(Consent.updated_at)),
        select(col(EducationPlan.person_id), col(EducationPlan.updated_at)),
        select(col(Task.person_id), col(Task.updated_at)),
    ]
    return union_all(*parts).subquery()


def months_before(moment: dt.datetime, months: int) -> dt.datetime:
    """The same day `months` calendar months earlier (clamped to the month's end)."""
    total = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    for day in range(moment.day, 27, -1):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    return moment.replace(year=year, month=month, day=min(moment.day, 28))


def candidates_in(
    session: Session, months: int, *, at: dt.datetime | None = None
) -> list[Candidate]:
    cutoff = months_before(at or now(), months)
    act = _activity()
    active_case = select(col(Assignment.person_id)).where(col(Assignment.ended_at).is_(None))
    stmt = (
        select(act.c.pid, func.max(act.c.at).label("last"))
        .join(YoungPerson, col(YoungPerson.id) == act.c.pid)
        .where(
            col(YoungPerson.anonymised_at).is_(None),
            col(YoungPerson.case_open) == False,  # noqa: E712
            act.c.pid.not_in(active_case),
        )
        .group_by(act.c.pid)
        .order_by(act.c.pid)
    )
    out: list[Candidate] = []
    for pid, last in session.execute(stmt):
        if isinstance(last, str):  # SQLite UNION loses the column type
            last = dt.datetime.fromisoformat(last)
        last = stored(last)
        if last < cutoff:
            out.append(Candidate(pid, last))
    return out


def candidates(ctx: Ctx, actor: Actor) -> list[Candidate]:
    """The dry run: who would be anonymised now (audited as a listing)."""
    require(actor, Action.RETENTION)
    months = retention_months(ctx)
    with read_session(ctx.engine) as session:
        found = candidates_in(session, months)
    with write_session(ctx.engine) as session:
        audit.record(session, actor, "RETENTION_LIST", detail=f"candidates={len(found)}")
    return found


def anonymise_in(session: Session, actor: Actor, person_id: int) -> None:
    require(actor, Action.RETENTION)
    person = session.get(YoungPerson, person_id)
    if person is None or person.anonymised_at is not None:
        return
    stamp = now()
    person.cpr = anon_cpr(person_id)
    person.birth_date = dt.date(person.birth_date.year, 7, 1)
    person.name = ANON_NAME
    person.name_folded = ANON_NAME.lower()
    person.phone = person.email = person.guardian_name = person.guardian_phone = None
    person.anonymised_at = stamp
    person.updated_at = stamp
    session.add(person)
    session.execute(delete(PersonNameToken).where(col(PersonNameToken.person_id) == person_id))
    meeting_ids = select(col(Meeting.id)).where(col(Meeting.person_id) == person_id)
    session.execute(
        update(Meeting).where(col(Meeting.person_id) == person_id).values(outcome_note=None)
    )
    session.execute(
        update(MeetingParticipant)
        .where(
            col(MeetingParticipant.meeting_id).in_(meeting_ids),
            col(MeetingParticipant.staff_id).is_(None),
        )
        .values(name=ANON_NAME, email=None)
    )
    plan_ids = select(col(EducationPlan.id)).where(col(EducationPlan.person_id) == person_id)
    session.execute(
        update(EducationPlan)
        .where(col(EducationPlan.person_id) == person_id)
        .values(short_term_goals="", long_term_goals="")
    )
    session.execute(
        update(PlanIntervention)
        .where(col(PlanIntervention.plan_id).in_(plan_ids))
        .values(description=ANON_NAME)
    )
    session.execute(
        update(Handover)
        .where(col(Handover.person_id) == person_id)
        .values(reason=None, response_reason=None, to_external_contact=None)
    )
    session.execute(
        update(DeskArrival).where(col(DeskArrival.person_id) == person_id).values(note=None)
    )
    session.execute(update(Task).where(col(Task.person_id) == person_id).values(note=None))
    audit.record(session, actor, "RETENTION_ANONYMISE", person_id=person_id, purpose="slettefrist")


def apply(ctx: Ctx, actor: Actor) -> list[Candidate]:
    """Anonymise every candidate, 200 per transaction; each batch re-checks, under the write
    lock, that its people are still inactive (a desk may have booked one meanwhile)."""
    require(actor, Action.RETENTION)
    months = retention_months(ctx)
    with read_session(ctx.engine) as session:
        found = candidates_in(session, months)
    done: list[Candidate] = []
    for i in range(0, len(found), 200):
        with write_session(ctx.engine) as session:
            still = {c.person_id for c in candidates_in(session, months)}
            for cand in found[i : i + 200]:
                if cand.person_id in still:
                    anonymise_in(session, actor, cand.person_id)
                    done.append(cand)
    return done


# --- audit log retention (kept apart from the anonymisation above) -----------------------


@dataclass(frozen=True)
class AuditPrune:
    months: int
    cutoff: dt.datetime
    through_id: int | None  # the last event pruned (or that would be); None: nothing
    events: int  # how many events were (or would be) pruned


def audit_prune_plan(ctx: Ctx, actor: Actor) -> AuditPrune:
    """The dry run of `prune_audit`: which events are older than audit_retention_months."""
    require(actor, Action.RETENTION)
    months = ctx.settings.audit_retention_months
    cutoff = months_before(now(), months)
    with read_session(ctx.engine) as session:
        through = audit.last_before(session, cutoff)
        count = 0
        if through is not None:
            t = AuditEvent.__table__  # type: ignore[attr-defined]
            older = select(func.count()).select_from(t).where(t.c.id <= through)
            count = session.execute(older).scalar() or 0
    return AuditPrune(months, cutoff, through, count)


def prune_audit(ctx: Ctx, actor: Actor) -> AuditPrune:
    """Delete audit events older than audit_retention_months (search terms go with them),
    in one transaction with the new checkpoint and an AUDIT_PRUNE event, so the remaining
    chain still verifies. The newest event is never pruned."""
    require(actor, Action.RETENTION)
    months = ctx.settings.audit_retention_months
    cutoff = months_before(now(), months)
    with write_session(ctx.engine) as session:
        through = audit.last_before(session, cutoff)
        deleted, last = audit.prune_through(session, actor, through) if through else (0, 0)
    return AuditPrune(months, cutoff, last or None, deleted)
