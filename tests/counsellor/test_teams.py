"""Issue 13, 'Follow-up and changing teams': an open case gains and loses centers, a team case
without a coordinator says so in the queue, and a new intake or a changed situation puts
'Revidér planen' in the coordinator's queue."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.counsellor.conftest import FROZEN, holders
from ungehus_tui.services.casework import outcomes, plans, teams
from ungehus_tui.services.casework.plans import PlanInput
from ungehus_tui.services.casework.queue import queue_for
from ungehus_tui.services.errors import Conflict, PermissionDenied, ValidationFailed

PAST = FROZEN - dt.timedelta(days=1)


def test_a_single_center_case_brings_in_another_center_and_needs_a_coordinator(
    ctx, actor_for, make_case, make_meeting
):
    me, chp = actor_for("cai.vejl.1"), actor_for("chp.hpr.1")
    case = make_case("cai.vejl.1", name="Tea Teamsen")
    assert queue_for(ctx, me, kinds=["COORDINATOR_MISSING"]) == []
    with pytest.raises(ValidationFailed):  # the professional must belong to the center
        teams.add_center(ctx, me, case.person_id, "CBU", chp.id)
    with pytest.raises(PermissionDenied):  # only someone on the case
        teams.add_center(ctx, actor_for("cai.vejl.2"), case.person_id, "CHP", chp.id)
    teams.add_center(ctx, me, case.person_id, "CHP", chp.id)
    with pytest.raises(Conflict):
        teams.add_center(ctx, me, case.person_id, "CHP", actor_for("chp.hpr.2").id)
    missing = queue_for(ctx, me, kinds=["COORDINATOR_MISSING"])
    assert [(i.person_name, i.holder_name) for i in missing] == [("Tea Teamsen", me.name)]
    assert "CAI, CHP" in missing[0].detail_da
    leader = queue_for(ctx, actor_for("cai.leder"), kinds=["COORDINATOR_MISSING"])
    assert [i.holder_name for i in leader] == [me.name]
    # The CHP professional now works on the case.
    plans.save_plan(ctx, chp, case.person_id, PlanInput("Mål", ""))
    # The 'coordinator required' refusal, on a team case that really has none.
    mid = make_meeting(
        case.person_id, PAST, [me.login, chp.login], kind="TEAM_MEETING", is_first=True
    )
    with pytest.raises(ValidationFailed) as err:
        outcomes.record_outcome(ctx, me, mid, "HELD")
    assert err.value.field == "coordinator"
    later = make_meeting(
        case.person_id, PAST, [me.login, chp.login], kind="TEAM_MEETING", is_first=False
    )
    with pytest.raises(ValidationFailed):  # a later team meeting of a team case too
        outcomes.record_outcome(ctx, me, later, "HELD")
    outcomes.record_outcome(ctx, me, mid, "HELD", coordinator_staff_id=me.id)
    assert queue_for(ctx, me, kinds=["COORDINATOR_MISSING"]) == []
    outcomes.record_outcome(ctx, me, later, "HELD")


def test_appointing_a_coordinator_outside_a_meeting_clears_the_queue(ctx, actor_for, make_case):
    me, cbu = actor_for("cai.vejl.1"), actor_for("cbu.bfr.1")
    case = make_case("cai.vejl.1")
    teams.add_center(ctx, me, case.person_id, "CBU", cbu.id)
    assert len(queue_for(ctx, me, kinds=["COORDINATOR_MISSING"])) == 1
    outcomes.appoint_coordinator(ctx, me, case.person_id, cbu.id)
    assert holders(ctx, case.person_id) == [cbu.id]
    assert queue_for(ctx, me, kinds=["COORDINATOR_MISSING"]) == []
    assert queue_for(ctx, cbu, kinds=["COORDINATOR_MISSING"]) == []


def test_a_team_shrinks_but_never_loses_its_holder(ctx, actor_for, make_case):
    me, cbu = actor_for("cai.vejl.1"), actor_for("cbu.vejl.1")
    case = make_case("cai.vejl.1", team=["cbu.vejl.1"])
    with pytest.raises(Conflict) as err:
        teams.remove_center(ctx, me, case.person_id, "CAI", "Færdig")
    assert "kædeansvar" in err.value.message
    with pytest.raises(ValidationFailed):
        teams.remove_center(ctx, me, case.person_id, "CBU", "  ")
    teams.remove_center(ctx, me, case.person_id, "CBU", "Skolen er slut")
    assert holders(ctx, case.person_id) == [me.id]
    with pytest.raises(PermissionDenied):  # the CBU professional has left the case
        plans.save_plan(ctx, cbu, case.person_id, PlanInput("x", ""))
    with pytest.raises(Conflict):
        teams.remove_center(ctx, me, case.person_id, "CBU", "Igen")


def test_a_changed_situation_or_new_intake_asks_the_coordinator_to_revise_the_plan(
    ctx, actor_for, make_case
):
    from ungehus_tui.data.engine import read_session
    from ungehus_tui.data.models import YoungPerson
    from ungehus_tui.domain.triage_model import Facts
    from ungehus_tui.services.desk.intake import record_intake

    me, cbu = actor_for("cai.vejl.1"), actor_for("cbu.vejl.1")
    case = make_case("cai.vejl.1", team=["cbu.vejl.1"])  # me: coordinator
    teams.record_situation_change(ctx, cbu, case.person_id, "Droppet ud af EUX")
    items = queue_for(ctx, me, kinds=["PLAN_REVISION"])
    assert [i.detail_da for i in items] == [
        "Revidér planen: situationen er ændret (Droppet ud af EUX)"
    ]
    assert queue_for(ctx, cbu, kinds=["PLAN_REVISION"]) == []
    plans.save_plan(ctx, cbu, case.person_id, PlanInput("Ny plan", ""))  # saving closes it
    assert queue_for(ctx, me, kinds=["PLAN_REVISION"]) == []
    with read_session(ctx.engine) as session:
        cpr = session.get(YoungPerson, case.person_id).cpr  # type: ignore[union-attr]
    record_intake(
        ctx, actor_for("rec.1"), case.person_id, Facts(cpr=cpr, on=FROZEN.date(), situation="job")
    )
    items = queue_for(ctx, me, kinds=["PLAN_REVISION"])
    assert [i.detail_da for i in items] == ["Revidér planen: ny visitation 10-03-2026"]
    with pytest.raises(ValidationFailed):
        teams.record_situation_change(ctx, me, case.person_id, "\x1b[2J")
