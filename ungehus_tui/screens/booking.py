"""Booking a meeting: the earliest slots that fit (services.booking), picked with the arrow keys
and Enter, or from a date (D). Shows the deadline, the coordinating caseworker and the meeting
leader. A slot taken meanwhile (Conflict) reloads the proposals.

The first meeting of an intake (`BookingScreen(intake_id, ...)`, from the desk), or a later
meeting of an open case (`BookingScreen.for_case(person_id, kind, ...)`, from the case screen:
a follow-up conversation or a follow-up team meeting with the case's current team). Either
way the booked meeting ends on the same confirmation screen."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Header, Static

from ungehus_tui.domain import clock
from ungehus_tui.domain.codes import MeetingKind
from ungehus_tui.domain.labels import labels_of
from ungehus_tui.screens.base import UngehusScreen
from ungehus_tui.screens.date_jump import DateDialog
from ungehus_tui.services.desk import booking
from ungehus_tui.services.desk.booking import Booking, Proposal, Slot, StaffPick
from ungehus_tui.services.errors import Conflict
from ungehus_tui.widgets.footer import KeysFooter
from ungehus_tui.widgets.safe import cell, marked, plain
from ungehus_tui.widgets.table import Table

WEEKDAYS_DA = ("man", "tir", "ons", "tor", "fre", "lør", "søn")
KIND_DA = labels_of(MeetingKind)
# A later meeting of the case, as the case screen offers it (kind -> title).
CASE_KINDS_DA = {"FOLLOW_UP": "opfølgningssamtale", "TEAM_MEETING": "opfølgende teammøde"}


def who(person: StaffPick | None) -> str:
    """A staff member from the booking service as 'Name (CENTER)'."""
    if person is None:
        return "–"
    return f"{person.name} ({person.center})" if person.center else person.name


class BookingScreen(UngehusScreen):
    CSS_PATH = "booking.tcss"
    BINDINGS = [
        Binding("escape", "back", "Tilbage", id="booking.back", tooltip="Tilbage uden at booke"),
        Binding(
            "d",
            "jump",
            "Gå til dato",
            id="booking.date",
            tooltip="Vis ledige tider fra en bestemt dato (dd-mm-åååå)",
        ),
        Binding(
            "v",
            "triage",
            "Visitation",
            id="booking.triage",
            tooltip="Se visitationen (centre, regler) og ændr den med begrundelse",
        ),
    ]

    @dataclass
    class Proposed(Message, bubble=False):
        proposal: Proposal

    @dataclass
    class Taken(Message, bubble=False):
        text: str

    @dataclass
    class Booked(Message, bubble=False):
        booking: Booking

    def __init__(
        self,
        intake_id: int | None,
        person_id: int,
        name: str,
        cpr_masked: str,
        *,
        kind: str | None = None,
    ) -> None:
        super().__init__()
        self.intake_id = intake_id
        self.case_kind = kind  # a later meeting of the case (intake_id None)
        self.person_id = person_id
        self.person_name = name
        self.cpr_masked = cpr_masked
        self.proposal: Proposal | None = None
        self.from_day: dt.date | None = None
        self._booking = False

    @classmethod
    def for_case(cls, person_id: int, kind: str, name: str, cpr_masked: str) -> BookingScreen:
        """A later meeting of the open case: FOLLOW_UP or TEAM_MEETING."""
        return cls(None, person_id, name, cpr_masked, kind=kind)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "triage" and self.intake_id is None:
            return False  # a case meeting has no triage of its own to show
        return super().check_action(action, parameters)

    def _title(self) -> str:
        if self.case_kind is None:
            return "Book første møde"
        return f"Book {CASE_KINDS_DA.get(self.case_kind, self.case_kind)}"

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="booking"):
            yield Static(
                marked(
                    "[b]$title[/b] · $name · $cpr",
                    title=self._title(),
                    name=self.person_name,
                    cpr=self.cpr_masked,
                ),
                id="booking-title",
            )
            yield Static("Henter ledige tider ...", id="booking-kind")
            yield Static("", id="booking-team")
            yield Static("", id="booking-message")
            yield Table(id="slots", cursor_type="row", zebra_stripes=True)
            triage = " · V visitation" if self.intake_id is not None else ""
            yield Static(
                f"↑↓ vælg tid · Enter book · D gå til dato{triage} · Esc tilbage",
                classes="hint",
            )
        yield KeysFooter()

    def on_mount(self) -> None:
        table = self.query_one("#slots", DataTable)
        table.add_column("Dag", key="wd", width=4)
        table.add_column("Dato", key="day", width=10)
        table.add_column("Tid", key="time", width=11)
        table.add_column("Lokale", key="room", width=26)
        self.query_one("#booking-message", Static).display = False
        table.focus()
        self.load()

    def on_screen_resume(self) -> None:
        if self.proposal is not None:
            self.load()

    @work(thread=True, exclusive=True, group="propose", exit_on_error=False)
    def load(self) -> None:
        if self.intake_id is None:
            proposal = booking.propose_for_case(
                self.ctx, self.actor, self.person_id, str(self.case_kind), from_day=self.from_day
            )
        else:
            proposal = booking.propose(self.ctx, self.actor, self.intake_id, from_day=self.from_day)
        self.post_message(self.Proposed(proposal))

    @on(Proposed)
    def _proposed(self, message: Proposed) -> None:
        self._show(message.proposal)

    def _show(self, proposal: Proposal) -> None:
        self.proposal = proposal
        kind = KIND_DA.get(str(proposal.kind), str(proposal.kind))
        deadline = (
            f" · senest {proposal.deadline:%d-%m-%Y} (første kontakt)" if proposal.deadline else ""
        )
        self.query_one("#booking-kind", Static).update(f"{kind}, {proposal.minutes} min{deadline}")
        self.query_one("#booking-team", Static).update(
            plain(
                f"Koordinerende sagsbehandler: {who(proposal.coordinator)}"
                f" · Mødeleder: {who(proposal.leader)}"
            )
        )
        message = self.query_one("#booking-message", Static)
        message.update(plain(proposal.message, multiline=True))
        message.display = bool(proposal.message)
        table = self.query_one("#slots", DataTable)
        table.clear()
        for i, slot in enumerate(proposal.slots):
            start, end = clock.local(slot.start), clock.local(slot.end)
            table.add_row(
                WEEKDAYS_DA[start.weekday()],
                f"{start:%d-%m-%Y}",
                f"{start:%H:%M}-{end:%H:%M}",
                cell(slot.room_name),
                key=str(i),
            )
        if proposal.slots:
            table.move_cursor(row=0)

    @on(DataTable.RowSelected, "#slots")
    def _picked(self, event: DataTable.RowSelected) -> None:
        if self.proposal is None or self._booking or event.row_key.value is None:
            return
        slot = self.proposal.slots[int(event.row_key.value)]
        self._booking = True
        self.query_one("#booking-kind", Static).update("Booker ...")
        self.book(self.proposal, slot)

    @work(thread=True, exclusive=True, group="book", exit_on_error=False)
    def book(self, proposal: Proposal, slot: Slot) -> None:
        """Book the slot; a first meeting serves the young person's open arrival at the desk."""
        in_slot = {s.id for s in slot.staff}  # a later slot may have a colleague instead
        leader = proposal.leader.id if proposal.leader else None
        coordinator = proposal.coordinator.id if proposal.coordinator else None
        leader_id = leader if leader in in_slot else None
        coordinator_id = coordinator if coordinator in in_slot else None
        try:
            if self.intake_id is None:
                result = booking.book_for_case(
                    self.ctx,
                    self.actor,
                    self.person_id,
                    str(self.case_kind),
                    slot,
                    leader_id=leader_id,
                )
            else:
                result = booking.book(
                    self.ctx,
                    self.actor,
                    self.intake_id,
                    slot,
                    coordinator_id=coordinator_id,
                    leader_id=leader_id,
                    serve_arrival=True,
                )
        except Conflict as exc:
            self.post_message(self.Taken(exc.message))
            return
        finally:
            self._booking = False
        self.post_message(self.Booked(result))

    @on(Taken)
    def _taken(self, message: Taken) -> None:
        self.notify(message.text, title="Tiden er taget", severity="warning")
        self.load()

    @on(Booked)
    def _booked(self, message: Booked) -> None:
        from ungehus_tui.screens.confirmation import ConfirmationScreen

        self.app.switch_screen(
            ConfirmationScreen(message.booking, self.person_name, self.cpr_masked)
        )

    def action_jump(self) -> None:
        def chosen(day: dt.date | None) -> None:
            if day is not None:
                self.from_day = day
                self.query_one("#booking-kind", Static).update("Henter ledige tider ...")
                self.load()

        self.app.push_screen(DateDialog(self.from_day or clock.today()), chosen)

    def action_triage(self) -> None:
        from ungehus_tui.screens.triage import TriageScreen

        if self.intake_id is not None:
            self.app.push_screen(TriageScreen(self.intake_id))

    def action_back(self) -> None:
        self.app.pop_screen()
