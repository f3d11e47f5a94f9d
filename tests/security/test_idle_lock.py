from __future__ import annotations

from ungehus_tui.app import UngehusApp
from ungehus_tui.screens.sign_in import SignInScreen
from ungehus_tui.services.access import auth

PW = "laas-op-kode-7"


class FakeClock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


async def test_idle_lock_keeps_the_pending_form(ctx, admin, actor_for) -> None:  # type: ignore[no-untyped-def]
    # a password the user chose (not a temporary one, which would ask for a new one first)
    auth.set_password(ctx, admin, "rec.1", PW, must_change=False)
    clock = FakeClock()
    app = UngehusApp(ctx, actor_for("rec.1"), idle_clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        search = app.query_one("#search")
        search.focus()
        await pilot.press(*"prove")
        await app.workers.wait_for_complete()
        under = app.screen
        clock.t += 4 * 60 + 50  # 4:50 without a key: not yet
        app.check_idle_lock()
        assert not app.locked
        await pilot.press("s")  # a key resets the idle time
        clock.t += 4 * 60 + 50
        app.check_idle_lock()
        assert not app.locked
        clock.t += 11  # 5:01 since the last key
        app.check_idle_lock()
        await pilot.pause()
        assert app.locked and isinstance(app.screen, SignInScreen)
        assert app.screen_stack[-2] is under
        shot = app.export_screenshot()
        assert "proves" not in shot and "Logget" not in shot  # nothing readable behind
        assert "adgangskode" in shot  # the whole lock text wraps (a Label cut it off)
        # while locked: no app actions but quit (no palette, no mode switch)
        assert app.check_action("command_palette", ()) is False
        assert app.check_action("toggle_privacy", ()) is False
        lock = app.screen
        lock.query_one("#password").value = "forkert-kode-1"
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is lock and "Forkert" in str(lock.query_one("#message").render())
        lock.query_one("#password").value = PW
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not app.locked
        assert app.screen is under
        assert app.query_one("#search").value == "proves"
        assert app.focused is search


async def test_lock_key_locks_at_once(ctx, actor_for) -> None:  # type: ignore[no-untyped-def]
    app = UngehusApp(ctx, actor_for("rec.1"), idle_clock=FakeClock())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert app.locked and isinstance(app.screen, SignInScreen)
        assert app.screen.query_one("#login").disabled
