"""Sign-in: at start, and as the idle lock (an opaque full screen over the work).

As the lock it is pushed on top of whatever screen was in use; nothing below is drawn (a
Screen, not a ModalScreen). Only the signed-in staff member's password unlocks it; then the
screen is popped and the stack, focus and typed input are exactly as they were.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, Static
from textual.worker import Worker, WorkerState

from ungehus_tui.domain.text import visible
from ungehus_tui.screens.base import GENERIC_ERROR_DA
from ungehus_tui.services.access import auth
from ungehus_tui.services.context import Actor, Ctx
from ungehus_tui.services.errors import ServiceError


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
    ]

    @dataclass
    class Refused(Message, bubble=False):
        text: str

    @dataclass
    class SignedIn(Message, bubble=False):
        actor: Actor

    def __init__(self, ctx: Ctx, *, locked: Actor | None = None, login: str | None = None) -> None:
        super().__init__(id="lock" if locked else "sign-in")
        self.ctx = ctx
        self.locked = locked
        self.initial_login = locked.login if locked else (login or "")

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
        self.query_one(target, Input).focus()

    @on(Input.Submitted, "#login")
    def _login_done(self) -> None:
        self.query_one("#password", Input).focus()

    @on(Input.Submitted, "#password")
    def _submit(self) -> None:
        login = self.query_one("#login", Input).value.strip()
        password = self.query_one("#password", Input).value
        if not login or not password:
            self._show("Skriv brugernavn og adgangskode")
            return
        self.query_one("#password", Input).value = ""
        self._show("Logger ind ...")
        self.check_sign_in(login, password)

    @work(thread=True, exclusive=True, group="sign-in", exit_on_error=False)
    def check_sign_in(self, login: str, password: str) -> None:
        try:
            actor = auth.sign_in(self.ctx, login, password)
        except ServiceError as exc:
            self.post_message(self.Refused(exc.message))
            return
        self.post_message(self.SignedIn(actor))

    @on(Refused)
    def _refused(self, message: Refused) -> None:
        self._show(message.text)

    @on(Worker.StateChanged)
    def _sign_in_failed(self, event: Worker.StateChanged) -> None:
        """Anything but a refused sign-in (say, the database went away): a message, and the
        screen stays usable; no traceback."""
        if event.state == WorkerState.ERROR:
            self._show(GENERIC_ERROR_DA)

    @on(SignedIn)
    def _signed_in(self, message: SignedIn) -> None:
        actor = message.actor
        if self.locked is not None and actor.id != self.locked.id:
            self._show("Kun den medarbejder, der er logget ind, kan låse op")
            return
        self.dismiss(actor)

    def _show(self, message: str) -> None:
        self.query_one("#message", Static).update(message)
