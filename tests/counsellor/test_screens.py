"""Pilot tests and snapshots of the queue, case and outcome screens, and the issue's
acceptance walk-through: work the queue, record an outcome, offer a handover, the receiver
sees and accepts it, and the sender held the young person until then."""

from __future__ import annotations

import datetime as dt
import re

from sqlmodel import select
from textual.app import App
from textual.widgets import DataTable, Input, Select

from tests.counsellor.conftest import holders
from ungehus_tui.data.engine import read_session
from ungehus_tui.data.models import Handover, Meeting
from ungehus_tui.screens.case import CaseScreen
from ungehus_tui.screens.handover_dialog import HandoverDialog
from ungehus_tui.screens.outcome_dialog import OutcomeDialog
from ungehus_tui.screens.queue import QueueScreen
from ungehus_tui.services.context import Actor, Ctx

SIZE = (120, 36)


class CaseworkApp(App[None]):
    """The smallest app that hosts the counsellor screens (the real one adds modes)."""

    TITLE = "Ungehus"

    def __init__(self, ctx: Ctx, actor: Actor) -> None:
        super().__init__()
        self.ctx = ctx
        self.actor = actor

    def on_mount(self) -> None:
        self.push_screen(QueueScreen())


async def settle(app: App[None], pilot) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


def rows(app: App[None], selector: str) -> list[list[str]]:
    table = app.screen.query_one(selector, DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_queue_counts_filter_and_open(ctx, actor_for, scenario):
    app = CaseworkApp(ctx, actor_for("cai.vejl.1"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert len(rows(app, "#queue-table")) == 7
        assert "Alle 7" in str(app.screen.query_one("#queue-counts").render())
        await pilot.press("6")  # outreach only
        only = rows(app, "#queue-table")
        assert [r[2] for r in only] == ["Frede Udebliversen"]
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, CaseScreen)
        texts = " ".join(r[1] for r in rows(app, "#case-timeline"))
        assert "Første samtale" in texts and "udeblevet" in texts
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, QueueScreen)


async def test_walk_through_outcome_handover_accept(ctx, actor_for, scenario):
    sender, receiver = actor_for("cai.vejl.1"), actor_for("cai.vejl.2")
    clara = scenario["Clara Udfaldsen"]
    app = CaseworkApp(ctx, sender)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("3")  # meetings without an outcome
        assert [r[2] for r in rows(app, "#queue-table")] == ["Clara Udfaldsen"]
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, OutcomeDialog)
        app.screen.query_one("#note", Input).value = "God første samtale"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        with read_session(ctx.engine) as s:
            assert s.get(Meeting, scenario_meeting(s, clara)).status == "HELD"  # type: ignore[union-attr]
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HandoverDialog)
        app.screen.query_one("#to_staff", Select).value = receiver.id
        app.screen.query_one("#reason", Input).value = "Hun vil gerne mod job"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert holders(ctx, clara) == [sender.id]  # the sender holds until accepted
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("0")
        mine = {r[2]: r[1] for r in rows(app, "#queue-table")}
        assert mine["Clara Udfaldsen"] == "Afventer modtager"

    app2 = CaseworkApp(ctx, receiver)
    async with app2.run_test(size=SIZE) as pilot:
        await settle(app2, pilot)
        await pilot.press("4")  # offered to me
        assert [r[2] for r in rows(app2, "#queue-table")] == ["Clara Udfaldsen"]
        assert holders(ctx, clara) == [sender.id]
        await pilot.press("enter")
        await settle(app2, pilot)
        await pilot.press("a", "j")  # named and confirmed (issue 14)
        await settle(app2, pilot)
        assert holders(ctx, clara) == [receiver.id]
        assert "Demo Vejleder Foxtrot" in str(app2.screen.query_one("#case-head").render())
    with read_session(ctx.engine) as s:
        h = s.exec(select(Handover).where(Handover.person_id == clara)).one()
        assert h.status == "ACCEPTED"


def scenario_meeting(session, person_id: int) -> int:  # type: ignore[no-untyped-def]
    from sqlmodel import select

    return session.exec(select(Meeting.id).where(Meeting.person_id == person_id)).one()


def test_snapshot_queue(ctx, actor_for, scenario, snap_compare, monkeypatch):  # type: ignore[no-untyped-def]
    from ungehus_tui.screens.queue import QueueScreen

    # no self-refresh tick while the snapshot is taken (a loaded machine could let one fire)
    monkeypatch.setattr(QueueScreen, "REFRESH_SECONDS", 3600.0)
    app = CaseworkApp(ctx, actor_for("cai.vejl.1"))

    async def ready(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=ready)


def test_snapshot_case_and_outcome(ctx, actor_for, scenario, snap_compare):
    app = CaseworkApp(ctx, actor_for("cai.vejl.1"))

    async def ready(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(app, pilot)
        await pilot.press("3", "enter")
        await settle(app, pilot)
        await pilot.press("o")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=ready)


