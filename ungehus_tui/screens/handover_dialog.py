"""Offer a handover: to a colleague, or to an outside actor with a contact name.
Returns a HandoverOffer, or None."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, Label, Select

from ungehus_tui.screens.base import FormDialog
from ungehus_tui.services.casework.cases import StaffChoice
from ungehus_tui.widgets.safe import cell

KINDS = [
    ("Kollega", "COLLEAGUE"),
    ("Uddannelsesstart (skole, FGU ...)", "EDUCATION_START"),
    ("Jobstart (arbejdsgiver)", "JOB_START"),
    ("Anden ekstern aktør", "EXTERNAL"),
]


@dataclass(frozen=True)
class HandoverOffer:
    """To a colleague (`to_staff_id`) or an outside actor (`to_external`, its contact)."""

    kind: str
    reason: str
    to_staff_id: int | None = None
    to_external: str | None = None
    to_external_contact: str | None = None


class HandoverDialog(FormDialog[HandoverOffer]):
    def __init__(self, colleagues: list[StaffChoice]) -> None:
        super().__init__()
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
        kind = str(self.query_one("#kind", Select).value)
        staff = self.query_one("#to_staff", Select).value
        reason = self.query_one("#reason", Input).value
        if kind == "COLLEAGUE":
            offer = HandoverOffer(
                kind, reason, to_staff_id=staff if isinstance(staff, int) else None
            )
        else:
            offer = HandoverOffer(
                kind,
                reason,
                to_external=self.query_one("#external", Input).value,
                to_external_contact=self.query_one("#contact", Input).value,
            )
        self.submit(offer)
