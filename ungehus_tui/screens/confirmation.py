"""The booked meeting: summary, where the .ics invitations are, the text for the young person."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Header, Static

from ungehus_tui.domain import clock
from ungehus_tui.domain.text import visible
from ungehus_tui.screens.base import UngehusScreen
from ungehus_tui.services.desk.booking import Booking
from ungehus_tui.widgets.footer import KeysFooter
from ungehus_tui.widgets.safe import plain

WEEKDAYS_DA = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")


def ics_lines(files: Sequence[Path]) -> str:
    paths = [Path(f) for f in files]
    if not paths:
        return "Ingen invitationer skrevet"
    folders = sorted({str(p.parent) for p in paths})
    names = ", ".join(p.name for p in paths)
    return f"{len(paths)} invitation(er) i {', '.join(folders)}:\n{names}"


class ConfirmationScreen(UngehusScreen):
    CSS_PATH = "confirmation.tcss"
    BINDINGS = [
        Binding(
            "enter,escape",
            "done",
            "Færdig",
            id="confirmation.done",
            tooltip="Tilbage til skranken, klar til den næste",
        ),
    ]

    def __init__(self, booking: Booking, name: str, cpr_masked: str) -> None:
        super().__init__()
        self.booking = booking
        self.person_name = name
        self.cpr_masked = cpr_masked

    def compose(self) -> ComposeResult:
        b = self.booking
        start, end = clock.local(b.start), clock.local(b.end)
        participants = "\n".join(f"  • {visible(p)}" for p in b.participants)
        yield Header()
        with VerticalScroll(id="confirmation"):
            yield Static("[b]Mødet er booket[/b]", classes="dialog-title")
            yield Static(
                plain(
                    f"{visible(self.person_name)} · {visible(self.cpr_masked)}\n"
                    f"{WEEKDAYS_DA[start.weekday()]} {start:%d-%m-%Y} kl. "
                    f"{start:%H:%M}-{end:%H:%M} · {visible(b.room_name)}\n"
                    f"Deltagere:\n{participants}",
                    multiline=True,
                ),
                id="summary",
            )
            yield Static(plain(ics_lines(b.ics_files), multiline=True), id="invitations")
            yield Static(
                Text.assemble(
                    ("Til den unge\n", "bold"), visible(str(b.confirmation_da), multiline=True)
                ),
                id="young-text",
            )
        yield KeysFooter()

    def action_done(self) -> None:
        """Back to where the desk came from; the search field is emptied for the next one."""
        from ungehus_tui.screens.desk import DeskScreen

        stack = self.app.screen_stack
        below = stack[-2] if len(stack) >= 2 else None
        self.app.pop_screen()
        if isinstance(below, DeskScreen):
            below.action_clear()
