"""Recording triage: the desk's facts (Intake) and the engine's decision (TriageDecision),
and staff overrides of a decision (seed org. c: the employee decides) that keep the original.

A decision row records the rules that fired, the rule-set version and who decided; its
`result_json` is the machine contract's output object (DOMAIN.md), which holds no CPR. An
ineligible decision is recorded too (it documents the refusal and the referral); nothing
else is registered for it here.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from sqlmodel import Session, col, select

from ungehus_tui.data.engine import write_session
from ungehus_tui.data.models import Intake, TriageDecision, YoungPerson
from ungehus_tui.domain import clock
from ungehus_tui.domain import cpr as cprmod
from ungehus_tui.domain.triage import (
    CENTER_ROLES,
    Contact,
    Decision,
    Facts,
    TriageInputError,
    decide,
)
from ungehus_tui.services.access import audit
from ungehus_tui.services.access.permissions import Action, require
from ungehus_tui.services.context import Actor, Ctx
from ungehus_tui.services.errors import Conflict, NotFound, ValidationFailed, require_plain

SOURCE_ENGINE = "ENGINE"
SOURCE_OVERRIDE = "OVERRIDE"
OVERRIDE_RULE = "OVERRIDE"  # the `rule` of a contact chosen by staff
MAX_REASON = 1000


def result_json(decision: Decision) -> str:
    """The stored result: exactly the contract's output object (no CPR, no birth date)."""
    return json.dumps(decision.to_contract(), ensure_ascii=False, sort_keys=True)


def record_intake(
    ctx: Ctx, actor: Actor, person_id: int, facts: Facts
) -> tuple[Intake, TriageDecision]:
    """Triage `facts` for a registered young person and store facts and decision in one
    transaction, audited as TRIAGE."""
    require(actor, Action.TRIAGE)
    with write_session(ctx.engine) as session:
        return record_intake_in(session, actor, person_id, facts)


def record_intake_in(
    session: Session, actor: Actor, person_id: int, facts: Facts
) -> tuple[Intake, TriageDecision]:
    """As `record_intake`, inside the caller's open write session (for composite services)."""
    require(actor, Action.TRIAGE)
    person = session.get(YoungPerson, person_id)
    if person is None:
        raise NotFound("Den unge findes ikke")
    try:
        decision = decide(facts)
    except TriageInputError as exc:
        raise ValidationFailed({exc.field or "facts": exc.message_da}) from None
    if cprmod.compact(facts.cpr) != person.cpr:
        raise ValidationFailed({"cpr": "CPR-nummeret passer ikke til den unge"})
    intake = Intake(
        person_id=person_id,
        intake_date=facts.on,
        situation=str(facts.situation),
        grade=facts.grade,
        completed_youth_education=facts.completed_youth_education,
        social_case=facts.social_case,
        jobcenter_case=facts.jobcenter_case,
        early_pension=facts.early_pension,
        specialised_needs=facts.specialised_needs,
        housing_or_finance=facts.housing_or_finance,
        retention_only=facts.retention_only,
        created_by=actor.id,
    )
    session.add(intake)
    session.flush()
    assert intake.id is not None
    row = TriageDecision(
        intake_id=intake.id,
        source=SOURCE_ENGINE,
        ruleset_version=decision.ruleset_version,
        eligible=decision.eligible,
        age=decision.age,
        rules=",".join(decision.rules),
        centers=",".join(decision.centers),
        lead_center=decision.lead_center,
        contact_role=decision.contact_role,
        team_meeting=decision.team_meeting,
        result_json=result_json(decision),
        decided_by=actor.id,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        "TRIAGE",
        person_id=person_id,
        detail=f"intake={intake.id} decision={row.id} rules={row.rules} "
        f"ruleset={row.ruleset_version}",
    )
    if person.case_open:  # the team revises the plan after a new intake (org. b)
        from ungehus_tui.services.casework.teams import queue_plan_revision_in

        queue_plan_revision_in(session, actor, person_id, f"ny visitation {facts.on:%d-%m-%Y}")
    return intake, row


def current_decision(session: Session, intake_id: int) -> TriageDecision:
    """The newest decision of an intake (an override if there is one)."""
    row = session.exec(
        select(TriageDecision)
        .where(TriageDecision.intake_id == intake_id)
        .order_by(col(TriageDecision.id).desc())
    ).first()
    if row is None:
        raise NotFound("Henvendelsen har ingen visitation")
    return row


def _contacts_of(row: TriageDecision) -> list[Contact]:
    data = json.loads(row.result_json)
    return [Contact(c["center"], c["role"], c["rule"]) for c in data.get("contacts", [])]


