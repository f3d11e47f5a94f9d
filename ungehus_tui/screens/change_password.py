"""Staff change their own password: current one, new one twice. Ctrl+S saves, Esc cancels.

Shown by the app's key (F9) and, right after sign-in, when IT has set a temporary
password (`must_change_password`); then it cannot be cancelled.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Label, Static

from ungehus_tui.screens.base import Dialog
from ungehus_tui.services.access import auth
from ungehus_tui.services.context import Actor, Ctx
from ungehus_tui.services.errors import ServiceError


class ChangePasswordDialog(Dialog[bool]):
    DEFAULT_CSS = """
    ChangePasswordDialog { align: center middle; }
    ChangePasswordDialog #box { width: 60; height: auto; border: round $primary;
        padding: 1 2; background: $surface; }
    ChangePasswordDialog #title { text-style: bold; margin-bottom: 1; }
    ChangePasswordDialog #message { color: $error; height: auto; }
    ChangePasswordDialog Input { margin-bottom: 1; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Gem", id="password.save", tooltip="Skift adgangskoden"),
        Binding("escape", "cancel", "Fortryd", id="password.cancel", tooltip="Luk uden at gemme"),
    ]

    @dataclass
    class Refused(Message, bubble=False):
        text: str

    class Changed(Message, bubble=False):
        pass

    def __init__(self, ctx: Ctx, actor: Actor, *, forced: bool = False) -> None:
        super().__init__()
        self.own_ctx = ctx
        self.own_actor = actor
        self.forced = forced

    def compose(self) -> ComposeResult:
        with Vertical(id="box"):
            title = (
                "Vælg din egen adgangskode (den midlertidige skal skiftes)"
                if self.forced
                else "Skift adgangskode"
            )
            yield Label(title, id="title")
            yield Input(placeholder="Nuværende adgangskode", password=True, id="old")
            yield Input(placeholder="Ny adgangskode (mindst 10 tegn)", password=True, id="new")
            yield Input(placeholder="Gentag ny adgangskode", password=True, id="repeat")
            yield Static("", id="message")

    def on_mount(self) -> None:
        self.query_one("#old", Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "repeat":
            self.action_save()
        else:
            self.focus_next()

    def action_cancel(self) -> None:
        if not self.forced:
            self.dismiss(False)

    def action_save(self) -> None:
        self.query_one("#message", Static).update("")
        old = self.query_one("#old", Input).value
        new = self.query_one("#new", Input).value
        if new != self.query_one("#repeat", Input).value:
            self.query_one("#message", Static).update("De to nye adgangskoder er ikke ens")
            return
        self._save(old, new)

    @work(thread=True, exclusive=True, group="password", exit_on_error=False)
    def _save(self, old: str, new: str) -> None:
        try:
            auth.change_password(self.own_ctx, self.own_actor, old, new)
        except ServiceError as exc:
            self.post_message(self.Refused(exc.message))
            return
        self.post_message(self.Changed())

    @on(Refused)
    def _refused(self, message: Refused) -> None:
        self.query_one("#message", Static).update(message.text)

    @on(Changed)
    def _changed(self) -> None:
        self.app.notify("Adgangskoden er skiftet")
        self.dismiss(True)
