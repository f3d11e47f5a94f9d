"""The triage view: involved centers and roles, every rule that fired with its Danish
explanation and seed section, team meeting or first conversation, education duty, and an
override with a reason (seed org. c: the employee decides)."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, Header, Static

from ungehus_tui.domain.labels import CENTER_NAMES_DA, ROLE_NAMES_DA, UNKNOWN_DA
from ungehus_tui.domain.text import visible
from ungehus_tui.domain.triage import RULE_SEED, RULE_TEXT_DA
from ungehus_tui.domain.triage_text import (
    EDUCATION_DUTY_DA,
    FIRST_CONVERSATION_DA,
    TEAM_MEETING_DA,
    WARNING_TEXT_DA,
)
from ungehus_tui.screens.base import UngehusScreen
from ungehus_tui.screens.override import OverrideDialog
from ungehus_tui.services.desk import intake, triage_view
from ungehus_tui.services.desk import walk_in as desk
from ungehus_tui.widgets.facts import SITUATIONS, TOGGLES
from ungehus_tui.widgets.footer import KeysFooter
from ungehus_tui.widgets.safe import cell
from ungehus_tui.widgets.table import Table


def facts_text(answers: desk.Answers) -> str:
    situation = next((label for _, v, label in SITUATIONS if v == answers.situation), "?")
    parts = [f"Situation: {situation}"]
    if answers.grade is not None:
        parts.append(f"{answers.grade}. klasse")
    parts += [label for _, name, label in TOGGLES if getattr(answers, name)]
    return " · ".join(parts)


class TriageScreen(UngehusScreen):
    CSS_PATH = "triage.tcss"
    BINDINGS = [
        Binding("escape", "back", "Tilbage", id="triage.back", tooltip="Tilbage"),
        Binding(
            "o",
            "override",
            "Ændr visitation",
            id="triage.override",
            tooltip="Ændr centre eller ledende center med en begrundelse",
        ),
        Binding("b", "book", "Book", id="triage.book", tooltip="Book første møde"),
    ]

    @dataclass
    class Loaded(Message, bubble=False):
        detail: triage_view.TriageDetail

    def __init__(self, intake_id: int) -> None:
        super().__init__()
        self.intake_id = intake_id
        self.detail: triage_view.TriageDetail | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="triage"):
            yield Static("Henter visitation ...", id="triage-title")
            yield Static("", id="triage-facts")
            yield Static("", id="triage-warnings")
            yield Static("Involverede centre og roller", classes="section-title")
            yield Table(id="contacts", cursor_type="none", show_cursor=False)
            yield Static("", id="triage-kind")
            yield Static("Regler der er anvendt", classes="section-title")
            yield Table(id="rules", cursor_type="row")
            yield Static("", id="triage-source")
        yield KeysFooter()

    def on_mount(self) -> None:
        contacts = self.query_one("#contacts", DataTable)
        contacts.add_column("Center", key="center", width=54)
        contacts.add_column("Rolle", key="role", width=32)
        contacts.add_column("Regel", key="rule", width=8)
        rules = self.query_one("#rules", DataTable)
        rules.add_column("Regel", key="rule", width=8)
        rules.add_column("Forklaring", key="text", width=82)
        rules.add_column("Oplæg", key="seed", width=14)
        self.load()

    @work(thread=True, exclusive=True, group="triage", exit_on_error=False)
    def load(self) -> None:
        self.post_message(
            self.Loaded(triage_view.triage_detail(self.ctx, self.actor, self.intake_id))
        )

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self._show(message.detail)

    def _show(self, d: triage_view.TriageDetail) -> None:
        self.detail = d
        self.query_one("#triage-title", Static).update(
            Text.assemble(
                ("Visitation ", "bold"),
                visible(
                    f"{d.intake_date:%d-%m-%Y} · {d.person_name} · {d.cpr_masked} · {d.age} år"
                ),
            )
        )
        self.query_one("#triage-facts", Static).update(Text(visible(facts_text(d.answers))))
        warnings = self.query_one("#triage-warnings", Static)
        warnings.update(Text("\n".join(WARNING_TEXT_DA.get(w, w) for w in d.warnings), "bold"))
        warnings.display = bool(d.warnings)
        contacts = self.query_one("#contacts", DataTable)
        contacts.clear()
        for c in d.contacts:
            lead = " (ledende)" if c.center == d.lead_center else ""
            contacts.add_row(
                cell(f"{CENTER_NAMES_DA.get(c.center, c.center)}{lead}"),
                cell(ROLE_NAMES_DA.get(c.role, UNKNOWN_DA)),
                cell(c.rule),
            )
        if not d.contacts:
            contacts.add_row("Ingen: ikke Ungehusets målgruppe", cell(d.reason), "")
        kind = Text()
        if d.eligible:
            kind.append(TEAM_MEETING_DA if d.team_meeting else FIRST_CONVERSATION_DA, "bold")
        if d.education_duty:
            kind.append("\n" + EDUCATION_DUTY_DA)
        self.query_one("#triage-kind", Static).update(kind)
        rules = self.query_one("#rules", DataTable)
        rules.clear()
        for rule in d.rules:
            rules.add_row(
                cell(rule),
                Text(RULE_TEXT_DA.get(rule, ""), overflow="fold"),
                RULE_SEED.get(rule, ""),
                height=None,
            )
        source = Text(
            visible(
                f"Besluttet af {d.decided_by} {d.decided_at:%d-%m-%Y %H:%M} · regelsæt "
                f"{d.ruleset_version}"
            )
        )
        if d.source == intake.SOURCE_OVERRIDE:
            source.append("\nÆndret af medarbejder. Begrundelse: ", "bold")
            source.append(visible(d.reason))
        self.query_one("#triage-source", Static).update(source)

    def action_override(self) -> None:
        if self.detail is None:
            return

        def done(changed: bool | None) -> None:
            if changed:
                self.notify("Visitationen er ændret", timeout=4)
                self.load()

        self.app.push_screen(OverrideDialog(self.detail), done)

    def action_book(self) -> None:
        d = self.detail
        if d is None or not d.eligible:
            self.notify("Der er intet at booke efter denne visitation", timeout=4)
            return
        from ungehus_tui.screens.booking import BookingScreen

        stack = self.app.screen_stack
        if len(stack) >= 2 and isinstance(stack[-2], BookingScreen):
            self.app.pop_screen()  # came from booking: go back there (it reloads)
            return
        self.app.push_screen(BookingScreen(d.intake_id, d.person_id, d.person_name, d.cpr_masked))

    def action_back(self) -> None:
        self.app.pop_screen()
