"""The sign-in is the first screen of the one app (issues 15, 16): drawn before the store is
open, every key typed at full speed lands in its field in order (even while the store is
still opening: Enter waits for it), then the role's screen replaces it in the same app.

`burst` queues keys the way a terminal delivers a fast typist (or keys typed while the app
was starting): all at once, with no pause for the app to handle any of them in between.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

from sqlmodel import select
from textual import events
from textual.keys import _character_to_key
from textual.widgets import DataTable, Input, Static
from textual.widgets._footer import FooterKey

from tests.reception.conftest import cpr_aged, teen
from ungehus_tui.app import UngehusApp
from ungehus_tui.data.engine import read_session
from ungehus_tui.data.models import AuditEvent
from ungehus_tui.screens.desk import DeskScreen
from ungehus_tui.screens.queue import QueueScreen
from ungehus_tui.screens.sign_in import SignInScreen
from ungehus_tui.services.access import auth
from ungehus_tui.services.desk import walk_in as desk
from ungehus_tui.startup import Started, StartRefused
from ungehus_tui.widgets.footer import KeysFooter

PW = "rigtig-kode-42"
NAMED = {"tab": "\t", "enter": "\r", "ctrl+j": "\n"}


def burst(app: UngehusApp, *keys: str) -> None:
    """Queue every key at once (single characters, or tab/enter/ctrl+j)."""
    for key in keys:
        pieces: Iterable[str] = [key] if key in NAMED else key
        for piece in pieces:
            char = NAMED.get(piece, piece)
            name = piece if piece in NAMED else _character_to_key(piece)
            event = events.Key(name, char)
            event.set_sender(app)
            app.post_message(event)


def typed(app: UngehusApp) -> dict[str, str]:
    return {str(i.id): i.value for i in app.screen.query(Input).results(Input)}


async def until(pilot: Any, condition: Any, tries: int = 200) -> None:
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("the app never got there")


def slow_store(ctx: Any) -> tuple[threading.Event, Any]:
    """An opener that waits for `go` (the store still opening while keys are typed)."""
    go = threading.Event()

    def opener() -> Started:
        assert go.wait(30)
        return Started(ctx, None)

    return go, opener


def sign_ins(ctx: Any) -> list[str]:
    with read_session(ctx.engine) as session:
        rows = session.exec(select(AuditEvent).where(AuditEvent.action == "SIGN_IN")).all()
        return [str(r.staff_login) for r in rows]


async def test_keys_typed_before_the_store_is_ready_land_in_order(ctx, admin, reception) -> None:  # type: ignore[no-untyped-def]
    auth.set_password(ctx, admin, "rec.1", PW, must_change=False)
    cpr = cpr_aged(19)
    desk.register_walk_in(ctx, reception, teen(cpr, "Søren Hastig"), desk.Answers("job"))
    go, opener = slow_store(ctx)
    app = UngehusApp(opener=opener)
    async with app.run_test(size=(120, 36)) as pilot:
        # typed at once from launch: login, Tab, password, Enter, then a CPR for the desk
        burst(app, "rec.1", "tab", PW, "enter", cpr)
        await pilot.pause(0.3)
        assert not app.store.ready and isinstance(app.screen, SignInScreen)
        # nothing misplaced while the store opens: the login in the login, the password was
        # taken by the Enter (waiting for the store), the CPR held for the next screen
        assert typed(app)["login"] == "rec.1"
        assert app.holding_keys and app.focused is None
        assert "Logger ind" in str(app.screen.query_one("#message", Static).render())
        go.set()
        await until(pilot, lambda: isinstance(app.screen, DeskScreen))
        await until(pilot, lambda: app.focused is not None and not app.holding_keys)
        assert app.focused is app.screen.query_one("#search", Input)
        await until(pilot, lambda: typed(app)["search"] == cpr)  # every key after the Enter
        assert app.actor.login == "rec.1" and sign_ins(ctx) == ["rec.1"]
        results = app.screen.query_one("#results", DataTable)
        await until(pilot, lambda: results.row_count == 1)
        assert str(results.get_row_at(0)[0]) == "Søren Hastig"
        # one app: the sign-in mode is gone (once the desk has answered), not left under it
        await until(pilot, lambda: "sign-in" not in app._modes)
        assert not app.query(SignInScreen) and typed(app)["search"] == cpr


async def test_the_desk_is_made_behind_the_sign_in_and_shown_by_the_enter(ctx, admin) -> None:  # type: ignore[no-untyped-def]
    """While the password is typed the desk is made (composed, not shown); the Enter shows
    that very screen, with the reception's waiting list, and the keys typed after it."""
    auth.set_password(ctx, admin, "rec.1", PW, must_change=False)
    go, opener = slow_store(ctx)
    go.set()
    app = UngehusApp(opener=opener)
    async with app.run_test(size=(120, 36)) as pilot:
        await until(pilot, lambda: app._prepared is not None and app._prepared.is_mounted)
        prepared = app._prepared
        assert isinstance(prepared, DeskScreen) and isinstance(app.screen, SignInScreen)
        assert prepared.query_one("#search", Input) is not None  # composed already
        assert not prepared.query_one("#waiting-panel").display  # nobody signed in yet
        burst(app, "rec.1", "tab", PW, "enter", "soeren")
        await until(pilot, lambda: isinstance(app.screen, DeskScreen) and not app.holding_keys)
        assert app.screen is prepared
        # released, the keys are on their way to the search field (its queue): all of them
        await until(pilot, lambda: typed(app)["search"] == "soeren")
        assert prepared.query_one("#waiting-panel").display  # the reception's list now
        # its footer has the reception's keys, not F2 (the desk's own mode)
        footer = prepared.query_one(KeysFooter)
        await until(pilot, lambda: "ctrl+n" in [k.key for k in footer.query(FooterKey)])
        keys = [k.key for k in footer.query(FooterKey)]
        assert "f4" in keys and "f2" not in keys


