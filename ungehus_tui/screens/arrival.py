"""A dialog to record a desk arrival (henvendelse): why, and an optional note."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, RadioButton, RadioSet, Static

from ungehus_tui.domain.codes import ArrivalReason
from ungehus_tui.screens.base import Dialog
from ungehus_tui.services.desk.arrivals import REASON_NAMES_DA
from ungehus_tui.widgets.safe import plain


@dataclass(frozen=True)
class ArrivalRequest:
    reason: str
    note: str | None


class ArrivalDialog(Dialog[ArrivalRequest]):
    """Returns an ArrivalRequest, or None when cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", "Fortryd", id="arrival.cancel", tooltip="Luk uden at gemme"),
        Binding("ctrl+s", "save", "Gem", id="arrival.save", tooltip="Registrér henvendelsen"),
    ]

    def __init__(self, who: str, reasons: tuple[str, ...], default: str) -> None:
        super().__init__()
        self.who = who
        self.reasons = reasons
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(plain(f"Henvendelse: {self.who}"), classes="dialog-title")
            with RadioSet(id="reason"):
                for reason in self.reasons:
                    yield RadioButton(
                        REASON_NAMES_DA[reason], value=reason == self.default, name=reason
                    )
            yield Label("Note (valgfri)")
            yield Input(id="note", placeholder="Fx hvad spørgsmålet handler om")
            yield Static("Enter eller Ctrl+S gemmer · Esc fortryder", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#note", Input).focus()

    def _reason(self) -> str:
        pressed = self.query_one(RadioSet).pressed_button
        return pressed.name if pressed and pressed.name else self.default

    @on(Input.Submitted, "#note")
    def action_save(self) -> None:
        note = self.query_one("#note", Input).value.strip() or None
        self.dismiss(ArrivalRequest(self._reason(), note))


ALL_REASONS: tuple[str, ...] = tuple(r.value for r in ArrivalReason)
