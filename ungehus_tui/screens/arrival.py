"""A dialog to record a desk arrival (henvendelse): why, and an optional note.

The reasons are one list with one highlighted line: the highlighted reason is the one Enter
records, from the list or from the note (where the focus starts, so Enter saves at once);
↑/↓ move the highlight from either."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

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
        Binding("up", "reason(-1)", "Forrige årsag", id="arrival.up", tooltip="Forrige årsag"),
        Binding("down", "reason(1)", "Næste årsag", id="arrival.down", tooltip="Næste årsag"),
    ]
    DEFAULT_CSS = """
    ArrivalDialog #reason { height: auto; max-height: 5; margin-bottom: 1; }
    ArrivalDialog #reason:focus { border: tall $accent; }
    """

    def __init__(self, who: str, reasons: tuple[str, ...], default: str) -> None:
        super().__init__()
        self.who = who
        self.reasons = reasons
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(plain(f"Henvendelse: {self.who}"), classes="dialog-title")
            yield Label("Årsag (den markerede gemmes)")
            yield OptionList(
                *(Option(REASON_NAMES_DA[reason], id=reason) for reason in self.reasons),
                id="reason",
            )
            yield Label("Note (valgfri)")
            yield Input(id="note", placeholder="Fx hvad spørgsmålet handler om")
            yield Static("Enter eller Ctrl+S gemmer · ↑↓ årsag · Esc fortryder", classes="hint")

    def on_mount(self) -> None:
        reasons = self.query_one("#reason", OptionList)
        reasons.highlighted = self.reasons.index(self.default)
        self.set_focus(self.query_one("#note", Input))

    def action_reason(self, step: int) -> None:
        reasons = self.query_one("#reason", OptionList)
        at = reasons.highlighted or 0
        reasons.highlighted = max(0, min(len(self.reasons) - 1, at + step))

    def _reason(self) -> str:
        at = self.query_one("#reason", OptionList).highlighted
        return self.reasons[at] if at is not None else self.default

    @on(OptionList.OptionSelected, "#reason")
    @on(Input.Submitted, "#note")
    def action_save(self) -> None:
        note = self.query_one("#note", Input).value.strip() or None
        self.dismiss(ArrivalRequest(self._reason(), note))


ALL_REASONS: tuple[str, ...] = tuple(r.value for r in ArrivalReason)
