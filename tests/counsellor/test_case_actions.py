"""Issue 13 in the app: each new action of the case screen driven through the real screens
(keys, dialogs, workers) and checked in the database: book a follow-up meeting, a center in
and out, a changed situation, the coordinator, the contact person (appoint a named person,
end by an anchoring judgement, re-establish, an agreement after 25)."""

from __future__ import annotations

import datetime as dt

from sqlmodel import select
from textual.app import App
from textual.widgets import Checkbox, DataTable, Input, Select

from tests.counsellor.conftest import FROZEN
from tests.counsellor.test_screens import SIZE, settle
from ungehus_tui.data.engine import read_session
from ungehus_tui.data.models import Assignment, Meeting, Task
from ungehus_tui.screens.booking import BookingScreen
from ungehus_tui.screens.case import CaseScreen
from ungehus_tui.screens.confirmation import ConfirmationScreen
from ungehus_tui.screens.contact_dialog import ContactPersonDialog
from ungehus_tui.screens.reason_dialog import ReasonDialog
from ungehus_tui.screens.team_dialogs import (
    AgreementDialog,
    CenterDialog,
    MeetingKindDialog,
    StaffPickDialog,
)
from ungehus_tui.services.casework import outcomes
from ungehus_tui.services.context import Actor, Ctx


class CaseApp(App[None]):
    """The case screen of one young person, as the queue opens it."""

    TITLE = "Ungehus"

    def __init__(self, ctx: Ctx, actor: Actor, person_id: int) -> None:
        super().__init__()
        self.ctx = ctx
        self.actor = actor
        self.person_id = person_id

    def on_mount(self) -> None:
        self.push_screen(CaseScreen(self.person_id))


def active(ctx, person_id: int) -> list[Assignment]:  # type: ignore[no-untyped-def]
    with read_session(ctx.engine) as s:
        return list(
            s.exec(
                select(Assignment).where(
                    Assignment.person_id == person_id,
                    Assignment.ended_at == None,  # noqa: E711
                )
            )
        )


async def test_book_a_follow_up_meeting_from_the_case(ctx, actor_for, make_case):
    me = actor_for("cai.vejl.1")
    case = make_case("cai.vejl.1", name="Mads Opfølgersen")
    app = CaseApp(ctx, me, case.person_id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, MeetingKindDialog)
        await pilot.press("ctrl+s")  # the follow-up conversation (the default)
        await settle(app, pilot)
        assert isinstance(app.screen, BookingScreen)
        assert "Book opfølgningssamtale" in str(app.screen.query_one("#booking-title").render())
        assert app.screen.query_one("#slots", DataTable).row_count > 0
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmationScreen)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, CaseScreen)
        side = str(app.screen.query_one("#case-side-text").render())
        assert "Opfølgningssamtale" in side  # back on the case, the booked meeting shows
    with read_session(ctx.engine) as s:
        meeting = s.exec(select(Meeting).where(Meeting.person_id == case.person_id)).one()
    assert (meeting.kind, meeting.status, meeting.is_first) == ("FOLLOW_UP", "BOOKED", False)


async def test_add_and_remove_a_center(ctx, actor_for, make_case):
    me, chp = actor_for("cai.vejl.1"), actor_for("chp.hpr.1")
    case = make_case("cai.vejl.1", name="Tea Teamsen")
    app = CaseApp(ctx, me, case.person_id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CenterDialog)
        app.screen.query_one("#center", Select).value = "CHP"
        await pilot.pause()
        staff = app.screen.query_one("#staff", Select)
        assert all("CHP" in str(label) for label, _ in staff._options[1:])  # only CHP's people
        staff.value = chp.id
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, CaseScreen)
        assert {a.center_code for a in active(ctx, case.person_id)} == {"CAI", "CHP"}
        await pilot.press("c")
        await pilot.pause()
        app.screen.query_one("#action", Select).value = "REMOVE"
        app.screen.query_one("#center", Select).value = "CHP"
        await pilot.press("ctrl+s")  # no reason: refused, the dialog stays with its input
        await settle(app, pilot)
        assert isinstance(app.screen, CenterDialog)
        app.screen.query_one("#reason", Input).value = "Afklaringen er færdig"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, CaseScreen)
    assert {a.center_code for a in active(ctx, case.person_id)} == {"CAI"}