def test_snapshot_case(ctx, actor_for, scenario, snap_compare):
    app = CaseworkApp(ctx, actor_for("cai.vejl.1"))

    async def ready(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(app, pilot)
        await pilot.press("5", "enter")
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=ready)


async def test_queue_in_the_real_app_shows_whole_names(ctx, actor_for, scenario):
    """A counsellor starts in the app's own queue mode, and its columns fit their contents."""
    import html

    from ungehus_tui.app import UngehusApp

    app = UngehusApp(ctx, actor_for("cai.vejl.1"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, QueueScreen)
        shot = html.unescape(app.export_screenshot()).replace("\xa0", " ")
        assert "Frede Udebliversen" in shot and "Opsøgende" in shot


async def test_queue_columns_fit_with_no_further_events(ctx, actor_for, scenario, monkeypatch):
    """The queue's rows arrive from a worker, here after the screen has gone quiet (a slow
    database), and nothing else reaches the table afterwards (no key, no pilot pause). The
    columns must still fit the rows. Once in tmux they kept the widths of their headings
    ("Navn" showed "Frede Udebliversen" as "Fred"); this guards the late-rows case, which
    did not reproduce that sighting."""
    import asyncio
    import time

    from ungehus_tui.app import UngehusApp
    from ungehus_tui.screens import queue as queue_screen

    real = queue_screen.queue_for

    def slow_queue_for(*args, **kwargs):  # type: ignore[no-untyped-def]
        time.sleep(0.5)
        return real(*args, **kwargs)

    monkeypatch.setattr(queue_screen, "queue_for", slow_queue_for)
    app = UngehusApp(ctx, actor_for("cai.vejl.1"))
    async with app.run_test(size=SIZE):
        for _ in range(200):  # plain sleeps: pilot.pause() would post to every widget
            await asyncio.sleep(0.02)
            screen = app.screen
            if isinstance(screen, QueueScreen) and screen.query_one(DataTable).row_count:
                break
        await asyncio.sleep(0.3)
        table = app.screen.query_one("#queue-table", DataTable)
        assert table.row_count > 0
        widths = {str(c.label): c.get_render_width(table) for c in table.columns.values()}
        assert widths["Navn"] >= len("Frede Udebliversen")
        assert widths["Type"] >= len("Kontaktperson slutter")


async def test_leader_reads_the_centers_queue_and_cases_without_write_keys(
    ctx, actor_for, scenario
):
    """A leader starts in the center's queue (not an empty one of their own), opens a case
    read-only: the footer offers none of the counsellor's keys, and pressing one changes
    nothing and shows no refusal."""
    from textual.widgets import Footer

    from ungehus_tui.app import UngehusApp

    app = UngehusApp(ctx, actor_for("cai.leder"))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, QueueScreen)
        assert "Centerets arbejdskø · CAI" in str(app.screen.query_one("#queue-title").render())
        assert "Tilbudt centeret 2" in str(app.screen.query_one("#queue-counts").render())
        assert len(rows(app, "#queue-table")) == 7
        await pilot.press("6")  # outreach: Frede, held by Demo Vejleder Ekko
        assert rows(app, "#queue-table")[0][4] == "Demo Vejleder Ekko"  # the "Hvis" column
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, CaseScreen)
        keys = {k.key for k in app.screen.query_one(Footer).query("FooterKey")}  # type: ignore[attr-defined]
        writes = {"o", "p", "h", "a", "x", "w", "k", "s", "d", "m", "c", "e", "n", "u", "f", "l"}
        assert "escape" in keys and not writes & keys
        await pilot.press("o")
        await settle(app, pilot)
        assert isinstance(app.screen, CaseScreen) and list(app._notifications) == []


