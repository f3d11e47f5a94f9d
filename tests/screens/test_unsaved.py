"""Issue 14, no lost work: Esc, Ctrl+Q and a mode switch ask "Kassér ændringer?" before
typed input is thrown away; one-key changes to a case name the young person and ask."""

from __future__ import annotations

from sqlmodel import select
from textual.widgets import Input, Select

from tests.counsellor.conftest import holders
from tests.reception.conftest import settle
from tests.screens.helpers import screen_text
from ungehus_tui.app import make_app
from ungehus_tui.data.engine import read_session
from ungehus_tui.data.models import Consent, DeskArrival
from ungehus_tui.screens.case import CaseScreen
from ungehus_tui.screens.confirm_dialog import ConfirmDialog
from ungehus_tui.screens.desk import DeskScreen
from ungehus_tui.screens.plan_dialog import PlanDialog
from ungehus_tui.screens.queue import QueueScreen
from ungehus_tui.screens.registration import RegistrationScreen

SIZE = (120, 36)


async def _press(app, pilot, *keys: str) -> None:  # type: ignore[no-untyped-def]
    for key in keys:
        await pilot.press(key)
        await settle(app, pilot, 1)
    await settle(app, pilot)


def _asks(app, title: str) -> None:  # type: ignore[no-untyped-def]
    assert isinstance(app.screen, ConfirmDialog), app.screen
    assert app.screen.title_da == title


async def test_esc_on_a_filled_registration_asks_and_enter_keeps_the_work(ctx, frozen):
    app = make_app(ctx, as_login="rec.1")
    async with app.run_test(size=SIZE) as pilot:
        await _press(app, pilot, "ctrl+n", "tab", *"Freja", "escape")
        _asks(app, "Kassér ændringer?")
        await _press(app, pilot, "enter")  # the focus is on staying
        assert isinstance(app.screen, RegistrationScreen)
        assert app.screen.query_one("#name", Input).value == "Freja"
        await _press(app, pilot, "escape", "j")
        assert isinstance(app.screen, DeskScreen)


async def test_esc_on_an_untouched_registration_just_goes_back(ctx, frozen):
    app = make_app(ctx, as_login="rec.1")
    async with app.run_test(size=SIZE) as pilot:
        await _press(app, pilot, *"Freja Ny", "ctrl+n")  # the name comes from the search
        assert app.screen.query_one("#name", Input).value == "Freja Ny"
        await _press(app, pilot, "escape")
        assert isinstance(app.screen, DeskScreen)


async def test_ctrl_q_with_unsaved_input_asks_before_quitting(ctx, frozen, monkeypatch):
    app = make_app(ctx, as_login="rec.1")
    quits: list[object] = []
    monkeypatch.setattr(app, "exit", lambda *a, **k: quits.append(a))
    async with app.run_test(size=SIZE) as pilot:
        await _press(app, pilot, "ctrl+n", "tab", *"Freja", "ctrl+q")
        _asks(app, "Kassér ændringer?")
        await _press(app, pilot, "n")
        assert quits == [] and isinstance(app.screen, RegistrationScreen)
        await _press(app, pilot, "ctrl+q", "j")
        assert quits == [()]
    quits.clear()
    app = make_app(ctx, as_login="rec.1")
    monkeypatch.setattr(app, "exit", lambda *a, **k: quits.append(a))
    async with app.run_test(size=SIZE) as pilot:
        await _press(app, pilot, "ctrl+q")  # nothing typed: no question
        assert quits == [()]


async def test_switching_mode_on_a_filled_form_asks(ctx, frozen):
    app = make_app(ctx, as_login="cai.vejl.1")  # counsellors may register too
    async with app.run_test(size=SIZE) as pilot:
        await _press(app, pilot, "f2", "ctrl+n", "tab", *"Freja", "f3")
        _asks(app, "Kassér ændringer?")
        await _press(app, pilot, "escape")
        assert isinstance(app.screen, RegistrationScreen)
        await _press(app, pilot, "f3", "j")
        assert isinstance(app.screen, QueueScreen)
        await _press(app, pilot, "f2")
        assert isinstance(app.screen, DeskScreen)  # the discarded form is gone


async def test_esc_in_a_dialog_with_typed_text_asks(ctx, frozen, scenario):
    app = make_app(ctx, as_login="cai.vejl.1")
    async with app.run_test(size=SIZE) as pilot:
        await _press(app, pilot, "enter", "p")
        assert isinstance(app.screen, PlanDialog)
        await _press(app, pilot, *"Mål", "escape")
        _asks(app, "Kassér ændringer?")
        await _press(app, pilot, "j")
        assert isinstance(app.screen, CaseScreen)
        await _press(app, pilot, "p", "escape")  # nothing typed: closes at once
        assert isinstance(app.screen, CaseScreen)


async def test_f6_names_the_young_person_and_asks(ctx, frozen, desk_people, reception):
    from ungehus_tui.services.desk import arrivals

    arrivals.record_arrival(ctx, reception, desk_people.person_id, "NEW", None)
    app = make_app(ctx, as_login="rec.1")

    def waiting() -> int:
        with read_session(ctx.engine) as session:
            rows = session.exec(select(DeskArrival).where(DeskArrival.served_at == None))  # noqa: E711
            return len(list(rows))

    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        before = waiting()
        await _press(app, pilot, "f6")
        assert isinstance(app.screen, ConfirmDialog)
        assert app.screen.title_da.startswith("Ekspedér ")
        assert "?" in app.screen.title_da and "Ekspedér den unge" not in app.screen.title_da
        await _press(app, pilot, "escape")
        assert waiting() == before
        await _press(app, pilot, "f6", "j")
        assert waiting() == before - 1


async def test_accepting_a_handover_names_the_young_person_and_asks(ctx, actor_for, scenario):
    dan = scenario["Dan Tilbudsen"]
    me = actor_for("cai.vejl.1")
    app = make_app(ctx, as_login="cai.vejl.1")
    async with app.run_test(size=SIZE) as pilot:
        await _press(app, pilot, "4", "enter", "a")
        _asks(app, "Overtag Dan Tilbudsen?")
        await _press(app, pilot, "n")
        assert me.id not in holders(ctx, dan)
        await _press(app, pilot, "a", "enter")  # Enter: the focused "Overtag"
        assert holders(ctx, dan) == [me.id]


async def test_withdrawing_a_consent_names_the_young_person_and_asks(ctx, actor_for, scenario):
    from ungehus_tui.services.casework import consents

    me = actor_for("cai.vejl.1")
    clara = scenario["Clara Udfaldsen"]
    given = consents.give_consent(ctx, me, clara, "CKFB", "Boligrådgivning")
    app = make_app(ctx, as_login="cai.vejl.1")

    def withdrawn() -> bool:
        with read_session(ctx.engine) as session:
            return session.get(Consent, given.id).withdrawn_at is not None  # type: ignore[union-attr]

    async with app.run_test(size=SIZE) as pilot:
        await _press(app, pilot, "3", "enter", "s")
        app.screen.query_one("#withdraw", Select).value = given.id
        await _press(app, pilot)
        await pilot.click("#do-withdraw")
        await settle(app, pilot)
        _asks(app, "Træk samtykket tilbage for Clara Udfaldsen?")
        assert "Boligrådgivning" in screen_text(app)
        await _press(app, pilot, "n")
        assert not withdrawn()
        await pilot.click("#do-withdraw")
        await settle(app, pilot)
        await _press(app, pilot, "j")
        assert withdrawn() and isinstance(app.screen, CaseScreen)
