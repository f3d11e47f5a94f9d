from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import select

from tests.counsellor.conftest import FROZEN, holders
from ungehus_tui.data.engine import read_session
from ungehus_tui.data.models import Assignment, EducationPlan, Meeting, Task
from ungehus_tui.services.casework import cases, consents, outcomes, plans
from ungehus_tui.services.casework.outcomes import ContactPersonInput
from ungehus_tui.services.casework.plans import InterventionInput, PlanInput
from ungehus_tui.services.errors import Conflict, PermissionDenied, ValidationFailed

PAST = FROZEN - dt.timedelta(days=1)


def test_no_show_creates_outreach_task_due_in_working_days(ctx, actor_for, make_case, make_meeting):
    a = actor_for("cai.vejl.1")
    case = make_case("cai.vejl.1")
    mid = make_meeting(case.person_id, PAST, ["cai.vejl.1"])
    outcomes.record_outcome(ctx, a, mid, "NO_SHOW", "Kom ikke")
    with read_session(ctx.engine) as s:
        task = s.exec(select(Task).where(Task.person_id == case.person_id)).one()
    assert (task.kind, task.staff_id, task.meeting_id) == ("OUTREACH", a.id, mid)
    assert task.due == dt.date(2026, 3, 17)  # Tuesday + 5 working days
    with pytest.raises(Conflict):
        outcomes.record_outcome(ctx, a, mid, "HELD")
    outcomes.complete_task(ctx, a, task.id)  # type: ignore[arg-type]


def test_future_meeting_can_only_be_cancelled(ctx, actor_for, make_case, make_meeting):
    a = actor_for("cai.vejl.1")
    case = make_case("cai.vejl.1")
    mid = make_meeting(case.person_id, FROZEN + dt.timedelta(days=2), ["cai.vejl.1"])
    with pytest.raises(ValidationFailed):
        outcomes.record_outcome(ctx, a, mid, "HELD")
    assert outcomes.record_outcome(ctx, a, mid, "CANCELLED").status == "CANCELLED"


def test_first_team_meeting_needs_coordinator(ctx, actor_for, make_case, make_meeting):
    # A team case whose coordinator left the team: the meeting names a new one.
    case = make_case("cai.vejl.1", team=["cbu.bfr.1"], age=16)
    a, cbu = actor_for("cai.vejl.1"), actor_for("cbu.bfr.1")
    from ungehus_tui.data.engine import write_session

    with write_session(ctx.engine) as s:
        for row in s.exec(select(Assignment).where(Assignment.person_id == case.person_id)):
            row.kind = "CONTACT"
            s.add(row)
    mid = make_meeting(case.person_id, PAST, ["cai.vejl.1", "cbu.bfr.1"], kind="TEAM_MEETING")
    with pytest.raises(ValidationFailed) as err:
        outcomes.record_outcome(ctx, a, mid, "HELD")
    assert "koordinerende sagsbehandler" in err.value.message
    outcomes.record_outcome(
        ctx,
        a,
        mid,
        "HELD",
        "Godt møde",
        coordinator_staff_id=cbu.id,
        contact_person=ContactPersonInput(actor_for("cai.besk.1").id, "CAI, Ungeindsatsen"),
        stu_decision="Ikke relevant",
        plan=PlanInput(
            "Møde op hver uge",
            "Uddannelse",
            [InterventionInput("CAI", "EDUCATION", "Vejledning", dt.date(2026, 3, 11))],
        ),
    )
    assert holders(ctx, case.person_id) == [cbu.id]
    view = cases.case_timeline(ctx, a, case.person_id)
    assert "koordinerende" in view.holder_da and view.cpr_masked.endswith("-XXXX")
    assert any(
        "kontaktperson" in t.label_da and "CAI, Ungeindsatsen" in t.label_da for t in view.team
    )
    assert view.plan_lines[0] == "Version 1"
    with read_session(ctx.engine) as s:
        m = s.get(Meeting, mid)
        assert m is not None and m.stu_decision == "Ikke relevant"


def test_contact_person_needs_eighth_grade_and_payer(ctx, actor_for, make_case):
    a = actor_for("cbu.vejl.1")
    case = make_case("cbu.vejl.1", age=15, grade=7)
    with pytest.raises(ValidationFailed) as err:
        outcomes.appoint_contact_person(ctx, a, case.person_id, ContactPersonInput(a.id, ""))
    assert set(err.value.errors) == {"paid_by", "contact_person"}


def test_plan_versions_and_consent_rule(ctx, actor_for, make_case):
    a = actor_for("cai.vejl.1")
    case = make_case("cai.vejl.1")
    housing = InterventionInput(
        "CKFB", "OTHER", "Hjælp til bolig", dt.date(2026, 4, 1), dt.date(2026, 6, 1)
    )
    with pytest.raises(ValidationFailed) as err:
        plans.save_plan(ctx, a, case.person_id, PlanInput("Bolig", "Job", [housing]))
    assert "kræver den unges samtykke til Center for Kultur" in err.value.message
    consent = consents.give_consent(ctx, a, case.person_id, "CKFB", "Boligrådgivning")
    plans.save_plan(ctx, a, case.person_id, PlanInput("Bolig", "Job", [housing]))
    plans.save_plan(ctx, a, case.person_id, PlanInput("Bolig og job", "Job", [housing]))
    with read_session(ctx.engine) as s:
        versions = s.exec(
            select(EducationPlan.version).where(EducationPlan.person_id == case.person_id)
        ).all()
    assert sorted(versions) == [1, 2]
    _, affected = consents.withdraw_consent(ctx, a, consent.id)  # type: ignore[arg-type]
    assert [x.description for x in affected] == ["Hjælp til bolig"]
    with pytest.raises(Conflict):
        consents.withdraw_consent(ctx, a, consent.id)  # type: ignore[arg-type]


def test_strangers_cannot_see_or_change_the_case(ctx, actor_for, make_case):
    case = make_case("cai.vejl.1")
    other = actor_for("chp.hpr.1")
    with pytest.raises(PermissionDenied):
        cases.case_timeline(ctx, other, case.person_id)
    with pytest.raises(PermissionDenied):
        plans.save_plan(ctx, other, case.person_id, PlanInput("x", "y"))


def test_reestablish_contact_person_reopens_closed_case(ctx, actor_for, make_case):
    from ungehus_tui.services.casework import handovers as ho

    a = actor_for("cai.vejl.1")
    case = make_case("cai.vejl.1", age=21)
    h = ho.offer_handover(
        ctx,
        a,
        case.person_id,
        kind="JOB_START",
        to_external="Demo Byg",
        to_external_contact="Mester",
    )
    ho.acknowledge_external(ctx, a, h.id, acknowledged_by="Mester")
    assert holders(ctx, case.person_id) == [None]
    outcomes.reestablish_contact_person(
        ctx, a, case.person_id, ContactPersonInput(actor_for("cai.besk.1").id, "CAI"), "UNEMPLOYED"
    )
    assert holders(ctx, case.person_id) == [a.id]
    old = make_case("cai.vejl.1", age=26)
    with pytest.raises(ValidationFailed):
        outcomes.reestablish_contact_person(
            ctx, a, old.person_id, ContactPersonInput(a.id, "CAI"), "DROP_OUT"
        )
