"""The Textual app. Built by `make_app(ctx, ...)`; nothing happens at import time."""

from __future__ import annotations

import time
from collections.abc import Callable

from sqlmodel import select
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Header, Input, Static

from ungehus_tui.app_lock import LOCK_BINDINGS, LockingApp
from ungehus_tui.data.engine import read_session
from ungehus_tui.data.models import Staff
from ungehus_tui.services import people
from ungehus_tui.services.context import Actor, Ctx, actor_by_login


class UngehusApp(LockingApp):
    TITLE = "Ungehus"
    SUB_TITLE = "Ungehuset · Slagelse Kommune"
    CSS_PATH = "app.tcss"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Afslut", id="quit", tooltip="Luk Ungehus"),
        *LOCK_BINDINGS,
    ]

    def __init__(
        self, ctx: Ctx, actor: Actor, *, idle_clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.actor = actor
        self.setup_lock(ctx, actor, idle_clock)

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="reception"):
            yield Static(f"Logget ind som {self.actor.name}", id="whoami")
            yield Input(placeholder="Søg: CPR-nummer eller navn", id="search")
            yield DataTable(id="results", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        self.start_idle_timer()
        table = self.query_one("#results", DataTable)
        table.add_columns("CPR", "Navn", "Alder")

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.run_search(event.value)

    @work(thread=True, exclusive=True, group="search")
    def run_search(self, term: str) -> None:
        hits = people.search(self.ctx, self.actor, term)
        self.call_from_thread(self._show_hits, hits)

    def _show_hits(self, hits: list[people.PersonHit]) -> None:
        table = self.query_one("#results", DataTable)
        table.clear()
        for hit in hits:
            table.add_row(hit.cpr_masked, hit.name, str(hit.age), key=str(hit.id))


def default_actor(ctx: Ctx, as_login: str | None) -> Actor:
    with read_session(ctx.engine) as session:
        if as_login:
            return actor_by_login(session, as_login)
        staff = session.exec(
            select(Staff)
            .where(Staff.role == "RECEPTION", Staff.active == True)  # noqa: E712
            .order_by(Staff.login)
        ).first()
        if staff is None:
            staff = session.exec(select(Staff).order_by(Staff.id)).first()
        if staff is None:
            raise RuntimeError("No staff in the database: run `ungehus init`")
        return Actor.of(staff)


def make_app(ctx: Ctx, *, actor: Actor | None = None, as_login: str | None = None) -> UngehusApp:
    """The app for a signed-in `actor` (or, for development and tests, `as_login`)."""
    from ungehus_tui import logsafe

    logsafe.install()
    return UngehusApp(ctx, actor or default_actor(ctx, as_login))