async def test_no_desk_is_made_behind_a_sign_in_under_way(ctx, admin) -> None:  # type: ignore[no-untyped-def]
    """The store opens after the Enter (keys typed after it held for the desk): making the
    desk then would release the sign-in's hold, and the keys would go nowhere."""
    auth.set_password(ctx, admin, "rec.1", PW, must_change=False)
    go, opener = slow_store(ctx)
    app = UngehusApp(opener=opener)
    async with app.run_test(size=(120, 36)) as pilot:
        burst(app, "rec.1", "tab", PW, "enter", "soeren")
        await pilot.pause(0.3)
        assert app.holding_keys and isinstance(app.screen, SignInScreen)
        await app._prepare_desk()  # as the store's worker asks for it once the store is open
        assert app.holding_keys and app._prepared is None
        go.set()
        await until(pilot, lambda: isinstance(app.screen, DeskScreen) and not app.holding_keys)
        await until(pilot, lambda: typed(app)["search"] == "soeren")


async def test_keys_typed_while_the_desk_is_made_stay_in_the_sign_in(ctx, admin) -> None:  # type: ignore[no-untyped-def]
    """The desk is made while the password is typed: keys typed meanwhile go on into the
    sign-in's field, never into the desk's search (a password searched for, and audited)."""
    auth.set_password(ctx, admin, "rec.1", PW, must_change=False)
    go, opener = slow_store(ctx)
    app = UngehusApp(opener=opener)
    async with app.run_test(size=(120, 36)) as pilot:
        burst(app, "rec.1", "tab", PW[:3])
        await until(pilot, lambda: typed(app).get("password") == PW[:3])
        prepare = app._prepare_desk

        async def prepare_while_typing() -> None:
            burst(app, PW[3:])  # typed as the desk is being made
            await prepare()

        app._prepare_desk = prepare_while_typing  # type: ignore[method-assign]
        go.set()
        await until(pilot, lambda: app._prepared is not None and app._prepared.is_mounted)
        await until(pilot, lambda: typed(app).get("password") == PW)
        assert isinstance(app.screen, SignInScreen) and app.focused is app.screen.query_one(
            "#password", Input
        )
        assert app._prepared.query_one("#search", Input).value == ""


async def test_a_counsellor_signing_in_goes_to_the_queue_past_the_made_desk(ctx, admin) -> None:  # type: ignore[no-untyped-def]
    auth.set_password(ctx, admin, "chp.hpr.1", PW, must_change=False)
    go, opener = slow_store(ctx)
    go.set()
    app = UngehusApp(opener=opener)
    async with app.run_test(size=(120, 36)) as pilot:
        await until(pilot, lambda: app._prepared is not None)
        burst(app, "chp.hpr.1", "tab", PW, "enter")
        await until(pilot, lambda: isinstance(app.screen, QueueScreen))
        await until(pilot, lambda: "sign-in" not in app._modes)
        assert app.actor.login == "chp.hpr.1"
        await app.switch_mode("reception")  # F2: the desk made before, for a counsellor
        assert app.screen is app._prepared
        assert not app.screen.query_one("#waiting-panel").display  # no waiting list


