"""The desk's services: walk-in registration in one transaction, arrivals, the person card."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import select

from tests.reception.conftest import cpr_aged
from ungehus_tui.data.engine import read_session
from ungehus_tui.data.models import Consent, DeskArrival, Intake, YoungPerson
from ungehus_tui.domain import clock
from ungehus_tui.services.desk import arrivals, people
from ungehus_tui.services.desk import walk_in as desk
from ungehus_tui.services.errors import ValidationFailed

pytestmark = pytest.mark.usefixtures("frozen")

TEEN = desk.Answers(situation="ingen", social_case=True)


def _teen(cpr: str, name: str = "Freja Prøvesen") -> people.PersonInput:
    return people.PersonInput(cpr=cpr, name=name, phone="01234567", guardian_name="Hanne Prøvesen")


def test_walk_in_registers_triages_consents_and_records_arrival(ctx, reception):
    cpr = cpr_aged(17)
    walk = desk.register_walk_in(ctx, reception, _teen(cpr), TEEN, ["CBU", "CAI"])
    assert walk.created and walk.team_meeting and walk.centers == ("CAI", "CBU")
    with read_session(ctx.engine) as s:
        assert s.exec(select(Intake).where(Intake.person_id == walk.person_id)).one()
        consents = s.exec(select(Consent).where(Consent.person_id == walk.person_id)).all()
        assert sorted(c.center_code for c in consents) == ["CAI", "CBU"]
        arrival = s.exec(select(DeskArrival)).one()
        assert arrival.reason == "NEW" and arrival.person_id == walk.person_id
    waiting = arrivals.waiting_list(ctx, reception)
    assert [w.person_id for w in waiting] == [walk.person_id]
    assert waiting[0].cpr_masked and waiting[0].cpr_masked.endswith("XXXX")


def test_walk_in_error_writes_nothing(ctx, reception):
    with pytest.raises(ValidationFailed) as err:
        desk.register_walk_in(ctx, reception, _teen(cpr_aged(17)), TEEN, ["CHP"])
    assert "consent" in err.value.errors
    with read_session(ctx.engine) as s:
        assert s.exec(select(YoungPerson)).all() == []
        assert s.exec(select(DeskArrival)).all() == []


def test_similar_name_same_birth_date_is_refused_until_confirmed(ctx, reception):
    first = cpr_aged(20)
    desk.register_walk_in(ctx, reception, _teen(first, "Søren Eksempelholm"), desk.Answers("job"))
    other = first[:7] + ("000" if first[7:] != "000" else "111")
    with pytest.raises(desk.SimilarExists) as err:
        desk.register_walk_in(
            ctx, reception, _teen(other, "Soren Eksempelholm"), desk.Answers("job")
        )
    assert [h.name for h in err.value.similar] == ["Søren Eksempelholm"]
    walk = desk.register_walk_in(
        ctx,
        reception,
        _teen(other, "Soren Eksempelholm"),
        desk.Answers("job"),
        allow_similar=True,
    )
    assert walk.created


def test_loose_search_finds_danish_letters(ctx, reception):
    desk.register_walk_in(
        ctx, reception, _teen(cpr_aged(19), "Søren Åse Prøvesen"), desk.Answers("job")
    )
    for term in ("soren", "SØREN", "soeren", "ase prov", "aase"):
        assert [h.name for h in people.search(ctx, reception, term)] == ["Søren Åse Prøvesen"]


def test_arrival_for_question_and_mark_served(ctx, reception):
    row = arrivals.record_arrival(ctx, reception, None, "QUESTION", "Spørger om åbningstider")
    clock.set_now(clock.now() + dt.timedelta(minutes=12))
    (waiting,) = arrivals.waiting_list(ctx, reception)
    assert waiting.minutes == 12 and waiting.name is None and waiting.reason_da == "Spørgsmål"
    arrivals.mark_served(ctx, reception, row.id)
    assert arrivals.waiting_list(ctx, reception) == []


def test_appointment_needs_a_person(ctx, reception):
    with pytest.raises(ValidationFailed):
        arrivals.record_arrival(ctx, reception, None, "APPOINTMENT")


def test_person_card(ctx, reception):
    walk = desk.register_walk_in(ctx, reception, _teen(cpr_aged(17)), TEEN, ["CBU"])
    card = desk.person_card(ctx, reception, walk.person_id, search_term="freja")
    assert card.name == "Freja Prøvesen" and card.age == 17
    assert card.latest is not None and card.latest.team_meeting
    assert card.open_arrival_id == walk.arrival_id
