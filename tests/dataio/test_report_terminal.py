"""`ungehus report` in the terminal: codes written by hand into the database (a lead center,
a handover kind no version of Ungehus writes) are shown with their control characters
visible, never as raw escape sequences (issue 12, terminal safety)."""

from __future__ import annotations

import datetime as dt

from typer.testing import CliRunner

from tests.dataio.conftest import World, at
from ungehus_tui.cli import app

D = dt.date


def test_report_shows_hand_written_codes_inertly(ctx, world: World, db_url) -> None:  # type: ignore[no-untyped-def]
    p = world.person(D(2004, 2, 3), "Freja Prøvesen", at(D(2026, 10, 10)))
    world.intake(p, at(D(2026, 10, 10)), lead="\x1b[2J")
    world.handover(p, "\x1b]0;pw\x07", at(D(2026, 11, 1)))
    world.session.commit()
    result = CliRunner().invoke(
        app, ["report", "--quarter", "2026Q4", "--db", db_url, "--as", "it.admin"]
    )
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "␛[2J" in result.output and "␛]0;pw␇" in result.output