async def test_situation_change_and_coordinator(ctx, actor_for, make_case):
    me, colleague = actor_for("cai.vejl.1"), actor_for("cai.vejl.2")
    case = make_case("cai.vejl.1", name="Sif Skiftesen")
    app = CaseApp(ctx, me, case.person_id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, StaffPickDialog)
        app.screen.query_one("#staff", Select).value = colleague.id
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ReasonDialog)
        app.screen.query_one("#reason", Input).value = "Er stoppet på FGU"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, CaseScreen)
    coordinator = [a for a in active(ctx, case.person_id) if a.kind == "COORDINATOR"]
    assert [(a.staff_id, a.holds) for a in coordinator] == [(colleague.id, True)]
    with read_session(ctx.engine) as s:
        task = s.exec(select(Task).where(Task.person_id == case.person_id)).one()
    assert (task.kind, task.staff_id) == ("PLAN_REVISION", colleague.id)
    assert "FGU" in (task.note or "")


async def test_contact_person_appoint_named_end_and_reestablish(ctx, actor_for, make_case):
    me = actor_for("cai.vejl.1")
    case = make_case("cai.vejl.1", name="Kim Kontaktsen")
    app = CaseApp(ctx, me, case.person_id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("u")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ContactPersonDialog)
        dialog.query_one("#kind", Select).value = "ENTERPRISE"
        dialog.query_one("#name", Input).value = "Demo Mentor"
        dialog.query_one("#organisation", Input).value = "Slagelse Forsyning"
        dialog.query_one("#phone", Input).value = "58 00 00 00"
        dialog.query_one("#paid_by", Input).value = "CAI"
        await pilot.press("ctrl+s")  # competence not confirmed: refused, input kept
        await settle(app, pilot)
        assert app.screen is dialog
        assert dialog.query_one("#name", Input).value == "Demo Mentor"
        dialog.query_one("#competence", Checkbox).value = True
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, CaseScreen)
        cp = [a for a in active(ctx, case.person_id) if a.kind == "CONTACT_PERSON"]
        assert [(a.contact_kind, a.contact_name, a.paid_by) for a in cp] == [
            ("ENTERPRISE", "Demo Mentor", "CAI")
        ]
        await pilot.press("f")
        await pilot.pause()
        app.screen.query_one("#reason", Input).value = "Fast i lære som smed, trives"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not [a for a in active(ctx, case.person_id) if a.kind == "CONTACT_PERSON"]
        await pilot.press("u")
        await pilot.pause()
        app.screen.query_one("#why", Select).value = "DROP_OUT"
        app.screen.query_one("#staff", Select).value = me.id
        app.screen.query_one("#paid_by", Input).value = "CAI"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, CaseScreen)
    cp = [a for a in active(ctx, case.person_id) if a.kind == "CONTACT_PERSON"]
    assert [a.staff_id for a in cp] == [me.id]


async def test_contact_person_after_25_needs_an_agreement(ctx, actor_for, make_case):
    me = actor_for("cai.vejl.1")
    case = make_case("cai.vejl.1", age=25, name="Ole Femogtyvesen")
    app = CaseApp(ctx, me, case.person_id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("u")
        await pilot.pause()
        dialog = app.screen
        dialog.query_one("#staff", Select).value = me.id
        dialog.query_one("#paid_by", Input).value = "CAI"
        await pilot.press("ctrl+s")  # no agreed end date: refused
        await settle(app, pilot)
        assert app.screen is dialog
        dialog.query_one("#until", Input).value = "30-06-2026"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, CaseScreen)
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, AgreementDialog)
        app.screen.query_one("#until", Input).value = "31-12-2026"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, CaseScreen)
    cp = [a for a in active(ctx, case.person_id) if a.kind == "CONTACT_PERSON"]
    assert [a.agreed_until for a in cp] == [dt.date(2026, 12, 31)]
    assert FROZEN.date() < dt.date(2026, 6, 30)
    assert outcomes.REESTABLISH_MAX_AGE == 24


async def test_activity_offer_done_from_the_case_names_the_activity(ctx, actor_for, make_case):
    from ungehus_tui.data.engine import write_session

    me = actor_for("cai.vejl.1")
    case = make_case("cai.vejl.1", name="Ane Aktivsen")
    with write_session(ctx.engine) as s:
        s.add(
            Task(
                person_id=case.person_id,
                kind="ACTIVITY_OFFER",
                staff_id=me.id,
                due=FROZEN.date() + dt.timedelta(days=30),
                created_by=me.id,
            )
        )
    app = CaseApp(ctx, me, case.person_id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ReasonDialog)
        app.screen.query_one("#reason", Input).value = "Værkstedsforløb på FGU"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, CaseScreen)
    with read_session(ctx.engine) as s:
        task = s.exec(select(Task).where(Task.person_id == case.person_id)).one()
    assert task.done_at is not None and "Værkstedsforløb" in (task.note or "")
