"""Small dialogs of the case's team work (issue 13): which meeting to book, a center in or out
of the case with its professional, the coordinating caseworker, and the contact person's
agreement to go on after 25. Each returns a value (a dataclass or a plain value), or None."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, Label, Select

from ungehus_tui.domain.labels import CENTER_NAMES_DA
from ungehus_tui.screens.base import FormDialog
from ungehus_tui.screens.plan_dialog import parse_day
from ungehus_tui.services.casework.cases import StaffChoice
from ungehus_tui.widgets.safe import cell, plain

MEETING_KINDS = [("Opfølgningssamtale", "FOLLOW_UP"), ("Opfølgende teammøde", "TEAM_MEETING")]
CENTER_ACTIONS = [
    ("Tilføj center med fagperson", "ADD"),
    ("Fjern center (det er færdigt)", "REMOVE"),
]


def buttons(ok: str) -> ComposeResult:
    with Horizontal(classes="buttons"):
        yield Button("Fortryd", id="cancel")
        yield Button(ok, variant="primary", id="ok")


class MeetingKindDialog(FormDialog[str]):
    """Which later meeting to book: a follow-up conversation or a follow-up team meeting."""

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Label("Book møde i sagen", classes="title")
            yield Select(MEETING_KINDS, value="FOLLOW_UP", allow_blank=False, id="kind")
            yield Label(
                "Teammødet bookes med sagens nuværende team (én fagperson pr. center).",
                classes="hint",
            )
            yield from buttons("Find tider")

    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        self.submit(str(self.query_one("#kind", Select).value))


@dataclass(frozen=True)
class CenterChange:
    """A center into the case with its professional (`add`), or out of it with a reason."""

    add: bool
    center: str
    staff_id: int | None = None
    reason: str = ""


class CenterDialog(FormDialog[CenterChange]):
    def __init__(self, staff: list[StaffChoice], in_case: list[str]) -> None:
        super().__init__()
        self.staff = staff
        self.in_case = in_case

    def compose(self) -> ComposeResult:
        now_in = ", ".join(self.in_case) or "-"
        with VerticalScroll():
            yield Label("Centre i sagen", classes="title")
            yield Label(plain(f"Med i sagen nu: {now_in}"), classes="hint")
            yield Select(CENTER_ACTIONS, value="ADD", allow_blank=False, id="action")
            yield Select(
                [(f"{k} · {v}", k) for k, v in CENTER_NAMES_DA.items()],
                prompt="Center",
                id="center",
            )
            yield Select(self._people(None), prompt="Fagperson fra centeret", id="staff")
            yield Input(placeholder="Begrundelse (når et center går ud)", id="reason")
            yield from buttons("Gem")

    def _people(self, center: str | None) -> list[tuple[Text, int]]:
        chosen = [s for s in self.staff if center is None or s.center_code == center]
        return [(cell(s.label_da), s.id) for s in chosen]

    @on(Select.Changed, "#center")
    def _center_chosen(self, event: Select.Changed) -> None:
        center = event.value if isinstance(event.value, str) else None
        self.query_one("#staff", Select).set_options(self._people(center))

    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        center = self.query_one("#center", Select).value
        staff = self.query_one("#staff", Select).value
        self.submit(
            CenterChange(
                add=self.query_one("#action", Select).value == "ADD",
                center=center if isinstance(center, str) else "",
                staff_id=staff if isinstance(staff, int) else None,
                reason=self.query_one("#reason", Input).value,
            )
        )


class StaffPickDialog(FormDialog[int]):
    """One staff member (the coordinating caseworker); returns their id."""

    def __init__(self, title: str, prompt: str, staff: list[StaffChoice]) -> None:
        super().__init__()
        self.title_da = title
        self.prompt_da = prompt
        self.staff = staff

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Label(self.title_da, classes="title")
            yield Select(
                [(cell(s.label_da), s.id) for s in self.staff], prompt=self.prompt_da, id="staff"
            )
            yield from buttons("Udpeg")

    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        staff = self.query_one("#staff", Select).value
        if not isinstance(staff, int):
            self.notify("Vælg en medarbejder", severity="warning")
            return
        self.submit(staff)


@dataclass(frozen=True)
class Agreement:
    """The contact person goes on after 25 until `until` (org. f)."""

    until: dt.date
    note: str | None


class AgreementDialog(FormDialog[Agreement]):
    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Label("Kontaktperson efter 25 år: aftale med slutdato", classes="title")
            yield Input(placeholder="Aftalt til dd-mm-åååå", id="until")
            yield Input(placeholder="Notat om aftalen (kan udelades)", id="note")
            yield from buttons("Gem aftale")

    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        try:
            until = parse_day(self.query_one("#until", Input).value)
        except ValueError:
            until = None
        if until is None:
            self.notify("Skriv aftalens slutdato som dd-mm-åååå", severity="warning")
            return
        self.submit(Agreement(until, self.query_one("#note", Input).value.strip() or None))
