"""Issue 13, 'The education plan': interventions ended and removed, a withdrawn consent marks
its interventions and never blocks the rest, goals from the outcome dialog keep the
interventions, and two editors of the same plan: the second is told who saved."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.counsellor.conftest import FROZEN
from ungehus_tui.services.casework import cases, consents, outcomes, plans
from ungehus_tui.services.casework.plans import InterventionInput, PlanInput
from ungehus_tui.services.errors import Conflict, NotFound, ValidationFailed

PAST = FROZEN - dt.timedelta(days=1)
SCHOOL = InterventionInput("CAI", "EDUCATION", "Brobygning", dt.date(2026, 4, 1))
HOUSING = InterventionInput("CKFB", "OTHER", "Hjælp til bolig", dt.date(2026, 4, 1))


def _plan_with_housing(ctx, a, person_id):  # type: ignore[no-untyped-def]
    consent = consents.give_consent(ctx, a, person_id, "CKFB", "Boligrådgivning")
    plans.save_plan(ctx, a, person_id, PlanInput("Bolig", "Job", [SCHOOL, HOUSING]))
    return consent


def test_withdrawn_consent_marks_its_intervention_and_never_blocks_the_plan(
    ctx, actor_for, make_case
):
    a = actor_for("cai.vejl.1")
    case = make_case("cai.vejl.1")
    consent = _plan_with_housing(ctx, a, case.person_id)
    consents.withdraw_consent(ctx, a, consent.id)  # type: ignore[arg-type]
    view = cases.case_timeline(ctx, a, case.person_id)
    assert view.plan is not None
    marked = {i.description: i.consent_withdrawn for i in view.plan.interventions}
    assert marked == {"Brobygning": False, "Hjælp til bolig": True}
    assert any(
        "Hjælp til bolig" in line and "samtykke trukket tilbage" in line for line in view.plan_lines
    )
    # Saving the rest of the plan (as the plan dialog does: the current interventions kept,
    # a goal changed) works; the carried-over intervention stays marked.
    assert view.plan_in is not None
    edited = PlanInput("Bolig snart", "Job", view.plan_in.interventions, base_version=1)
    plans.save_plan(ctx, a, case.person_id, edited)
    # An editor that passes no ids carries over by center, area and description.
    plans.save_plan(ctx, a, case.person_id, PlanInput("Bolig snart", "Job i år", [SCHOOL, HOUSING]))
    again = cases.case_timeline(ctx, a, case.person_id).plan
    assert again is not None and again.version == 3
    assert [i.consent_withdrawn for i in again.interventions] == [False, True]
    # A NEW intervention beyond education and job still needs an active consent.
    new = InterventionInput("CKFB", "OTHER", "Fritidsjob via klub")
    with pytest.raises(ValidationFailed) as err:
        plans.save_plan(ctx, a, case.person_id, PlanInput("x", "y", [SCHOOL, HOUSING, new]))
    assert "kræver den unges samtykke" in err.value.message
    # A fresh consent replaces the withdrawn one: the mark goes.
    consents.give_consent(ctx, a, case.person_id, "CKFB", "Bolig igen")
    plans.save_plan(ctx, a, case.person_id, PlanInput("x", "y", [SCHOOL, HOUSING]))
    last = cases.case_timeline(ctx, a, case.person_id).plan
    assert last is not None and not any(i.consent_withdrawn for i in last.interventions)


def test_an_intervention_is_ended_or_removed_as_a_new_version(ctx, actor_for, make_case):
    a = actor_for("cai.vejl.1")
    case = make_case("cai.vejl.1")
    _plan_with_housing(ctx, a, case.person_id)
    view = plans.plan_view(ctx, a, case.person_id)
    assert view is not None
    school = next(i for i in view.interventions if i.area == "EDUCATION")
    plans.end_intervention(ctx, a, case.person_id, school.id, dt.date(2026, 5, 31), base_version=1)
    view = plans.plan_view(ctx, a, case.person_id)
    assert view is not None and view.version == 2
    assert [(i.description, i.ends_on) for i in view.interventions] == [
        ("Brobygning", dt.date(2026, 5, 31)),
        ("Hjælp til bolig", None),
    ]
    assert "(01-04-2026–31-05-2026)" in view.interventions[0].line_da()
    assert view.interventions[0].area_da == "uddannelse"
    with pytest.raises(ValidationFailed):  # an end before the start
        plans.end_intervention(
            ctx, a, case.person_id, view.interventions[0].id, dt.date(2026, 3, 1)
        )
    housing = view.interventions[1]
    plans.remove_intervention(ctx, a, case.person_id, housing.id, base_version=2)
    view = plans.plan_view(ctx, a, case.person_id)
    assert view is not None and view.version == 3
    assert [i.description for i in view.interventions] == ["Brobygning"]
    assert view.short_term_goals == "Bolig"  # goals kept
    with pytest.raises(NotFound):  # the removed one is gone from the current version
        plans.remove_intervention(ctx, a, case.person_id, housing.id)
    with pytest.raises(Conflict):  # version check here too
        plans.remove_intervention(ctx, a, case.person_id, view.interventions[0].id, base_version=2)


def test_goals_from_the_outcome_dialog_keep_the_interventions(
    ctx, actor_for, make_case, make_meeting
):
    a = actor_for("cai.vejl.1")
    case = make_case("cai.vejl.1")
    _plan_with_housing(ctx, a, case.person_id)
    mid = make_meeting(case.person_id, PAST, ["cai.vejl.1"])
    # The outcome dialog sends only the goals: PlanInput(short, long).
    outcomes.record_outcome(ctx, a, mid, "HELD", plan=PlanInput("Nye mål", "Langt"))
    view = plans.plan_view(ctx, a, case.person_id)
    assert view is not None and view.version == 2 and view.short_term_goals == "Nye mål"
    assert [i.description for i in view.interventions] == ["Brobygning", "Hjælp til bolig"]
    # An explicit empty list is still "no interventions".
    plans.save_plan(ctx, a, case.person_id, PlanInput("Mål", "", []))
    view = plans.plan_view(ctx, a, case.person_id)
    assert view is not None and view.interventions == []


def test_the_second_of_two_editors_is_told_who_saved(ctx, actor_for, make_case):
    a, b = actor_for("cai.vejl.1"), actor_for("cbu.vejl.1")
    case = make_case("cai.vejl.1", team=["cbu.vejl.1"])
    plans.save_plan(ctx, a, case.person_id, PlanInput("Start", "", [SCHOOL]))
    mine = cases.case_timeline(ctx, a, case.person_id).plan_in
    theirs = cases.case_timeline(ctx, b, case.person_id).plan_in
    assert mine is not None and theirs is not None and mine.base_version == 1
    plans.save_plan(ctx, b, case.person_id, PlanInput("Deres mål", "", theirs.interventions, 1))
    with pytest.raises(Conflict) as err:
        plans.save_plan(ctx, a, case.person_id, PlanInput("Mine mål", "", mine.interventions, 1))
    b_name = b.name
    assert b_name in err.value.message and "version 2" in err.value.message
    view = plans.plan_view(ctx, a, case.person_id)
    assert view is not None and (view.version, view.short_term_goals) == (2, "Deres mål")
    # Nobody had a plan yet: base_version 0 is checked too.
    other = make_case("cai.vejl.1")
    plans.save_plan(ctx, a, other.person_id, PlanInput("Først", "", [], base_version=0))
    with pytest.raises(Conflict):
        plans.save_plan(ctx, a, other.person_id, PlanInput("Også først", "", [], base_version=0))
