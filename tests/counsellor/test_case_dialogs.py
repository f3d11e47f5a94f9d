"""Issue 13's dialogs in the app: the plan dialog (every field, areas in Danish, end and remove
an intervention, a withdrawn consent marked and never blocking, the version check keeping what
was typed), the outcome dialog's current coordinator; and snapshots of the new dialogs."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import select
from textual.widgets import Checkbox, Input, Label, Select

from tests.counsellor.test_case_actions import CaseApp
from tests.counsellor.test_screens import SIZE, settle
from ungehus_tui.data.engine import read_session
from ungehus_tui.data.models import EducationPlan, PlanIntervention
from ungehus_tui.screens.case import CaseScreen
from ungehus_tui.screens.outcome_dialog import OutcomeDialog
from ungehus_tui.screens.plan_dialog import PlanDialog
from ungehus_tui.services.casework import consents, plans
from ungehus_tui.services.casework.plans import InterventionInput, PlanInput


def planned_case(ctx, actor_for, make_case) -> int:  # type: ignore[no-untyped-def]
    """A case with a plan of two interventions; the consent of the OTHER one is withdrawn."""
    me = actor_for("cai.vejl.1")
    case = make_case("cai.vejl.1", name="Pia Plansen")
    consent = consents.give_consent(ctx, me, case.person_id, "CAI", "Hjælp med bolig")
    plans.save_plan(
        ctx,
        me,
        case.person_id,
        PlanInput(
            "Starte på FGU",
            "Svendebrev",
            [
                InterventionInput("CAI", "EDUCATION", "Brobygning til FGU", dt.date(2026, 3, 1)),
                InterventionInput("CAI", "OTHER", "Boligstøtte", None, dt.date(2026, 9, 30)),
            ],
        ),
    )
    consents.withdraw_consent(ctx, me, consent.id or 0)
    return case.person_id


def current(ctx, person_id: int) -> tuple[int, list[PlanIntervention]]:  # type: ignore[no-untyped-def]
    with read_session(ctx.engine) as s:
        plan = s.exec(
            select(EducationPlan)
            .where(EducationPlan.person_id == person_id)
            .order_by(EducationPlan.version.desc())  # type: ignore[attr-defined]
        ).first()
        assert plan is not None
        items = s.exec(select(PlanIntervention).where(PlanIntervention.plan_id == plan.id))
        return plan.version, list(items)


async def test_plan_dialog_ends_removes_and_marks_a_withdrawn_consent(ctx, actor_for, make_case):
    person_id = planned_case(ctx, actor_for, make_case)
    app = CaseApp(ctx, actor_for("cai.vejl.1"), person_id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("p")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, PlanDialog)
        labels = [str(w.render()) for w in dialog.query(".intervention").results(Label)]
        assert "[uddannelse]" in labels[0] and "start 01-03-2026" in labels[0]
        assert "[andet]" in labels[1] and "SAMTYKKE TRUKKET TILBAGE" in labels[1]
        assert dialog.query_one("#end-1", Input).value == "30-09-2026"  # the end date shows
        dialog.query_one("#end-0", Input).value = "31-05-2026"
        await pilot.press("ctrl+s")  # the withdrawn consent does not block the save
        await settle(app, pilot)
        assert isinstance(app.screen, CaseScreen)
        version, items = current(ctx, person_id)
        assert version == 2
        assert [(i.description, i.ends_on) for i in items] == [
            ("Brobygning til FGU", dt.date(2026, 5, 31)),
            ("Boligstøtte", dt.date(2026, 9, 30)),
        ]
        await pilot.press("p")
        await pilot.pause()
        app.screen.query_one("#remove-1", Checkbox).value = True
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    version, items = current(ctx, person_id)
    assert version == 3
    assert [i.description for i in items] == ["Brobygning til FGU"]


async def test_plan_saved_meanwhile_names_who_and_keeps_the_input(ctx, actor_for, make_case):
    person_id = planned_case(ctx, actor_for, make_case)
    colleague = actor_for("cai.vejl.1")
    app = CaseApp(ctx, actor_for("cai.vejl.1"), person_id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("p")
        await pilot.pause()
        dialog = app.screen
        dialog.query_one("#short", Input).value = "Min nye formulering"
        plans.save_plan(ctx, colleague, person_id, PlanInput("Andens mål", "Andens lange mål"))
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is dialog  # refused: still open, the input kept
        assert dialog.query_one("#short", Input).value == "Min nye formulering"
        said = str(dialog.query_one("#conflict", Label).render())
        assert colleague.name in said and "version 2" in said
        assert current(ctx, person_id)[0] == 2
        await pilot.press("ctrl+s")  # told, the second save replaces the newer version
        await settle(app, pilot)
        assert isinstance(app.screen, CaseScreen)
    with read_session(ctx.engine) as s:
        plan = s.exec(select(EducationPlan).where(EducationPlan.version == 3)).one()
        assert plan.short_term_goals == "Min nye formulering"


async def test_outcome_dialog_shows_the_current_coordinator(
    ctx, actor_for, make_case, make_meeting
):
    from ungehus_tui.services.casework import outcomes

    me, colleague = actor_for("cai.vejl.1"), actor_for("cai.vejl.2")
    case = make_case("cai.vejl.1", name="Carl Koordinatorsen")
    make_meeting(case.person_id, dt.datetime(2026, 3, 9, 10, 0), ["cai.vejl.1"])
    app = CaseApp(ctx, me, case.person_id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, OutcomeDialog)
        said = str(app.screen.query_one("#current-coordinator", Label).render())
        assert "ingen udpeget" in said
        await pilot.press("escape")
        outcomes.appoint_coordinator(ctx, me, case.person_id, colleague.id)
        await settle(app, pilot)
        app.screen.load()
        await settle(app, pilot)
        await pilot.press("o")
        await pilot.pause()
        said = str(app.screen.query_one("#current-coordinator", Label).render())
        assert colleague.name in said


# --- snapshots of the new dialogs (120x36, fictitious data, frozen clock) -----------------


@pytest.fixture
def still(monkeypatch: pytest.MonkeyPatch) -> None:
    """No self-refresh while a snapshot is taken (a slow machine could let one tick fire)."""
    from ungehus_tui.screens.case_base import CaseBase
    from ungehus_tui.screens.queue import QueueScreen

    monkeypatch.setattr(CaseBase, "REFRESH_SECONDS", 3600.0)
    monkeypatch.setattr(QueueScreen, "REFRESH_SECONDS", 3600.0)


def test_snapshot_plan_dialog(still, ctx, actor_for, make_case, snap_compare):
    person_id = planned_case(ctx, actor_for, make_case)
    me = actor_for("cai.vejl.1")
    plans.end_intervention(ctx, me, person_id, _first(ctx, person_id), dt.date(2026, 3, 5))
    app = CaseApp(ctx, actor_for("cai.vejl.1"), person_id)

    async def ready(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(app, pilot)
        await pilot.press("p")
        await settle(app, pilot)
        steady(app)
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=ready)


def steady(app) -> None:  # type: ignore[no-untyped-def]
    """No blinking cursor in a snapshot (a focused Input's blink timer runs on the clock)."""
    for field in app.screen.query(Input).results(Input):
        field.cursor_blink = False


def _first(ctx, person_id: int) -> int:  # type: ignore[no-untyped-def]
    return current(ctx, person_id)[1][0].id or 0


def test_snapshot_outcome_dialog_with_coordinator(
    ctx, actor_for, make_case, make_meeting, snap_compare
):
    case = make_case("cai.vejl.1", team=("chp.hpr.1",), name="Carl Koordinatorsen")
    make_meeting(
        case.person_id,
        dt.datetime(2026, 3, 9, 10, 0),
        ["cai.vejl.1", "chp.hpr.1"],
        kind="TEAM_MEETING",
    )
    app = CaseApp(ctx, actor_for("cai.vejl.1"), case.person_id)

    async def ready(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(app, pilot)
        await pilot.press("o")
        await settle(app, pilot)
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=ready)


def test_snapshot_contact_person_dialog(still, ctx, actor_for, make_case, snap_compare):
    case = make_case("cai.vejl.1", name="Kim Kontaktsen")
    app = CaseApp(ctx, actor_for("cai.vejl.1"), case.person_id)

    async def ready(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(app, pilot)
        await pilot.press("u")
        await pilot.pause()
        app.screen.query_one("#kind", Select).value = "EXTERNAL"
        app.screen.query_one("#name", Input).value = "Demo Mentor"
        await settle(app, pilot)
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=ready)


def test_snapshot_add_center_dialog(still, ctx, actor_for, make_case, snap_compare):
    case = make_case("cai.vejl.1", name="Tea Teamsen")
    app = CaseApp(ctx, actor_for("cai.vejl.1"), case.person_id)

    async def ready(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(app, pilot)
        await pilot.press("c")
        await pilot.pause()
        app.screen.query_one("#center", Select).value = "CHP"
        await settle(app, pilot)
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=ready)
