"""Issue 14, Danish everywhere: the palette, the keys panel (F1, Esc), the Ctrl+C notice and
the role labels, driven through the real app; every screen and panel scanned for Textual's
own English texts."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from tests.reception.conftest import settle
from tests.screens.helpers import english_on, screen_text
from ungehus_tui.app import make_app
from ungehus_tui.widgets.keys_panel import KeysPanel, key_rows

SIZE = (120, 36)


async def _press(app, pilot, *keys: str) -> None:  # type: ignore[no-untyped-def]
    for key in keys:
        await pilot.press(key)
        await settle(app, pilot, 1)
    await settle(app, pilot)


def _english(app) -> list[str]:  # type: ignore[no-untyped-def]
    return english_on(screen_text(app))


async def test_the_scanner_sees_english(ctx, frozen):
    """The scan below can fail: Textual's own keys panel and palette are caught."""
    from textual.widgets import HelpPanel

    app = make_app(ctx, as_login="rec.1")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await app.screen.mount(HelpPanel())
        await settle(app, pilot)
        assert "Move cursor left" in _english(app)


async def test_reception_sees_no_english(ctx, frozen, desk_people):
    app = make_app(ctx, as_login="rec.1")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        seen: dict[str, list[str]] = {}
        await _press(app, pilot, "f1")
        seen["desk + keys"] = _english(app)
        assert app.screen.query(KeysPanel)
        await _press(app, pilot, "escape")
        assert not app.screen.query(KeysPanel)
        await _press(app, pilot, "ctrl+p")
        seen["palette"] = _english(app)
        await _press(app, pilot, *"xyzzy")
        seen["palette, no command"] = _english(app)
        await _press(app, pilot, "escape", "ctrl+c")
        seen["ctrl+c"] = _english(app)
        assert "Vil du afslutte?" in screen_text(app)
        await _press(app, pilot, "ctrl+n", "f1")
        seen["registration + keys"] = _english(app)
        await _press(app, pilot, "escape", "escape")
        await _press(app, pilot, *"freja", "enter", "f1")
        seen["person + keys"] = _english(app)
        await _press(app, pilot, "escape", "a", "f1")
        seen["arrival dialog + keys"] = _english(app)
        await _press(app, pilot, "escape", "escape", "v", "o", "f1")
        seen["override dialog + keys"] = _english(app)
        assert seen == {where: [] for where in seen}


async def test_counsellor_sees_no_english(ctx, actor_for, scenario):
    app = make_app(ctx, as_login="cai.vejl.1")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        seen: dict[str, list[str]] = {}
        await _press(app, pilot, "f1")
        seen["queue + keys"] = _english(app)
        await _press(app, pilot, "escape", "enter", "f1")
        seen["case + keys"] = _english(app)
        for key in ("h", "s", "p"):  # handover, consent, plan: Selects and inputs
            await _press(app, pilot, "escape", key, "f1")
            seen[f"dialog {key} + keys"] = _english(app)
            await _press(app, pilot, "escape")
            await _press(app, pilot, "tab", "f1")
            seen[f"dialog {key}, next field + keys"] = _english(app)
            await _press(app, pilot, "escape", "escape")
            if app.screen.query(KeysPanel):
                await _press(app, pilot, "escape")
        assert seen == {where: [] for where in seen}


def _panel(app) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The keys panel's rows: key(s) -> text."""
    assert app.screen.query(KeysPanel), "the keys panel is not open"
    return {keys: str(text) for _group, keys, text in key_rows(app.screen)}


async def test_f1_lists_the_roles_keys_only(ctx, frozen, desk_people):
    """Reception's F1 names F4 and F6 (the desk's arrivals); a counsellor at the desk has
    neither, and a leader at the desk cannot register (no Ctrl+N)."""
    app = make_app(ctx, as_login="rec.1")
    async with app.run_test(size=SIZE) as pilot:
        await _press(app, pilot, "f1")
        keys = _panel(app)
        assert keys["f4"].startswith("Henvendelse") and keys["f6"].startswith("Ekspederet")
        assert "f3" not in keys  # reception has no queue
    app = make_app(ctx, as_login="cai.vejl.1")
    async with app.run_test(size=SIZE) as pilot:
        await _press(app, pilot, "f2", "f1")
        keys = _panel(app)
        assert "f4" not in keys and "f6" not in keys and keys["^n"].startswith("Ny ung")
    app = make_app(ctx, as_login="cbu.leder")
    async with app.run_test(size=SIZE) as pilot:
        await _press(app, pilot, "f2", "f1")
        keys = _panel(app)
        assert "^n" not in keys and "f4" not in keys and keys["f3"].startswith("Kø")


async def test_esc_closes_the_keys_panel_then_clears_the_search(ctx, frozen):
    app = make_app(ctx, as_login="rec.1")
    async with app.run_test(size=SIZE) as pilot:
        await _press(app, pilot, *"soren", "f1")
        assert app.screen.query(KeysPanel)
        await _press(app, pilot, "escape")
        assert not app.screen.query(KeysPanel)
        assert app.screen.query_one("#search", Input).value == "soren"
        await _press(app, pilot, "escape")
        assert app.screen.query_one("#search", Input).value == ""


async def test_palette_is_danish_and_searches_the_desk(ctx, frozen, desk_people):
    app = make_app(ctx, as_login="rec.1")
    async with app.run_test(size=SIZE) as pilot:
        await _press(app, pilot, "ctrl+p")
        text = screen_text(app)
        assert "Søg efter en kommando" in text
        for title in ("Taster", "Tema", "Afslut", "Ny ung"):
            assert title in text
        await _press(app, pilot, *"eksempelholm")
        assert "Søg efter en ung: eksempelholm" in screen_text(app)
        await _press(app, pilot, "enter")
        await settle(app, pilot)
        assert app.screen.query_one("#search", Input).value == "eksempelholm"
        assert "Søren Ærø Eksempelholm" in screen_text(app)


@pytest.mark.parametrize("login", ["rec.1", "cai.vejl.1"])
async def test_footer_says_kommandoer_not_palette(ctx, frozen, login):
    app = make_app(ctx, as_login=login)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        text = screen_text(app)
        assert "Kommandoer" in text and "palette" not in text
