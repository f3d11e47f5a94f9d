"""Keys in the order they were typed, each going where the focus is when its turn comes.

Textual decides where a key goes when the app takes it off its queue: the focused widget
gets it on *its* queue. A key that moves the focus (F7 to the triage facts, Tab) or opens a
screen (Enter, A, O) takes effect only once that widget, its parents and the app have
handled it; a key typed right behind it was sent to the old focus already (a digit after
F7 landed in the phone field and was stored there). `KeyOrderApp` holds every key that
arrives while an earlier key is still on its way:

- after a key is sent on, a fence follows it up the widget's parents to the app (a callback
  on each queue, behind the key), twice, so what the key set off (Input.Submitted,
  DataTable.RowSelected, a focus change) is done too; then the held keys are sent on;
- a screen just pushed takes keys only when it is ready (`KeyReady`: its focus set; a
  screen may say it is ready later, e.g. once its data is shown);
- while a worker decides what opens (the desk's Enter), the screen holds keys with
  `screens.keys.hold_keys` (the sign-in's `KeyHolder`) and releases them once it knows.
A fence or an unready screen never holds keys longer than `HOLD_LIMIT_SECONDS`: then they go
where the focus is (late, never lost).
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import events
from textual.app import App
from textual.dom import DOMNode
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input

HOLD_LIMIT_SECONDS = 5.0  # only a stuck fence or screen reaches it; a busy machine does not
FENCE_ROUNDS = 2


def is_text_field(node: DOMNode) -> bool:
    """An Input or a TextArea. TextArea is known by name: importing it costs ~20 ms of the
    first frame, and no screen before the first form has one."""
    if isinstance(node, Input):
        return True
    return isinstance(node, Widget) and any(
        cls.__name__ == "TextArea" and cls.__module__.startswith("textual.")
        for cls in type(node).__mro__
    )


class KeyOrderApp(App[None]):
    """Mix into the app (before the bases that handle events)."""

    _fenced_keys: list[events.Key]
    _fences: int = 0
    _flush_pending: bool = False
    _hold_timer: Timer | None = None

    @property
    def holding_keys(self) -> bool:
        """Keys are waiting: held by the sign-in's `KeyHolder`, or here behind a fence."""
        fenced = bool(getattr(self, "_fenced_keys", None)) or self._fences > 0
        return self._base_holding() or fenced

    def _base_holding(self) -> bool:
        """`screens.keys.KeyHolder` (further down the app's bases) is holding keys: one
        queue for all, so every key goes to it, and ours go in front of them."""
        return bool(getattr(super(), "holding_keys", False))

    def _holding(self) -> bool:
        if not self.screen_stack:
            return True  # still starting: the first screen takes them when it is ready
        not_ready = getattr(self.screen, "keys_ready", True) is False
        waiting = bool(getattr(self, "_fenced_keys", None))  # earlier keys go first
        return self._fences > 0 or not_ready or waiting

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            if not hasattr(self, "_fenced_keys"):
                self._fenced_keys = []
            if self._base_holding():
                await super().on_event(event)  # KeyHolder keeps it, in order
                return
            if self._holding():
                self._fenced_keys.append(event)
                self._start_limit()
                return
            target: DOMNode = self.focused or self.screen  # where Textual sends it
            await super().on_event(event)
            if not (event.is_printable and is_text_field(target)):
                self._fence(target, FENCE_ROUNDS)  # a text field keeps its letters: no fence
            return
        await super().on_event(event)

    # --- the fence ----------------------------------------------------------------------

    def _fence(self, origin: DOMNode, rounds: int) -> None:
        self._fences += 1
        if not origin.call_later(self._step, origin, origin, rounds):
            self._step(origin, origin, rounds)

    def _step(self, origin: DOMNode, node: DOMNode, rounds: int) -> None:
        """Runs on `node`'s queue, behind what it had queued: the next step goes behind
        what its parent has queued; at the app, one round is done."""
        if node is self:
            if rounds > 1 and origin is not self and origin.is_attached:
                if origin.call_later(self._step, origin, origin, rounds - 1):
                    return  # a new round from where the key went
            self._fences = max(0, self._fences - 1)
            self._maybe_release()
            return
        parent = node.parent or self
        if not parent.call_later(self._step, origin, parent, rounds):
            self._step(origin, parent, rounds)  # that queue is closing: on to the next

    # --- release ---------------------------------------------------------------------------

    def _start_limit(self) -> None:
        if self._hold_timer is None:
            self._hold_timer = self.set_timer(HOLD_LIMIT_SECONDS, self._limit_reached)

    def _limit_reached(self) -> None:
        self._hold_timer = None
        self._fences = 0
        screen = self.screen if self.screen_stack else None
        if screen is not None and getattr(screen, "keys_ready", True) is False:
            screen.keys_ready = True  # type: ignore[attr-defined]
        self._send_held()

    def _maybe_release(self) -> None:
        not_ready = getattr(self.screen, "keys_ready", True) is False if self.screen_stack else True
        if self._fences == 0 and not not_ready:
            self._send_held()

    def _send_held(self) -> None:
        held = getattr(self, "_fenced_keys", [])
        if self._hold_timer is not None:
            self._hold_timer.stop()
            self._hold_timer = None
        if not held:
            return
        base_queue = getattr(self, "_held_keys", None)  # KeyHolder's, while it holds
        if self._base_holding() and base_queue is not None:
            self._fenced_keys = []
            base_queue.extendleft(reversed(held))  # typed before the keys it holds
            return
        if not self._flush_pending:
            self._flush_pending = True
            self.call_later(self._flush_fenced)  # in the app's task, before any key queued later

    async def _flush_fenced(self) -> None:
        """The held keys in order: each is routed (or held again behind the fence of the
        one before it, with the rest after it)."""
        self._flush_pending = False
        held, self._fenced_keys = self._fenced_keys, []
        for key in held:
            await self.on_event(key)


class KeyReady:
    """Mix into a screen: keys wait until it is ready. By default that is when it is shown
    (its focus set in `on_mount`); with `READY_WHEN_SHOWN = False` the screen calls
    `keys_ready_now()` itself (e.g. once its data is on screen)."""

    READY_WHEN_SHOWN: ClassVar[bool] = True
    keys_ready: bool = False
    app: Any

    def on_screen_resume(self) -> None:
        if self.READY_WHEN_SHOWN and not self.keys_ready:
            self.app.call_later(self.keys_ready_now)  # after the focus set in on_mount

    def keys_ready_now(self) -> None:
        self.keys_ready = True
        release = getattr(self.app, "_maybe_release", None)
        if callable(release):
            release()
