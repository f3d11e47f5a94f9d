"""The Textual app. Built by `make_app(ctx, ...)`; nothing happens at import time.

Modes (Textual `MODES`): the desk (`reception`, default) and the counsellor's queue
(`queue`); F2/F3 switch. Every screen runs its database work in thread workers that post
their results as messages; a failed worker ends in `screens.base.show_error`, the one place
that turns an exception into a Danish message.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import ClassVar

from sqlmodel import col, select
from textual import on, work
from textual.app import SystemCommand
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.screen import Screen

from ungehus_tui.app_lock import LOCK_BINDINGS, LockingApp
from ungehus_tui.data.engine import read_session
from ungehus_tui.data.models import Staff
from ungehus_tui.domain.text import visible
from ungehus_tui.screens.danish import DanishApp
from ungehus_tui.screens.desk import DeskScreen
from ungehus_tui.screens.key_order import KeyOrderApp
from ungehus_tui.screens.queue import QueueScreen
from ungehus_tui.screens.unsaved import GuardedApp
from ungehus_tui.services.access.permissions import Action, allowed
from ungehus_tui.services.context import Actor, Ctx, actor_by_login, set_process_source


class UngehusApp(DanishApp, GuardedApp, KeyOrderApp, LockingApp):
    TITLE = "Ungehus"
    SUB_TITLE = "Ungehuset · Slagelse Kommune"
    CSS_PATH = "app.tcss"
    MODES = {"reception": DeskScreen, "queue": QueueScreen}
    DEFAULT_MODE = "reception"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "f2",
            "app.switch_mode('reception')",
            "Skranke",
            id="mode.reception",
            tooltip="Skranken: søg, registrér, visitér og book",
        ),
        Binding(
            "f3",
            "app.switch_mode('queue')",
            "Kø",
            id="mode.queue",
            tooltip="Rådgivernes arbejdskø",
        ),
        Binding("ctrl+q", "quit", "Afslut", id="quit", tooltip="Luk Ungehus"),
        Binding(
            "f9",
            "change_password",
            "Adgangskode",
            id="password",
            tooltip="Skift din egen adgangskode",
            show=False,
        ),
        *LOCK_BINDINGS,
    ]

    class PasswordMustChange(Message, bubble=False):
        """IT has set a temporary password: it is changed before anything else."""

    def __init__(
        self, ctx: Ctx, actor: Actor, *, idle_clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.actor = actor
        self.setup_lock(ctx, actor, idle_clock)
        self.set_keymap(ctx.settings.keymap)  # the [keymap] table: binding id -> key(s)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The queue mode (F3) is there only for roles with a queue: reception and IT would
        get a refusal (and, before, a crash) instead of a screen."""
        if action == "switch_mode" and parameters == ("queue",):
            if not allowed(self.actor, Action.VIEW_QUEUE):
                return False
        return super().check_action(action, parameters)

    def on_mount(self) -> None:
        self.start_idle_timer()
        self.sub_title = f"{self.SUB_TITLE} · {visible(self.actor.name)}"
        if self.actor.role in ("COUNSELLOR", "LEADER"):
            self.switch_mode("queue")  # counsellors and leaders start in their queue
        self._check_temporary_password()

    @work(thread=True, exclusive=True, group="password-check", exit_on_error=False)
    def _check_temporary_password(self) -> None:
        with read_session(self.ctx.engine) as session:
            staff = session.get(Staff, self.actor.id)
            forced = bool(staff and staff.must_change_password)
        if forced:
            self.post_message(self.PasswordMustChange())

    @on(PasswordMustChange)
    def _password_must_change(self) -> None:
        self._ask_password(True)

    def _ask_password(self, forced: bool) -> None:
        from ungehus_tui.screens.change_password import ChangePasswordDialog

        self.push_screen(ChangePasswordDialog(self.ctx, self.actor, forced=forced))

    def action_change_password(self) -> None:
        self._ask_password(False)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notice as plain text: a message may quote stored text (a name, a plan's
        intervention), so its control characters are made visible and markup is off."""
        super().notify(
            visible(message), title=visible(title), severity=severity, timeout=timeout, markup=False
        )

    # --- command palette -------------------------------------------------------------

    def _desk_action(self, action: str) -> None:
        async def run() -> None:
            await self.switch_mode("reception")
            while len(self.screen_stack) > 1:
                await self.pop_screen()
            screen = self.screen
            if isinstance(screen, DeskScreen):
                await screen.run_action(action)

        self.call_later(run)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        def may(action: Action) -> bool:  # the role's commands only
            return allowed(self.actor, action)

        yield SystemCommand("Søg efter en ung", "Skranken: CPR-nummer eller navn", self._cmd_search)
        if may(Action.REGISTER):
            yield SystemCommand(
                "Ny ung", "Registrér en ny ung med visitation og samtykke", self._cmd_new
            )
        if may(Action.RECORD_ARRIVAL):
            yield SystemCommand(
                "Registrér henvendelse",
                "En henvendelse i skranken (spørgsmål), også uden navn",
                self._cmd_arrival,
            )
            yield SystemCommand(
                "Opdatér venteliste", "Hent hvem der venter i skranken", self._cmd_waiting
            )
        yield SystemCommand("Skranke", "Skift til skranken (F2)", self._cmd_mode_reception)
        if may(Action.VIEW_QUEUE):
            yield SystemCommand("Kø", "Skift til arbejdskøen (F3)", self._cmd_mode_queue)
        yield SystemCommand(
            "Skift adgangskode", "Vælg en ny adgangskode (F9)", self.action_change_password
        )
        yield from super().get_system_commands(screen)

    def search_desk(self, term: str) -> None:
        """The desk with `term` in its search field (the palette's last line)."""

        async def run() -> None:
            await self.switch_mode("reception")
            while len(self.screen_stack) > 1:
                await self.pop_screen()
            screen = self.screen
            if isinstance(screen, DeskScreen):
                screen.search_for(term)

        self.call_later(run)

    def _cmd_search(self) -> None:
        self._desk_action("focus_search")

    def _cmd_new(self) -> None:
        self._desk_action("new_person")

    def _cmd_arrival(self) -> None:
        self._desk_action("question")

    def _cmd_waiting(self) -> None:
        self._desk_action("refresh_waiting")

    def _cmd_mode_reception(self) -> None:
        self.switch_mode("reception")

    def _cmd_mode_queue(self) -> None:
        if allowed(self.actor, Action.VIEW_QUEUE):
            self.switch_mode("queue")
        else:
            self.notify("Din rolle har ingen arbejdskø", severity="warning", timeout=4)


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
            staff = session.exec(select(Staff).order_by(col(Staff.id))).first()
        if staff is None:
            raise RuntimeError("No staff in the database: run `ungehus init`")
        return Actor.of(staff)


def make_app(ctx: Ctx, *, actor: Actor | None = None, as_login: str | None = None) -> UngehusApp:
    """The app for a signed-in `actor` (or, for development and tests, `as_login`)."""
    from ungehus_tui import logsafe

    logsafe.install()
    set_process_source("tui")  # the audit log says: from the app, by this OS user on this host
    return UngehusApp(ctx, (actor or default_actor(ctx, as_login)).acting_from("tui"))
