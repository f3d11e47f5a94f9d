"""A small dialog: jump to a date (dd-mm-yyyy) in the booking proposals."""

from __future__ import annotations

import datetime as dt

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from ungehus_tui.screens.base import Dialog


def parse_day(text: str) -> dt.date | None:
    """dd-mm-yyyy (also dd.mm.yyyy, dd/mm/yyyy, ddmmyyyy); None when not a date."""
    clean = text.strip().replace(".", "-").replace("/", "-")
    for fmt in ("%d-%m-%Y", "%d%m%Y", "%d-%m-%y"):
        try:
            return dt.datetime.strptime(clean, fmt).date()
        except ValueError:
            continue
    return None


class DateDialog(Dialog[dt.date]):
    """Returns the chosen date, or None."""

    DEFAULT_CSS = """
    DateDialog #dialog { width: 50; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Fortryd", id="date.cancel", tooltip="Luk uden at skifte dato")
    ]

    def __init__(self, initial: dt.date | None = None) -> None:
        super().__init__()
        self.initial = initial

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static("Gå til dato", classes="dialog-title")
            yield Input(
                value=f"{self.initial:%d-%m-%Y}" if self.initial else "",
                placeholder="dd-mm-åååå",
                id="day",
            )
            yield Static("", id="day-error", classes="error-text")
            yield Static("Enter: vis ledige tider fra den dag · Esc: fortryd", classes="hint")

    @on(Input.Submitted, "#day")
    def _submit(self, event: Input.Submitted) -> None:
        day = parse_day(event.value)
        if day is None:
            error = self.query_one("#day-error", Static)
            error.update("Skriv datoen som dd-mm-åååå")
            error.add_class("-shown")
            return
        self.dismiss(day)