async def test_queue_table_shows_the_most_urgent_rows_when_there_are_many(
    ctx, actor_for, scenario, monkeypatch
):
    """A leader's center queue on a large database holds tens of thousands of items; the
    table shows the first MAX_ROWS by due date and says so (counts stay whole)."""
    from ungehus_tui.screens import queue as queue_screen

    monkeypatch.setattr(queue_screen, "MAX_ROWS", 3)
    app = CaseworkApp(ctx, actor_for("cai.vejl.1"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        shown = rows(app, "#queue-table")
        assert len(shown) == 3
        counts_line = str(app.screen.query_one("#queue-counts").render())
        assert "Alle 7" in counts_line and "viser de 3 første af 7 efter frist" in counts_line
        plain_dues = [re.sub(r"\[[^\]]*\]", "", r[0]).split()[0] for r in shown]
        dues = [dt.datetime.strptime(d, "%d-%m-%Y") for d in plain_dues]
        assert dues == sorted(dues)
        await pilot.press("6")
        assert len(rows(app, "#queue-table")) == 1
        assert "viser" not in str(app.screen.query_one("#queue-counts").render())


async def test_a_failed_case_write_is_a_message_not_a_crash(ctx, actor_for, scenario) -> None:  # type: ignore[no-untyped-def]
    """A refused or failing case write (here a conflict) ended the app with a traceback."""
    from ungehus_tui.app import UngehusApp
    from ungehus_tui.services.errors import Conflict

    app = UngehusApp(ctx, actor_for("cai.vejl.1"))
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await settle(app, pilot)
        await app.push_screen(CaseScreen(scenario["Alma Førstesen"]))
        await settle(app, pilot)
        case = app.screen

        def refused() -> None:
            raise Conflict("Sagen er lige ændret af en anden; hent den igen")

        worker = case.run_service(refused, "Gemt")  # type: ignore[attr-defined]
        while worker.is_running or worker.state.name == "PENDING":
            await pilot.pause(0.02)
        await pilot.pause()
        assert worker.state.name == "ERROR"
        assert app.is_running and app.screen is case
        assert "Sagen er lige ændret af en anden" in " ".join(
            str(n.message) for n in app._notifications
        )


async def test_a_refused_dialog_keeps_what_was_typed(ctx, actor_for, scenario):
    """The plan dialog starts in its first field; a refusal from the service (no goal) is
    shown while the dialog stays open with everything typed; the corrected plan is saved."""
    from sqlmodel import select as sql_select

    from ungehus_tui.app import UngehusApp
    from ungehus_tui.data.models import EducationPlan
    from ungehus_tui.screens.plan_dialog import PlanDialog

    app = UngehusApp(ctx, actor_for("cai.vejl.1"))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        await app.push_screen(CaseScreen(scenario["Alma Førstesen"]))
        await settle(app, pilot)
        await pilot.press("p")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, PlanDialog)
        await pilot.press(*"FGU")
        assert dialog.query_one("#short", Input).value == "FGU"  # focus began in the field
        dialog.query_one("#short", Input).value = ""
        dialog.query_one("#description", Input).value = "Brobygning på FGU"
        await pilot.press("ctrl+s")
        await pilot.pause(0.3)
        await pilot.pause()
        assert app.screen is dialog  # still open
        assert "Skriv mindst ét mål" in " ".join(str(n.message) for n in app._notifications)
        assert dialog.query_one("#description", Input).value == "Brobygning på FGU"
        with read_session(ctx.engine) as session:
            assert session.exec(sql_select(EducationPlan)).first() is None  # nothing written
        dialog.query_one("#short", Input).value = "Starte på FGU"
        await pilot.press("ctrl+s")  # refused again: the new intervention has no center
        await pilot.pause(0.3)
        await pilot.pause()
        assert app.screen is dialog
        assert "Vælg et af de fire centre" in str(list(app._notifications)[-1].message)
        dialog.query_one("#center", Select).value = "CAI"
        dialog.query_one("#area", Select).value = "EDUCATION"
        await pilot.press("ctrl+s")
        await pilot.pause(0.3)
        await settle(app, pilot)
        assert isinstance(app.screen, CaseScreen)
        with read_session(ctx.engine) as session:
            plan = session.exec(sql_select(EducationPlan)).one()
            assert plan.short_term_goals == "Starte på FGU"


async def test_a_case_the_actor_may_not_see_goes_back_with_the_refusal(ctx, actor_for, scenario):
    from ungehus_tui.app import UngehusApp

    app = UngehusApp(ctx, actor_for("cbu.leder"))  # Alma is held in CAI
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        queue = app.screen
        await app.push_screen(CaseScreen(scenario["Alma Førstesen"]))
        await settle(app, pilot)
        assert app.screen is queue  # not a case screen left on "Henter sagen ..."
        assert [n.message for n in app._notifications] == ["Du har ikke adgang til denne unges sag"]


async def test_rejecting_an_offer_goes_back_to_the_queue_with_only_the_receipt(
    ctx, actor_for, scenario
):
    """Rejecting ends the counsellor's access to that young person: the case closes and the
    queue shows, with "Overdragelsen er afvist" and no "Du har ikke adgang" after it."""
    from ungehus_tui.app import UngehusApp
    from ungehus_tui.screens.reason_dialog import ReasonDialog

    app = UngehusApp(ctx, actor_for("cai.vejl.1"))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        queue = app.screen
        await app.push_screen(CaseScreen(scenario["Dan Tilbudsen"]))
        await settle(app, pilot)
        await pilot.press("x")
        await settle(app, pilot)
        assert isinstance(app.screen, ReasonDialog)
        await pilot.press(*"Har ikke plads")
        await pilot.press("ctrl+s")
        await pilot.pause(0.3)
        await settle(app, pilot)
        assert app.screen is queue
        assert [n.message for n in app._notifications] == ["Overdragelsen er afvist"]
        assert "Dan Tilbudsen" not in [r[2] for r in rows(app, "#queue-table")]
