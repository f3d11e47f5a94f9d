"""What every screen and dialog shares: the app's context, keys by role, and one error funnel.

- `UngehusScreen`: the base of every full screen (desk and counsellor alike).
- `Dialog[T]`: the base of every dialog, a `ModalScreen[T]` that dismisses with a `T` (a
  dataclass or a plain value), or None when cancelled.
- `FormDialog[V]`: a dialog whose OK runs a service call (`save`) while it stays open, and
  closes with `Saved(value, result)`.

The seam between screens and services: a screen calls a service in a thread worker
(`@work(thread=True, exit_on_error=False)`), the worker posts a message (a dataclass nested
in the screen) and the screen's `@on(...)` handler updates the widgets. A worker that fails
ends in `show_error` (the one `Worker.StateChanged` handler, in `WorkerErrors`): a service's
Danish message, or `GENERIC_ERROR_DA`; never data, never a traceback.

The screens read `self.app.ctx` and `self.app.actor` (set by `UngehusApp`, or by any test App
that has them), so a screen can be a mode of the app without arguments.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Generic, Protocol, TypeVar, cast

from textual import events, on, work
from textual.app import App
from textual.binding import Binding
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select
from textual.worker import Worker, WorkerState

from ungehus_tui.domain.text import visible
from ungehus_tui.screens.key_order import KeyReady
from ungehus_tui.screens.unsaved import UnsavedGuard
from ungehus_tui.services.access.permissions import Action, allowed
from ungehus_tui.services.context import Actor, Ctx
from ungehus_tui.services.errors import ServiceError

GENERIC_ERROR_DA = "Der skete en uventet fejl. Intet er gemt halvt; prøv igen eller kontakt IT."

T = TypeVar("T")
V = TypeVar("V")


def show_error(app: App[Any], error: BaseException) -> None:
    """The error funnel: a service's Danish message, else a generic one (no data)."""
    if isinstance(error, ServiceError):
        app.notify(error.message, title="Kan ikke gennemføres", severity="error", timeout=8)
        return
    app.log.error(f"worker failed: {type(error).__name__}")
    app.notify(GENERIC_ERROR_DA, title="Fejl", severity="error", timeout=10)


def leave(screen: Screen[Any]) -> None:
    """Close `screen` if it is still the one showing (a worker may answer after a pop)."""
    if screen.app.screen is screen:
        screen.app.pop_screen()


def back_with_refusal(screen: Screen[Any], message: str) -> None:
    """A screen whose young person the actor may not see: back where they came from, and
    the refusal said (instead of a screen left on "Henter ...")."""
    leave(screen)
    screen.app.notify(message, title="Kan ikke vises", severity="warning", timeout=6)


def label_fields(screen: Screen[Any]) -> None:
    """A visible label over every field that only had a placeholder (an Input's hint, a
    Select's prompt): the placeholder goes when something is typed or chosen, the label
    stays, so a filled form still says what each field is."""
    for field in list(screen.query("Input, Select")):
        if isinstance(field, Input):
            text = str(field.placeholder)
        elif isinstance(field, Select) and field.prompt != "Select":
            text = str(field.prompt)
        else:
            continue
        parent = field.parent
        if not text or not isinstance(parent, Widget):
            continue
        siblings = list(parent.children)
        at = siblings.index(field)
        if at > 0 and isinstance(siblings[at - 1], Label):
            continue  # labelled already
        parent.mount(Label(visible(text), classes="field-label"), before=field)
        if isinstance(field, Input):
            field.placeholder = ""  # the label says it now
        else:
            field.prompt = "Vælg …"


class WorkerErrors:
    """The one `Worker.StateChanged` handler: a failed worker's error through `show_error`.
    (A handler by name, not `@on`: Textual registers `@on` handlers of its own classes only.)"""

    app: App[Any]

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            show_error(self.app, event.worker.error)


