"""App-level security wiring, kept out of app.py so any App can mix it in:

- idle lock: once someone has signed in, after `settings.idle_lock_minutes` without a key,
  mouse click or paste, the sign-in screen is pushed as an opaque lock over the current
  screen (the stack, focus and typed input underneath stay untouched). Only the same
  user's password unlocks it. While locked every app action except quit is refused
  (`check_action`), so neither a mode switch nor the command palette can show data. The
  clock is injectable (`idle_clock`) and the check is a public method (`check_idle_lock`),
  so tests advance time instead of sleeping.
- a lock key (ctrl+l) and a privacy key (ctrl+t: initials only on the desk's waiting list;
  screens read `app.privacy`).
- no screenshots (`NoScreenshots`): Textual's palette command "Screenshot" and its
  `screenshot` action write the whole screen, names and CPR numbers included, to an SVG in
  the user's Downloads folder; both are gone.
- a crash report without personal data (`SafeCrash`): Textual prints an unhandled
  exception's traceback with every frame's local variables, where a young person's name,
  CPR number or case facts could be; ours has no locals and CPR-like numbers masked.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from rich.console import Console
from rich.text import Text
from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.reactive import reactive

from ungehus_tui.domain.text import visible
from ungehus_tui.logsafe import scrub
from ungehus_tui.screens.keys import KeyHolder
from ungehus_tui.screens.sign_in import SignInScreen
from ungehus_tui.services.context import Actor
from ungehus_tui.settings import Settings

IDLE_CHECK_SECONDS = 5.0

LOCK_BINDINGS = [
    Binding("ctrl+l", "lock", "Lås", id="lock", tooltip="Lås skærmen nu"),
    Binding(
        "ctrl+t",
        "toggle_privacy",
        "Privat",
        id="privacy",
        tooltip="Privat visning: kun initialer på ventelisten",
    ),
]


CRASH_DA = "Ungehus stoppede på grund af en fejl. Intet er gemt halvt."
HELD_BACK_DA = f"{CRASH_DA}\n(Detaljerne er holdt tilbage: de kunne indeholde personoplysninger.)"

ReturnT = TypeVar("ReturnT")


class SafeErrorConsole(Console):
    """The app's `error_console`, where Textual prints what it has to say on exit. Our crash
    report (text) passes; Textual's own crash report, pre-rendered with every frame's local
    variables (where a name, a CPR number or case facts could be), is held back and a short
    Danish line printed instead. A safety net: our handlers' errors reach `crash` first."""

    def print(self, *objects: Any, **kwargs: Any) -> None:
        safe = [o if isinstance(o, (str, Text)) else Text(HELD_BACK_DA) for o in objects]
        super().print(*safe, **kwargs)


class SafeCrash(App[ReturnT]):
    """A crash report without personal data, with Textual's public API only.

    Every event the app handles (keys and the actions they run, callbacks, mounting) passes
    `on_event`; an exception there ends in `crash`: the frames (file, line, function) for IT,
    no local variables, CPR-like numbers masked, shown on exit (`App.exit(message=...)`).
    The screens' bases send their events' errors here too (`screens.base`); thread workers
    have their own funnel (`show_error`) and never end the app."""

    crash_report: str | None = None

    def __init__(self) -> None:
        super().__init__()
        self.error_console = SafeErrorConsole(markup=False, highlight=False, stderr=True)

    async def on_event(self, event: events.Event) -> None:
        try:
            await super().on_event(event)
        except Exception as error:
            self.crash(error)

    def crash(self, error: BaseException) -> None:
        """End the app with a report of `error`: frames only, CPR-like numbers masked."""
        if self.crash_report is not None:
            return  # the first error is the one to read
        frames = scrub("".join(traceback.format_exception(error)))
        self.crash_report = f"{CRASH_DA}\n\n{visible(frames, multiline=True)}"
        self.bell()
        self.exit(return_code=1, message=Text(self.crash_report))


class NoScreenshots:
    """No screen content to disk: the palette offers no "Screenshot", and the `screenshot`
    action (a binding could name it) and `deliver_screenshot` do nothing."""

    def get_system_commands(self, screen: Any) -> Iterable[SystemCommand]:
        inherited: Iterable[SystemCommand] = super().get_system_commands(screen)  # type: ignore[misc]
        for command in inherited:
            if "screenshot" not in command.title.lower():
                yield command

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        return None

    def deliver_screenshot(self, *args: object, **kwargs: object) -> str | None:
        return None


class LockingApp(NoScreenshots, SafeCrash[None], KeyHolder):
    """Mix into the Ungehus App; call `setup_lock(settings, idle_clock)` in __init__ and set
    `lock_actor` when someone signs in (nothing locks before)."""

    privacy: reactive[bool] = reactive(False)

    def setup_lock(self, settings: Settings, idle_clock: Callable[[], float] | None = None) -> None:
        self.lock_settings = settings
        self.lock_actor: Actor | None = None
        self.idle_clock = idle_clock or time.monotonic
        self.locked = False
        self.last_activity = self.idle_clock()
        self.set_reactive(LockingApp.privacy, bool(settings.privacy_mode))

    def start_idle_timer(self) -> None:
        self.last_activity = self.idle_clock()
        self.set_interval(IDLE_CHECK_SECONDS, self.check_idle_lock, name="idle-lock")

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown, events.Paste)) and not self.locked:
            self.last_activity = self.idle_clock()
        await super().on_event(event)

    def check_idle_lock(self) -> None:
        limit = self.lock_settings.idle_lock_minutes * 60
        if not self.locked and limit > 0 and self.idle_clock() - self.last_activity >= limit:
            self.action_lock()

    def action_lock(self) -> None:
        if self.locked or self.lock_actor is None:
            return
        self.locked = True
        self.push_screen(SignInScreen(locked=self.lock_actor), self._unlocked)

    def _unlocked(self, actor: Actor | None) -> None:
        self.locked = False
        self.last_activity = self.idle_clock()
        self.release_keys()  # typed after the Enter: to the field that had focus under it

    def action_toggle_privacy(self) -> None:
        self.privacy = not self.privacy
        self.notify("Privat visning slået til" if self.privacy else "Privat visning slået fra")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if getattr(self, "locked", False) and action not in ("quit",):
            return False
        return super().check_action(action, parameters)
