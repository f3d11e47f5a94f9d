"""Issue 14, no lost or misrouted keys: keys typed with no pause at all (all on the app's
queue before the first is handled, as a fast typist, a paste or a scanner does) go where
the focus is when their turn comes: after F7, after Tab, after Enter that opens a screen."""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from tests.reception.conftest import cpr_aged, settle
from ungehus_tui.app import make_app
from ungehus_tui.screens.case import CaseScreen
from ungehus_tui.screens.outcome_dialog import OutcomeDialog
from ungehus_tui.screens.registration import RegistrationScreen
from ungehus_tui.widgets.facts import FactsPanel

SIZE = (120, 36)
NAMES = {" ": "space", "-": "minus", "+": "plus"}


async def type_at_once(app, pilot, *keys: str) -> None:  # type: ignore[no-untyped-def]
    """Every key on the app's queue in one go, then wait for the app to settle."""
    for key in keys:
        if len(key) == 1:
            app.post_message(events.Key(NAMES.get(key, key), key))
        else:
            app.post_message(events.Key(key, "\r" if key == "enter" else None))
    await settle(app, pilot, 5)


def _value(app, field: str) -> str:  # type: ignore[no-untyped-def]
    return app.screen.query_one(f"#{field}", Input).value


async def test_walk_in_typed_without_a_pause(ctx, frozen):
    """CPR, Enter (a worker decides registration opens), the name, Tab, the phone, F7 and
    the facts: each key where the focus is by then, nothing in the wrong field."""
    cpr = cpr_aged(17)
    app = make_app(ctx, as_login="rec.1")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        keys = [*cpr, "enter", *"Freja", "tab", *"01234567", "f7", "4", "s"]
        await type_at_once(app, pilot, *keys)
        assert isinstance(app.screen, RegistrationScreen)
        assert _value(app, "name") == "Freja"
        assert _value(app, "phone") == "01234567"
        state = app.screen.query_one(FactsPanel).state
        assert state.situation == "ingen" and state.social_case
        assert app.screen.focused is app.screen.query_one(FactsPanel)


async def test_tab_then_typing_lands_in_the_next_field(ctx, frozen):
    app = make_app(ctx, as_login="rec.1")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await type_at_once(app, pilot, "ctrl+n", *"0101", "tab", *"Ane", "tab", *"12345678")
        assert isinstance(app.screen, RegistrationScreen)
        assert (_value(app, "cpr"), _value(app, "name"), _value(app, "phone")) == (
            "0101",
            "Ane",
            "12345678",
        )


async def test_enter_in_the_queue_then_o_opens_the_outcome(ctx, scenario):
    """Enter opens the case; the O typed right behind it waits for the case to be shown
    and opens the outcome dialog (not "no booked meetings" on an empty case)."""
    app = make_app(ctx, as_login="cai.vejl.1")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await type_at_once(app, pilot, "3", "enter", "o")
        assert isinstance(app.screen, OutcomeDialog)
        assert isinstance(app.screen_stack[-2], CaseScreen)


async def test_enter_typed_before_the_queue_is_shown_opens_its_first_row(
    ctx, scenario, monkeypatch
):
    """A counsellor's first screen is the queue: an Enter typed before its rows are there
    waits for them and opens the first row's case (it was lost on an empty table)."""
    import threading

    from ungehus_tui.screens import queue as queue_screen

    rows_may_come = threading.Event()
    real_queue_for = queue_screen.queue_for

    def slow_queue_for(*args, **kwargs):  # type: ignore[no-untyped-def]
        rows_may_come.wait(10)  # the rows come only after the key is typed
        return real_queue_for(*args, **kwargs)

    monkeypatch.setattr(queue_screen, "queue_for", slow_queue_for)
    app = make_app(ctx, as_login="cai.vejl.1")
    async with app.run_test(size=SIZE) as pilot:
        queue = app.screen
        assert isinstance(queue, queue_screen.QueueScreen)
        app.post_message(events.Key("enter", "\r"))
        await pilot.pause()
        assert not queue.items  # the key is in before the rows
        rows_may_come.set()
        await settle(app, pilot, 5)
        assert isinstance(app.screen, CaseScreen), app.screen
        assert app.screen.person_id == queue.items[0].person_id


def test_text_fields_are_known_without_importing_text_area() -> None:
    """The fence skips a text field's letters; TextArea is known by its class, so the key
    order needs no import of it before a form has one (`is_text_field`)."""
    from textual.widgets import Static, TextArea

    from ungehus_tui.screens.key_order import is_text_field

    class Notes(TextArea):  # a subclass is a text field too
        pass

    assert is_text_field(Input())
    assert is_text_field(TextArea())
    assert is_text_field(Notes())
    assert not is_text_field(Static("TextArea"))
