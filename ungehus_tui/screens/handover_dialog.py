"""Offer a handover: to a colleague, or to an outside actor with a contact name.
Returns the keyword arguments for `handovers.offer_handover`, or None."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, Label, Select

from ungehus_tui.screens.casework import CaseworkDialog
from ungehus_tui.services.cases import StaffChoice
from ungehus_tui.widgets.safe import cell

KINDS = [
    ("Kollega", "COLLEAGUE"),
    ("Uddannelsesstart (skole, FGU ...)", "EDUCATION_START"),
    ("Jobstart (arbejdsgiver)", "JOB_START"),
    ("Anden ekstern aktør", "EXTERNAL"),
]


class HandoverDialog(CaseworkDialog):
    CSS_PATH = "dialog.tcss"

    def __init__(self, colleagues: list[StaffChoice]) -> None:
        super().__init__(classes="dialog")
        self.colleagues = colleagues

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Label(
                "Tilbyd overdragelse (du holder den unge, til den er accepteret)", classes="title"
            )
            yield Select(KINDS, value="COLLEAGUE", allow_blank=False, id="kind")
            yield Select(
                [(cell(c.label_da), c.id) for c in self.colleagues], prompt="Kollega", id="to_staff"
            )
            yield Input(placeholder="Ekstern modtager (skole, arbejdsgiver, FGU)", id="external")
            yield Input(placeholder="Kontaktperson hos modtageren", id="contact")
            yield Input(placeholder="Begrundelse", id="reason")
            with Horizontal(classes="buttons"):
                yield Button("Fortryd", id="cancel")
                yield Button("Tilbyd", variant="primary", id="ok")

    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        kind = self.query_one("#kind", Select).value
        staff = self.query_one("#to_staff", Select).value
        value: dict[str, Any] = {
            "kind": kind,
            "reason": self.query_one("#reason", Input).value,
        }
        if kind == "COLLEAGUE":
            value["to_staff_id"] = staff if isinstance(staff, int) else None
        else:
            value["to_external"] = self.query_one("#external", Input).value
            value["to_external_contact"] = self.query_one("#contact", Input).value
        self.submit(value)

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)
