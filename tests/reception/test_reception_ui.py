"""Pilot tests of the desk: search, age refusal, duplicates, booking with nothing free,
the waiting list and check-in."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update
from sqlmodel import select
from textual.widgets import DataTable, Static

from tests.reception.conftest import cpr_aged, settle, teen
from ungehus_tui.app import make_app
from ungehus_tui.data.engine import read_session, write_session
from ungehus_tui.data.models import DeskArrival, Staff, YoungPerson
from ungehus_tui.domain import clock
from ungehus_tui.services.desk import arrivals
from ungehus_tui.services.desk import walk_in as desk

SOCIAL = desk.Answers(situation="ingen", social_case=True)


def _rows(table: DataTable) -> list[list[str]]:
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_search_by_cpr_and_folded_name(ctx, reception, frozen):
    cpr = cpr_aged(19)
    desk.register_walk_in(ctx, reception, teen(cpr, "Søren Ærø Prøvesen"), desk.Answers("job"))
    desk.register_walk_in(
        ctx, reception, teen(cpr_aged(22), "Mads Eksempelgaard"), desk.Answers("job")
    )
    app = make_app(ctx)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        results = app.screen.query_one("#results", DataTable)
        for term in ("soren", "aero prov", cpr[:6] + "-" + cpr[6:8], cpr):
            await pilot.press("escape", *term)
            await settle(app, pilot)
            rows = _rows(results)
            assert [r[0] for r in rows] == ["Søren Ærø Prøvesen"], term  # the name first
            assert rows[0][3] == cpr[:6] + "-XXXX"
        await pilot.press("enter")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "PersonScreen"
        title = str(app.screen.query_one("#person-title", Static).render())
        assert "Søren Ærø Prøvesen" in title and cpr[6:] not in title


async def test_age_refusal_registers_nothing(ctx, frozen):
    app = make_app(ctx)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press(*cpr_aged(14))
        await settle(app, pilot)
        refusal = app.screen.query_one("#refusal", Static)
        assert refusal.display
        text = str(refusal.render())
        assert "14 år" in text and "uddannelsesvejleder" in text
        assert "år" in str(app.screen.query_one("#cpr-info", Static).render())
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "DeskScreen"
        await pilot.press("escape", *cpr_aged(30))
        await settle(app, pilot)
        assert "jobcenteret" in str(app.screen.query_one("#refusal", Static).render())
    with read_session(ctx.engine) as s:
        assert s.exec(select(YoungPerson)).all() == []


async def test_duplicate_warning_before_anything_is_created(ctx, reception, frozen):
    first = cpr_aged(20)
    desk.register_walk_in(ctx, reception, teen(first, "Søren Eksempelholm"), desk.Answers("job"))
    other = first[:7] + ("000" if first[7:] != "000" else "111")
    app = make_app(ctx)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press(*other, "enter")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "RegistrationScreen"
        await pilot.press(*"Soren Eksempelholm", "tab", "tab", "tab", "3", "ctrl+s")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "DuplicateDialog"
        sides = [str(w.render()) for w in app.screen.query(".side").results(Static)]
        assert "Soren Eksempelholm" in sides[0] and "Søren Eksempelholm" in sides[1]
        with read_session(ctx.engine) as s:
            assert len(s.exec(select(YoungPerson)).all()) == 1
        await pilot.press("escape")  # back to the form: nothing typed is lost
        await settle(app, pilot)
        assert app.screen.query_one("#name").value == "Soren Eksempelholm"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await pilot.press("f")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "BookingScreen"
    with read_session(ctx.engine) as s:
        assert len(s.exec(select(YoungPerson)).all()) == 2


async def test_inline_validation_keeps_what_was_typed(ctx, frozen):
    app = make_app(ctx)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press(*cpr_aged(17), "enter")
        await settle(app, pilot)
        await pilot.press(
            *"Freja Prøvesen", "tab", *"12", "tab", "tab", "tab", "tab", "4", "ctrl+s"
        )
        await settle(app, pilot)
        screen = app.screen
        assert type(screen).__name__ == "RegistrationScreen"
        assert "8 cifre" in str(screen.query_one("#err-phone", Static).render())
        assert "Forælder" in str(screen.query_one("#err-guardian_name", Static).render())
        assert screen.query_one("#name").value == "Freja Prøvesen"  # type: ignore[attr-defined]
    with read_session(ctx.engine) as s:
        assert s.exec(select(YoungPerson)).all() == []


async def test_booking_when_nothing_fits_says_so(ctx, reception, frozen):
    walk = desk.register_walk_in(ctx, reception, teen(cpr_aged(17)), SOCIAL, ["CBU", "CAI"])
    with write_session(ctx.engine) as s:
        s.execute(update(Staff).where(Staff.center_code == "CBU").values(active=False))
    app = make_app(ctx)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        from ungehus_tui.screens.booking import BookingScreen

        await app.push_screen(BookingScreen(walk.intake_id, walk.person_id, "Freja", "XXXXXX-XXXX"))
        await settle(app, pilot)
        message = app.screen.query_one("#booking-message", Static)
        assert message.display and "Center for Børn og Unge" in str(message.render())
        assert app.screen.query_one("#slots", DataTable).row_count == 0
        await pilot.press("enter")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "BookingScreen"


async def test_waiting_list_question_and_served(ctx, reception, frozen):
    walk = desk.register_walk_in(ctx, reception, teen(cpr_aged(17)), SOCIAL, [])
    clock.set_now(frozen + dt.timedelta(minutes=25))
    app = make_app(ctx)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one("#waiting", DataTable)
        assert _rows(table) == [["10:00", "25", "Freja Prøvesen", "Ny henvendelse"]]
        await pilot.press("f4")
        await settle(app, pilot)
        await pilot.press(*"Spørger om åbningstider", "enter")
        await settle(app, pilot)
        assert [r[2:] for r in _rows(table)] == [
            ["Freja Prøvesen", "Ny henvendelse"],
            ["(ukendt)", "Spørgsmål"],
        ]
        await pilot.press("f6", "j")  # the first (longest waiting) is served, once confirmed
        await settle(app, pilot)
        assert [r[2] for r in _rows(table)] == ["(ukendt)"]
    with read_session(ctx.engine) as s:
        served = s.exec(select(DeskArrival).where(DeskArrival.person_id == walk.person_id)).one()
        assert served.served_at is not None


async def test_check_in_for_todays_meeting_links_the_meeting(ctx, reception, frozen):
    from ungehus_tui.services.desk import booking

    walk = desk.register_walk_in(ctx, reception, teen(cpr_aged(17)), SOCIAL, [])
    arrivals.serve_person(ctx, reception, walk.person_id)
    proposal = booking.propose(ctx, reception, walk.intake_id)
    slot = proposal.slots[0]
    assert slot.start.date() == frozen.date()
    booked = booking.book(ctx, reception, walk.intake_id, slot)
    app = make_app(ctx)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press(*"freja", "enter")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "PersonScreen"
        assert app.screen.query_one("#meetings", DataTable).row_count == 1
        await pilot.press("a")
        await settle(app, pilot)
        await pilot.press("enter")  # default reason: to today's meeting
        await settle(app, pilot)
    with read_session(ctx.engine) as s:
        rows = s.exec(select(DeskArrival).order_by(DeskArrival.id)).all()
        assert rows[-1].reason == "APPOINTMENT" and rows[-1].meeting_id == booked.meeting_id


async def test_counsellor_at_the_desk_searches_without_reception_keys(ctx, reception, frozen):
    """A counsellor (F2) gets the desk's search, but not the reception's waiting list and
    arrival keys: no 'Din rolle ... giver ikke adgang' message on start or every 30 s."""
    from textual.widgets import Footer

    from ungehus_tui.screens.desk import DeskScreen
    from ungehus_tui.widgets.waiting import WaitingPanel

    desk.register_walk_in(ctx, reception, teen(cpr_aged(19), "Søren Prøvesen"), desk.Answers("job"))
    app = make_app(ctx, as_login="cai.vejl.1")
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await settle(app, pilot)
        await app.switch_mode("reception")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, DeskScreen)
        assert not screen.query_one(WaitingPanel).display
        assert [n.message for n in app._notifications] == []
        footer_keys = {k.key for k in screen.query_one(Footer).query("FooterKey")}  # type: ignore[attr-defined]
        assert "f3" in footer_keys and not {"f2", "f4", "f5", "f6"} & footer_keys
        assert "ctrl+n" in footer_keys  # counsellors may register (outreach)
        await pilot.press("f4")
        await settle(app, pilot)
        assert app.screen is screen and list(app._notifications) == []
        await pilot.press(*"soren")
        await settle(app, pilot)
        assert [str(r[0]) for r in _rows_of(screen)] == ["Søren Prøvesen"]
        await pilot.press("enter")  # not a young person this counsellor works with
        await settle(app, pilot)
        assert app.screen is screen  # back at the search, not a card stuck on "Henter ..."
        assert [n.message for n in app._notifications] == ["Du har ikke adgang til denne unges sag"]

    leader = make_app(ctx, as_login="cbu.leder")
    async with leader.run_test(size=(120, 36), notifications=True) as pilot:
        await settle(leader, pilot)
        await leader.switch_mode("reception")
        await settle(leader, pilot)
        footer_keys = {k.key for k in leader.screen.query_one(Footer).query("FooterKey")}  # type: ignore[attr-defined]
        assert "ctrl+n" not in footer_keys and "f4" not in footer_keys
        assert list(leader._notifications) == []


def _rows_of(screen) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return _rows(screen.query_one("#results", DataTable))
