"""The triage facts as quick toggles: one key each (the desk asks, presses, moves on)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widget import Widget

from ungehus_tui.domain.codes import Situation

SITUATIONS: tuple[tuple[str, str, str], ...] = (
    ("1", Situation.GRUNDSKOLE.value, "Grundskole/10. kl."),
    ("2", Situation.UNGDOMSUDDANNELSE.value, "Ungdomsuddannelse"),
    ("3", Situation.JOB.value, "Job"),
    ("4", Situation.INGEN.value, "Ingen af delene"),
    ("5", Situation.ANDET.value, "Andet"),
)

GRADES: tuple[int, ...] = (7, 8, 9, 10)

# key, field, Danish label
TOGGLES: tuple[tuple[str, str, str], ...] = (
    ("f", "completed_youth_education", "Har fuldført en ungdomsuddannelse"),
    ("s", "social_case", "Socialfaglig sag (børn og familie)"),
    ("j", "jobcenter_case", "Sag i jobcenteret"),
    ("p", "early_pension", "Førtidspension"),
    ("h", "specialised_needs", "Behov for specialiseret støtte (handicap/psykiatri)"),
    ("o", "housing_or_finance", "Brug for hjælp til bolig eller økonomi"),
    ("r", "retention_only", "Udfordringen er kun at blive i uddannelse/job"),
)


# Shorter words for a narrow terminal (80 columns): every fact still on one line.
SHORT_DA: dict[str, str] = {
    Situation.GRUNDSKOLE.value: "Grundskole",
    Situation.UNGDOMSUDDANNELSE.value: "Ungd.udd.",
    Situation.INGEN.value: "Ingen",
    "completed_youth_education": "Fuldført ungdomsuddannelse",
    "social_case": "Socialfaglig sag",
    "specialised_needs": "Specialiseret støtte",
    "housing_or_finance": "Hjælp til bolig/økonomi",
    "retention_only": "Kun fastholdelse i udd./job",
}
COMPACT_BELOW = 60  # columns of the panel's content


@dataclass(frozen=True)
class FactState:
    situation: str | None = None
    grade: int | None = None
    completed_youth_education: bool = False
    social_case: bool = False
    jobcenter_case: bool = False
    early_pension: bool = False
    specialised_needs: bool = False
    housing_or_finance: bool = False
    retention_only: bool = False


class FactsPanel(Widget, can_focus=True):
    """Focus it (Tab) and press: 1-5 situation, K grade, F S J P H O R facts, C consent."""

    DEFAULT_CSS = """
    FactsPanel { height: auto; border: round $primary 50%; padding: 0 1; }
    FactsPanel:focus { border: round $accent; }
    """

    BINDINGS = [
        *[
            Binding(
                key,
                f"situation('{value}')",
                label,
                show=False,
                id=f"facts.situation.{value}",
                tooltip=f"Situation: {label}",
            )
            for key, value, label in SITUATIONS
        ],
        Binding("k", "grade", "Klasse", show=False, id="facts.grade", tooltip="Klassetrin"),
        *[
            Binding(key, f"flip('{name}')", label, show=False, id=f"facts.{name}", tooltip=label)
            for key, name, label in TOGGLES
        ],
        Binding(
            "c",
            "consent",
            "Samtykke alle",
            id="facts.consent",
            tooltip="Samtykke til deling med alle involverede centre (slå til/fra)",
        ),
    ]

    @dataclass
    class Changed(Message):
        panel: FactsPanel
        state: FactState

    @dataclass
    class ConsentAll(Message):
        panel: FactsPanel

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.state = FactState()
        self.error: str | None = None

    def render(self) -> Text:
        st = self.state
        compact = 0 < self.content_size.width < COMPACT_BELOW

        def said(key: str, label: str) -> str:
            return SHORT_DA.get(key, label) if compact else label

        out = Text()
        out.append("Situation: " if not compact else "", style="bold")
        for key, value, label in SITUATIONS:
            mark = "●" if st.situation == value else "○"
            style = "bold reverse" if st.situation == value else ""
            out.append(f"[{key}]", style="dim")
            out.append(f"{mark} {said(value, label)}", style=style)
            out.append(" " if compact else "  ")
        out.append("\n")
        if st.situation == Situation.GRUNDSKOLE:
            grade = "–" if st.grade is None else f"{st.grade}. klasse"
            out.append("[k]", style="dim")
            out.append(f" Klassetrin: {grade}\n")
        for key, name, label in TOGGLES:
            on = bool(getattr(st, name))
            out.append(f"[{key}]", style="dim")
            out.append(f" {'☑' if on else '☐'} {said(name, label)}\n", style="bold" if on else "")
        out.append("[c]", style="dim")
        out.append(
            " Samtykke til alle centre"
            if compact
            else " Samtykke til deling med alle involverede centre"
        )
        if self.error:
            out.append(f"\n{self.error}", style="bold red")
        return out

    def _set(self, **changes: object) -> None:
        self.state = dataclasses.replace(self.state, **changes)  # type: ignore[arg-type]
        self.error = None
        self.refresh(layout=True)
        self.post_message(self.Changed(self, self.state))

    def set_state(self, state: FactState) -> None:
        self.state = state
        self.refresh(layout=True)

    def show_error(self, message: str | None) -> None:
        self.error = message
        self.refresh(layout=True)

    def action_situation(self, value: str) -> None:
        grade = self.state.grade if value == Situation.GRUNDSKOLE else None
        self._set(situation=value, grade=grade)

    def action_grade(self) -> None:
        """Cycle 8. -> 9. -> 10. klasse -> none (and choose grundskole)."""
        if self.state.situation != Situation.GRUNDSKOLE:
            self._set(situation=Situation.GRUNDSKOLE.value, grade=GRADES[0])
            return
        grade = self.state.grade
        nxt = GRADES[0] if grade not in GRADES else (*GRADES, None)[GRADES.index(grade) + 1]
        self._set(grade=nxt)

    def action_flip(self, name: str) -> None:
        self._set(**{name: not getattr(self.state, name)})

    def action_consent(self) -> None:
        self.post_message(self.ConsentAll(self))
