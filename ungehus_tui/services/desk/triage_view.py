"""The triage view's read model: one intake's current decision, explained for the desk."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import col

from ungehus_tui.data.engine import read_session
from ungehus_tui.data.models import Intake, Staff, TriageDecision, YoungPerson
from ungehus_tui.domain import clock
from ungehus_tui.domain import cpr as cprmod
from ungehus_tui.domain.triage import Answers, Contact
from ungehus_tui.services.access.permissions import Action, require, require_person_access
from ungehus_tui.services.context import Actor, Ctx
from ungehus_tui.services.desk import intake
from ungehus_tui.services.errors import NotFound


@dataclass(frozen=True)
class TriageDetail:
    """One intake's current decision, explained (for the triage view)."""

    intake_id: int
    decision_id: int
    person_id: int
    person_name: str
    cpr_masked: str
    age: int
    intake_date: dt.date
    answers: Answers
    source: str
    ruleset_version: str
    eligible: bool
    reason: str | None
    contacts: tuple[Contact, ...]
    rules: tuple[str, ...]
    centers: tuple[str, ...]
    lead_center: str | None
    contact_role: str | None
    team_meeting: bool
    education_duty: bool
    decided_by: str
    decided_at: dt.datetime
    engine_contacts: tuple[Contact, ...] = ()
    warnings: tuple[str, ...] = ()  # e.g. CPR_MOD11 (`triage_text.WARNING_TEXT_DA`)


def triage_detail(ctx: Ctx, actor: Actor, intake_id: int) -> TriageDetail:
    require(actor, Action.TRIAGE)
    with read_session(ctx.engine) as session:
        intake_row = session.get(Intake, intake_id)
        if intake_row is None:
            raise NotFound("Henvendelsen findes ikke")
        require_person_access(session, actor, intake_row.person_id, Action.TRIAGE)
        person = session.get(YoungPerson, intake_row.person_id)
        assert person is not None and person.id is not None
        row = intake.current_decision(session, intake_id)
        staff = session.get(Staff, row.decided_by)
        first = session.execute(
            select(TriageDecision)
            .where(col(TriageDecision.intake_id) == intake_id)
            .order_by(col(TriageDecision.id))
            .limit(1)
        ).scalar_one()
    data = json.loads(row.result_json)
    engine_data = json.loads(first.result_json)

    def contacts_of(d: dict[str, object]) -> tuple[Contact, ...]:
        items = d.get("contacts") or []
        assert isinstance(items, list)
        return tuple(Contact(c["center"], c["role"], c["rule"]) for c in items)

    assert row.id is not None and intake_row.id is not None
    return TriageDetail(
        intake_id=intake_row.id,
        decision_id=row.id,
        person_id=person.id,
        person_name=person.name,
        cpr_masked=cprmod.mask(person.cpr),
        age=row.age,
        intake_date=intake_row.intake_date,
        answers=Answers(
            situation=intake_row.situation,
            grade=intake_row.grade,
            completed_youth_education=intake_row.completed_youth_education,
            social_case=intake_row.social_case,
            jobcenter_case=intake_row.jobcenter_case,
            early_pension=intake_row.early_pension,
            specialised_needs=intake_row.specialised_needs,
            housing_or_finance=intake_row.housing_or_finance,
            retention_only=intake_row.retention_only,
        ),
        source=row.source,
        ruleset_version=row.ruleset_version,
        eligible=row.eligible,
        reason=row.reason if row.source == intake.SOURCE_OVERRIDE else data.get("reason"),
        contacts=contacts_of(data),
        rules=tuple(r for r in row.rules.split(",") if r),
        centers=tuple(c for c in row.centers.split(",") if c),
        lead_center=row.lead_center,
        contact_role=row.contact_role,
        team_meeting=row.team_meeting,
        education_duty=bool(data.get("education_duty")),
        decided_by=staff.name if staff else "?",
        decided_at=clock.local(row.decided_at),
        engine_contacts=contacts_of(engine_data),
        warnings=tuple(str(w) for w in data.get("warnings") or ()),
    )