async def test_a_burst_with_the_store_open_and_pilot_presses(ctx, admin) -> None:  # type: ignore[no-untyped-def]
    auth.set_password(ctx, admin, "cai.vejl.1", PW, must_change=False)
    app = UngehusApp(ctx)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press(*"cai.vejl.1", "tab", *PW, "enter")  # Pilot's pace
        await until(pilot, lambda: isinstance(app.screen, QueueScreen))  # a counsellor
        assert app.current_mode == "queue" and app.actor.login == "cai.vejl.1"


async def test_an_enter_typed_before_the_app_had_the_terminal(ctx, admin) -> None:  # type: ignore[no-untyped-def]
    """Typed while the program was still starting, the terminal was in line mode and turned
    the Enter into a line feed (ctrl+j): it signs in all the same."""
    auth.set_password(ctx, admin, "rec.1", PW, must_change=False)
    app = UngehusApp(ctx)
    async with app.run_test(size=(120, 36)) as pilot:
        burst(app, "rec.1", "tab", PW, "ctrl+j", "soren")
        await until(pilot, lambda: isinstance(app.screen, DeskScreen) and not app.holding_keys)
        await until(pilot, lambda: typed(app)["search"] == "soren")


async def test_a_refused_sign_in_gives_the_keys_back_to_the_password(ctx, admin) -> None:  # type: ignore[no-untyped-def]
    auth.set_password(ctx, admin, "rec.1", PW, must_change=False)
    app = UngehusApp(ctx, login="rec.1")  # --as without --demo: the login filled in
    async with app.run_test(size=(120, 36)) as pilot:
        burst(app, "forkert-kode-1", "enter", PW[:3])
        await until(pilot, lambda: "Forkert" in str(app.screen.query_one("#message").render()))
        await until(pilot, lambda: not app.holding_keys and typed(app)["password"] == PW[:3])
        assert app.focused is app.screen.query_one("#password", Input)
        assert typed(app)["login"] == "rec.1"
        burst(app, PW[3:], "enter")  # the rest of the right password
        await until(pilot, lambda: isinstance(app.screen, DeskScreen))


async def test_before_the_sign_in_nothing_but_the_fields(ctx) -> None:  # type: ignore[no-untyped-def]
    app = UngehusApp(ctx)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("f2", "f3", "ctrl+l", "ctrl+t", "ctrl+p", "f9")
        await pilot.pause()
        assert isinstance(app.screen, SignInScreen) and app.current_mode == "sign-in"
        assert not app.locked and not app.privacy
        for action in ("switch_mode", "command_palette", "lock", "change_password"):
            assert app.check_action(action, ()) is False
        await pilot.press("tab", "tab", "shift+tab")  # Tab goes round the two fields
        assert app.focused is app.screen.query_one("#password", Input)


async def test_the_idle_lock_after_signing_in_through_the_app(ctx, admin) -> None:  # type: ignore[no-untyped-def]
    auth.set_password(ctx, admin, "rec.1", PW, must_change=False)
    now = [1000.0]
    app = UngehusApp(ctx, idle_clock=lambda: now[0])
    async with app.run_test(size=(120, 36)) as pilot:
        now[0] += 3600  # an hour on the sign-in: nothing to lock yet
        app.check_idle_lock()
        assert not app.locked
        burst(app, "rec.1", "tab", PW, "enter", "abc")
        await until(pilot, lambda: isinstance(app.screen, DeskScreen) and not app.holding_keys)
        now[0] += ctx.settings.idle_lock_minutes * 60 + 1
        app.check_idle_lock()
        await pilot.pause()
        assert app.locked and isinstance(app.screen, SignInScreen)
        burst(app, PW, "enter", "d")  # unlocked: the key after the Enter goes to the search
        await until(pilot, lambda: not app.locked and not app.holding_keys)
        await until(pilot, lambda: typed(app).get("search") == "abcd")


async def test_a_store_that_cannot_open_ends_the_app_with_one_line(ctx) -> None:  # type: ignore[no-untyped-def]
    def opener() -> Started:
        raise StartRefused("Not a demo database: it was not made by Ungehus", 1)

    app = UngehusApp(opener=opener)
    async with app.run_test(size=(120, 36)) as pilot:
        burst(app, "rec.1", "tab", "x", "enter")
        await until(pilot, lambda: not app.is_running)
    assert app.refusal is not None and app.refusal.code == 1
    assert app.return_code == 1


