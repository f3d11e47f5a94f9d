"""Every settled search at the desk is in the audit log with its term: on Enter, on opening a
result, after the typing pause; never the same term twice in a row. Through the real screen."""

from __future__ import annotations

from sqlmodel import select
from textual.widgets import DataTable

from tests.reception.conftest import cpr_aged, frozen, settle, teen
from ungehus_tui.app import UngehusApp, make_app
from ungehus_tui.data.engine import read_session
from ungehus_tui.data.models import AuditEvent
from ungehus_tui.screens.desk import SEARCH_SETTLE_SECONDS, DeskScreen
from ungehus_tui.services.access.audit_query import verify_chain
from ungehus_tui.services.desk import walk_in as desk

__all__ = ["frozen"]  # the desk clock fixture of tests/reception


class FakeClock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def _searches(ctx) -> list[AuditEvent]:  # type: ignore[no-untyped-def]
    with read_session(ctx.engine) as s:
        return list(
            s.exec(
                select(AuditEvent).where(AuditEvent.action == "SEARCH").order_by(AuditEvent.id)  # type: ignore[arg-type]
            ).all()
        )


def _register(ctx, reception, name: str, years: int = 19) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    cpr = cpr_aged(years)
    result = desk.register_walk_in(ctx, reception, teen(cpr, name), desk.Answers("job"))
    return result.person_id, cpr


async def test_typing_pause_logs_the_term_once(ctx, reception, frozen) -> None:  # type: ignore[no-untyped-def]
    pid, _ = _register(ctx, reception, "Søren Ærø Prøvesen")
    clock = FakeClock()
    app = UngehusApp(ctx, reception, idle_clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, DeskScreen)
        await pilot.press(*"sør")
        await settle(app, pilot)
        clock.t += SEARCH_SETTLE_SECONDS - 0.1  # still typing: nothing yet
        screen.check_search_settled()
        await settle(app, pilot)
        assert _searches(ctx) == []
        await pilot.press(*"en")  # a key restarts the pause
        clock.t += SEARCH_SETTLE_SECONDS - 0.1
        screen.check_search_settled()
        await settle(app, pilot)
        assert _searches(ctx) == []
        clock.t += 0.2  # the pause since the last key: settled
        screen.check_search_settled()
        await settle(app, pilot)
        clock.t += 10  # no new key: no second event
        screen.check_search_settled()
        await settle(app, pilot)
        logged = _searches(ctx)
        assert [e.search_term for e in logged] == ["søren"]
        assert logged[0].detail == f"found={pid}"  # who the search showed
        assert logged[0].staff_login == "rec.1"
        # Enter on the same term opens the person, without logging the term again
        await pilot.press("enter")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "PersonScreen"
        assert [e.search_term for e in _searches(ctx)] == ["søren"]
    assert verify_chain(ctx.engine).ok


async def test_enter_logs_the_term_and_opening_a_result_too(ctx, reception, frozen) -> None:  # type: ignore[no-untyped-def]
    first, _ = _register(ctx, reception, "Mads Eksempelgaard", 20)
    second, _ = _register(ctx, reception, "Mads Prøvegaard", 21)
    app = make_app(ctx, actor=reception)
    app.idle_clock = FakeClock()  # a slow machine never makes a typing pause the test did not
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press(*"mads", "enter")  # Enter, at once, no pause
        await settle(app, pilot)
        assert type(app.screen).__name__ == "PersonScreen"
        await pilot.press("escape")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "DeskScreen"
        await pilot.press("escape", *"mads p")
        await settle(app, pilot)
        table = app.screen.query_one("#results", DataTable)
        table.focus()
        await pilot.press("enter")  # opening the result from the table
        await settle(app, pilot)
        assert type(app.screen).__name__ == "PersonScreen"
    logged = _searches(ctx)
    assert [e.search_term for e in logged] == ["mads", "mads p"]
    assert {int(i) for i in (logged[0].detail or "")[6:].split(",")} == {first, second}
    assert logged[1].detail == f"found={second}"
    assert {e.channel for e in logged} == {"tui"}  # the app's events say where they came from
    assert all(e.origin and "@" in e.origin for e in logged)


async def test_a_cpr_search_is_logged_as_typed_and_never_shown(ctx, reception, frozen) -> None:  # type: ignore[no-untyped-def]
    pid, cpr = _register(ctx, reception, "Freja Prøvesen", 17)
    app = make_app(ctx, actor=reception)
    app.idle_clock = FakeClock()  # a slow machine never makes a typing pause the test did not
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press(*cpr)
        await settle(app, pilot)
        assert cpr[6:] not in app.export_screenshot()
        await pilot.press("enter")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "PersonScreen"
        assert cpr[6:] not in app.export_screenshot()
    logged = _searches(ctx)
    assert [e.search_term for e in logged] == [cpr]  # the log holds the term as typed
    assert logged[0].detail == f"found={pid}"


async def test_an_emptied_field_starts_a_new_search(ctx, reception, frozen) -> None:  # type: ignore[no-untyped-def]
    _register(ctx, reception, "Søren Ærø Prøvesen")
    clock = FakeClock()
    app = UngehusApp(ctx, reception, idle_clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, DeskScreen)
        await pilot.press(*"ærø", "enter")
        await settle(app, pilot)
        await pilot.press("escape")  # back from the person: field still 'ærø'
        await settle(app, pilot)
        await pilot.press("escape")  # empty the field
        await settle(app, pilot)
        await pilot.press(*"ærø")
        clock.t += SEARCH_SETTLE_SECONDS
        screen.check_search_settled()
        await settle(app, pilot)
    assert [e.search_term for e in _searches(ctx)] == ["ærø", "ærø"]