class EventErrors:
    """An exception in a screen's own event handling (mounting, resuming, a callback) goes
    to the app's crash report (`app_lock.SafeCrash.crash`: no local variables, CPR masked)."""

    app: App[Any]

    async def on_event(self, event: events.Event) -> None:
        try:
            await super().on_event(event)  # type: ignore[misc]
        except Exception as error:
            crash = getattr(self.app, "crash", None)
            if not callable(crash):
                raise
            crash(error)


class HouseApp(Protocol):
    """What a screen needs of its app (UngehusApp, or a test App)."""

    ctx: Ctx
    actor: Actor


class HouseContext:
    """The app's context and signed-in staff member, read from the app."""

    app: App[Any]

    @property
    def ctx(self) -> Ctx:
        return cast(HouseApp, self.app).ctx

    @property
    def actor(self) -> Actor:
        return cast(HouseApp, self.app).actor


class UngehusScreen(UnsavedGuard, KeyReady, EventErrors, WorkerErrors, HouseContext, Screen[None]):
    """A full screen. Keys by role: `NEEDS` maps a screen action to the permission it needs;
    an action the signed-in role may not use is left out of the footer and does nothing. The
    service would refuse it anyway; this keeps a counsellor at the desk from reception-only
    keys and a leader (read-only) from the counsellor's."""

    NEEDS: ClassVar[dict[str, Action]] = {}

    def may(self, action: Action) -> bool:
        """Nothing before the app knows who is signed in (`--demo --as`: the store says)."""
        return bool(getattr(self.app, "signed_in", True)) and allowed(self.actor, action)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        needed = self.NEEDS.get(action)
        return needed is None or self.may(needed)


class Dialog(UnsavedGuard, KeyReady, EventErrors, WorkerErrors, HouseContext, ModalScreen[T]):
    """A dialog: dismisses with its value (`T`), or None when cancelled (Esc asks
    "Kassér ændringer?" first when something typed is not saved)."""

    FORM_NAME_DA: ClassVar[str | None] = "dialogen"

    def action_cancel(self) -> None:
        self.leave_unless_unsaved(lambda: self.dismiss(None))


@dataclass(frozen=True)
class Saved(Generic[V]):
    """What a `FormDialog` closes with: what was entered, and the service's result."""

    value: V
    result: object


class FormDialog(Dialog[Saved[V]], Generic[V]):
    """A form dialog: Escape cancels (dismiss(None)), Ctrl+S presses OK.

    With `save` set (`CaseScreen` does), OK runs `save(value)` (the service call) in a
    worker while the dialog stays open: a refusal is shown as a Danish message and what was
    typed stays for a correction; success closes the dialog with `Saved(value, result)`.
    Focus starts in the first field, not on the scrolling container."""

    AUTO_FOCUS = "Input, Select, TextArea, RadioSet, Checkbox"
    CSS_PATH = "dialog.tcss"

    BINDINGS = [
        Binding("escape", "cancel", "Fortryd", id="dialog.cancel", tooltip="Luk uden at gemme"),
        Binding("ctrl+s", "save", "Gem", id="dialog.save", tooltip="Gem (som knappen OK)"),
    ]

    @dataclass
    class SaveDone(Message, bubble=False):
        saved: Saved[Any]

    def __init__(self) -> None:
        super().__init__(classes="dialog")
        self.save: Any = None  # Callable[[V], object] | None; set by the caller

    def on_mount(self) -> None:
        label_fields(self)

    def submit(self, value: V) -> None:
        """The dialog's OK: save (when a save function is set) or just return the value."""
        if self.save is None:
            self.dismiss(Saved(value, None))
        else:
            self._run_save(value)

    @work(thread=True, exclusive=True, group="dialog-save", exit_on_error=False)
    def _run_save(self, value: V) -> None:
        result = self.save(value)
        self.post_message(self.SaveDone(Saved(value, result)))

    @on(SaveDone)
    def _saved(self, message: SaveDone) -> None:
        self.dismiss(message.saved)

    def action_save(self) -> None:
        for button in self.query("#ok").results(Button):
            button.press()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.dismiss(None)
