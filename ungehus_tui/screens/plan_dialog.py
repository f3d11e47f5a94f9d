"""Edit the education plan: goals, the current interventions (each can be ended with a date or
removed; one resting on a withdrawn consent is marked, and never blocks the save), and one new
intervention. Returns a `PlanInput` (saved as a new version by the caller), or None.

Every field is shown (start and end dates too) and the areas in Danish (`AREA_NAMES_DA`). The
current interventions keep their ids (`InterventionInput.id`) and the plan its `base_version`: when
someone saved a newer version meanwhile, the save is refused naming who (a `Conflict`), the
dialog stays open with everything typed, says so in the dialog, and a second save then
knowingly replaces the newer version with this one."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Checkbox, Input, Label, Select
from textual.worker import Worker, WorkerState

from ungehus_tui.domain.labels import AREA_NAMES_DA, CENTER_NAMES_DA
from ungehus_tui.domain.text import visible
from ungehus_tui.screens.base import FormDialog
from ungehus_tui.services.casework.plans import (
    InterventionInput,
    InterventionView,
    PlanInput,
    PlanView,
)
from ungehus_tui.services.errors import Conflict
from ungehus_tui.widgets.safe import plain

AREAS = [
    (AREA_NAMES_DA["EDUCATION"].capitalize(), "EDUCATION"),
    (AREA_NAMES_DA["JOB"].capitalize(), "JOB"),
    (f"{AREA_NAMES_DA['OTHER'].capitalize()} (kræver samtykke)", "OTHER"),
]
WITHDRAWN_DA = "samtykke trukket tilbage"


def parse_day(text: str) -> dt.date | None:
    """'dd-mm-yyyy' (or ISO) -> date; '' -> None; raises ValueError on nonsense."""
    text = text.strip()
    if not text:
        return None
    if len(text) == 10 and text[2] == "-":
        return dt.datetime.strptime(text, "%d-%m-%Y").date()
    return dt.date.fromisoformat(text)


def _day(day: dt.date | None) -> str:
    return f"{day:%d-%m-%Y}" if day else ""


def intervention_label(item: InterventionView) -> str:
    starts = f" · start {_day(item.starts_on)}" if item.starts_on else ""
    mark = f" · {WITHDRAWN_DA.upper()}" if item.consent_withdrawn else ""
    return f"• {item.center_code} [{item.area_da}] {item.description}{starts}{mark}"


class PlanDialog(FormDialog[PlanInput]):
    def __init__(self, current: PlanView | None) -> None:
        super().__init__()
        self.current = current
        self.overwrite = False  # told of a newer version: the next save replaces it

    def compose(self) -> ComposeResult:
        cur = self.current
        with VerticalScroll():
            head = "Uddannelsesplan (gemmes som ny version)"
            if cur:
                head += f" · nu version {cur.version}"
            yield Label(head, classes="title")
            yield Label("", id="conflict", classes="hint")
            # stored goals shown inertly; saved again, a control character stays a visible mark
            yield Label("Mål på kort sigt", classes="hint")
            yield Input(visible(cur.short_term_goals) if cur else "", id="short")
            yield Label("Mål på langt sigt", classes="hint")
            yield Input(visible(cur.long_term_goals) if cur else "", id="long")
            for n, item in enumerate(cur.interventions if cur else []):
                yield Label(
                    plain(intervention_label(item)),
                    classes="intervention withdrawn" if item.consent_withdrawn else "intervention",
                )
                with Horizontal(classes="row"):
                    yield Label("Slut:", classes="hint")
                    yield Input(_day(item.ends_on), placeholder="dd-mm-åååå", id=f"end-{n}")
                    yield Checkbox("Fjern indsatsen", id=f"remove-{n}")
            yield Label("Ny indsats (kan udelades):", classes="hint")
            yield Select(
                [(f"{k} · {v}", k) for k, v in CENTER_NAMES_DA.items()],
                prompt="Center",
                id="center",
            )
            yield Select(AREAS, prompt="Område", id="area")
            yield Input(placeholder="Beskrivelse af indsatsen", id="description")
            with Horizontal(classes="row"):
                yield Input(placeholder="Start dd-mm-åååå", id="starts")
                yield Input(placeholder="Slut dd-mm-åååå", id="ends")
            with Horizontal(classes="buttons"):
                yield Button("Fortryd", id="cancel")
                yield Button("Gem ny version", variant="primary", id="ok")

    def _kept(self) -> list[InterventionInput]:
        """The current interventions as edited (ids kept; removed ones left out)."""
        items: list[InterventionInput] = []
        for n, item in enumerate(self.current.interventions if self.current else []):
            if self.query_one(f"#remove-{n}", Checkbox).value:
                continue
            ends = parse_day(self.query_one(f"#end-{n}", Input).value)
            items.append(replace(item.as_in(), ends_on=ends))
        return items

    def _new(self) -> InterventionInput | None:
        description = self.query_one("#description", Input).value.strip()
        if not description:
            return None
        center = self.query_one("#center", Select).value
        area = self.query_one("#area", Select).value
        return InterventionInput(
            center if isinstance(center, str) else "",
            area if isinstance(area, str) else "",
            description,
            parse_day(self.query_one("#starts", Input).value),
            parse_day(self.query_one("#ends", Input).value),
        )

    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        try:
            items = self._kept()
            new = self._new()
        except ValueError:
            self.notify("Datoer skrives dd-mm-åååå", severity="warning")
            return
        if new is not None:
            items.append(new)
        base = self.current.version if self.current else 0
        self.submit(
            PlanInput(
                self.query_one("#short", Input).value,
                self.query_one("#long", Input).value,
                items,
                base_version=None if self.overwrite else base,
            )
        )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A newer version saved meanwhile: said in the dialog too; what was typed stays."""
        error = event.worker.error
        if event.state == WorkerState.ERROR and isinstance(error, Conflict):
            self.overwrite = True
            self.query_one("#conflict", Label).update(
                plain(f"{error.message} Gem igen for at erstatte den nye version med din.")
            )
        super().on_worker_state_changed(event)
