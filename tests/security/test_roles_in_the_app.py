"""The app by role, end to end: keys a role has no use for are not offered, and a refused
or failing piece of work is a Danish message, never a crash with a traceback."""

from __future__ import annotations

import pytest
from textual.widgets import Footer

from ungehus_tui.app import UngehusApp
from ungehus_tui.screens.desk import DeskScreen
from ungehus_tui.screens.sign_in import SignInScreen
from ungehus_tui.services.access import auth


def footer_keys(app: UngehusApp) -> set[str]:
    return {k.key for k in app.screen.query_one(Footer).query("FooterKey")}  # type: ignore[attr-defined]


async def settle(app: UngehusApp, pilot) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


@pytest.mark.parametrize("login", ["rec.1", "it.admin"])
async def test_no_queue_key_for_roles_without_a_queue(ctx, actor_for, login) -> None:  # type: ignore[no-untyped-def]
    """F3 crashed the app for reception and IT (the queue worker's refusal ended the app)."""
    app = UngehusApp(ctx, actor_for(login))
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await settle(app, pilot)
        assert "f3" not in footer_keys(app)
        assert "f2" not in footer_keys(app)  # the desk's own key: nothing to do there
        await pilot.press("f3")
        await settle(app, pilot)
        assert app.is_running and isinstance(app.screen, DeskScreen)
        assert app.current_mode == "reception"
        app._cmd_mode_queue()  # the command palette's "Kø", if it were reached another way
        await settle(app, pilot)
        assert app.current_mode == "reception"
        assert [n.message for n in app._notifications] == ["Din rolle har ingen arbejdskø"]


async def test_the_footer_shows_the_other_mode_not_the_current_one(ctx, actor_for) -> None:  # type: ignore[no-untyped-def]
    """Issue 14, 80 columns: F2 at the desk and F3 in the queue do nothing; hidden, so the
    keys that do something fit."""
    app = UngehusApp(ctx, actor_for("cai.vejl.1"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert app.current_mode == "queue"
        assert "f2" in footer_keys(app) and "f3" not in footer_keys(app)
        await pilot.press("f2")
        await settle(app, pilot)
        assert isinstance(app.screen, DeskScreen)
        assert "f3" in footer_keys(app) and "f2" not in footer_keys(app)

    app = UngehusApp(ctx, actor_for("rec.1"))  # reception: the longest footer
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        keys = {k.key: k for k in app.screen.query("FooterKey")}  # type: ignore[attr-defined]
        for key in ("ctrl+n", "f4", "f6", "ctrl+q", "f1"):  # F1 lists every key, with its text
            assert 0 < keys[key].region.right <= 80, key


async def test_sign_in_survives_an_unexpected_error(ctx, admin, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def broken(*_args: object) -> None:
        raise RuntimeError("database went away")

    monkeypatch.setattr(auth, "sign_in", broken)
    app = UngehusApp(ctx, login="rec.1")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SignInScreen)
        screen.query_one("#password").value = "hvad-som-helst-1"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running and app.screen is screen
        assert "uventet fejl" in str(screen.query_one("#message").render())


async def test_a_crash_report_has_no_locals_and_no_cpr(ctx, actor_for) -> None:  # type: ignore[no-untyped-def]
    """Textual's crash traceback prints every frame's local variables; ours must not, and
    a CPR number in the exception's own text is masked."""
    app = UngehusApp(ctx, actor_for("rec.1"))

    def handler_with_a_bug() -> None:
        young_persons_name = "Søren Hemmeligsen"  # noqa: F841 - a local Textual would print
        raise RuntimeError("opslag fejlede for 0101054001")

    async with app.run_test(size=(100, 30)) as pilot:
        app.call_later(handler_with_a_bug)
        await pilot.pause()
        await pilot.pause()
    assert app.return_code == 1
    report = app.crash_report or ""
    assert "Ungehus stoppede på grund af en fejl" in report
    assert "handler_with_a_bug" in report  # the frames are there for IT
    assert "Hemmeligsen" not in report and "young_persons_name" not in report
    assert "0101054001" not in report and "010105-XXXX" in report


async def test_a_bug_in_a_screen_is_a_crash_report_without_locals(ctx, actor_for) -> None:  # type: ignore[no-untyped-def]
    """A screen's own event handling (here mounting) ends in the same report."""
    from ungehus_tui.screens.base import UngehusScreen

    class Broken(UngehusScreen):
        def on_mount(self) -> None:
            cpr_of_the_young_person = "0101054001"  # noqa: F841
            raise ValueError("skærmen fejlede for 010105-4001")

    app = UngehusApp(ctx, actor_for("rec.1"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await app.push_screen(Broken())
        await pilot.pause()
        await pilot.pause()
    assert app.return_code == 1
    report = app.crash_report or ""
    assert "on_mount" in report and "ValueError" in report
    assert "cpr_of_the_young_person" not in report and "4001" not in report


def test_textuals_own_crash_report_is_held_back() -> None:
    """The safety net: what Textual prints on exit passes the app's error console; its own
    pre-rendered traceback (with locals) is replaced by a short line, our text passes."""
    import io

    from rich.segment import Segment, Segments
    from rich.text import Text

    from ungehus_tui.app_lock import SafeErrorConsole

    out = io.StringIO()
    console = SafeErrorConsole(file=out, markup=False, highlight=False)
    console.print(Segments([Segment("young_persons_name = 'Søren Hemmeligsen'")]))
    console.print(Text("Ungehus stoppede på grund af en fejl. Intet er gemt halvt."))
    text = out.getvalue()
    assert "Hemmeligsen" not in text and "holdt tilbage" in text
    assert "Intet er gemt halvt" in text


@pytest.mark.parametrize(
    ("login", "offered", "not_offered"),
    [
        ("rec.1", {"Ny ung", "Registrér henvendelse", "Opdatér venteliste"}, {"Kø"}),
        ("cai.vejl.1", {"Ny ung", "Kø"}, {"Registrér henvendelse", "Opdatér venteliste"}),
        ("cbu.leder", {"Kø", "Søg efter en ung"}, {"Ny ung", "Registrér henvendelse"}),
    ],
)
async def test_command_palette_offers_the_roles_commands(
    ctx, actor_for, login, offered, not_offered
) -> None:  # type: ignore[no-untyped-def]
    app = UngehusApp(ctx, actor_for(login))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert offered <= titles and not (not_offered & titles)
