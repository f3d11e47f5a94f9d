"""Chain responsibility (kædeansvar, seed princ. e): handovers are offers the receiver answers.

Rules kept here:
- Only the staff member who holds the young person offers; one pending offer per young person.
- Until an offer is accepted nothing changes in who holds: the sender holds and sees it queued.
- Accepting a colleague offer (COLLEAGUE, TURNING_18) gives the receiver the holding assignment
  (a COORDINATOR stays a COORDINATOR) and ENDS the sender's holding assignment (decision: the
  sender let go; other assignments of theirs, e.g. as contact person, stay).
- EDUCATION_START / JOB_START / EXTERNAL go to an outside actor (school, employer, FGU; with a
  contact name) and close only when that actor's acknowledgement is recorded
  (`acknowledge_external`): then every staff assignment ends, the outside actor is recorded as
  the (non-staff) holder, and the case closes. A contact person goes on (org. f: it ends by a
  recorded anchoring judgement, not on the first day) with a CONTACT_PERSON_END task to judge
  the anchoring (`outcomes.end_contact_person`). A refusal from the outside actor is recorded
  by the sender with `reject_handover`.
- Every function calls `assignments.check_holder_invariant` before commit.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session, col

from ungehus_tui.data.engine import write_session
from ungehus_tui.data.models import Handover, Task
from ungehus_tui.data.org import work_calendar
from ungehus_tui.domain.clock import now, today
from ungehus_tui.domain.codes import AssignmentKind, HandoverKind, HandoverStatus, TaskKind
from ungehus_tui.services.access import audit
from ungehus_tui.services.access.permissions import Action, require, require_person_access
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
from ungehus_tui.services.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    ValidationFailed,
    require_plain,
)

EXTERNAL_KINDS = frozenset(
    {HandoverKind.EXTERNAL, HandoverKind.EDUCATION_START, HandoverKind.JOB_START}
)
ANCHOR_REASON_DA = {
    HandoverKind.EDUCATION_START: "Forankret i uddannelse",
    HandoverKind.JOB_START: "Forankret i fast job",
    HandoverKind.EXTERNAL: "Overdraget til ekstern aktør",
}


def _clean(value: str | None, limit: int) -> str | None:
    text = " ".join((value or "").split())
    return text[:limit] or None


def _pending_for(session: Session, person_id: int) -> Handover | None:
    return session.execute(
        select(Handover).where(
            col(Handover.person_id) == person_id, col(Handover.status) == HandoverStatus.OFFERED
        )
    ).scalar_one_or_none()


def _locked(session: Session, handover_id: int) -> Handover:
    handover = session.get(Handover, handover_id, with_for_update=True)
    if handover is None:
        raise NotFound("Overdragelsen findes ikke")
    if handover.status != HandoverStatus.OFFERED:
        raise Conflict("Overdragelsen er allerede besvaret eller trukket tilbage")
    return handover


def offer_handover_in(
    session: Session,
    actor: Actor,
    person_id: int,
    *,
    kind: str,
    reason: str | None = None,
    to_staff_id: int | None = None,
    to_external: str | None = None,
    to_external_contact: str | None = None,
) -> Handover:
    require_plain("reason", "Begrundelsen", reason)
    require_plain("to_external", "Modtageren", to_external)
    require_plain("to_external_contact", "Kontaktpersonen", to_external_contact)
    require_person_access(session, actor, person_id, Action.HANDOVER)
    person = person_or_404(session, person_id)
    if not person.case_open:
        raise Conflict("Sagen er lukket; der er ingen at overdrage")
    holder = holder_of(session, person_id)
    if holder is None or holder.staff_id != actor.id:
        raise PermissionDenied("Kun den der holder den unge (kædeansvar) kan tilbyde overdragelse")
    if _pending_for(session, person_id) is not None:
        raise Conflict("Der er allerede et åbent overdragelsestilbud for den unge")
    errors: dict[str, str] = {}
    to_center = None
    if kind not in {k.value for k in HandoverKind} or kind == HandoverKind.TURNING_18:
        errors["kind"] = "Vælg kollega, ekstern aktør, uddannelsesstart eller jobstart"
    elif kind == HandoverKind.COLLEAGUE:
        if to_staff_id is None:
            errors["to_staff_id"] = "Vælg den kollega der skal overtage"
        elif to_staff_id == actor.id:
            errors["to_staff_id"] = "Du kan ikke overdrage til dig selv"
        else:
            to_center = active_counsellor(session, to_staff_id).center_code
        to_external = to_external_contact = None
    else:
        to_external = _clean(to_external, 200)
        to_external_contact = _clean(to_external_contact, 200)
        if not to_external:
            errors["to_external"] = "Skriv hvem der overtager (skole, arbejdsgiver, FGU ...)"
        if not to_external_contact:
            errors["to_external_contact"] = "Skriv navnet på kontaktpersonen hos modtageren"
        to_staff_id = None
    if errors:
        raise ValidationFailed(errors)
    stamp = now()
    handover = Handover(
        person_id=person_id,
        kind=kind,
        status=HandoverStatus.OFFERED,
        from_staff_id=actor.id,
        to_staff_id=to_staff_id,
        to_center_code=to_center,
        to_external=to_external,
        to_external_contact=to_external_contact,
        reason=_clean(reason, 1000),
        offered_at=stamp,
        created_by=actor.id,
        updated_at=stamp,
    )
    session.add(handover)
    _close_rejected_tasks(session, actor, person_id)
    session.flush()
    audit.record(session, actor, "HANDOVER_OFFER", person_id=person_id, detail=kind)
    check_holder_invariant(session, person_id)
    return handover


def offer_handover(ctx: Ctx, actor: Actor, person_id: int, **kwargs: str | int | None) -> Handover:
    """Offer the young person to a colleague (`to_staff_id`) or an outside actor
    (`to_external`, `to_external_contact`); the sender keeps holding until it is accepted."""
    with write_session(ctx.engine) as session:
        return offer_handover_in(session, actor, person_id, **kwargs)  # type: ignore[arg-type]


def accept_handover(ctx: Ctx, actor: Actor, handover_id: int, note: str | None = None) -> Handover:
    """The offered colleague takes over: they hold from now, the sender's holding ends."""
    require_plain("note", "Notatet", note)
    with write_session(ctx.engine) as session:
        handover = _locked(session, handover_id)
        require(actor, Action.HANDOVER)
        if handover.to_staff_id != actor.id:
            raise PermissionDenied("Kun den kollega der er tilbudt den unge kan acceptere")
        person_id = handover.person_id
        person = person_or_404(session, person_id)
        holder = holder_of(session, person_id)
        if not person.case_open or holder is None or holder.staff_id != handover.from_staff_id:
            raise Conflict("Afsenderen holder ikke længere den unge; tilbuddet er forældet")
        receiver = active_counsellor(session, actor.id)
        coordinator = holder.kind == AssignmentKind.COORDINATOR
        end_assignment(holder, f"Overdraget til {receiver.name}", session)
        mine = [
            a
            for a in active_assignments(session, person_id)
            if a.staff_id == actor.id and a.kind != AssignmentKind.CONTACT_PERSON
        ]
        if mine:
            taking = mine[0]
        else:
            taking = new_assignment(
                session, actor, person_id, kind=AssignmentKind.CONTACT, holds=True, staff=receiver
            )
        if coordinator:
            taking.kind = AssignmentKind.COORDINATOR
        taking.holds = True
        taking.updated_at = now()
        session.add(taking)
        _answer(handover, actor, HandoverStatus.ACCEPTED, note)
        session.add(handover)
        session.flush()
        audit.record(session, actor, "HANDOVER_ACCEPT", person_id=person_id, detail=handover.kind)
        check_holder_invariant(session, person_id)
        return handover


