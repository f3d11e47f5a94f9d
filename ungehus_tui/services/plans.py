"""The education plan (uddannelsesplan): the young person's one plan across centers.

Each save is a new version (the old ones are kept). Interventions carry a center, an area
(EDUCATION, JOB, OTHER) and dates. An OTHER intervention (beyond education and work) needs
the young person's active consent for that center (seed org. b); without it the save is
refused with a Danish message naming the intervention and the center.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlmodel import Session, col

from ungehus_tui.data.engine import write_session
from ungehus_tui.data.models import EducationPlan, PlanIntervention
from ungehus_tui.domain.clock import now
from ungehus_tui.domain.codes import CENTER_NAMES_DA, InterventionArea
from ungehus_tui.domain.text import control_message
from ungehus_tui.services import audit
from ungehus_tui.services.casework import person_or_404
from ungehus_tui.services.consents import active_consent_for
from ungehus_tui.services.context import Actor, Ctx
from ungehus_tui.services.errors import ValidationFailed
from ungehus_tui.services.permissions import Action, require_person_access


@dataclass(frozen=True)
class InterventionIn:
    center_code: str
    area: str
    description: str
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None


@dataclass(frozen=True)
class PlanIn:
    short_term_goals: str
    long_term_goals: str
    interventions: list[InterventionIn] = field(default_factory=list)


def current_plan_in(
    session: Session, person_id: int
) -> tuple[EducationPlan, list[PlanIntervention]] | None:
    plan = session.execute(
        select(EducationPlan)
        .where(col(EducationPlan.person_id) == person_id)
        .order_by(col(EducationPlan.version).desc())
        .limit(1)
    ).scalar_one_or_none()
    if plan is None:
        return None
    items = session.execute(
        select(PlanIntervention)
        .where(col(PlanIntervention.plan_id) == plan.id)
        .order_by(col(PlanIntervention.id))
    ).scalars()
    return plan, list(items)


def save_plan_in(
    session: Session,
    actor: Actor,
    person_id: int,
    plan: PlanIn,
    *,
    meeting_id: int | None = None,
) -> EducationPlan:
    require_person_access(session, actor, person_id, Action.EDIT_PLAN)
    person_or_404(session, person_id)
    errors: dict[str, str] = {}
    short = (plan.short_term_goals or "").strip()
    long = (plan.long_term_goals or "").strip()
    for key, label, value in (
        ("short_term_goals", "Målene på kort sigt", short),
        ("long_term_goals", "Målene på langt sigt", long),
    ):
        control = control_message(value, label, multiline=True)
        if control:
            errors[key] = control
    if not short and not long:
        errors["short_term_goals"] = "Skriv mindst ét mål (kort eller langt sigt)"
    if len(short) > 4000 or len(long) > 4000:
        errors["long_term_goals"] = "Højst 4000 tegn pr. mål"
    consents: list[int | None] = []
    for n, item in enumerate(plan.interventions):
        key = f"interventions[{n}]"
        consent_id = None
        description = " ".join((item.description or "").split())
        control = control_message(item.description, "Beskrivelsen af indsatsen")
        if control:
            errors[key] = control
        elif item.center_code not in CENTER_NAMES_DA:
            errors[key] = "Vælg et af de fire centre"
        elif item.area not in {a.value for a in InterventionArea}:
            errors[key] = "Vælg område: uddannelse, job eller andet"
        elif not description or len(description) > 1000:
            errors[key] = "Beskriv indsatsen (højst 1000 tegn)"
        elif item.starts_on and item.ends_on and item.ends_on < item.starts_on:
            errors[key] = "Slutdatoen ligger før startdatoen"
        elif item.area == InterventionArea.OTHER:
            consent = active_consent_for(session, person_id, item.center_code)
            if consent is None:
                errors[key] = (
                    f"Indsatsen »{description}« ligger uden for uddannelse og job og kræver "
                    f"den unges samtykke til {CENTER_NAMES_DA[item.center_code]}. "
                    "Registrér samtykket først."
                )
            else:
                consent_id = consent.id
        consents.append(consent_id)
    if errors:
        raise ValidationFailed(errors)
    version = (
        session.execute(
            select(func.max(EducationPlan.version)).where(col(EducationPlan.person_id) == person_id)
        ).scalar()
        or 0
    ) + 1
    stamp = now()
    row = EducationPlan(
        person_id=person_id,
        version=version,
        short_term_goals=short,
        long_term_goals=long,
        meeting_id=meeting_id,
        created_by=actor.id,
        created_at=stamp,
        updated_at=stamp,
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    for item, consent_id in zip(plan.interventions, consents, strict=True):
        session.add(
            PlanIntervention(
                plan_id=row.id,
                center_code=item.center_code,
                area=item.area,
                description=" ".join(item.description.split()),
                starts_on=item.starts_on,
                ends_on=item.ends_on,
                consent_id=consent_id,
            )
        )
    session.flush()
    audit.record(session, actor, "PLAN_SAVE", person_id=person_id, detail=f"v{version}")
    return row


def save_plan(ctx: Ctx, actor: Actor, person_id: int, plan: PlanIn) -> EducationPlan:
    """Save the plan as a new version (the previous versions stay)."""
    with write_session(ctx.engine) as session:
        return save_plan_in(session, actor, person_id, plan)
