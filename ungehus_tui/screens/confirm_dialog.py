"""A yes/no question before something that cannot simply be taken back: "Kassér ændringer?"
before typed work is thrown away, and one-key actions that change a young person's case
(accept a handover, withdraw an offer or a consent, mark served) naming the young person.

Returns True (do it) or False (don't). Y or the yes button does it; N, Esc or the no
button does not; Enter presses the focused button (`yes_first`: which one has the focus).
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from ungehus_tui.screens.base import Dialog
from ungehus_tui.widgets.safe import plain

DISCARD_TITLE_DA = "Kassér ændringer?"


class ConfirmDialog(Dialog[bool]):
    FORM_NAME_DA = None
    BINDINGS = [
        Binding("escape", "answer(False)", "Nej", id="confirm.no", tooltip="Gør det ikke"),
        Binding("n", "answer(False)", "Nej", id="confirm.n", tooltip="Gør det ikke", show=False),
        Binding("j,y", "answer(True)", "Ja", id="confirm.yes", tooltip="Gør det"),
        Binding(
            "left,right",
            "app.focus_next",
            "Skift knap",
            id="confirm.switch",
            tooltip="Til den anden knap",
            show=False,
        ),
    ]
    DEFAULT_CSS = """
    ConfirmDialog #dialog { width: 64; }
    ConfirmDialog Horizontal.buttons { height: auto; align-horizontal: right; margin-top: 1; }
    ConfirmDialog Button { margin-left: 1; }
    ConfirmDialog Button:focus { text-style: bold reverse; }
    """

    def __init__(self, title: str, text: str, *, yes: str, no: str, yes_first: bool = True) -> None:
        super().__init__()
        self.title_da = title
        self.text_da = text
        self.yes_da = yes
        self.no_da = no
        self.yes_first = yes_first

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(plain(self.title_da), classes="dialog-title")
            yield Static(plain(self.text_da), id="confirm-text")
            with Horizontal(classes="buttons"):
                yield Button(f"{self.no_da} (N)", id="no")
                yield Button(f"{self.yes_da} (J)", variant="warning", id="yes")
            hint = "Enter vælger den markerede knap · J ja · N eller Esc nej"
            yield Static(hint, classes="hint")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#yes" if self.yes_first else "#no", Button))

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    def action_cancel(self) -> None:
        self.dismiss(False)

    @on(Button.Pressed, "#yes")
    def _yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#no")
    def _no(self) -> None:
        self.dismiss(False)


def discard_dialog(what: str) -> ConfirmDialog:
    """'Kassér ændringer?' for the form `what`; the focus on staying (Enter keeps the work)."""
    return ConfirmDialog(
        DISCARD_TITLE_DA,
        f"Det, du har skrevet i {what}, er ikke gemt og går tabt.",
        yes="Kassér",
        no="Bliv og gem",
        yes_first=False,
    )
