"""Edit the education plan: goals, the current interventions (kept), one new intervention.
Returns a `PlanInput` (saved as a new version by the caller), or None."""

from __future__ import annotations

import datetime as dt

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, Label, Select

from ungehus_tui.domain.codes import CENTER_NAMES_DA
from ungehus_tui.domain.text import visible
from ungehus_tui.screens.base import FormDialog
from ungehus_tui.services.casework.plans import InterventionInput, PlanInput
from ungehus_tui.widgets.safe import plain

AREAS = [("Uddannelse", "EDUCATION"), ("Job", "JOB"), ("Andet (kræver samtykke)", "OTHER")]


def parse_day(text: str) -> dt.date | None:
    """'dd-mm-yyyy' (or ISO) -> date; '' -> None; raises ValueError on nonsense."""
    text = text.strip()
    if not text:
        return None
    if len(text) == 10 and text[2] == "-":
        return dt.datetime.strptime(text, "%d-%m-%Y").date()
    return dt.date.fromisoformat(text)


class PlanDialog(FormDialog[PlanInput]):
    def __init__(self, current: PlanInput | None) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        cur = self.current
        with VerticalScroll():
            yield Label("Uddannelsesplan (gemmes som ny version)", classes="title")
            # stored goals shown inertly; saved again, a control character stays a visible mark
            yield Input(
                visible(cur.short_term_goals) if cur else "",
                placeholder="Mål på kort sigt",
                id="short",
            )
            yield Input(
                visible(cur.long_term_goals) if cur else "",
                placeholder="Mål på langt sigt",
                id="long",
            )
            for i in (cur.interventions or []) if cur else []:
                yield Label(
                    plain(f"• {i.center_code} [{i.area.lower()}] {i.description}"), classes="hint"
                )
            yield Label("Ny indsats (kan udelades):", classes="hint")
            yield Select(
                [(f"{k} · {v}", k) for k, v in CENTER_NAMES_DA.items()],
                prompt="Center",
                id="center",
            )
            yield Select(AREAS, prompt="Område", id="area")
            yield Input(placeholder="Beskrivelse af indsatsen", id="description")
            with Horizontal(classes="buttons"):
                yield Input(placeholder="Start dd-mm-åååå", id="starts")
                yield Input(placeholder="Slut dd-mm-åååå", id="ends")
            with Horizontal(classes="buttons"):
                yield Button("Fortryd", id="cancel")
                yield Button("Gem ny version", variant="primary", id="ok")

    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        items = list(self.current.interventions or []) if self.current else []
        description = self.query_one("#description", Input).value.strip()
        if description:
            center = self.query_one("#center", Select).value
            area = self.query_one("#area", Select).value
            try:
                starts = parse_day(self.query_one("#starts", Input).value)
                ends = parse_day(self.query_one("#ends", Input).value)
            except ValueError:
                self.notify("Datoer skrives dd-mm-åååå", severity="warning")
                return
            items.append(
                InterventionInput(
                    center if isinstance(center, str) else "",
                    area if isinstance(area, str) else "",
                    description,
                    starts,
                    ends,
                )
            )
        self.submit(
            PlanInput(
                self.query_one("#short", Input).value,
                self.query_one("#long", Input).value,
                items,
                base_version=self.current.base_version if self.current else 0,
            )
        )
