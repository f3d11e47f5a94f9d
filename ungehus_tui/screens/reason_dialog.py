"""A one-line text dialog (a reason, a name). Returns the text, or None when cancelled."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, Label

from ungehus_tui.screens.base import FormDialog


class ReasonDialog(FormDialog[str]):
    def __init__(self, title: str, prompt: str) -> None:
        super().__init__()
        self.title_da = title
        self.prompt_da = prompt

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Label(self.title_da, classes="title")
            yield Input(placeholder=self.prompt_da, id="reason")
            with Horizontal(classes="buttons"):
                yield Button("Fortryd", id="cancel")
                yield Button("OK", variant="primary", id="ok")

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        text = self.query_one("#reason", Input).value.strip()
        if not text:
            self.notify("Skal udfyldes", severity="warning")
            return
        self.submit(text)
