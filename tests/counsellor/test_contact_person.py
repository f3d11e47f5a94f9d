"""Issue 13, 'Contact person': who may be one (staff, a municipal enterprise's employee, an
adult outside; competence confirmed; who pays), ended by a recorded anchoring judgement (not
the first day of education), re-established from the CLI, after 25 only by agreement."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from tests.counsellor.conftest import FROZEN
from ungehus_tui.cli import app as cli_app
from ungehus_tui.data.engine import read_session
from ungehus_tui.data.models import Assignment
from ungehus_tui.services.casework import cases, outcomes
from ungehus_tui.services.casework import handovers as ho
from ungehus_tui.services.casework.outcomes import ContactPersonInput
from ungehus_tui.services.casework.queue import queue_for
from ungehus_tui.services.errors import PermissionDenied, ValidationFailed


def _cp(ctx, person_id: int) -> list[Assignment]:  # type: ignore[no-untyped-def]
    with read_session(ctx.engine) as s:
        return list(
            s.exec(
                select(Assignment)
                .where(Assignment.person_id == person_id, Assignment.kind == "CONTACT_PERSON")
                .order_by(Assignment.id)
            ).all()
        )


def test_an_adult_outside_the_municipality_needs_name_org_phone_and_competence(
    ctx, actor_for, make_case
):
    a = actor_for("cai.vejl.1")
    case = make_case("cai.vejl.1")
    with pytest.raises(ValidationFailed) as err:
        outcomes.appoint_contact_person(
            ctx, a, case.person_id, ContactPersonInput(None, "CAI", "EXTERNAL", "Bent Mentor")
        )
    assert set(err.value.errors) == {"organisation", "phone", "competence_confirmed"}
    with pytest.raises(ValidationFailed) as err:
        outcomes.appoint_contact_person(
            ctx,
            a,
            case.person_id,
            ContactPersonInput(None, "CAI", "NOBODY", "Bent", "Klub", "12345678", True),
        )
    assert "kind" in err.value.errors
    cp = ContactPersonInput(
        None,
        "CAI og idrætsklubben",
        "EXTERNAL",
        "Bent Mentor",
        "Slagelse Boldklub",
        "12345678",
        True,
    )
    outcomes.appoint_contact_person(ctx, a, case.person_id, cp)
    (row,) = _cp(ctx, case.person_id)
    assert (row.staff_id, row.contact_kind, row.contact_name, row.contact_org) == (
        None,
        "EXTERNAL",
        "Bent Mentor",
        "Slagelse Boldklub",
    )
    assert row.competence_confirmed is True and row.paid_by == "CAI og idrætsklubben"
    team = cases.case_timeline(ctx, a, case.person_id).team
    assert any(t.name == "Bent Mentor (Slagelse Boldklub)" for t in team)
    # An employee of a municipal enterprise, likewise named.
    other = make_case("cai.vejl.1")
    outcomes.appoint_contact_person(
        ctx,
        a,
        other.person_id,
        ContactPersonInput(
            None, "CAI", "ENTERPRISE", "Lis Forsyning", "Slagelse Forsyning", "1", True
        ),
    )
    assert _cp(ctx, other.person_id)[0].contact_kind == "ENTERPRISE"


def test_contact_person_goes_on_after_education_starts_until_an_anchoring_judgement(
    ctx, actor_for, make_case
):
    a, besk = actor_for("cai.vejl.1"), actor_for("cai.besk.1")
    case = make_case("cai.vejl.1")
    outcomes.appoint_contact_person(ctx, a, case.person_id, ContactPersonInput(besk.id, "CAI"))
    h = ho.offer_handover(
        ctx, a, case.person_id, kind="EDUCATION_START", to_external="EUC", to_external_contact="X"
    )
    ho.acknowledge_external(ctx, a, h.id, acknowledged_by="X")
    (row,) = _cp(ctx, case.person_id)
    assert row.ended_at is None  # not ended on the first day of education
    items = queue_for(ctx, besk, kinds=["CONTACT_PERSON_END"])
    assert len(items) == 1 and "forankret" in items[0].detail_da
    with pytest.raises(ValidationFailed):
        outcomes.end_contact_person(ctx, besk, case.person_id, "  ")
    outcomes.end_contact_person(ctx, besk, case.person_id, "Har gennemført grundforløbet")
    (row,) = _cp(ctx, case.person_id)
    assert row.ended_at is not None
    assert row.end_reason == "Forankret: Har gennemført grundforløbet"
    assert queue_for(ctx, besk, kinds=["CONTACT_PERSON_END"]) == []
    with pytest.raises(PermissionDenied):  # the case is closed and nobody is on it any more
        outcomes.end_contact_person(ctx, a, case.person_id, "Igen")


def test_after_25_only_by_an_agreement_with_an_end_date(ctx, actor_for, make_case):
    a, besk = actor_for("cai.vejl.1"), actor_for("cai.besk.1")
    young = make_case("cai.vejl.1", age=24)
    outcomes.appoint_contact_person(ctx, a, young.person_id, ContactPersonInput(besk.id, "CAI"))
    with pytest.raises(ValidationFailed) as err:  # before the 25th birthday: no agreement
        outcomes.agree_continuation(ctx, a, young.person_id, FROZEN.date() + dt.timedelta(30))
    assert "25-års" in err.value.message
    old = make_case("cai.vejl.1", age=25)
    with pytest.raises(ValidationFailed) as err:
        outcomes.appoint_contact_person(ctx, a, old.person_id, ContactPersonInput(besk.id, "CAI"))
    assert "agreed_until" in err.value.errors
    until = dt.date(2026, 12, 31)
    outcomes.appoint_contact_person(
        ctx, a, old.person_id, ContactPersonInput(besk.id, "CAI", agreed_until=until)
    )
    assert _cp(ctx, old.person_id)[0].agreed_until == until
    outcomes.agree_continuation(ctx, a, old.person_id, dt.date(2027, 3, 31), "Forlænget")
    assert _cp(ctx, old.person_id)[0].agreed_until == dt.date(2027, 3, 31)
    with pytest.raises(ValidationFailed):
        outcomes.agree_continuation(ctx, a, old.person_id, FROZEN.date())


def test_contact_person_cli(ctx, actor_for, make_case, settings):
    a = actor_for("cai.vejl.1")
    case = make_case("cai.vejl.1", age=21)
    h = ho.offer_handover(
        ctx, a, case.person_id, kind="JOB_START", to_external="Demo Byg", to_external_contact="M"
    )
    ho.acknowledge_external(ctx, a, h.id, acknowledged_by="M")
    run = CliRunner().invoke
    base = ["--db", settings.db, "--as", "cai.vejl.1"]
    bad = run(
        cli_app,
        ["contact-person", "reestablish", str(case.person_id), "--reason", "UNEMPLOYED",
         "--paid-by", "CAI", "--kind", "EXTERNAL", "--name", "Bo", *base],
    )  # fmt: skip
    assert bad.exit_code == 1 and "Traceback" not in bad.output and _cp(ctx, case.person_id) == []
    ok = run(
        cli_app,
        ["contact-person", "reestablish", str(case.person_id), "--reason", "UNEMPLOYED",
         "--paid-by", "CAI", "--kind", "EXTERNAL", "--name", "Bo Mentor", "--org", "Klub",
         "--phone", "12345678", "--competence-confirmed", *base],
    )  # fmt: skip
    assert ok.exit_code == 0, ok.output
    assert [r.contact_name for r in _cp(ctx, case.person_id)] == ["Bo Mentor"]
    end = run(
        cli_app,
        ["contact-person", "end", str(case.person_id), "--judgement", "Fast job i 6 mdr", *base],
    )
    assert end.exit_code == 0, end.output
    assert _cp(ctx, case.person_id)[0].ended_at is not None
