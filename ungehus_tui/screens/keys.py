"""Keys typed at full speed land where they were typed, in order.

Textual routes a key to the widget focused *when the app takes the key from its queue*, and
the widget handles it later from its own queue. A key that moves focus or submits a form
(Tab, Enter) is normally handled after the key has travelled to the focused widget and
bubbled back up, so the keys typed right after it have already been routed to the old field
(a password typed straight after the login landed in the login). Three pieces fix that:

- `KeyHolder` (mixed into the App): while keys are *held*, the app queues every key it takes
  instead of routing it; `release_keys()` routes them in order, in the app's own task, before
  any key typed later. The app starts holding (keys typed at launch, before the first screen
  is drawn and focused, wait for it) and a screen holds while the screen that will own the
  next keys is not there yet (after Enter on the sign-in, until the desk has its focus).
- focus moved by a *priority* binding with `Screen.set_focus` (synchronous): the app handles
  it before it takes the next key, so that key goes to the new field.
- `after_typed(fields, then)`: `then` runs once every field has handled every key routed to
  it so far (a callback queued behind the keys in each field's own queue), so a submit reads
  what was typed, not what had been handled when Enter came.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from typing import Any

from textual import events
from textual.app import App
from textual.widget import Widget


class KeyHolder(App[Any]):
    """An App that can hold the keys it takes and route them later, in order. Starts holding;
    the first screen (or `on_mount`) releases."""

    def __init__(self) -> None:
        super().__init__()
        self._held_keys: deque[events.Key] | None = deque()
        self._hold = 0  # which hold this is: a release asked for before a newer hold waits

    @property
    def holding_keys(self) -> bool:
        return self._held_keys is not None

    def hold_keys(self) -> None:
        """From now on keys wait (call from the app's task: a binding, an app callback)."""
        if self._held_keys is None:
            self._held_keys = deque()
            self._hold += 1

    def release_keys(self) -> None:
        """Route the held keys (in the app's task, after everything queued before this call:
        a focus change asked for just now comes first), then route keys as they come. A
        release asked for before a newer hold began does not end that hold (the keys typed
        after a second Enter wait for the screen that Enter opens)."""
        self.call_later(self._release_held_keys, self._hold)

    def release_keys_after_refresh(self, screen: Widget) -> None:
        """`release_keys` once `screen` has drawn itself (mounted, its focus set), for this
        hold only (an Enter typed meanwhile keeps its own)."""
        screen.call_after_refresh(self.call_later, self._release_held_keys, self._hold)

    async def _release_held_keys(self, hold: int) -> None:
        if hold != self._hold:
            return
        held, self._held_keys = self._held_keys, None
        while held:
            key = held.popleft()
            if self._held_keys is not None:  # a released key began a new hold (an Enter)
                self._held_keys.append(key)
                continue
            await self.on_event(key)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded and self._held_keys is not None:
            self._held_keys.append(event)
            return
        await super().on_event(event)


def hold_keys(app: App[Any]) -> None:
    if isinstance(app, KeyHolder):
        app.hold_keys()


def release_keys(app: App[Any]) -> None:
    if isinstance(app, KeyHolder):
        app.release_keys()


def after_typed(fields: Sequence[Widget], then: Callable[[], object]) -> None:
    """Run `then` once each of `fields` has handled every key routed to it before this call
    (in order: a callback queued in the first field's queue queues one in the next ...)."""
    if not fields:
        then()
        return
    first, rest = fields[0], fields[1:]
    if not first.call_later(after_typed, rest, then):
        after_typed(rest, then)  # a field already gone has nothing left to handle
