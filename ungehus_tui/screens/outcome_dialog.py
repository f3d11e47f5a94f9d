"""Record a meeting's outcome: held / no-show / cancelled, a note, and for a held (team)
meeting the coordinating caseworker, a contact person with who pays, the STU decision and the
agreed goals; it shows the current coordinating caseworker. Returns a MeetingOutcome (what
`outcomes.record_outcome` takes), or None."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, Label, Select

from ungehus_tui.screens.base import FormDialog
from ungehus_tui.services.casework.cases import OpenItem, StaffChoice
from ungehus_tui.services.casework.outcomes import ContactPersonInput
from ungehus_tui.services.casework.plans import PlanInput
from ungehus_tui.widgets.safe import cell, marked

STATUSES = [("Holdt", "HELD"), ("Udeblevet", "NO_SHOW"), ("Aflyst", "CANCELLED")]


@dataclass(frozen=True)
class MeetingOutcome:
    meeting_id: int
    status: str
    note: str | None
    coordinator_staff_id: int | None
    contact_person: ContactPersonInput | None
    stu_decision: str | None
    plan: PlanInput | None


class OutcomeDialog(FormDialog[MeetingOutcome]):
    def __init__(
        self, meetings: list[OpenItem], staff: list[StaffChoice], coordinator: str | None = None
    ) -> None:
        super().__init__()
        self.meetings = meetings
        self.staff = staff
        self.coordinator = coordinator  # the current coordinating caseworker's name, if any

    def compose(self) -> ComposeResult:
        people = [(cell(s.label_da), s.id) for s in self.staff]
        with VerticalScroll():
            yield Label("Mødeudfald", classes="title")
            yield Select(
                [(cell(m.label_da), m.id) for m in self.meetings],
                allow_blank=False,
                value=self.meetings[0].id,
                id="meeting",
            )
            yield Select(STATUSES, value="HELD", allow_blank=False, id="status")
            yield Input(placeholder="Notat", id="note")
            yield Label(
                marked("Koordinerende sagsbehandler nu: [b]$who[/]", who=self.coordinator)
                if self.coordinator
                else "Koordinerende sagsbehandler nu: ingen udpeget",
                id="current-coordinator",
            )
            yield Label("Ved holdt møde (teammøde: koordinator kræves):", classes="hint")
            yield Select(people, prompt="Koordinerende sagsbehandler (udpeg)", id="coordinator")
            yield Select(people, prompt="Kontaktperson (fra 8. klasse)", id="contact")
            yield Input(placeholder="Kontaktpersonen betales af", id="paid_by")
            yield Input(placeholder="Teamets STU-beslutning", id="stu")
            yield Input(placeholder="Aftalte mål på kort sigt", id="short")
            yield Input(placeholder="Aftalte mål på langt sigt", id="long")
            with Horizontal(classes="buttons"):
                yield Button("Fortryd", id="cancel")
                yield Button("Registrér", variant="primary", id="ok")

    def _value(self, selector: str) -> str:
        return self.query_one(selector, Input).value.strip()

    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        coordinator = self.query_one("#coordinator", Select).value
        contact = self.query_one("#contact", Select).value
        short, long = self._value("#short"), self._value("#long")
        meeting = self.query_one("#meeting", Select).value
        self.submit(
            MeetingOutcome(
                meeting_id=meeting if isinstance(meeting, int) else 0,
                status=str(self.query_one("#status", Select).value),
                note=self._value("#note") or None,
                coordinator_staff_id=coordinator if isinstance(coordinator, int) else None,
                contact_person=ContactPersonInput(contact, self._value("#paid_by"))
                if isinstance(contact, int)
                else None,
                stu_decision=self._value("#stu") or None,
                plan=PlanInput(short, long) if short or long else None,
            )
        )
