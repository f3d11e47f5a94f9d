"""Recording triage decisions and staff overrides (services/intake.py)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlmodel import select

from tests.cprgen import make_cpr
from tests.services.conftest import actor
from ungehus_tui.data.engine import read_session, write_session
from ungehus_tui.data.models import AuditEvent, Intake, TriageDecision, YoungPerson
from ungehus_tui.domain.folding import fold
from ungehus_tui.domain.triage import RULESET_VERSION, Contact, Facts, decide
from ungehus_tui.services.context import Actor, Ctx
from ungehus_tui.services.desk.intake import current_decision, override_decision, record_intake
from ungehus_tui.services.errors import Conflict, NotFound, PermissionDenied, ValidationFailed

ON = dt.date(2024, 8, 1)


def add_person(ctx: Ctx, birth: dt.date, name: str = "Demo Ung Testesen") -> tuple[int, str]:
    cpr = make_cpr(birth, hyphen=False)
    with write_session(ctx.engine) as session:
        person = YoungPerson(cpr=cpr, birth_date=birth, name=name, name_folded=fold(name))
        session.add(person)
        session.flush()
        assert person.id is not None
        return person.id, cpr


def audit_actions(ctx: Ctx) -> list[tuple[str, int | None]]:
    with read_session(ctx.engine) as session:
        rows = session.exec(select(AuditEvent).order_by(AuditEvent.id)).all()  # type: ignore[arg-type]
        return [(e.action, e.person_id) for e in rows]


def test_record_intake_stores_facts_decision_and_audit(ctx: Ctx, reception: Actor) -> None:
    pid, cpr = add_person(ctx, dt.date(2008, 3, 14))
    facts = Facts(cpr=cpr, on=ON, situation="ingen", social_case=True, retention_only=True)
    intake, row = record_intake(ctx, reception, pid, facts)
    with read_session(ctx.engine) as session:
        stored = session.get(Intake, intake.id)
        assert stored is not None
        assert (stored.person_id, stored.intake_date, stored.situation) == (pid, ON, "ingen")
        assert stored.social_case and stored.retention_only and not stored.jobcenter_case
        assert stored.created_by == reception.id
        current = current_decision(session, stored.id)  # type: ignore[arg-type]
    assert current.id == row.id
    assert row.source == "ENGINE"
    assert row.ruleset_version == RULESET_VERSION
    assert (row.eligible, row.age) == (True, 16)
    assert row.rules == "R1,R3,T1,L1"
    assert row.centers == "CAI,CBU"
    assert (row.lead_center, row.contact_role, row.team_meeting) == (
        "CBU",
        "BOERNE_FAMILIERAADGIVER",
        True,
    )
    assert json.loads(row.result_json) == decide(facts).to_contract()
    assert cpr not in row.result_json and cpr[:6] not in row.result_json
    assert row.decided_by == reception.id and row.overrides_id is None
    assert ("TRIAGE", pid) in audit_actions(ctx)


def test_ineligible_decision_is_recorded(ctx: Ctx, reception: Actor) -> None:
    pid, cpr = add_person(ctx, dt.date(1990, 1, 1))
    _, row = record_intake(ctx, reception, pid, Facts(cpr=cpr, on=ON, situation="job"))
    assert not row.eligible
    assert (row.rules, row.centers, row.lead_center) == ("AGE-MAX", "", None)
    assert json.loads(row.result_json)["reason"]


def test_invalid_facts_give_danish_validation_and_write_nothing(ctx: Ctx, reception: Actor) -> None:
    pid, cpr = add_person(ctx, dt.date(2008, 3, 14))
    with pytest.raises(ValidationFailed) as info:
        record_intake(ctx, reception, pid, Facts(cpr=cpr, on=ON, situation="skole"))
    assert "situation" in info.value.errors
    assert "Ukendt situation" in info.value.message
    other = make_cpr(dt.date(2007, 1, 1))
    with pytest.raises(ValidationFailed) as info:
        record_intake(ctx, reception, pid, Facts(cpr=other, on=ON, situation="ingen"))
    assert info.value.field == "cpr"
    with pytest.raises(NotFound):
        record_intake(ctx, reception, 999_999, Facts(cpr=cpr, on=ON, situation="ingen"))
    with read_session(ctx.engine) as session:
        assert session.exec(select(Intake)).all() == []
    assert audit_actions(ctx) == []


def test_leaders_may_not_triage(ctx: Ctx) -> None:
    pid, cpr = add_person(ctx, dt.date(2008, 3, 14))
    leader = actor(ctx, "cbu.leder")
    with pytest.raises(PermissionDenied):
        record_intake(ctx, leader, pid, Facts(cpr=cpr, on=ON, situation="ingen"))
    with pytest.raises(PermissionDenied):
        override_decision(ctx, leader, 1, lead_center="CBU", reason="x")


def _recorded(ctx: Ctx, reception: Actor, **flags: bool) -> tuple[int, TriageDecision]:
    pid, cpr = add_person(ctx, dt.date(2000, 5, 5))  # 24 on ON
    _, row = record_intake(ctx, reception, pid, Facts(cpr=cpr, on=ON, situation="ingen", **flags))
    return pid, row


def test_override_keeps_the_original(ctx: Ctx, reception: Actor) -> None:
    pid, original = _recorded(ctx, reception, housing_or_finance=True)
    assert original.centers == "CAI,CKFB" and original.lead_center == "CAI"
    counsellor = actor(ctx, "cai.vejl.1")
    new = override_decision(
        ctx,
        counsellor,
        original.id,
        lead_center="CKFB",
        reason="  Boligen haster  ",  # type: ignore[arg-type]
    )
    assert new.source == "OVERRIDE" and new.overrides_id == original.id
    assert (new.lead_center, new.contact_role) == ("CKFB", "BORGERSERVICE_RAADGIVER")
    assert new.centers == "CAI,CKFB" and new.team_meeting
    assert new.reason == "Boligen haster"
    assert new.rules == original.rules and new.ruleset_version == original.ruleset_version
    assert new.decided_by == counsellor.id
    result = json.loads(new.result_json)
    assert result["lead_center"] == "CKFB" and result["contact_role"] == "BORGERSERVICE_RAADGIVER"
    with read_session(ctx.engine) as session:
        old = session.get(TriageDecision, original.id)
        assert old is not None
        assert (old.lead_center, old.source, old.result_json) == (
            "CAI",
            "ENGINE",
            original.result_json,
        )
        assert current_decision(session, original.intake_id).id == new.id
    assert audit_actions(ctx)[-1] == ("TRIAGE_OVERRIDE", pid)


def test_override_whole_result_with_contacts(ctx: Ctx, reception: Actor) -> None:
    _, original = _recorded(ctx, reception)
    assert original.centers == "CAI"
    new = override_decision(
        ctx,
        reception,
        original.id,  # type: ignore[arg-type]
        contacts=[
            ("CHP", "HANDICAP_PSYKIATRIRAADGIVER"),
            Contact("CAI", "UDDANNELSESVEJLEDER", "x"),
        ],
        lead_center="CHP",
        team_meeting=False,
        reason="Psykiatrisk diagnose oplyst efter visitationen",
    )
    assert new.centers == "CAI,CHP"
    assert new.team_meeting is False
    contacts = json.loads(new.result_json)["contacts"]
    assert [c["rule"] for c in contacts] == ["OVERRIDE", "OVERRIDE"]


def test_override_by_centers_keeps_original_contacts(ctx: Ctx, reception: Actor) -> None:
    _, original = _recorded(ctx, reception, jobcenter_case=True)
    new = override_decision(
        ctx,
        reception,
        original.id,
        centers=["CAI", "CKFB"],
        lead_center="CAI",
        reason="Gæld",  # type: ignore[arg-type]
    )
    contacts = json.loads(new.result_json)["contacts"]
    assert contacts == [
        {"center": "CAI", "role": "BESKAEFTIGELSESRAADGIVER", "rule": "R5"},
        {"center": "CKFB", "role": "BORGERSERVICE_RAADGIVER", "rule": "OVERRIDE"},
    ]
    assert new.team_meeting and new.contact_role == "BESKAEFTIGELSESRAADGIVER"


def test_override_to_not_eligible(ctx: Ctx, reception: Actor) -> None:
    _, original = _recorded(ctx, reception)
    new = override_decision(
        ctx,
        reception,
        original.id,
        contacts=[],
        lead_center=None,
        reason="Er i fast job",  # type: ignore[arg-type]
    )
    assert not new.eligible and new.centers == "" and new.lead_center is None
    assert json.loads(new.result_json)["reason"] == "Er i fast job"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"lead_center": "CAI", "reason": "   "}, "reason"),
        ({"lead_center": "CAI", "reason": "x" * 1001}, "reason"),
        ({"lead_center": "CHP", "reason": "x"}, "lead_center"),
        ({"lead_center": None, "reason": "x"}, "lead_center"),
        ({"lead_center": "XYZ", "centers": ["XYZ"], "reason": "x"}, "centers"),
        ({"lead_center": "CBU", "centers": ["CBU"], "reason": "x"}, "contacts"),
        (
            {"lead_center": "CHP", "contacts": [("CHP", "UDDANNELSESVEJLEDER")], "reason": "x"},
            "contacts",
        ),
        (
            {"lead_center": "CAI", "contact_role": "BORGERSERVICE_RAADGIVER", "reason": "x"},
            "contact_role",
        ),
    ],
)
def test_override_validation(
    ctx: Ctx, reception: Actor, kwargs: dict[str, object], field: str
) -> None:
    _, original = _recorded(ctx, reception)
    with pytest.raises(ValidationFailed) as info:
        override_decision(ctx, reception, original.id, **kwargs)  # type: ignore[arg-type]
    assert field in info.value.errors
    with read_session(ctx.engine) as session:
        assert current_decision(session, original.intake_id).id == original.id


def test_override_of_a_replaced_decision_conflicts(ctx: Ctx, reception: Actor) -> None:
    _, original = _recorded(ctx, reception)
    override_decision(ctx, reception, original.id, lead_center="CAI", reason="Samme, med note")  # type: ignore[arg-type]
    with pytest.raises(Conflict):
        override_decision(ctx, reception, original.id, lead_center="CAI", reason="Forældet")  # type: ignore[arg-type]
    with pytest.raises(NotFound):
        override_decision(ctx, reception, 999_999, lead_center="CAI", reason="x")
