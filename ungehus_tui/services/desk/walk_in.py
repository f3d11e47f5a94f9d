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
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlmodel import Session, col

from ungehus_tui.data.engine import read_session, write_session
from ungehus_tui.data.models import (
    Consent,
    Intake,
    Meeting,
    Room,
    TriageDecision,
    YoungPerson,
)
from ungehus_tui.domain import clock
from ungehus_tui.domain import cpr as cprmod
from ungehus_tui.domain.codes import ArrivalReason, MeetingStatus
from ungehus_tui.domain.labels import CENTER_NAMES_DA
from ungehus_tui.domain.triage import Answers, Decision, TriageInputError, decide
from ungehus_tui.services.access import audit
from ungehus_tui.services.access.permissions import Action, allowed, require, require_person_access
from ungehus_tui.services.context import Actor, Ctx
from ungehus_tui.services.desk import arrivals, intake, people
from ungehus_tui.services.desk.hits import person_hit
from ungehus_tui.services.errors import Conflict, NotFound, ValidationFailed

CONSENT_PURPOSE_DA = "Deling af oplysninger med {center} i Ungehusets tværfaglige samarbejde"


class SimilarExists(Conflict):
    """A young person with the same birth date and a similar name is already registered."""

    def __init__(self, similar: list[people.PersonHit]) -> None:
        super().__init__("Der findes allerede en ung med samme fødselsdato og lignende navn")
        self.similar = similar


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
    return person_hit(person.id, person.name, person.cpr, person.birth_date, on)


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
        .join(Intake, col(Intake.id) == col(TriageDecision.intake_id))
        .where(col(Intake.person_id) == person_id)
        .order_by(col(Intake.id).desc(), col(TriageDecision.id).desc())
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
        select(Meeting, col(Room.name))
        .join(Room, col(Room.id) == col(Meeting.room_id))
        .where(
            col(Meeting.person_id) == person_id,
            col(Meeting.status) == MeetingStatus.BOOKED,
            col(Meeting.start) >= start_of_day,
        )
        .order_by(col(Meeting.start))
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
    facts = answers.facts(person.cpr, clock.today())
    intake_row, decision = intake.record_intake_in(session, actor, person.id, facts)
    assert intake_row.id is not None and decision.id is not None
    centers = tuple(c for c in decision.centers.split(",") if c)
    consents = _record_consents_in(session, actor, person.id, consent_centers, centers)
    arrival = arrivals.open_arrival_in(session, person.id)
    if arrival is None and allowed(actor, Action.RECORD_ARRIVAL):
        # a walk-in at the desk is an arrival; a counsellor's own intake is not
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
        arrival_id=arrival.id if arrival else None,
    )


def register_walk_in(
    ctx: Ctx,
    actor: Actor,
    data: people.PersonInput,
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
        return decide(answers.facts(cpr, clock.today()))
    except TriageInputError as exc:
        raise ValidationFailed({exc.field or "facts": exc.message_da}) from None