def _answer(handover: Handover, actor: Actor, status: str, reason: str | None) -> None:
    stamp = now()
    handover.status = status
    handover.response_reason = _clean(reason, 1000)
    handover.responded_at = stamp
    handover.responded_by = actor.id
    handover.updated_at = stamp


def reject_handover(ctx: Ctx, actor: Actor, handover_id: int, reason: str) -> Handover:
    """The receiver says no, with a reason (required). For an outside actor the sender records
    their refusal. The sender goes on holding the young person."""
    require_plain("reason", "Begrundelsen", reason)
    with write_session(ctx.engine) as session:
        handover = _locked(session, handover_id)
        require(actor, Action.HANDOVER)
        external = handover.kind in EXTERNAL_KINDS
        allowed_id = handover.from_staff_id if external else handover.to_staff_id
        if actor.id != allowed_id:
            raise PermissionDenied(
                "Kun afsenderen kan registrere en ekstern aktørs afslag"
                if external
                else "Kun den kollega der er tilbudt den unge kan afvise"
            )
        if not _clean(reason, 1000):
            raise ValidationFailed({"reason": "Skriv en begrundelse for afvisningen"})
        _answer(handover, actor, HandoverStatus.REJECTED, reason)
        session.add(handover)
        if handover.from_staff_id is not None:
            _rejected_task(session, actor, handover, str(handover.response_reason))
        session.flush()
        audit.record(session, actor, "HANDOVER_REJECT", person_id=handover.person_id)
        check_holder_invariant(session, handover.person_id)
        return handover


REJECTED_PREFIX = "Overdragelse afvist: "


def _rejected_task(session: Session, actor: Actor, handover: Handover, reason: str) -> None:
    """Work for the sender, who still holds the young person (kædeansvar): act on the refusal
    (offer someone else, or carry on) by the next working day. Closed by `complete_task` or
    by the sender's next offer for the young person."""
    assert handover.from_staff_id is not None
    due = work_calendar(session).add_working_days(today(), 1)
    session.add(
        Task(
            person_id=handover.person_id,
            kind=TaskKind.HANDOVER_REJECTED,
            staff_id=handover.from_staff_id,
            due=due,
            note=(REJECTED_PREFIX + reason)[:500],
            created_by=actor.id,
        )
    )


