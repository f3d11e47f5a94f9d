"""Consent (samtykke, seed org. b): specific to one center and one purpose, dated, withdrawable.

An education-plan intervention outside education and work needs an active consent for its
center (`services/plans.py`). Withdrawing does not edit the plan: it returns the interventions
of the current plan that rested on the consent, so the counsellor can change the plan; the
plan shows them marked (`plans.InterventionView.consent_withdrawn`) and saving the rest of the
plan keeps them (never refused for it) until they are ended or removed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session, col

from ungehus_tui.data.engine import write_session
from ungehus_tui.data.models import Consent, PlanIntervention
from ungehus_tui.domain.clock import now
from ungehus_tui.domain.codes import InterventionArea
from ungehus_tui.domain.labels import CENTER_NAMES_DA
from ungehus_tui.domain.text import control_message
from ungehus_tui.services.access import audit
from ungehus_tui.services.access.permissions import Action, require_person_access
from ungehus_tui.services.casework.lookups import person_or_404
from ungehus_tui.services.context import Actor, Ctx
from ungehus_tui.services.errors import Conflict, NotFound, ValidationFailed


@dataclass(frozen=True)
class AffectedIntervention:
    id: int
    center_code: str
    description: str
    starts_on: dt.date | None
    ends_on: dt.date | None


def active_consents(session: Session, person_id: int) -> list[Consent]:
    return list(
        session.execute(
            select(Consent)
            .where(col(Consent.person_id) == person_id, col(Consent.withdrawn_at).is_(None))
            .order_by(col(Consent.given_at))
        ).scalars()
    )


def active_consent_for(session: Session, person_id: int, center_code: str) -> Consent | None:
    return next(
        (c for c in active_consents(session, person_id) if c.center_code == center_code), None
    )


def give_consent_in(
    session: Session, actor: Actor, person_id: int, center_code: str, purpose: str
) -> Consent:
    require_person_access(session, actor, person_id, Action.MANAGE_CONSENT)
    person_or_404(session, person_id)
    errors: dict[str, str] = {}
    if center_code not in CENTER_NAMES_DA:
        errors["center_code"] = "Vælg et af de fire centre"
    text = " ".join((purpose or "").split())
    control = control_message(purpose, "Formålet")
    if control:
        errors["purpose"] = control
    elif not text:
        errors["purpose"] = "Skriv hvad samtykket gælder (formål)"
    elif len(text) > 300:
        errors["purpose"] = "Højst 300 tegn"
    if errors:
        raise ValidationFailed(errors)
    stamp = now()
    consent = Consent(
        person_id=person_id,
        center_code=center_code,
        purpose=text,
        given_at=stamp,
        recorded_by=actor.id,
        updated_at=stamp,
    )
    session.add(consent)
    session.flush()
    audit.record(session, actor, "CONSENT_GIVE", person_id=person_id, detail=center_code)
    return consent


def give_consent(ctx: Ctx, actor: Actor, person_id: int, center_code: str, purpose: str) -> Consent:
    """Record the young person's consent for one center and purpose (dated now)."""
    with write_session(ctx.engine) as session:
        return give_consent_in(session, actor, person_id, center_code, purpose)


def withdraw_consent(
    ctx: Ctx, actor: Actor, consent_id: int
) -> tuple[Consent, list[AffectedIntervention]]:
    """Withdraw a consent; returns it and the current plan's interventions that it carried
    (area OTHER at that center): those need changing in the plan."""
    from ungehus_tui.services.casework.plans import current_plan_in

    with write_session(ctx.engine) as session:
        consent = session.get(Consent, consent_id, with_for_update=True)
        if consent is None:
            raise NotFound("Samtykket findes ikke")
        require_person_access(session, actor, consent.person_id, Action.MANAGE_CONSENT)
        if consent.withdrawn_at is not None:
            raise Conflict("Samtykket er allerede trukket tilbage")
        stamp = now()
        consent.withdrawn_at = stamp
        consent.updated_at = stamp
        session.add(consent)
        affected: list[AffectedIntervention] = []
        current = current_plan_in(session, consent.person_id)
        if current is not None:
            still = active_consent_for(session, consent.person_id, consent.center_code)
            for i in current[1]:
                if i.area != InterventionArea.OTHER or i.center_code != consent.center_code:
                    continue
                if i.consent_id == consent.id or still is None:
                    affected.append(_affected(i))
        session.flush()
        audit.record(
            session,
            actor,
            "CONSENT_WITHDRAW",
            person_id=consent.person_id,
            detail=consent.center_code,
        )
        return consent, affected


def _affected(i: PlanIntervention) -> AffectedIntervention:
    assert i.id is not None
    return AffectedIntervention(i.id, i.center_code, i.description, i.starts_on, i.ends_on)
