"""Override a triage decision with a reason: choose the contacts (center and role), the lead
center and write why. Saved by `services.intake.override_decision`; errors stay in the dialog
with everything typed."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Label, Select, SelectionList, Static

from ungehus_tui.domain.labels import CENTER_NAMES_DA, ROLE_NAMES_DA, UNKNOWN_DA
from ungehus_tui.domain.triage import CENTER_ROLES
from ungehus_tui.screens.base import Dialog
from ungehus_tui.services.desk import intake, triage_view
from ungehus_tui.services.errors import ValidationFailed
from ungehus_tui.widgets.safe import plain

CENTER_ORDER = ("CBU", "CAI", "CHP", "CKFB")


@dataclass(frozen=True)
class OverrideRequest:
    contacts: tuple[tuple[str, str], ...]
    lead_center: str | None
    reason: str


class OverrideDialog(Dialog[bool]):
    """Returns True when the decision was overridden, None when cancelled."""

    DEFAULT_CSS = """
    OverrideDialog #dialog { width: 90; }
    OverrideDialog SelectionList { height: auto; max-height: 8; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Fortryd", id="override.cancel", tooltip="Luk uden at ændre"),
        Binding(
            "ctrl+s",
            "save",
            "Gem ændring",
            id="override.save",
            tooltip="Gem den nye visitation med begrundelsen",
            priority=True,
        ),
    ]

    @dataclass
    class Refused(Message, bubble=False):
        text: str

    class Overridden(Message, bubble=False):
        pass

    def __init__(self, detail: triage_view.TriageDetail) -> None:
        super().__init__()
        self.detail = detail

    def compose(self) -> ComposeResult:
        current = {(c.center, c.role) for c in self.detail.contacts}
        options = [
            (
                f"{center} · {ROLE_NAMES_DA.get(role, UNKNOWN_DA)}",
                f"{center}:{role}",
                (center, role) in current,
            )
            for center in CENTER_ORDER
            for role in sorted(CENTER_ROLES[center])
        ]
        with Vertical(id="dialog"):
            yield Static("Ændr visitation", classes="dialog-title")
            yield Label("Involverede (mellemrum slår til/fra)")
            yield SelectionList[str](*options, id="override-contacts")
            yield Label("Ledende center")
            yield Select(
                [(f"{c} · {CENTER_NAMES_DA[c]}", c) for c in CENTER_ORDER],
                value=self.detail.lead_center or Select.BLANK,
                id="override-lead",
                prompt="Intet (ikke Ungehusets)",
            )
            yield Label("Begrundelse (skal udfyldes)")
            yield Input(id="override-reason", placeholder="Hvorfor ændres visitationen?")
            yield Static("", id="override-error", classes="error-text")
            yield Static("Ctrl+S gemmer · Esc fortryder", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#override-reason", Input).focus()

    def request(self) -> OverrideRequest:
        chosen = self.query_one("#override-contacts", SelectionList).selected
        pairs = tuple(tuple(v.split(":", 1)) for v in chosen)
        lead = self.query_one("#override-lead", Select).value
        return OverrideRequest(
            contacts=pairs,
            lead_center=lead if isinstance(lead, str) else None,
            reason=self.query_one("#override-reason", Input).value,
        )

    @on(Input.Submitted, "#override-reason")
    def action_save(self) -> None:
        self._error("")
        self.save(self.request())

    def _error(self, text: str) -> None:
        error = self.query_one("#override-error", Static)
        error.update(plain(text))
        error.set_class(bool(text), "-shown")

    @work(thread=True, exclusive=True, group="override", exit_on_error=False)
    def save(self, request: OverrideRequest) -> None:
        try:
            intake.override_decision(
                self.ctx,
                self.actor,
                self.detail.decision_id,
                lead_center=request.lead_center,
                reason=request.reason,
                contacts=request.contacts,
            )
        except ValidationFailed as exc:
            self.post_message(self.Refused(" · ".join(exc.errors.values())))
            return
        self.post_message(self.Overridden())

    @on(Refused)
    def _refused(self, message: Refused) -> None:
        self._error(message.text)

    @on(Overridden)
    def _overridden(self) -> None:
        self.dismiss(True)
