"""The education plan (uddannelsesplan): the young person's one plan across centers.

Each save is a new version (the old ones are kept). Interventions carry a center, an area
(EDUCATION, JOB, OTHER) and dates. Rules:
- A NEW intervention of area OTHER (beyond education and work) needs the young person's
  active consent for that center (seed org. b); without it the save is refused with a Danish
  message naming the intervention and the center.
- An intervention carried over from the current version (`InterventionInput.id`, or the same
  center, area and description) keeps the consent it rested on, even when that consent has
  since been withdrawn: it is shown marked (`InterventionView.consent_withdrawn`), never
  blocks saving the rest of the plan; a fresh active consent for the center replaces it.
- `PlanInput.interventions` None keeps the current version's interventions (goals saved from
  the outcome dialog); an explicit list (also empty) is the new set.
- Interventions are ended (`end_intervention`: an end date) or removed
  (`remove_intervention`: a new version without it), each a new version.
- Version check: `PlanInput.base_version` is the version the editor started from (0: there was
  none). When someone saved a newer one meanwhile, the save is refused (Conflict) with a
  Danish message naming who saved and when; nothing is written, the editor keeps the input.
- Saving closes the coordinator's open PLAN_REVISION tasks for the young person.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from sqlalchemy import func, select
from sqlmodel import Session, col

from ungehus_tui.data.engine import write_session
from ungehus_tui.data.models import Consent, EducationPlan, PlanIntervention, Staff, Task
from ungehus_tui.domain.clock import local, now
from ungehus_tui.domain.codes import InterventionArea, TaskKind
from ungehus_tui.domain.labels import AREA_NAMES_DA, CENTER_NAMES_DA
from ungehus_tui.domain.text import control_message
from ungehus_tui.services.access import audit
from ungehus_tui.services.access.permissions import Action, require_person_access
from ungehus_tui.services.casework.consents import active_consent_for
from ungehus_tui.services.casework.lookups import person_or_404
from ungehus_tui.services.context import Actor, Ctx
from ungehus_tui.services.errors import Conflict, NotFound, ValidationFailed


@dataclass(frozen=True)
class InterventionInput:
    center_code: str
    area: str
    description: str
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    id: int | None = None  # the current version's intervention this one carries over


@dataclass(frozen=True)
class PlanInput:
    short_term_goals: str
    long_term_goals: str
    # None: keep the current version's interventions; a list (also empty): the new set.
    interventions: list[InterventionInput] | None = field(default=None)
    base_version: int | None = None  # the version edited (0: none yet); None: no check


@dataclass(frozen=True)
class InterventionView:
    id: int
    center_code: str
    area: str
    description: str
    starts_on: dt.date | None
    ends_on: dt.date | None
    consent_id: int | None
    consent_withdrawn: bool  # rests on a consent that has been withdrawn: change the plan

    @property
    def area_da(self) -> str:
        return AREA_NAMES_DA.get(self.area, self.area)

    def ended(self, on: dt.date) -> bool:
        return self.ends_on is not None and self.ends_on < on

    def line_da(self) -> str:
        span = ""
        if self.starts_on and self.ends_on:
            span = f" ({self.starts_on:%d-%m-%Y}–{self.ends_on:%d-%m-%Y})"
        elif self.starts_on:
            span = f" (fra {self.starts_on:%d-%m-%Y})"
        elif self.ends_on:
            span = f" (til {self.ends_on:%d-%m-%Y})"
        mark = " · samtykke trukket tilbage" if self.consent_withdrawn else ""
        return f"• {self.center_code} [{self.area_da}] {self.description}{span}{mark}"

    def as_in(self) -> InterventionInput:
        return InterventionInput(
            self.center_code, self.area, self.description, self.starts_on, self.ends_on, self.id
        )


@dataclass(frozen=True)
class PlanView:
    version: int
    short_term_goals: str
    long_term_goals: str
    saved_by: str
    saved_at: dt.datetime
    interventions: list[InterventionView]

    def as_in(self) -> PlanInput:
        return PlanInput(
            self.short_term_goals,
            self.long_term_goals,
            [i.as_in() for i in self.interventions],
            base_version=self.version,
        )


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


def plan_view_in(session: Session, person_id: int) -> PlanView | None:
    """The current version with each intervention's consent state (no audit: the caller's)."""
    current = current_plan_in(session, person_id)
    if current is None:
        return None
    plan, items = current
    consent_ids = {i.consent_id for i in items if i.consent_id is not None}
    withdrawn: set[int] = set()
    if consent_ids:
        withdrawn = set(
            session.execute(
                select(col(Consent.id)).where(
                    col(Consent.id).in_(consent_ids), col(Consent.withdrawn_at).is_not(None)
                )
            ).scalars()
        )
    saver = session.get(Staff, plan.created_by)
    return PlanView(
        plan.version,
        plan.short_term_goals,
        plan.long_term_goals,
        saver.name if saver else "",
        plan.created_at,
        [
            InterventionView(
                i.id or 0,
                i.center_code,
                i.area,
                i.description,
                i.starts_on,
                i.ends_on,
                i.consent_id,
                i.consent_id in withdrawn,
            )
            for i in items
        ],
    )


def plan_view(ctx: Ctx, actor: Actor, person_id: int) -> PlanView | None:
    """The current plan as the case shows it (audited as a case view)."""
    with write_session(ctx.engine) as session:
        require_person_access(session, actor, person_id, Action.VIEW_CASE)
        person_or_404(session, person_id)
        view = plan_view_in(session, person_id)
        audit.record(session, actor, "VIEW_PLAN", person_id=person_id)
        return view


def _check_version(session: Session, current: EducationPlan | None, base: int | None) -> None:
    if base is None:
        return
    have = current.version if current is not None else 0
    if have == base:
        return
    assert current is not None
    saver = session.get(Staff, current.created_by)
    who = saver.name if saver else "en anden"
    when = local(current.created_at)
    raise Conflict(
        f"Planen er ændret af {who} {when:%d-%m-%Y kl. %H:%M} (version {current.version}), "
        "mens du redigerede. Din udgave er ikke gemt: se den nye version og gem igen."
    )


def _goal_errors(short: str, long: str) -> dict[str, str]:
    errors: dict[str, str] = {}
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
    return errors


def _item_error(item: InterventionInput) -> str | None:
    description = " ".join((item.description or "").split())
    control = control_message(item.description, "Beskrivelsen af indsatsen")
    if control:
        return control
    if item.center_code not in CENTER_NAMES_DA:
        return "Vælg et af de fire centre"
    if item.area not in {a.value for a in InterventionArea}:
        return "Vælg område: uddannelse, job eller andet"
    if not description or len(description) > 1000:
        return "Beskriv indsatsen (højst 1000 tegn)"
    if item.starts_on and item.ends_on and item.ends_on < item.starts_on:
        return "Slutdatoen ligger før startdatoen"
    return None


def _carried(item: InterventionInput, previous: list[PlanIntervention]) -> PlanIntervention | None:
    """The current version's intervention `item` carries over: by id, else by the same
    center, area and description (an editor that does not pass ids, or whose ids are of an
    older version: a save that knowingly replaces a version saved meanwhile)."""
    if item.id is not None:
        same = next((p for p in previous if p.id == item.id), None)
        if same is not None:
            return same
    description = " ".join((item.description or "").split())
    return next(
        (
            p
            for p in previous
            if (p.center_code, p.area, p.description) == (item.center_code, item.area, description)
        ),
        None,
    )


def _consent_for(
    session: Session, person_id: int, item: InterventionInput, previous: list[PlanIntervention]
) -> tuple[int | None, str | None]:
    """(consent id, error) for one intervention: OTHER needs consent, unless carried over."""
    if item.area != InterventionArea.OTHER:
        return None, None
    consent = active_consent_for(session, person_id, item.center_code)
    if consent is not None:
        return consent.id, None
    carried = _carried(item, previous)
    if carried is not None and carried.consent_id is not None:
        return carried.consent_id, None  # kept, marked as resting on a withdrawn consent
    description = " ".join((item.description or "").split())
    return None, (
        f"Indsatsen »{description}« ligger uden for uddannelse og job og kræver "
        f"den unges samtykke til {CENTER_NAMES_DA[item.center_code]}. "
        "Registrér samtykket først."
    )


def save_plan_in(
    session: Session,
    actor: Actor,
    person_id: int,
    plan: PlanInput,
    *,
    meeting_id: int | None = None,
    action: str = "PLAN_SAVE",
) -> EducationPlan:
    require_person_access(session, actor, person_id, Action.EDIT_PLAN)
    person_or_404(session, person_id)
    current = current_plan_in(session, person_id)
    _check_version(session, current[0] if current else None, plan.base_version)
    previous = current[1] if current else []
    short = (plan.short_term_goals or "").strip()
    long = (plan.long_term_goals or "").strip()
    errors = _goal_errors(short, long)
    items = (
        plan.interventions
        if plan.interventions is not None
        else [
            InterventionInput(p.center_code, p.area, p.description, p.starts_on, p.ends_on, p.id)
            for p in previous
        ]
    )
    consents: list[int | None] = []
    for n, item in enumerate(items):
        error = _item_error(item)
        consent_id = None
        if error is None:
            consent_id, error = _consent_for(session, person_id, item, previous)
        if error is not None:
            errors[f"interventions[{n}]"] = error
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
    for item, consent_id in zip(items, consents, strict=True):
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
    _close_revision_tasks(session, person_id, stamp)
    session.flush()
    audit.record(session, actor, action, person_id=person_id, detail=f"v{version}")
    return row


def _close_revision_tasks(session: Session, person_id: int, stamp: dt.datetime) -> None:
    for task in session.execute(
        select(Task).where(
            col(Task.person_id) == person_id,
            col(Task.kind) == TaskKind.PLAN_REVISION,
            col(Task.done_at).is_(None),
        )
    ).scalars():
        task.done_at = stamp
        task.updated_at = stamp
        task.note = ((task.note or "") + " · planen er revideret")[:500]
        session.add(task)


def save_plan(ctx: Ctx, actor: Actor, person_id: int, plan: PlanInput) -> EducationPlan:
    """Save the plan as a new version (the previous versions stay)."""
    with write_session(ctx.engine) as session:
        return save_plan_in(session, actor, person_id, plan)


def _changed_intervention(
    ctx: Ctx,
    actor: Actor,
    person_id: int,
    intervention_id: int,
    base_version: int | None,
    action: str,
    change: Callable[[InterventionInput], InterventionInput | None],
) -> EducationPlan:
    with write_session(ctx.engine) as session:
        require_person_access(session, actor, person_id, Action.EDIT_PLAN)
        view = plan_view_in(session, person_id)
        if view is None or not any(i.id == intervention_id for i in view.interventions):
            raise NotFound("Indsatsen findes ikke i den gældende plan")
        kept: list[InterventionInput] = []
        for i in view.interventions:
            changed = change(i.as_in()) if i.id == intervention_id else i.as_in()
            if changed is not None:
                kept.append(changed)
        plan = PlanInput(view.short_term_goals, view.long_term_goals, kept, base_version)
        return save_plan_in(session, actor, person_id, plan, action=action)


def end_intervention(
    ctx: Ctx,
    actor: Actor,
    person_id: int,
    intervention_id: int,
    ends_on: dt.date,
    *,
    base_version: int | None = None,
) -> EducationPlan:
    """End one intervention of the current plan on `ends_on` (a new version; the rest kept)."""
    return _changed_intervention(
        ctx,
        actor,
        person_id,
        intervention_id,
        base_version,
        "PLAN_INTERVENTION_END",
        lambda item: replace(item, ends_on=ends_on),
    )


def remove_intervention(
    ctx: Ctx,
    actor: Actor,
    person_id: int,
    intervention_id: int,
    *,
    base_version: int | None = None,
) -> EducationPlan:
    """Remove one intervention: a new plan version without it (the old versions keep it)."""
    return _changed_intervention(
        ctx,
        actor,
        person_id,
        intervention_id,
        base_version,
        "PLAN_INTERVENTION_REMOVE",
        lambda item: None,
    )
