"""No lost work: Esc, Ctrl+Q and a mode switch (F2/F3) on a form or dialog with typed,
unsaved input ask "Kassér ændringer?" first (`confirm_dialog.discard_dialog`; the focus on
staying, so Enter keeps the work).

- `UnsavedGuard` (mixed into every dialog and the registration form): what the fields held
  when the form became ready (`form_values`), and `leave_unless_unsaved(leave)`.
- `GuardedApp` (mixed into the app): Ctrl+Q and the mode keys ask when any screen on the
  stack has unsaved input; "Kassér" closes those screens, then quits or switches.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual.app import App

from ungehus_tui.widgets.facts import FactsPanel


def form_values(screen: Any) -> tuple[object, ...]:
    """What the user can change on `screen`, field by field."""
    # imported here: the form widgets are not needed for the first frame
    from textual.widgets import Checkbox, Input, RadioSet, Select, SelectionList, TextArea

    values: list[object] = []
    for widget in screen.query("*"):
        if isinstance(widget, Input):
            values.append((widget.id, widget.value))
        elif isinstance(widget, TextArea):
            values.append((widget.id, widget.text))
        elif isinstance(widget, Select):
            values.append((widget.id, widget.value))
        elif isinstance(widget, Checkbox):
            values.append((widget.id, widget.value))
        elif isinstance(widget, RadioSet):
            values.append((widget.id, widget.pressed_index))
        elif isinstance(widget, SelectionList):
            values.append((widget.id, tuple(widget.selected)))
        elif isinstance(widget, FactsPanel):
            values.append((widget.id, widget.state))
    return tuple(values)


class UnsavedGuard:
    """A form: `FORM_NAME_DA` names it in the question ("Det, du har skrevet i ...")."""

    FORM_NAME_DA: ClassVar[str | None] = None
    _baseline: tuple[object, ...] | None = None
    app: Any

    def keys_ready_now(self) -> None:
        if self.FORM_NAME_DA and self._baseline is None:
            self.mark_saved()  # as filled in by the screen itself, before any key
        super().keys_ready_now()  # type: ignore[misc]

    def mark_saved(self) -> None:
        self._baseline = form_values(self)

    def has_unsaved(self) -> bool:
        if not self.FORM_NAME_DA or self._baseline is None:
            return False
        return form_values(self) != self._baseline

    def leave_unless_unsaved(self, leave: Callable[[], object]) -> None:
        """`leave()` now, or after "Kassér" when something typed is not saved."""
        if not self.has_unsaved():
            leave()
            return

        def answered(discard: bool | None) -> None:
            if discard:
                leave()

        self.app.push_screen(_discard(self.FORM_NAME_DA), answered)


def _discard(what: str | None) -> Any:
    from ungehus_tui.screens.confirm_dialog import discard_dialog  # it is a Dialog itself

    return discard_dialog(what or "formularen")


def unsaved_screens(app: App[Any]) -> list[Any]:
    return [s for s in app.screen_stack if isinstance(s, UnsavedGuard) and s.has_unsaved()]


class GuardedApp(App[None]):
    """Ctrl+Q and F2/F3 ask before unsaved input on the stack is thrown away."""

    async def action_quit(self) -> None:
        if getattr(self, "locked", False):  # the lock is over someone's work: theirs to end
            self.notify(
                "Skærmen er låst. Den, der er logget ind, låser op og afslutter selv.",
                title="Kan ikke afslutte",
                severity="warning",
            )
            return
        unsaved = unsaved_screens(self)
        if not unsaved:
            self.exit()
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.exit()

        self.push_screen(_discard(unsaved[-1].FORM_NAME_DA), answered)

    async def action_switch_mode(self, mode: str) -> None:
        unsaved = unsaved_screens(self)
        if mode == self.current_mode or not unsaved:
            self.switch_mode(mode)
            return
        lowest = self.screen_stack.index(unsaved[0])

        async def discard_and_switch() -> None:
            while len(self.screen_stack) > max(lowest, 1):
                await self.pop_screen()
            self.switch_mode(mode)

        def answered(discard: bool | None) -> None:
            if discard:
                self.call_later(discard_and_switch)

        self.push_screen(_discard(unsaved[-1].FORM_NAME_DA), answered)
