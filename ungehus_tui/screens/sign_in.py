"""Sign-in: the app's first screen (its `sign-in` mode), and the idle lock (an opaque full
screen over the work).

At start the store may still be opening behind it (`UngehusApp`): the fields take keys at
once, and Enter waits for the store (the sign-in worker reads `app.ctx`, which waits). Typed
at full speed (login, Tab, password, Enter with no pause) every key lands in its field:
Tab, Shift+Tab and Enter are priority bindings that move focus before the next key is routed,
the submit reads the fields after they have handled their keys, and from Enter until the next
screen has its focus the app holds the keys (`screens.keys`).

The password is checked while it is typed (`CheckAhead`, one Argon2 check at a time in a
worker thread, the newest login and password next): the Enter takes the check made for what
it submits, or waits for it when it is under way, and `auth.sign_in` counts, locks and
audits as ever (`signin_ready_ms`: the ~30-50 ms of the check no longer follow the Enter).

As the lock it is pushed on top of whatever screen was in use; nothing below is drawn (a
Screen, not a ModalScreen). Only the signed-in staff member's password unlocks it; then the
screen is popped and the stack, focus and typed input are exactly as they were.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, Static
from textual.worker import Worker, WorkerState

from ungehus_tui.domain.text import visible
from ungehus_tui.screens.base import GENERIC_ERROR_DA, HouseApp
from ungehus_tui.screens.keys import after_typed, hold_keys, release_keys
from ungehus_tui.services.context import Actor

if TYPE_CHECKING:
    from ungehus_tui.services.access.auth import PasswordCheck


class CheckAhead:
    """The password checked while it is typed (`auth.check_ahead`), one check at a time in a
    worker thread of `screen`, the newest login and password next; `take` hands the Enter
    the check made for what it submits (waiting while that one is being made), or None."""

    def __init__(self, screen: Screen[Actor]) -> None:
        self._screen = screen
        self._changed = threading.Condition()
        self._wanted: tuple[str, str] | None = None
        self._checking: tuple[str, str] | None = None
        self._done: PasswordCheck | None = None
        self._running = False

    def want(self, login: str, password: str) -> None:
        """The fields now hold this: check it next (nothing for an empty field)."""
        login = login.strip()
        with self._changed:
            self._wanted = (login, password) if login and password else None
            if self._wanted is None or self._running:
                return
            self._running = True
        self._screen.run_worker(self._run, thread=True, group="check-ahead", exit_on_error=False)

    def _next(self) -> tuple[str, str] | None:
        with self._changed:
            job = self._wanted
            done = self._done
            if job is None or (done is not None and done.is_for(*job)):
                job = None
            self._checking = job
            return job

    def _run(self) -> None:
        from ungehus_tui.services.access import auth

        try:
            ctx = cast(HouseApp, self._screen.app).ctx  # waits while the store is opening
            while (job := self._next()) is not None:
                check = auth.check_ahead(ctx, *job)
                with self._changed:
                    self._done = check
                    self._changed.notify_all()
        except Exception:  # the Enter checks the password itself then
            pass
        finally:
            with self._changed:
                self._running = False
                self._checking = None
                self._changed.notify_all()

    def take(self, login: str, password: str) -> PasswordCheck | None:
        """(a worker thread) The check made for this login and password, if any, waiting
        while it is being made; forgotten afterwards, as is what was typed."""
        job = (login.strip(), password)
        with self._changed:
            while self._running and self._checking == job:
                self._changed.wait()
            done = self._done
            self._done = self._wanted = None
        return done if done is not None and done.is_for(*job) else None


class SignInScreen(Screen[Actor]):
    """Login + password; dismisses with the signed-in Actor."""

    DEFAULT_CSS = """
    SignInScreen { align: center middle; background: $background; }
    SignInScreen #box { width: 56; height: auto; border: round $primary; padding: 1 2; }
    SignInScreen #title { text-style: bold; margin-bottom: 1; }
    SignInScreen #message { color: $error; height: auto; margin-top: 1; }
    SignInScreen Input { margin-bottom: 1; }
    """
    BINDINGS = [
        Binding("ctrl+q", "app.quit", "Afslut", id="quit", tooltip="Luk Ungehus"),
        # priority: handled before the app routes the next key (see screens.keys)
        Binding("tab", "move(1)", "Næste", id="sign-in.next", tooltip="Næste felt", priority=True),
        Binding(
            "shift+tab",
            "move(-1)",
            "Forrige",
            id="sign-in.previous",
            tooltip="Forrige felt",
            priority=True,
        ),
        Binding(  # ctrl+j: an Enter typed before the app had the terminal arrives as \n
            "enter,ctrl+j",
            "enter",
            "Log ind",
            id="sign-in.enter",
            tooltip="Til adgangskoden; i adgangskoden: log ind",
            priority=True,
        ),
    ]

    @dataclass
    class Refused(Message, bubble=False):
        text: str

    @dataclass
    class SignedIn(Message, bubble=False):
        actor: Actor

    @dataclass
    class Notice(Message, bubble=False):
        """A line from the app (the store is opening, the demo password)."""

        text: str

    def __init__(
        self,
        *,
        locked: Actor | None = None,
        login: str | None = None,
        on_signed_in: Callable[[Actor], object] | None = None,
    ) -> None:
        """`locked`: the idle lock of this staff member (dismisses with the Actor).
        `on_signed_in`: the app's first screen calls it instead of dismissing."""
        super().__init__(id="lock" if locked else "sign-in")
        self.locked = locked
        self.on_signed_in = on_signed_in
        self.initial_login = locked.login if locked else (login or "")
        self.busy = False  # Enter was pressed; the sign-in is being checked
        self.ahead = CheckAhead(self)

    def compose(self) -> ComposeResult:
        title = (
            f"Skærmen er låst. {visible(self.locked.name)}: skriv din adgangskode"
            if self.locked
            else "Ungehus · Log ind"
        )
        with Center(), Vertical(id="box"):
            yield Static(title, id="title", markup=False)  # wraps (a Label cut the lock text off)
            yield Input(
                value=self.initial_login,
                placeholder="Brugernavn",
                id="login",
                disabled=self.locked is not None,
            )
            yield Input(placeholder="Adgangskode", password=True, id="password")
            yield Static("", id="message")

    def on_mount(self) -> None:
        target = "#password" if self.initial_login else "#login"
        self.set_focus(self.query_one(target, Input))
        release_keys(self.app)  # the keys typed before the screen was there

    @on(Input.Changed)
    def _typed(self) -> None:
        """Check the password as it stands (the Enter will likely find it checked)."""
        if not self.busy:
            login = self.query_one("#login", Input).value
            self.ahead.want(login, self.query_one("#password", Input).value)

    def _fields(self) -> list[Input]:
        return [i for i in self.query(Input).results(Input) if not i.disabled]

    def action_move(self, step: int) -> None:
        fields = self._fields()
        if self.busy or not fields:
            return
        at = fields.index(self.focused) if self.focused in fields else -1
        self.set_focus(fields[(at + step) % len(fields)])

    def action_enter(self) -> None:
        """Enter on the login: to the password. On the password: sign in, once both fields
        have handled what was typed before the Enter; the keys after it wait (held)."""
        if self.busy:
            return
        password = self.query_one("#password", Input)
        if self.focused is not password:
            self.set_focus(password)
            return
        self.busy = True
        hold_keys(self.app)
        self.set_focus(None)
        after_typed(self._fields(), self._submit)

    def _submit(self) -> None:
        login = self.query_one("#login", Input).value.strip()
        password = self.query_one("#password", Input).value
        if not login or not password:
            self._again("Skriv brugernavn og adgangskode", "#password" if login else "#login")
            return
        self.query_one("#password", Input).value = ""
        self._show("Logger ind ...")
        self.check_sign_in(login, password)

    def _again(self, message: str, field: str = "#password") -> None:
        """Back to typing: the message, focus in `field`, the held keys go there."""
        self._show(message)
        self.busy = False
        self.set_focus(self.query_one(field, Input))
        release_keys(self.app)

    @work(thread=True, exclusive=True, group="sign-in", exit_on_error=False)
    def check_sign_in(self, login: str, password: str) -> None:
        from ungehus_tui.services.access import auth
        from ungehus_tui.services.errors import ServiceError

        ctx = cast(HouseApp, self.app).ctx  # waits while the store is opening
        try:
            actor = auth.sign_in(ctx, login, password, self.ahead.take(login, password))
        except ServiceError as exc:
            self.post_message(self.Refused(exc.message))
            return
        self.post_message(self.SignedIn(actor))

    @on(Refused)
    def _refused(self, message: Refused) -> None:
        self._again(message.text)

    @on(Notice)
    def _notice(self, message: Notice) -> None:
        if not self.busy:
            self._show(message.text)

    @on(Worker.StateChanged)
    def _sign_in_failed(self, event: Worker.StateChanged) -> None:
        """Anything but a refused sign-in (say, the database went away): a message, and the
        screen stays usable; no traceback."""
        if event.state == WorkerState.ERROR and event.worker.group == "sign-in":
            self._again(GENERIC_ERROR_DA)

    @on(SignedIn)
    def _signed_in(self, message: SignedIn) -> None:
        actor = message.actor
        if self.locked is not None and actor.id != self.locked.id:
            self._again("Kun den medarbejder, der er logget ind, kan låse op")
            return
        self._show("")
        if self.on_signed_in is not None:
            self.on_signed_in(actor)  # the app releases the held keys where they belong next
        else:
            self.dismiss(actor)

    def _show(self, message: str) -> None:
        self.query_one("#message", Static).update(message)