async def test_demo_as_types_into_the_desk_before_the_store_is_ready(ctx, reception) -> None:  # type: ignore[no-untyped-def]
    """`--demo --as rec.1` with a CPR typed at once: the desk takes the keys from the first
    frame, before the store (and who rec.1 is) is known; the answer comes when it is."""
    cpr = cpr_aged(20)
    desk.register_walk_in(ctx, reception, teen(cpr, "Freja Straks"), desk.Answers("job"))
    go = threading.Event()

    def opener() -> Started:
        assert go.wait(30)
        return Started(ctx, reception)

    app = UngehusApp(opener=opener, skip_sign_in=True)
    async with app.run_test(size=(120, 36)) as pilot:
        burst(app, cpr)
        await until(pilot, lambda: typed(app).get("search") == cpr)
        assert isinstance(app.screen, DeskScreen) and not app.signed_in
        assert app.check_action("switch_mode", ("queue",)) is False  # nothing before who
        results = app.screen.query_one("#results", DataTable)
        assert results.row_count == 0
        go.set()
        await until(pilot, lambda: results.row_count == 1)
        assert str(results.get_row_at(0)[0]) == "Freja Straks"
        assert app.actor.login == "rec.1" and app.screen.query_one("#waiting-panel").display


async def test_demo_as_a_counsellor_starts_in_the_queue(ctx, actor_for) -> None:  # type: ignore[no-untyped-def]
    counsellor = actor_for("cai.vejl.1")
    app = UngehusApp(opener=lambda: Started(ctx, counsellor), skip_sign_in=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, QueueScreen))
        assert app.current_mode == "queue"


async def test_a_release_asked_for_before_a_newer_hold_leaves_it_held(ctx, admin) -> None:  # type: ignore[no-untyped-def]
    """At launch both the app and the sign-in ask to release the keys typed so far; when
    those keys hold an Enter, the keys after it must wait for the desk (in a real terminal
    they were lost: the second release routed them to the sign-in, focus already gone)."""
    auth.set_password(ctx, admin, "rec.1", PW, must_change=False)
    app = UngehusApp(ctx)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        app.hold_keys()
        burst(app, "rec.1", "tab", PW, "enter", "so")
        await pilot.pause()
        assert typed(app) == {"login": "", "password": ""}  # all held so far
        app.release_keys()
        app.release_keys()
        await until(pilot, lambda: isinstance(app.screen, DeskScreen) and not app.holding_keys)
        await until(pilot, lambda: typed(app)["search"] == "so")


class _Counted:
    """The service's password checks, counted: `ahead` by `auth.check_ahead` while typing,
    `argon2` every Argon2 check made (ahead or at the Enter)."""

    def __init__(self, monkeypatch: Any) -> None:
        self.ahead: list[tuple[str, str]] = []
        self.argon2 = 0
        check_ahead, verify = auth.check_ahead, auth.verify_password

        def counted_ahead(ctx: Any, login: str, password: str) -> auth.PasswordCheck:
            self.ahead.append((login, password))
            return check_ahead(ctx, login, password)

        def counted_verify(password_hash: str | None, password: str) -> bool:
            self.argon2 += 1
            return verify(password_hash, password)

        monkeypatch.setattr(auth, "check_ahead", counted_ahead)
        monkeypatch.setattr(auth, "verify_password", counted_verify)


async def test_the_password_is_checked_as_it_is_typed_and_the_enter_uses_it(
    ctx, admin, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """Typed at a person's pace, each key's password is checked behind the screen; the Enter
    makes no check of its own, and the sign-in is counted and audited once."""
    auth.set_password(ctx, admin, "rec.1", PW, must_change=False)
    counted = _Counted(monkeypatch)
    app = UngehusApp(ctx)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press(*"rec.1", "tab")
        for key in PW:
            await pilot.press(key)
            await until(pilot, lambda: not app.screen.ahead._running)
        assert counted.ahead[-1] == ("rec.1", PW) and counted.argon2 == len(counted.ahead)
        assert sign_ins(ctx) == []  # checking ahead signs nobody in
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, DeskScreen))
        assert counted.argon2 == len(counted.ahead)  # none at the Enter
        assert sign_ins(ctx) == ["rec.1"]