def _close_rejected_tasks(session: Session, actor: Actor, person_id: int) -> None:
    """The sender acted on a refusal (a new offer): their refusal items are done."""
    stamp = now()
    for task in session.execute(
        select(Task).where(
            col(Task.person_id) == person_id,
            col(Task.staff_id) == actor.id,
            col(Task.kind) == TaskKind.HANDOVER_REJECTED,
            col(Task.done_at).is_(None),
        )
    ).scalars():
        task.done_at = stamp
        task.updated_at = stamp
        session.add(task)


def withdraw_handover(
    ctx: Ctx, actor: Actor, handover_id: int, reason: str | None = None
) -> Handover:
    """The sender takes the offer back (they held all along)."""
    require_plain("reason", "Begrundelsen", reason)
    with write_session(ctx.engine) as session:
        handover = _locked(session, handover_id)
        require(actor, Action.HANDOVER)
        if actor.id != handover.from_staff_id:
            raise PermissionDenied("Kun afsenderen kan trække et tilbud tilbage")
        _answer(handover, actor, HandoverStatus.WITHDRAWN, reason)
        session.add(handover)
        session.flush()
        audit.record(session, actor, "HANDOVER_WITHDRAW", person_id=handover.person_id)
        check_holder_invariant(session, handover.person_id)
        return handover


def acknowledge_external(
    ctx: Ctx, actor: Actor, handover_id: int, *, acknowledged_by: str, note: str | None = None
) -> Handover:
    """Record the outside actor's acknowledgement: the handover closes, the case closes."""
    require_plain("acknowledged_by", "Navnet på den der kvitterede", acknowledged_by)
    require_plain("note", "Notatet", note)
    with write_session(ctx.engine) as session:
        handover = _locked(session, handover_id)
        require(actor, Action.HANDOVER)
        if handover.kind not in EXTERNAL_KINDS:
            raise Conflict("Kun overdragelser til eksterne aktører kvitteres")
        if actor.id != handover.from_staff_id:
            raise PermissionDenied("Kun afsenderen kan registrere modtagerens kvittering")
        who = _clean(acknowledged_by, 200)
        if not who:
            raise ValidationFailed({"acknowledged_by": "Skriv hvem hos modtageren der kvitterede"})
        person_id = handover.person_id
        person = person_or_404(session, person_id)
        holder = holder_of(session, person_id)
        if not person.case_open or holder is None or holder.staff_id != handover.from_staff_id:
            raise Conflict("Afsenderen holder ikke længere den unge; tilbuddet er forældet")
        anchor = ANCHOR_REASON_DA[HandoverKind(handover.kind)]
        cal = work_calendar(session)
        due = cal.add_working_days(today(), ctx.settings.contact_person_end_working_days)
        for a in active_assignments(session, person_id):
            if a.kind == AssignmentKind.CONTACT_PERSON:
                # The contact person goes on until the young person is anchored: a recorded
                # judgement (`outcomes.end_contact_person`), not the first day (org. f).
                if a.staff_id is not None:
                    session.add(
                        Task(
                            person_id=person_id,
                            kind=TaskKind.CONTACT_PERSON_END,
                            staff_id=a.staff_id,
                            due=due,
                            note=f"{anchor}: vurdér om den unge er forankret, og afslut "
                            "så kontaktpersonforløbet",
                            created_by=actor.id,
                        )
                    )
                continue
            end_assignment(a, f"Overdraget til {handover.to_external}", session)
        outside = f"{handover.to_external} (kontakt: {handover.to_external_contact})"
        new_assignment(
            session,
            actor,
            person_id,
            kind=AssignmentKind.CONTACT,
            holds=True,
            external_actor=outside[:200],
        )
        for task in session.execute(
            select(Task).where(
                col(Task.person_id) == person_id,
                col(Task.done_at).is_(None),
                col(Task.kind).in_([TaskKind.OUTREACH, TaskKind.FIRST_CONTACT]),
            )
        ).scalars():
            task.done_at = now()
            task.note = ((task.note or "") + " · lukket ved overdragelse")[:500]
            session.add(task)
        reason = f"Kvitteret af {who}" + (f": {note}" if _clean(note, 800) else "")
        _answer(handover, actor, HandoverStatus.ACCEPTED, reason)
        session.add(handover)
        person.case_open = False
        person.updated_at = now()
        session.add(person)
        session.flush()
        audit.record(
            session, actor, "HANDOVER_ACKNOWLEDGED", person_id=person_id, detail=handover.kind
        )
        check_holder_invariant(session, person_id)
        return handover
