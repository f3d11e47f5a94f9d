"""What the counsellor screens share: the app's ctx and actor, and one way to show errors.

The screens read `self.app.ctx` and `self.app.actor` (set by `UngehusApp`, or by any test App
that has them), so `QueueScreen` can be a mode of the app without arguments.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual import on, work
from textual.binding import Binding
from textual.screen import ModalScreen, Screen
from textual.widgets import Button
from textual.worker import Worker, WorkerState

from ungehus_tui.screens.base import RoleKeys
from ungehus_tui.services.context import Actor, Ctx
from ungehus_tui.services.errors import ServiceError

GENERIC_ERROR_DA = "Der skete en uventet fejl. Intet er gemt halvt; prøv igen eller kontakt IT."


def show_error(screen: Screen[Any], error: BaseException) -> None:
    report = getattr(screen.app, "report_error", None)
    if callable(report):
        report(error)
    elif isinstance(error, ServiceError):
        screen.notify(error.message, title="Kan ikke gennemføres", severity="error", timeout=8)
    else:
        screen.notify(GENERIC_ERROR_DA, title="Fejl", severity="error", timeout=10)


class CaseworkScreen(RoleKeys, Screen[None]):
    """A counsellor screen: database work in thread workers, errors as Danish notices."""

    @property
    def ctx(self) -> Ctx:
        return self.app.ctx  # type: ignore[attr-defined,no-any-return]

    @property
    def actor(self) -> Actor:  # type: ignore[override]
        return self.app.actor  # type: ignore[attr-defined,no-any-return]

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            show_error(self, event.worker.error)


@dataclass(frozen=True)
class Saved:
    """What a dialog with a `save` function closes with: what was entered, and the service's
    result."""

    value: Any
    result: Any


class CaseworkDialog(ModalScreen[Any]):
    """Base of the counsellor dialogs: Escape cancels (dismiss(None)).

    With `save` set (`CaseScreen` does), OK runs `save(value)` (the service call) while the
    dialog stays open: a refusal is shown as a Danish message and what was typed stays for
    a correction; success closes the dialog with `Saved(result)`. Focus starts in the first
    field, not on the scrolling container."""

    AUTO_FOCUS = "Input, Select, TextArea, RadioSet, Checkbox"
    save: Callable[[Any], Any] | None = None

    BINDINGS = [
        Binding("escape", "cancel", "Fortryd", id="dialog.cancel", tooltip="Luk uden at gemme"),
        Binding("ctrl+s", "save", "Gem", id="dialog.save", tooltip="Gem (som knappen OK)"),
    ]

    def action_cancel(self) -> None:
        self.dismiss(None)

    def submit(self, value: Any) -> None:
        """The dialog's OK: save (when a save function is set) or just return `value`."""
        if self.save is None:
            self.dismiss(value)
        else:
            self._run_save(value)

    @work(thread=True, exclusive=True, group="dialog-save", exit_on_error=False)
    def _run_save(self, value: Any) -> None:
        assert self.save is not None
        result = self.save(value)
        self.app.call_from_thread(self.dismiss, Saved(value, result))

    @on(Worker.StateChanged)
    def _save_failed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            show_error(self, event.worker.error)

    def action_save(self) -> None:
        for button in self.query("#ok").results(Button):
            button.press()
