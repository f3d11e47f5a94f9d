"""SVG snapshots of every desk screen, with a frozen clock and fictitious data."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from textual.widgets import Input

from tests.reception.conftest import cpr_aged, settle, teen
from ungehus_tui.app import make_app
from ungehus_tui.services.desk import arrivals
from ungehus_tui.services.desk import walk_in as desk

SIZE = (120, 36)
SOCIAL = desk.Answers(situation="ingen", social_case=True)

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def snap_ctx(ctx):  # type: ignore[no-untyped-def]
    """The test database with a fixed .ics folder name (it shows on the confirmation)."""
    settings = ctx.settings.model_copy(update={"ics_dir": Path("/tmp/ungehus-snapshot-ics")})
    return dataclasses.replace(ctx, settings=settings)


@pytest.fixture
def people(snap_ctx, reception):  # type: ignore[no-untyped-def]
    a = desk.register_walk_in(snap_ctx, reception, teen(cpr_aged(17)), SOCIAL, ["CBU", "CAI"])
    desk.register_walk_in(
        snap_ctx, reception, teen(cpr_aged(20, 40), "Søren Ærø Eksempelholm"), desk.Answers("job")
    )
    arrivals.record_arrival(snap_ctx, reception, None, "QUESTION", "Spørger om SU")
    return a


def _no_blink(app) -> None:  # type: ignore[no-untyped-def]
    """A blinking cursor makes a snapshot depend on timing; keep it steadily on."""
    for field in app.screen.query(Input):
        field.cursor_blink = False


async def _keys(app, pilot, *keys: str) -> None:  # type: ignore[no-untyped-def]
    await settle(app, pilot)
    _no_blink(app)
    for key in keys:
        await pilot.press(key)
        await settle(app, pilot, 1)
        _no_blink(app)
    await settle(app, pilot)
    _no_blink(app)
    await pilot.pause()


def test_reception_search(snap_compare, snap_ctx, people):
    app = make_app(snap_ctx)
    assert snap_compare(app, terminal_size=SIZE, run_before=lambda p: _keys(app, p, *"soren"))


def test_reception_age_refusal(snap_compare, snap_ctx):
    app = make_app(snap_ctx)
    keys = cpr_aged(14)
    assert snap_compare(app, terminal_size=SIZE, run_before=lambda p: _keys(app, p, *keys))


def test_person(snap_compare, snap_ctx, people):
    app = make_app(snap_ctx)
    assert snap_compare(
        app, terminal_size=SIZE, run_before=lambda p: _keys(app, p, *"freja", "enter")
    )


def test_registration(snap_compare, snap_ctx):
    app = make_app(snap_ctx)
    keys = [*cpr_aged(17), "enter", *"Freja Prøvesen", "tab", "tab", "tab", *"Hanne"]
    keys += ["tab", "tab", "4", "s", "c"]
    assert snap_compare(app, terminal_size=SIZE, run_before=lambda p: _keys(app, p, *keys))


def test_duplicate_dialog(snap_compare, snap_ctx, people):
    app = make_app(snap_ctx)
    first = cpr_aged(20, 40)
    other = first[:7] + ("000" if first[7:] != "000" else "111")
    keys = [*other, "enter", *"Soren Eksempelholm", "tab", "tab", "tab", "3", "ctrl+s"]
    assert snap_compare(app, terminal_size=SIZE, run_before=lambda p: _keys(app, p, *keys))


def test_triage(snap_compare, snap_ctx, people):
    app = make_app(snap_ctx)
    assert snap_compare(
        app, terminal_size=SIZE, run_before=lambda p: _keys(app, p, *"freja", "enter", "v")
    )


def test_override_dialog(snap_compare, snap_ctx, people):
    app = make_app(snap_ctx)
    keys = [*"freja", "enter", "v", "o", *"Fx ændret efter samtale"]
    assert snap_compare(app, terminal_size=SIZE, run_before=lambda p: _keys(app, p, *keys))


def test_booking(snap_compare, snap_ctx, people):
    app = make_app(snap_ctx)
    assert snap_compare(
        app, terminal_size=SIZE, run_before=lambda p: _keys(app, p, *"freja", "enter", "b")
    )


def test_date_dialog(snap_compare, snap_ctx, people):
    app = make_app(snap_ctx)
    assert snap_compare(
        app,
        terminal_size=SIZE,
        run_before=lambda p: _keys(app, p, *"freja", "enter", "b", "d"),
    )


def test_confirmation(snap_compare, snap_ctx, people):
    app = make_app(snap_ctx)
    assert snap_compare(
        app,
        terminal_size=SIZE,
        run_before=lambda p: _keys(app, p, *"freja", "enter", "b", "enter"),
    )


def test_arrival_dialog(snap_compare, snap_ctx, people):
    app = make_app(snap_ctx)
    assert snap_compare(
        app, terminal_size=SIZE, run_before=lambda p: _keys(app, p, *"freja", "enter", "a")
    )


def test_counsellor_at_the_desk(snap_compare, snap_ctx, people):
    """A counsellor switches to the desk (F2) and searches: no waiting list, no arrival
    keys (they are the reception's). Reception itself has no queue key (F3)."""
    app = make_app(snap_ctx, as_login="cai.vejl.1")
    keys = ("f2", *"eksempel")
    assert snap_compare(app, terminal_size=SIZE, run_before=lambda p: _keys(app, p, *keys))