async def test_an_enter_waits_for_the_check_under_way(ctx, admin, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The Enter comes while the password is still being checked: it waits for that check
    and takes it, never a second one for the same password."""
    auth.set_password(ctx, admin, "rec.1", PW, must_change=False)
    counted = _Counted(monkeypatch)
    gate, started = threading.Event(), threading.Event()
    check_ahead = auth.check_ahead

    def slow_last(ctx: Any, login: str, password: str) -> auth.PasswordCheck:
        if password == PW:
            started.set()
            assert gate.wait(30)
        return check_ahead(ctx, login, password)

    monkeypatch.setattr(auth, "check_ahead", slow_last)
    app = UngehusApp(ctx)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press(*"rec.1", "tab", *PW)
        await until(pilot, started.is_set)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert isinstance(app.screen, SignInScreen) and sign_ins(ctx) == []  # waiting
        gate.set()
        await until(pilot, lambda: isinstance(app.screen, DeskScreen))
        assert counted.argon2 == len(counted.ahead) and counted.ahead[-1] == ("rec.1", PW)
        assert sign_ins(ctx) == ["rec.1"]


async def test_a_burst_is_checked_once_at_most_and_refused_as_ever(ctx, admin, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Typed at full speed the Enter may come before any check began: then the sign-in
    checks the password itself, once; a wrong one is refused and the next checked anew."""
    auth.set_password(ctx, admin, "rec.1", PW, must_change=False)
    counted = _Counted(monkeypatch)
    app = UngehusApp(ctx)
    async with app.run_test(size=(120, 36)) as pilot:
        burst(app, "rec.1", "tab", "forkert-kode-1", "enter")
        await until(pilot, lambda: "Forkert" in str(app.screen.query_one("#message").render()))
        assert counted.argon2 - len(counted.ahead) <= 1
        assert counted.ahead.count(("rec.1", "forkert-kode-1")) <= 1
        ahead, argon2 = len(counted.ahead), counted.argon2
        burst(app, PW, "enter")
        await until(pilot, lambda: isinstance(app.screen, DeskScreen))
        assert (counted.argon2 - argon2) - (len(counted.ahead) - ahead) <= 1
        assert sign_ins(ctx) == ["rec.1"]


async def test_demo_as_answers_a_cpr_typed_at_launch_before_the_store_is_loaded(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """`--demo --as rec.1` on an SQLite demo store: a CPR typed at launch is answered from the
    early reader (`data.early`) while the store is still opening; once it is open the desk
    asks the store again (the same young person), and the settled search is audited there."""
    from ungehus_tui.data.engine import read_session
    from ungehus_tui.data.models import YoungPerson
    from ungehus_tui.demo.seed import fill_demo
    from ungehus_tui.services.context import actor_by_login
    from ungehus_tui.settings import load_settings
    from ungehus_tui.startup import EarlySearch, open_early
    from ungehus_tui.store import init_store

    path = tmp_path / "demo.db"
    settings = load_settings(db=f"sqlite:///{path}", data_dir=tmp_path / "d", ics_dir=tmp_path)
    ctx, _ = init_store(settings)
    fill_demo(ctx, persons=50, seed=3)
    with read_session(ctx.engine) as session:
        person = session.exec(select(YoungPerson).order_by(YoungPerson.id)).first()
        reception = actor_by_login(session, "rec.1")
    assert person is not None
    go = threading.Event()

    def opener() -> Started:
        assert go.wait(30)
        return Started(ctx, reception)

    opened: list[object] = []

    def early() -> Any:
        opened.append(reader := open_early(f"sqlite:///{path}", "rec.1"))
        return reader

    app = UngehusApp(opener=opener, skip_sign_in=True, early=EarlySearch(early))
    async with app.run_test(size=(120, 36)) as pilot:
        burst(app, person.cpr)
        results = app.screen.query_one("#results", DataTable)
        await until(pilot, lambda: results.row_count == 1)
        assert not app.store.ready and opened and opened[0] is not None  # answered early
        assert str(results.get_row_at(0)[0]) == person.name
        assert app.screen._early_hits
        go.set()
        await until(pilot, lambda: app.signed_in and not app.screen._early_hits)
        assert results.row_count == 1 and str(results.get_row_at(0)[0]) == person.name
        assert app.early is not None and app.early.closed  # closed once the store is open
        await pilot.press("enter")  # settles the search: audited through the store
        await until(pilot, lambda: _searched(ctx) == [person.cpr])
    ctx.engine.dispose()


def _searched(ctx: Any) -> list[str]:
    with read_session(ctx.engine) as session:
        rows = session.exec(select(AuditEvent).where(AuditEvent.action == "SEARCH")).all()
        return [str(r.search_term) for r in rows]
