"""Stored text never drives a terminal, part 2: rows written by hand (SQL, another tool on a
shared PostgreSQL, an older version) reach the screen with their control characters visible
and inert. A young person and a staff member are named with an OSC title change
(ESC ] 0 ; pwned BEL) and a clear-screen (ESC [ 2 J) straight in the database; the CLI
(`queue`, `staff list`, `audit show`, `report`) and the app (search, waiting list, person
card, queue) emit no ESC from the data and show '␛' instead.

The app is checked through `App.export_screenshot()`: the SVG is made from the same segments
Textual writes to the terminal, so a raw ESC there is a raw ESC on the terminal."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import typer
from sqlalchemy import text
from typer.testing import CliRunner

from tests.counsellor.conftest import FROZEN, new_case
from tests.reception.conftest import settle
from ungehus_tui.cli import app as cli_app
from ungehus_tui.data.engine import read_session, write_session
from ungehus_tui.data.models import YoungPerson
from ungehus_tui.domain import clock
from ungehus_tui.services.desk import arrivals, people

TITLE = "\x1b]0;pwned\x07"
CLEAR = "\x1b[2J"
PERSON = f"Evil{TITLE} Prøvesen{CLEAR} [b]fed[/b] [@click=app.quit]x[/]\u202erev\x9b"
STAFF = f"Ond{TITLE} Vejleder{CLEAR} [$accent]y[/]"
COUNSELLOR = "cai.vejl.1"


@pytest.fixture
def hostile(ctx, actor_for):  # type: ignore[no-untyped-def]
    """A case held by cai.vejl.1 (in their queue), waiting at the desk, viewed by them; then
    both names overwritten by hand in the database. -> (person id, CPR)."""
    clock.set_now(FROZEN)
    case = new_case(ctx, COUNSELLOR, name="Evil Prøvesen")
    arrivals.record_arrival(ctx, actor_for("rec.1"), case.person_id, "QUESTION")
    people.record_view(ctx, actor_for(COUNSELLOR), case.person_id, purpose=f"kig{CLEAR}")
    people.audit_search(ctx, actor_for("rec.1"), f"evil{TITLE}")
    with write_session(ctx.engine) as session:
        session.execute(
            text("UPDATE young_person SET name = :n, phone = :p WHERE id = :id"),
            {"n": PERSON, "p": f"1234{TITLE}", "id": case.person_id},
        )
        session.execute(
            text("UPDATE staff SET name = :n WHERE login = :login"),
            {"n": STAFF, "login": COUNSELLOR},
        )
    with read_session(ctx.engine) as session:
        person = session.get(YoungPerson, case.person_id)
        assert person is not None and person.name == PERSON  # the hostile row is there
        return case.person_id, person.cpr


def _cli(db_url: str, *args: str):  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(cli_app, [*args, "--db", db_url])
    assert "Traceback" not in result.output
    return result


def _inert(output: str) -> None:
    assert "\x1b" not in output, "a raw ESC from the data reached the terminal"
    assert "\x07" not in output and "\x9b" not in output and "\u202e" not in output
    assert "␛" in output, "the control character is not shown"


def test_cli_queue_shows_the_names_inertly(hostile, db_url, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from ungehus_tui.cli import queue as queue_cli

    monkeypatch.setattr(queue_cli.console, "width", 300)  # one line per row
    result = _cli(db_url, "queue", "--as", COUNSELLOR)
    assert result.exit_code == 0, result.output
    _inert(result.output)
    assert "Evil␛]0;pwned␇ Prøvesen␛[2J" in result.output
    assert "[b]fed[/b]" in result.output  # markup in data is shown, not applied
    assert "Ond␛]0;pwned␇ Vejleder␛[2J" in result.output  # the title: the staff member


def test_cli_queue_json_escapes_every_control_character(hostile, db_url) -> None:  # type: ignore[no-untyped-def]
    result = _cli(db_url, "queue", "--as", COUNSELLOR, "--json")
    assert result.exit_code == 0, result.output
    for raw in ("\x1b", "\x07", "\x9b", "\u202e"):
        assert raw not in result.output
    assert json.loads(result.output)[0]["name"] == PERSON  # the data itself is intact


def test_cli_staff_list_shows_the_name_inertly(hostile, db_url) -> None:  # type: ignore[no-untyped-def]
    result = _cli(db_url, "staff", "list")
    assert result.exit_code == 0, result.output
    _inert(result.output)
    assert "[$accent]y[/]" in result.output
    as_json = _cli(db_url, "staff", "list", "--json")
    assert "\x1b" not in as_json.output and "\x07" not in as_json.output
    assert STAFF in [s["name"] for s in json.loads(as_json.output)]


def test_cli_audit_show_shows_names_and_terms_inertly(hostile, db_url) -> None:  # type: ignore[no-untyped-def]
    _, cpr = hostile
    result = _cli(db_url, "audit", "show", "--person", cpr, "--as", "it.admin")
    assert result.exit_code == 0, result.output
    _inert(result.output)
    assert "Ond␛]0;pwned␇" in result.output


def test_cli_errors_show_stored_text_inertly(hostile, db_url) -> None:  # type: ignore[no-untyped-def]
    from ungehus_tui.cli.common import err_console, fail

    with err_console.capture() as captured, pytest.raises(typer.Exit):
        fail(f"Kan ikke: {STAFF}")
    _inert(captured.get())


async def _screenshot_of(app, pilot, showing: str = "") -> str:  # type: ignore[no-untyped-def]
    """The screen once its workers are done (and, under load, once it shows `showing`)."""
    for _ in range(40):
        await settle(app, pilot)
        shot = str(app.export_screenshot())
        if showing in shot:
            break
        await pilot.pause(0.05)
    return shot


async def test_app_desk_search_waiting_list_and_person_card(hostile, ctx) -> None:  # type: ignore[no-untyped-def]
    from ungehus_tui.app import make_app

    clock.set_now(FROZEN + dt.timedelta(minutes=5))
    app = make_app(ctx, as_login="rec.1")
    async with app.run_test(size=(160, 40)) as pilot:
        waiting = await _screenshot_of(app, pilot)
        _inert(waiting)  # the waiting list
        assert "Evil␛]0;pw" in waiting
        await pilot.press(*"evil")
        search = await _screenshot_of(app, pilot)
        _inert(search)  # the search results
        assert search.count("Evil␛]0;pw") >= 2  # the results and the waiting list
        await pilot.press("enter")
        card = await _screenshot_of(app, pilot)
        assert type(app.screen).__name__ == "PersonScreen"
        _inert(card)  # the person card
        assert "[b]fed[/b]" in card.replace("&#160;", " ")


async def test_app_queue_and_header(hostile, ctx) -> None:  # type: ignore[no-untyped-def]
    from ungehus_tui.app import make_app

    app = make_app(ctx, as_login=COUNSELLOR)
    async with app.run_test(size=(160, 40)) as pilot:
        shot = await _screenshot_of(app, pilot, "Evil␛]0;pw")
        assert type(app.screen).__name__ == "QueueScreen"
        _inert(shot)
        assert "Evil␛]0;pw" in shot and "Ond␛]0;pwned␇" in shot
        assert "\x1b" not in app.sub_title  # the header: the signed-in staff member
        await pilot.press("enter")
        case = await _screenshot_of(app, pilot)
        assert type(app.screen).__name__ == "CaseScreen"
        _inert(case)
