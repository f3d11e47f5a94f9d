"""The reception desk's composite services: look a young person up, register a walk-in with
its triage and consents in one transaction, and read what the desk shows about a person.

`register_walk_in` is the desk's one save: the young person (or the existing one with that
CPR), the intake with the engine's decision, a consent per chosen center and the arrival,
all in ONE write transaction, so an error leaves nothing half-written and the form keeps
what was typed.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

from sqlalchemy import select
from sqlmodel import Session

from ungehus_tui.data.engine import read_session, write_session
from ungehus_tui.data.models import (
    Consent,
    Intake,
    Meeting,
    Room,
    Staff,
    TriageDecision,
    YoungPerson,
)
from ungehus_tui.domain import clock
from ungehus_tui.domain import cpr as cprmod
from ungehus_tui.domain.codes import CENTER_NAMES_DA, ArrivalReason, MeetingStatus
from ungehus_tui.domain.triage import Contact, Decision, Facts, TriageInputError, decide
from ungehus_tui.services import arrivals, audit, intake, people
from ungehus_tui.services.context import Actor, Ctx
from ungehus_tui.services.errors import Conflict, NotFound, ValidationFailed
from ungehus_tui.services.permissions import Action, require, require_person_access

CONSENT_PURPOSE_DA = "Deling af oplysninger med {center} i Ungehusets tværfaglige samarbejde"


class SimilarExists(Conflict):
    """A young person with the same birth date and a similar name is already registered."""

    def __init__(self, similar: list[people.PersonHit]) -> None:
        super().__init__("Der findes allerede en ung med samme fødselsdato og lignende navn")
        self.similar = similar


@dataclass(frozen=True)
class Answers:
    """The triage facts asked at the desk (everything but the CPR and the date)."""

    situation: str
    grade: int | None = None
    completed_youth_education: bool = False
    social_case: bool = False
    jobcenter_case: bool = False
    early_pension: bool = False
    specialised_needs: bool = False
    housing_or_finance: bool = False
    retention_only: bool = False

    def facts(self, cpr: str, on: dt.date | None = None) -> Facts:
        return Facts(cpr=cpr, on=on or clock.today(), **asdict(self))


@dataclass(frozen=True)
class DecisionInfo:
    intake_id: int
    decision_id: int
    intake_date: dt.date
    source: str
    eligible: bool
    centers: tuple[str, ...]
    lead_center: str | None
    team_meeting: bool
    reason: str | None


@dataclass(frozen=True)
class MeetingInfo:
    id: int
    kind: str
    start: dt.datetime
    end: dt.datetime
    room: str
    status: str


@dataclass(frozen=True)
class PersonCard:
    """What the desk sees about one young person (CPR masked)."""

    id: int
    name: str
    cpr_masked: str
    birth_date: dt.date
    age: int
    phone: str | None
    email: str | None
    guardian_name: str | None
    guardian_phone: str | None
    latest: DecisionInfo | None
    upcoming: tuple[MeetingInfo, ...] = ()
    todays_meeting_id: int | None = None
    open_arrival_id: int | None = None


@dataclass(frozen=True)
class WalkIn:
    person_id: int
    created: bool
    intake_id: int
    decision_id: int
    eligible: bool
    team_meeting: bool
    centers: tuple[str, ...]
    consents: tuple[str, ...]
    arrival_id: int | None
    hits: list[people.PersonHit] = field(default_factory=list)


def _hit(person: YoungPerson, on: dt.date) -> people.PersonHit:
    assert person.id is not None
    return people.PersonHit(
        id=person.id,
        name=person.name,
        cpr_masked=cprmod.mask(person.cpr),
        birth_date=person.birth_date,
        age=cprmod.age_on(person.birth_date, on),
    )


def find_cpr(ctx: Ctx, actor: Actor, cpr: str) -> people.PersonHit | None:
    """The registered young person with this CPR number (masked), or None."""
    require(actor, Action.SEARCH)
    with read_session(ctx.engine) as session:
        person = people.find_by_cpr(session, cpr)
        return _hit(person, clock.today()) if person else None


def similar(ctx: Ctx, actor: Actor, name: str, birth_date: dt.date) -> list[people.PersonHit]:
    require(actor, Action.SEARCH)
    with read_session(ctx.engine) as session:
        return [_hit(p, clock.today()) for p in people.similar_in(session, name, birth_date)]


def _latest_decision_in(session: Session, person_id: int) -> DecisionInfo | None:
    row = session.execute(
        select(TriageDecision, Intake)
        .join(Intake, Intake.id == TriageDecision.intake_id)  # type: ignore[arg-type]
        .where(Intake.person_id == person_id)
        .order_by(Intake.id.desc(), TriageDecision.id.desc())  # type: ignore[union-attr]
        .limit(1)
    ).first()
    if row is None:
        return None
    decision, intake_row = row
    return DecisionInfo(
        intake_id=intake_row.id,
        decision_id=decision.id,
        intake_date=intake_row.intake_date,
        source=decision.source,
        eligible=decision.eligible,
        centers=tuple(c for c in decision.centers.split(",") if c),
        lead_center=decision.lead_center,
        team_meeting=decision.team_meeting,
        reason=json.loads(decision.result_json).get("reason"),
    )


def _upcoming_in(session: Session, person_id: int) -> list[MeetingInfo]:
    start_of_day = clock.combine(clock.today(), dt.time(0, 0))
    rows = session.execute(
        select(Meeting, Room.name)
        .join(Room, Room.id == Meeting.room_id)  # type: ignore[arg-type]
        .where(
            Meeting.person_id == person_id,
            Meeting.status == MeetingStatus.BOOKED,
            Meeting.start >= start_of_day,
        )
        .order_by(Meeting.start)  # type: ignore[arg-type]
        .limit(10)
    ).all()
    return [
        MeetingInfo(
            id=m.id,
            kind=m.kind,
            start=clock.local(m.start),
            end=clock.local(m.end),
            room=room,
            status=m.status,
        )
        for m, room in rows
    ]


def person_card(
    ctx: Ctx, actor: Actor, person_id: int, *, search_term: str | None = None
) -> PersonCard:
    """Open one young person for the desk; the view is audited (with the search term)."""
    with write_session(ctx.engine) as session:
        require_person_access(session, actor, person_id, Action.VIEW_PERSON)
        person = session.get(YoungPerson, person_id)
        if person is None or person.anonymised_at is not None:
            raise NotFound("Den unge findes ikke")
        audit.record(
            session,
            actor,
            "VIEW_PERSON",
            person_id=person_id,
            search_term=search_term or None,
            purpose="skranken",
        )
        today_meeting = arrivals.todays_meeting_in(session, person_id)
        open_arrival = arrivals.open_arrival_in(session, person_id)
        return PersonCard(
            id=person_id,
            name=person.name,
            cpr_masked=cprmod.mask(person.cpr),
            birth_date=person.birth_date,
            age=cprmod.age_on(person.birth_date, clock.today()),
            phone=person.phone,
            email=person.email,
            guardian_name=person.guardian_name,
            guardian_phone=person.guardian_phone,
            latest=_latest_decision_in(session, person_id),
            upcoming=tuple(_upcoming_in(session, person_id)),
            todays_meeting_id=today_meeting.id if today_meeting else None,
            open_arrival_id=open_arrival.id if open_arrival else None,
        )


def _record_consents_in(
    session: Session,
    actor: Actor,
    person_id: int,
    centers: Sequence[str],
    involved: Sequence[str],
) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(centers))
    if not chosen:
        return ()
    require(actor, Action.MANAGE_CONSENT)
    outside = [c for c in chosen if c not in involved]
    if outside:
        raise ValidationFailed({"consent": "Samtykke kan kun gives til de involverede centre"})
    stamp = clock.now()
    for center in chosen:
        purpose = CONSENT_PURPOSE_DA.format(center=CENTER_NAMES_DA.get(center, center))
        session.add(
            Consent(
                person_id=person_id,
                center_code=center,
                purpose=purpose,
                given_at=stamp,
                recorded_by=actor.id,
                updated_at=stamp,
            )
        )
    session.flush()
    audit.record(
        session,
        actor,
        "CONSENT",
        person_id=person_id,
        detail="centers=" + ",".join(chosen),
    )
    return chosen


def _intake_in(
    session: Session,
    actor: Actor,
    person: YoungPerson,
    created: bool,
    answers: Answers,
    consent_centers: Sequence[str],
    reason: str,
) -> WalkIn:
    assert person.id is not None
    facts = answers.facts(person.cpr)
    intake_row, decision = intake.record_intake_in(session, actor, person.id, facts)
    assert intake_row.id is not None and decision.id is not None
    centers = tuple(c for c in decision.centers.split(",") if c)
    consents = _record_consents_in(session, actor, person.id, consent_centers, centers)
    arrival = arrivals.open_arrival_in(session, person.id)
    if arrival is None:
        arrival = arrivals.record_arrival_in(session, actor, person.id, reason)
    return WalkIn(
        person_id=person.id,
        created=created,
        intake_id=intake_row.id,
        decision_id=decision.id,
        eligible=decision.eligible,
        team_meeting=decision.team_meeting,
        centers=centers,
        consents=consents,
        arrival_id=arrival.id,
    )


def register_walk_in(
    ctx: Ctx,
    actor: Actor,
    data: people.PersonIn,
    answers: Answers,
    consent_centers: Sequence[str] = (),
    *,
    allow_similar: bool = False,
) -> WalkIn:
    """Register a new young person (or use the one with that CPR), triage, consents and the
    arrival, in one transaction. Raises SimilarExists (nothing written) when a young person
    with the same birth date and a similar name exists, unless `allow_similar`."""
    require(actor, Action.REGISTER)
    require(actor, Action.TRIAGE)
    parsed, clean = people.validate_person(data)
    with write_session(ctx.engine) as session:
        existing = people.find_by_cpr(session, parsed.compact)
        if existing is None and not allow_similar:
            hits = [
                _hit(p, clock.today())
                for p in people.similar_in(session, clean.name, parsed.birth_date)
            ]
            if hits:
                raise SimilarExists(hits)
        person, created = people.register_person_in(session, actor, clean)
        return _intake_in(
            session, actor, person, created, answers, consent_centers, ArrivalReason.NEW
        )


def new_intake(
    ctx: Ctx,
    actor: Actor,
    person_id: int,
    answers: Answers,
    consent_centers: Sequence[str] = (),
) -> WalkIn:
    """A new intake (triage) for a registered young person, with consents and the arrival."""
    require(actor, Action.TRIAGE)
    with write_session(ctx.engine) as session:
        require_person_access(session, actor, person_id, Action.TRIAGE)
        person = session.get(YoungPerson, person_id)
        if person is None:
            raise NotFound("Den unge findes ikke")
        return _intake_in(
            session, actor, person, False, answers, consent_centers, ArrivalReason.NEW
        )


def preview(ctx: Ctx, actor: Actor, person_id: int, answers: Answers) -> Decision:
    """The engine's decision for a registered young person's answers (nothing written)."""
    require(actor, Action.TRIAGE)
    with read_session(ctx.engine) as session:
        require_person_access(session, actor, person_id, Action.TRIAGE)
        person = session.get(YoungPerson, person_id)
        if person is None:
            raise NotFound("Den unge findes ikke")
        cpr = person.cpr
    try:
        return decide(answers.facts(cpr))
    except TriageInputError as exc:
        raise ValidationFailed({exc.field or "facts": exc.message_da}) from None


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
            .where(TriageDecision.intake_id == intake_id)
            .order_by(TriageDecision.id)  # type: ignore[arg-type]
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
    )