def _chosen_contacts(
    base: list[Contact],
    contacts: Sequence[Contact | tuple[str, str]] | None,
    centers: Sequence[str] | None,
) -> list[Contact]:
    errors: dict[str, str] = {}
    chosen: list[Contact] = []
    if contacts is not None:
        for item in contacts:
            center, role = (item.center, item.role) if isinstance(item, Contact) else item
            chosen.append(Contact(str(center), str(role), OVERRIDE_RULE))
    elif centers is not None:
        for center in dict.fromkeys(centers):
            kept = [c for c in base if c.center == center]
            roles = CENTER_ROLES.get(center)
            if kept:
                chosen.extend(kept)
            elif roles is not None and len(roles) == 1:
                chosen.append(Contact(center, next(iter(roles)), OVERRIDE_RULE))
            elif roles is not None:
                errors["contacts"] = f"Angiv kontaktrolle for {center}"
            else:
                chosen.append(Contact(center, "", OVERRIDE_RULE))  # rejected below
    else:
        chosen = list(base)
    for c in chosen:
        if c.center not in CENTER_ROLES:
            errors["centers"] = f"Ukendt center: {c.center}"
        elif c.role not in CENTER_ROLES[c.center]:
            errors["contacts"] = f"{c.center} har ikke kontaktrollen {c.role}"
    if errors:
        raise ValidationFailed(errors)
    return list(dict.fromkeys(chosen))


def _override_reason(reason: str) -> str:
    """The staff member's reason, stripped; required, plain text, at most MAX_REASON."""
    why = (reason or "").strip()
    require_plain("reason", "Begrundelsen", reason)
    if not why:
        raise ValidationFailed({"reason": "Skriv en begrundelse for ændringen"})
    if len(why) > MAX_REASON:
        raise ValidationFailed({"reason": f"Begrundelsen må højst være {MAX_REASON} tegn"})
    return why


def _lead_contact_role(
    old: TriageDecision, chosen: list[Contact], lead_center: str | None, contact_role: str | None
) -> str | None:
    """The lead center's contact role, checked against the chosen contacts.

    A lead center is required when any center is involved and must be one of them; the role
    must belong to the lead. Without a given role: the old decision's role if the lead is
    unchanged and still has it, else the lead's first chosen role. No lead, no role.
    """
    chosen_centers = {c.center for c in chosen}
    if lead_center is None and chosen_centers:
        raise ValidationFailed({"lead_center": "Vælg et ledende center"})
    if lead_center is not None and lead_center not in chosen_centers:
        raise ValidationFailed({"lead_center": "Det ledende center skal være involveret"})
    if lead_center is None:
        if contact_role is not None:
            raise ValidationFailed({"contact_role": "Kontaktrolle kræver et ledende center"})
        return None
    lead_roles = [c.role for c in chosen if c.center == lead_center]
    if contact_role is not None and contact_role not in lead_roles:
        raise ValidationFailed({"contact_role": "Kontaktrollen skal høre til det ledende center"})
    keep = old.contact_role if old.lead_center == lead_center else None
    return contact_role or (keep if keep in lead_roles else lead_roles[0])


def override_decision(
    ctx: Ctx,
    actor: Actor,
    decision_id: int,
    *,
    lead_center: str | None,
    reason: str,
    contacts: Sequence[Contact | tuple[str, str]] | None = None,
    centers: Sequence[str] | None = None,
    contact_role: str | None = None,
    team_meeting: bool | None = None,
) -> TriageDecision:
    """Replace the current decision of an intake by a staff decision (org. c).

    `contacts` ((center, role) pairs) or `centers` (keeping the original contacts of those
    centers) choose who is involved; neither keeps the original contacts. No contacts and
    no lead means "not Ungehuset's". `contact_role` defaults to the lead center's first
    contact role; `team_meeting` to two or more centers (T1). The original row is kept; the
    new row points at it with `overrides_id`.
    """
    require(actor, Action.OVERRIDE_TRIAGE)
    why = _override_reason(reason)
    with write_session(ctx.engine) as session:
        old = session.get(TriageDecision, decision_id)
        if old is None:
            raise NotFound("Visitationen findes ikke")
        if current_decision(session, old.intake_id).id != old.id:
            raise Conflict("Visitationen er allerede ændret; åbn den igen")
        chosen = _chosen_contacts(_contacts_of(old), contacts, centers)
        chosen_centers = sorted({c.center for c in chosen})
        role = _lead_contact_role(old, chosen, lead_center, contact_role)
        team = len(chosen_centers) >= 2 if team_meeting is None else bool(team_meeting)
        result = json.loads(old.result_json)
        result.update(
            eligible=bool(chosen_centers),
            reason=None if chosen_centers else why,
            contacts=[c.to_contract() for c in chosen],
            centers=chosen_centers,
            lead_center=lead_center,
            contact_role=role,
            team_meeting=team,
        )
        intake = session.get(Intake, old.intake_id)
        assert intake is not None
        row = TriageDecision(
            intake_id=old.intake_id,
            source=SOURCE_OVERRIDE,
            ruleset_version=old.ruleset_version,
            eligible=bool(chosen_centers),
            age=old.age,
            rules=old.rules,
            centers=",".join(chosen_centers),
            lead_center=lead_center,
            contact_role=role,
            team_meeting=team,
            result_json=json.dumps(result, ensure_ascii=False, sort_keys=True),
            reason=why,
            overrides_id=old.id,
            decided_by=actor.id,
            decided_at=clock.now(),
        )
        session.add(row)
        session.flush()
        audit.record(
            session,
            actor,
            "TRIAGE_OVERRIDE",
            person_id=intake.person_id,
            detail=f"intake={old.intake_id} decision={row.id} overrides={old.id} "
            f"centers={row.centers} lead={lead_center}",
        )
        return row
