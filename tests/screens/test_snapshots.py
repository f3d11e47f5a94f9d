"""Issue 14: an SVG snapshot of every screen and dialog at 120x36 and at 80x24, through the
real app (`UngehusApp`), with a frozen clock and plainly fictitious data. Regenerate with
`--snapshot-update` and look at the SVGs."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

import pytest
from textual.widgets import Input

from tests.reception.conftest import settle
from ungehus_tui.app import UngehusApp, make_app
from ungehus_tui.screens.case_base import CaseBase
from ungehus_tui.screens.queue import QueueScreen

SIZES = {"wide": (120, 36), "80x24": (80, 24)}

# name: (login, keys); "" login: the sign-in (nobody signed in yet)
DESK: dict[str, tuple[str, Sequence[str]]] = {
    "desk_search": ("rec.1", (*"soren",)),
    "desk_keys_panel": ("rec.1", ("f1",)),
    "desk_palette": ("rec.1", ("ctrl+p",)),
    "registration": ("rec.1", ("ctrl+n", "tab", *"Freja", "tab", *"01234567", "f7", "4", "s")),
    "registration_discard": ("rec.1", ("ctrl+n", "tab", *"Freja", "escape")),
    "person": ("rec.1", (*"freja", "enter")),
    "arrival_dialog": ("rec.1", (*"freja", "enter", "a")),
    "question_dialog": ("rec.1", ("f4",)),
    "served_confirmation": ("rec.1", ("f6",)),
    "triage": ("rec.1", (*"freja", "enter", "v")),
    "override_dialog": ("rec.1", (*"freja", "enter", "v", "o")),
    "booking": ("rec.1", (*"freja", "enter", "b")),
    "date_dialog": ("rec.1", (*"freja", "enter", "b", "d")),
    "confirmation": ("rec.1", (*"freja", "enter", "b", "enter")),
    "leader_at_the_desk": ("cbu.leder", ("f2", *"freja")),
    "sign_in": ("", ()),
}
CASEWORK: dict[str, tuple[str, Sequence[str]]] = {
    "queue": ("cai.vejl.1", ()),
    "case": ("cai.vejl.1", ("3", "enter")),
    "outcome_dialog": ("cai.vejl.1", ("3", "enter", "o")),
    "plan_dialog": ("cai.vejl.1", ("3", "enter", "p")),
    "handover_dialog": ("cai.vejl.1", ("3", "enter", "h")),
    "consent_dialog": ("cai.vejl.1", ("3", "enter", "s")),
    "accept_confirmation": ("cai.vejl.1", ("4", "enter", "a")),
    "reject_dialog": ("cai.vejl.1", ("4", "enter", "x")),
    "leader_queue": ("cai.leder", ()),
    "leader_case_read_only": ("cai.leder", ("enter",)),
    "lock": ("cai.vejl.1", ("ctrl+l",)),
    "change_password": ("cai.vejl.1", ("f9",)),
}


@pytest.fixture
def still(monkeypatch: pytest.MonkeyPatch) -> None:
    """No self-refresh or settling tick while a snapshot is taken."""
    monkeypatch.setattr(CaseBase, "REFRESH_SECONDS", 3600.0)
    monkeypatch.setattr(QueueScreen, "REFRESH_SECONDS", 3600.0)
    monkeypatch.setattr("ungehus_tui.screens.desk.WAITING_REFRESH_SECONDS", 3600)


@pytest.fixture
def snap_ctx(ctx):  # type: ignore[no-untyped-def]
    """The test database with a fixed .ics folder name (it shows on the confirmation)."""
    settings = ctx.settings.model_copy(update={"ics_dir": Path("/tmp/ungehus-snapshot-ics")})
    return dataclasses.replace(ctx, settings=settings)


def _no_blink(app) -> None:  # type: ignore[no-untyped-def]
    for field in app.screen.query(Input):
        field.cursor_blink = False


def _app(ctx, login: str) -> UngehusApp:  # type: ignore[no-untyped-def]
    return UngehusApp(ctx) if not login else make_app(ctx, as_login=login)


def _run(app, keys: Sequence[str]):  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(app, pilot)
        _no_blink(app)
        for key in keys:
            await pilot.press(key)
            await settle(app, pilot, 1)
            _no_blink(app)
        await settle(app, pilot)
        _no_blink(app)
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", list(SIZES), ids=list(SIZES))
@pytest.mark.parametrize("name", list(DESK))
def test_desk_snapshot(name, size, snap_compare, snap_ctx, desk_people, still):
    login, keys = DESK[name]
    app = _app(snap_ctx, login)
    assert snap_compare(app, terminal_size=SIZES[size], run_before=_run(app, keys))


@pytest.mark.parametrize("size", list(SIZES), ids=list(SIZES))
@pytest.mark.parametrize("name", list(CASEWORK))
def test_casework_snapshot(name, size, snap_compare, snap_ctx, scenario, still):
    login, keys = CASEWORK[name]
    app = _app(snap_ctx, login)
    assert snap_compare(app, terminal_size=SIZES[size], run_before=_run(app, keys))
