"""Issue 13 in the queue screen: a leader's queue names whose each row is, a task is marked
done from the queue (an activity offer says which activity), every kind can be filtered,
and the queue and the open case refresh by themselves when others change the data (a short
refresh interval here; the change check is cheap and reloads only on a change)."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from sqlmodel import func, select
from textual.app import App
from textual.widgets import DataTable, Input

from tests.counsellor.conftest import FROZEN
from tests.counsellor.test_case_actions import CaseApp
from tests.counsellor.test_screens import SIZE, CaseworkApp, rows, settle
from ungehus_tui.data.engine import read_session, write_session
from ungehus_tui.data.models import AuditEvent, Task
from ungehus_tui.domain import clock
from ungehus_tui.screens.case_base import CaseBase
from ungehus_tui.screens.queue import QueueScreen
from ungehus_tui.screens.reason_dialog import ReasonDialog
from ungehus_tui.services.casework import handovers, outcomes


async def until(app: App[None], check, tries: int = 100) -> bool:  # type: ignore[no-untyped-def]
    """Poll `check` while the app runs its timers (bounded; not a timing assertion)."""
    for _ in range(tries):
        if check():
            return True
        await asyncio.sleep(0.03)
    return False


def cursor_name(app: App[None]) -> str:
    table = app.screen.query_one("#queue-table", DataTable)
    return str(table.get_row_at(table.cursor_row)[2])


def audits(ctx, action: str) -> int:  # type: ignore[no-untyped-def]
    with read_session(ctx.engine) as s:
        return s.exec(select(func.count()).where(AuditEvent.action == action)).one()


async def test_leader_queue_names_whose_each_row_is(ctx, actor_for, scenario):
    app = CaseworkApp(ctx, actor_for("cai.leder"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        found = rows(app, "#queue-table")
        assert found and all(len(r) == 6 for r in found)
        by_name = {r[2]: r[4] for r in found}
        assert not found[0][5].startswith(by_name[found[0][2]])  # said once, in its column
        assert by_name["Frede Udebliversen"] == "Demo Vejleder Ekko"
        assert by_name["Dan Tilbudsen"] in {"Demo Vejleder Foxtrot", "Demo Vejleder Ekko"}
        assert app.screen.check_action("task_done", ()) is False  # read-only: no "done" key


def test_snapshot_leader_queue(ctx, actor_for, scenario, snap_compare):
    app = CaseworkApp(ctx, actor_for("cai.leder"))

    async def ready(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=ready)


async def test_overdue_in_words_and_a_15_17_first_contact_stands_out(ctx, actor_for, scenario):
    clock.set_now(FROZEN + dt.timedelta(days=30))
    app = CaseworkApp(ctx, actor_for("cai.vejl.1"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        found = {r[2]: r for r in rows(app, "#queue-table")}
        alma = found["Alma Førstesen"]  # 16: the education duty's first contact
        assert "overskredet" in alma[0] and "!! 15-17" in alma[1]
        assert "overskredet" in found["Frede Udebliversen"][0]
        assert "15-17" not in found["Frede Udebliversen"][1]


async def test_task_done_from_the_queue(ctx, actor_for, scenario):
    me = actor_for("cai.vejl.1")
    pid = scenario["Frede Udebliversen"]
    with write_session(ctx.engine) as s:
        offer = Task(
            person_id=pid,
            kind="ACTIVITY_OFFER",
            staff_id=me.id,
            due=FROZEN.date() + dt.timedelta(days=30),
            note="Tilbyd aktivitet",
            created_by=me.id,
        )
        s.add(offer)
    app = CaseworkApp(ctx, me)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("6")  # outreach
        await pilot.press("d", "j")  # named and confirmed (issue 14)
        await settle(app, pilot)
        with read_session(ctx.engine) as s:
            outreach = s.exec(select(Task).where(Task.kind == "OUTREACH")).one()
            assert outreach.done_at is not None
        assert rows(app, "#queue-table") == []
        for _ in range(13):  # T reaches every kind with items, also the ones past key 9
            await pilot.press("t")
            if rows(app, "#queue-table") and rows(app, "#queue-table")[0][1].startswith(
                "Frafald: tilbud"
            ):
                break
        assert [r[2] for r in rows(app, "#queue-table")] == ["Frede Udebliversen"]
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ReasonDialog)
        await pilot.press("ctrl+s")  # no activity named: the dialog says so and stays
        await pilot.pause()
        assert isinstance(app.screen, ReasonDialog)
        app.screen.query_one("#reason", Input).value = "Praktik i Genbrugsbutikken"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, QueueScreen)
    with read_session(ctx.engine) as s:
        done = s.exec(select(Task).where(Task.kind == "ACTIVITY_OFFER")).one()
    assert done.done_at is not None and "Genbrugsbutikken" in (done.note or "")


async def test_queue_refreshes_by_itself_and_keeps_the_cursor(
    ctx, actor_for, scenario, monkeypatch
):
    monkeypatch.setattr(QueueScreen, "REFRESH_SECONDS", 0.05)
    me, colleague = actor_for("cai.vejl.1"), actor_for("cai.vejl.2")
    app = CaseworkApp(ctx, me)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        names = [r[2] for r in rows(app, "#queue-table")]
        app.screen.query_one("#queue-table", DataTable).move_cursor(
            row=names.index("Frede Udebliversen")
        )
        before = audits(ctx, "VIEW_QUEUE")
        await asyncio.sleep(0.3)  # several ticks with nothing changed: no reload, no audit
        assert audits(ctx, "VIEW_QUEUE") == before
        # A minute later the colleague takes back the offer to me: my queue shows it by itself.
        clock.set_now(FROZEN + dt.timedelta(minutes=1))
        p = scenario["Dan Tilbudsen"]
        handovers.withdraw_handover(ctx, colleague, _offer(ctx, p))
        assert await until(
            app, lambda: "Dan Tilbudsen" not in [r[2] for r in rows(app, "#queue-table")]
        )
        assert cursor_name(app) == "Frede Udebliversen"  # the same row, not the same index
        assert audits(ctx, "VIEW_QUEUE") == before + 1


def _offer(ctx, person_id: int) -> int:  # type: ignore[no-untyped-def]
    from ungehus_tui.data.models import Handover

    with read_session(ctx.engine) as s:
        h = s.exec(
            select(Handover).where(Handover.person_id == person_id, Handover.status == "OFFERED")
        ).one()
        return h.id or 0


@pytest.mark.parametrize("change", ["contact_person"])
async def test_open_case_refreshes_by_itself(ctx, actor_for, make_case, monkeypatch, change):
    monkeypatch.setattr(CaseBase, "REFRESH_SECONDS", 0.05)
    me = actor_for("cai.vejl.1")
    case = make_case("cai.vejl.1", name="Rie Opdatersen")
    app = CaseApp(ctx, me, case.person_id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        side = app.screen.query_one("#case-side-text")
        assert "kontaktperson" not in str(side.render())
        clock.set_now(FROZEN + dt.timedelta(minutes=1))
        outcomes.appoint_contact_person(
            ctx, actor_for("cai.vejl.1"), case.person_id, outcomes.ContactPersonInput(me.id, "CAI")
        )
        assert await until(app, lambda: "kontaktperson" in str(side.render()))
