"""One young person at the desk: who (CPR masked), contact, latest triage, upcoming meetings,
and the desk's actions: check in, new intake, triage view, book."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Header, Static

from ungehus_tui.domain.codes import MeetingKind
from ungehus_tui.domain.labels import labels_of
from ungehus_tui.screens.arrival import ArrivalDialog, ArrivalRequest
from ungehus_tui.screens.base import UngehusScreen, back_with_refusal
from ungehus_tui.services.access.permissions import Action
from ungehus_tui.services.desk import arrivals
from ungehus_tui.services.desk import walk_in as desk
from ungehus_tui.services.errors import PermissionDenied
from ungehus_tui.widgets.footer import KeysFooter
from ungehus_tui.widgets.safe import cell, marked, plain
from ungehus_tui.widgets.table import Table

KIND_DA = labels_of(MeetingKind)


def decision_line(info: desk.DecisionInfo | None) -> str:
    if info is None:
        return "Ingen visitation endnu (N: ny visitation)"
    if not info.eligible:
        return f"{info.intake_date:%d-%m-%Y}: ikke Ungehusets målgruppe. {info.reason or ''}"
    kind = "teammøde" if info.team_meeting else "første samtale"
    lead = f" · ledende: {info.lead_center}" if info.lead_center else ""
    src = " (ændret af medarbejder)" if info.source == "OVERRIDE" else ""
    return f"{info.intake_date:%d-%m-%Y}: {', '.join(info.centers)}{lead} · {kind}{src}"


class PersonScreen(UngehusScreen):
    CSS_PATH = "person.tcss"
    READY_WHEN_SHOWN = False  # keys wait until the young person is shown (A needs the card)
    BINDINGS = [
        Binding("escape", "back", "Tilbage", id="person.back", tooltip="Tilbage til søgningen"),
        Binding(
            "a",
            "arrive",
            "Ankomst",
            id="person.arrive",
            tooltip="Tjek den unge ind: til dagens møde, ny henvendelse eller spørgsmål",
        ),
        Binding(
            "n",
            "new_intake",
            "Ny visitation",
            id="person.intake",
            tooltip="Spørg til situationen og visitér igen",
        ),
        Binding(
            "v",
            "triage",
            "Visitation",
            id="person.triage",
            tooltip="Se den seneste visitation: centre, regler og begrundelse",
        ),
        Binding(
            "b",
            "book",
            "Book",
            id="person.book",
            tooltip="Book første møde efter den seneste visitation",
        ),
    ]

    NEEDS: ClassVar[dict[str, Action]] = {
        "arrive": Action.RECORD_ARRIVAL,
        "new_intake": Action.TRIAGE,
        "book": Action.BOOK,
    }

    @dataclass
    class Loaded(Message, bubble=False):
        card: desk.PersonCard

    @dataclass
    class Refused(Message, bubble=False):
        text: str

    @dataclass
    class ArrivalSaved(Message, bubble=False):
        text: str

    def __init__(self, person_id: int, *, search_term: str | None = None) -> None:
        super().__init__()
        self.person_id = person_id
        self.search_term = search_term
        self.card: desk.PersonCard | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="person"):
            yield Static("Henter ...", id="person-title")
            yield Static("", id="person-contact")
            yield Static("Seneste visitation", classes="section-title")
            yield Static("", id="person-decision")
            yield Static("Kommende møder", classes="section-title")
            yield Table(id="meetings", cursor_type="row")
        yield KeysFooter()

    def on_mount(self) -> None:
        table = self.query_one("#meetings", DataTable)
        table.add_column("Dato", key="day", width=10)
        table.add_column("Tid", key="time", width=11)
        table.add_column("Møde", key="kind", width=16)
        table.add_column("Lokale", key="room", width=24)
        self.load()

    def on_screen_resume(self) -> None:
        if self.card is not None:
            self.load()

    @work(thread=True, exclusive=True, group="person", exit_on_error=False)
    def load(self) -> None:
        try:
            card = desk.person_card(
                self.ctx, self.actor, self.person_id, search_term=self.search_term
            )
        except PermissionDenied as exc:  # not this counsellor's young person: back, and say so
            self.post_message(self.Refused(exc.message))
            return
        self.search_term = None  # audited once with the term that found the person
        self.post_message(self.Loaded(card))

    @on(Refused)
    def _refused(self, message: Refused) -> None:
        self.keys_ready_now()
        back_with_refusal(self, message.text)

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self._show(message.card)
        self.keys_ready_now()

    def _show(self, card: desk.PersonCard) -> None:
        self.card = card
        self.query_one("#person-title", Static).update(
            marked(
                "[b]$name[/b]   $cpr   $age år   (født $born)",
                name=card.name,
                cpr=card.cpr_masked,
                age=card.age,
                born=f"{card.birth_date:%d-%m-%Y}",
            )
        )
        contact = [
            f"Telefon: {card.phone or '–'}",
            f"E-mail: {card.email or '–'}",
        ]
        if card.guardian_name or card.age < 18:
            contact.append(
                f"Forælder/værge: {card.guardian_name or '–'} ({card.guardian_phone or '–'})"
            )
        if card.open_arrival_id:
            contact.append("Venter i skranken nu")
        self.query_one("#person-contact", Static).update(plain(" · ".join(contact)))
        self.query_one("#person-decision", Static).update(plain(decision_line(card.latest)))
        table = self.query_one("#meetings", DataTable)
        table.clear()
        for m in card.upcoming:
            table.add_row(
                f"{m.start:%d-%m-%Y}",
                f"{m.start:%H:%M}-{m.end:%H:%M}",
                cell(KIND_DA.get(m.kind, m.kind)),
                cell(m.room),
                key=str(m.id),
            )
        if not card.upcoming:
            table.add_row("–", "", "", "Ingen bookede møder")

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_arrive(self) -> None:
        if self.card is None:
            return
        default = "APPOINTMENT" if self.card.todays_meeting_id else "QUESTION"

        def done(request: ArrivalRequest | None) -> None:
            if request is not None:
                self.save_arrival(request)

        self.app.push_screen(
            ArrivalDialog(self.card.name, ("APPOINTMENT", "NEW", "QUESTION"), default), done
        )

    @work(thread=True, group="arrival", exit_on_error=False)
    def save_arrival(self, request: ArrivalRequest) -> None:
        row = arrivals.record_arrival(
            self.ctx, self.actor, self.person_id, request.reason, request.note
        )
        text = (
            "Tjekket ind til dagens møde"
            if row.meeting_id
            else "Ankomsten er registreret (intet møde i dag)"
            if request.reason == "APPOINTMENT"
            else "Henvendelsen er registreret"
        )
        self.post_message(self.ArrivalSaved(text))

    @on(ArrivalSaved)
    def _arrival_saved(self, message: ArrivalSaved) -> None:
        self.notify(message.text, timeout=4)
        self.load()

    def action_new_intake(self) -> None:
        if self.card is None:
            return
        from ungehus_tui.screens.registration import RegistrationScreen

        self.app.push_screen(RegistrationScreen(person=self.card))

    def action_triage(self) -> None:
        if self.card is None or self.card.latest is None:
            self.notify("Ingen visitation endnu: tryk N for at visitere", timeout=4)
            return
        from ungehus_tui.screens.triage import TriageScreen

        self.app.push_screen(TriageScreen(self.card.latest.intake_id))

    def action_book(self) -> None:
        latest = self.card.latest if self.card else None
        if latest is None or not latest.eligible:
            self.notify("Visitér først (N): der er intet at booke efter", timeout=4)
            return
        from ungehus_tui.screens.booking import BookingScreen

        assert self.card is not None
        self.app.push_screen(
            BookingScreen(latest.intake_id, self.person_id, self.card.name, self.card.cpr_masked)
        )
