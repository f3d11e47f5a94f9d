"""Appoint or re-establish a contact person (org. f): a staff member, or a named person who is a
municipal employee, an employee of a municipal enterprise or an adult outside the municipality
(name, organisation, phone, the common competence requirements confirmed); who pays is agreed;
from 25 only with an agreed end date. Returns a `ContactPersonChoice`, or None."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Button, Checkbox, Input, Label, Select

from ungehus_tui.domain.codes import ContactPersonKind
from ungehus_tui.screens.base import FormDialog
from ungehus_tui.screens.plan_dialog import parse_day
from ungehus_tui.screens.team_dialogs import buttons
from ungehus_tui.services.casework.cases import StaffChoice
from ungehus_tui.services.casework.outcomes import ContactPersonInput
from ungehus_tui.widgets.safe import cell

WHY = [
    ("Udpeg kontaktperson", "APPOINT"),
    ("Genetabler: frafald fra uddannelse", "DROP_OUT"),
    ("Genetabler: ledighed", "UNEMPLOYED"),
]
KINDS = [
    ("Kommunalt ansat", ContactPersonKind.MUNICIPAL.value),
    ("Ansat i en kommunal virksomhed", ContactPersonKind.ENTERPRISE.value),
    ("Voksen uden for kommunen", ContactPersonKind.EXTERNAL.value),
]


@dataclass(frozen=True)
class ContactPersonChoice:
    """The contact person, and `reestablish` (DROP_OUT or UNEMPLOYED) when re-established."""

    person: ContactPersonInput
    reestablish: str | None = None


class ContactPersonDialog(FormDialog[ContactPersonChoice]):
    def __init__(self, staff: list[StaffChoice], *, reestablish: bool = False) -> None:
        super().__init__()
        self.staff = staff
        self.reestablish = reestablish

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Label("Kontaktperson", classes="title")
            why = "DROP_OUT" if self.reestablish else "APPOINT"
            yield Select(WHY, value=why, allow_blank=False, id="why")
            yield Select(
                KINDS, value=ContactPersonKind.MUNICIPAL.value, allow_blank=False, id="kind"
            )
            yield Select(
                [(cell(s.label_da), s.id) for s in self.staff],
                prompt="Medarbejder (eller navngiv en person nedenfor)",
                id="staff",
            )
            yield Input(placeholder="Navn", id="name")
            yield Input(placeholder="Organisation (arbejdsplads)", id="organisation")
            yield Input(placeholder="Telefon", id="phone")
            yield Checkbox("De fælles kompetencekrav er bekræftet", id="competence")
            yield Input(placeholder="Betales af (aftalt)", id="paid_by")
            yield Input(placeholder="Aftalt til dd-mm-åååå (kræves fra 25 år)", id="until")
            yield from buttons("Gem")

    def _text(self, selector: str) -> str | None:
        return self.query_one(selector, Input).value.strip() or None

    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        try:
            until = parse_day(self.query_one("#until", Input).value)
        except ValueError:
            self.notify("Datoer skrives dd-mm-åååå", severity="warning")
            return
        staff = self.query_one("#staff", Select).value
        why = str(self.query_one("#why", Select).value)
        self.submit(
            ContactPersonChoice(
                ContactPersonInput(
                    staff_id=staff if isinstance(staff, int) else None,
                    paid_by=self.query_one("#paid_by", Input).value,
                    kind=str(self.query_one("#kind", Select).value),
                    name=self._text("#name"),
                    organisation=self._text("#organisation"),
                    phone=self._text("#phone"),
                    competence_confirmed=self.query_one("#competence", Checkbox).value,
                    agreed_until=until,
                ),
                reestablish=None if why == "APPOINT" else why,
            )
        )
