"""Staff change their own password from the app; a temporary password must be changed."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from ungehus_tui.app import make_app
from ungehus_tui.screens.change_password import ChangePasswordDialog
from ungehus_tui.services.access import auth


async def _fill(pilot, old: str, new: str, repeat: str) -> None:  # type: ignore[no-untyped-def]
    screen = pilot.app.screen
    screen.query_one("#old", Input).value = old
    screen.query_one("#new", Input).value = new
    screen.query_one("#repeat", Input).value = repeat
    await pilot.press("ctrl+s")
    for _ in range(100):  # saving runs in a worker
        await pilot.pause(0.05)
        if not isinstance(pilot.app.screen, ChangePasswordDialog) or str(
            pilot.app.screen.query_one("#message").render()
        ):
            break


async def test_staff_change_their_own_password(ctx, reception, actor_for) -> None:
    auth.set_password(ctx, actor_for("it.admin"), "rec.1", "gammel-kode-42", must_change=False)
    app = make_app(ctx, actor=reception)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, ChangePasswordDialog)
        await _fill(pilot, "forkert-kode-00", "helt-ny-kode-77", "helt-ny-kode-77")
        assert isinstance(app.screen, ChangePasswordDialog)  # wrong current password: stays
        assert "forkert" in str(app.screen.query_one("#message").render())
        await _fill(pilot, "gammel-kode-42", "helt-ny-kode-77", "helt-ny-kode-77")
        assert not isinstance(app.screen, ChangePasswordDialog)
    assert auth.sign_in(ctx, "rec.1", "helt-ny-kode-77").login == "rec.1"
    with pytest.raises(auth.SignInFailed):
        auth.sign_in(ctx, "rec.1", "gammel-kode-42")


async def test_temporary_password_must_be_changed_first(ctx, reception, actor_for) -> None:
    auth.set_password(ctx, actor_for("it.admin"), "rec.1", "midlertidig-99", must_change=True)
    app = make_app(ctx, actor=reception)
    async with app.run_test(size=(120, 36)) as pilot:
        for _ in range(100):  # the check runs in a worker after mount
            if isinstance(app.screen, ChangePasswordDialog):
                break
            await pilot.pause(0.05)
        assert isinstance(app.screen, ChangePasswordDialog) and app.screen.forced
        await pilot.press("escape")
        assert isinstance(app.screen, ChangePasswordDialog)  # cannot be skipped
        await _fill(pilot, "midlertidig-99", "min-egen-kode-5", "min-egen-kode-5")
        assert not isinstance(app.screen, ChangePasswordDialog)
