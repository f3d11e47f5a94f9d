"""Give a consent (center + purpose) or withdraw an active one.
Returns GiveConsent(center, purpose), WithdrawConsent(consent_id), or None."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, Label, Select

from ungehus_tui.domain.labels import CENTER_NAMES_DA
from ungehus_tui.screens.base import FormDialog
from ungehus_tui.services.casework.cases import OpenItem
from ungehus_tui.widgets.safe import cell, plain


@dataclass(frozen=True)
class GiveConsent:
    center: str
    purpose: str


@dataclass(frozen=True)
class WithdrawConsent:
    consent_id: int


class ConsentDialog(FormDialog[GiveConsent | WithdrawConsent]):
    def __init__(self, active: list[OpenItem], *, who: str = "den unge") -> None:
        super().__init__()
        self.active = active
        self.who = who

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Label(
                plain(f"Samtykke for {self.who} (specifikt: ét center, ét formål)"),
                classes="title",
            )
            yield Select(
                [(f"{k} · {v}", k) for k, v in CENTER_NAMES_DA.items()],
                prompt="Center",
                id="center",
            )
            yield Input(placeholder="Formål, fx 'Boligrådgivning'", id="purpose")
            yield Label("Eller træk et aktivt samtykke tilbage:", classes="hint")
            yield Select(
                [(cell(c.label_da), c.id) for c in self.active],
                prompt="Aktive samtykker",
                id="withdraw",
            )
            with Horizontal(classes="buttons"):
                yield Button("Fortryd", id="cancel")
                yield Button("Træk tilbage", variant="warning", id="do-withdraw")
                yield Button("Giv samtykke", variant="primary", id="ok")

    @on(Button.Pressed, "#ok")
    def _give(self) -> None:
        center = self.query_one("#center", Select).value
        self.submit(
            GiveConsent(
                center if isinstance(center, str) else "",
                self.query_one("#purpose", Input).value,
            )
        )

    @on(Button.Pressed, "#do-withdraw")
    def _withdraw(self) -> None:
        from ungehus_tui.screens.confirm_dialog import ConfirmDialog

        chosen = self.query_one("#withdraw", Select).value
        if isinstance(chosen, int):
            label = next((c.label_da for c in self.active if c.id == chosen), "")
            consent_id = chosen

            def answered(ok: bool | None) -> None:
                if ok:
                    self.submit(WithdrawConsent(consent_id))

            self.app.push_screen(
                ConfirmDialog(
                    f"Træk samtykket tilbage for {self.who}?",
                    f"{label}. Indsatser, der hviler på samtykket, skal derefter rettes i planen.",
                    yes="Træk tilbage",
                    no="Fortryd",
                ),
                answered,
            )
        else:
            self.notify("Vælg det samtykke der trækkes tilbage", severity="warning")
