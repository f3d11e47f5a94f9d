"""Small holes (issue 12): a locked and an unknown login get the same sign-in message, and
the command palette's "Screenshot" (the screen, names included, to an SVG on disk) is gone."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from textual.app import App
from textual.command import CommandPalette
from textual.widgets import OptionList, Static

from ungehus_tui.app import UngehusApp
from ungehus_tui.domain import clock
from ungehus_tui.services.access import auth

PW = "rigtig-kode-42"


def _lock(ctx: Any, admin: Any, login: str) -> None:
    auth.set_password(ctx, admin, login, PW, must_change=False)
    for _ in range(ctx.settings.login_max_failures):
        with pytest.raises(auth.SignInFailed):
            auth.sign_in(ctx, login, "forkert-kode-1")


def _refusal(ctx: Any, login: str, password: str) -> str:
    with pytest.raises(auth.SignInFailed) as caught:
        auth.sign_in(ctx, login, password)
    return caught.value.message


def test_locked_and_unknown_logins_get_the_same_message(ctx, admin) -> None:  # type: ignore[no-untyped-def]
    clock.set_now(dt.datetime(2026, 3, 2, 9, 0))
    _lock(ctx, admin, "rec.1")
    locked_right = _refusal(ctx, "rec.1", PW)
    locked_wrong = _refusal(ctx, "rec.1", "forkert-kode-2")
    unknown = _refusal(ctx, "ingen.bruger", PW)
    wrong = _refusal(ctx, "rec.2", "forkert-kode-2")
    assert locked_right == locked_wrong == unknown == wrong == auth.FAILED
    assert "09:" not in locked_right  # no unlock time that only a real login would get
    clock.set_now(dt.datetime(2026, 3, 2, 9, 16))
    assert auth.sign_in(ctx, "rec.1", PW).login == "rec.1"  # the lock still ends


async def _screen_message(ctx: Any, login: str, password: str) -> str:
    app = UngehusApp(ctx)  # not signed in: the sign-in
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.screen.query_one("#login").value = login  # type: ignore[attr-defined]
        app.screen.query_one("#password").value = password  # type: ignore[attr-defined]
        app.screen.query_one("#password").focus()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        return str(app.screen.query_one("#message", Static).render())


async def test_sign_in_screen_shows_locked_and_unknown_alike(ctx, admin) -> None:  # type: ignore[no-untyped-def]
    _lock(ctx, admin, "rec.1")
    locked = await _screen_message(ctx, "rec.1", PW)
    unknown = await _screen_message(ctx, "ingen.bruger", PW)
    assert locked == unknown
    assert "Forkert brugernavn" in locked


@pytest.fixture
def screenshots(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Records every screenshot Textual's own code would write or deliver."""
    written: list[str] = []
    monkeypatch.setattr(App, "save_screenshot", lambda self, *a, **k: written.append("save"))
    monkeypatch.setattr(App, "deliver_screenshot", lambda self, *a, **k: written.append("send"))
    return written


async def test_the_palette_offers_no_screenshot(ctx, actor_for, screenshots) -> None:  # type: ignore[no-untyped-def]
    app = UngehusApp(ctx, actor_for("rec.1"))
    async with app.run_test(size=(120, 40)) as pilot:
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Skift adgangskode" in titles  # our commands are there
        assert not [t for t in titles if "screenshot" in t.lower()]
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press("s")  # fuzzy: every command with an s in its title
        await pilot.pause(0.3)
        await app.workers.wait_for_complete()
        options = app.screen.query_one(OptionList)
        shown = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert [s for s in shown if "Skift adgangskode" in s]  # the palette does list
        assert not [s for s in shown if "Screenshot" in s]
        await pilot.press("enter")
        await pilot.pause(0.3)
    assert screenshots == []


async def test_the_screenshot_action_does_nothing(ctx, actor_for, screenshots) -> None:  # type: ignore[no-untyped-def]
    app = UngehusApp(ctx, actor_for("rec.1"))
    async with app.run_test(size=(120, 40)) as pilot:
        await app.run_action("screenshot")
        await app.run_action("app.screenshot('x.svg', '/tmp')")
        app.deliver_screenshot()
        await pilot.pause(0.3)
    assert screenshots == []


async def test_the_sign_in_has_no_screenshot_either(ctx, screenshots) -> None:  # type: ignore[no-untyped-def]
    app = UngehusApp(ctx)  # not signed in: the sign-in
    async with app.run_test(size=(100, 30)) as pilot:
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Afslut" in titles and not [t for t in titles if "screenshot" in t.lower()]
        await app.run_action("screenshot")
        await pilot.pause(0.3)
    assert screenshots == []
