"""The footer of every screen: Textual's Footer, compact in a narrow terminal (80 columns)
and without the palette's key there (Ctrl+P still opens it; F1 lists it), so the keys a desk
needs most, F1 included, fit on the one line.

Textual's Footer makes its keys anew whenever the screen's keys may have changed (focus
moved, a key enabled). Two things keep that cheap: the keys are made anew only when what
the footer shows has changed (`_shown`), and each key bound to the footer's style starts in it
(Textual's FooterKey starts compact and is restyled twice when the footer is not; the
palette's key is not bound and stays compact, as Textual draws it).
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.app import ComposeResult
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widgets import Footer

COMPACT_BELOW = 110  # columns; the screens' own narrow layout starts at the same width


class KeysFooter(Footer):
    _drawn: object = None  # what the footer's keys show (`_shown`) when they were made

    def on_mount(self) -> None:
        self._set_width(self.app.size.width)

    def on_resize(self, event: events.Resize) -> None:
        self._set_width(event.size.width)

    def _set_width(self, width: int) -> None:
        if width <= 0:  # a screen made behind another has no size yet
            return
        narrow = width < COMPACT_BELOW
        self.compact = narrow
        self.show_command_palette = not narrow

    def _shown(self) -> tuple[Any, ...]:
        """Everything of the screen's keys that the footer draws."""
        keys = tuple(
            (b.key, self.app.get_key_display(b), b.description, b.action, b.group, on, tip)
            for (_, b, on, tip) in self.screen.active_bindings.values()
            if b.show
        )
        return (keys, self.compact, self.show_command_palette)

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if self._drawn is not None and screen is self.screen and self.is_attached:
            if self._shown() == self._drawn:
                return  # the same keys as drawn
        super().bindings_changed(screen)

    def compose(self) -> ComposeResult:
        drawn = None
        for widget in super().compose():  # nothing before Textual has the screen's keys
            drawn = drawn or self._shown()
            compact = getattr(type(widget), "compact", None)
            if isinstance(compact, Reactive) and not widget.has_class("-command-palette"):
                widget.set_reactive(compact, self.compact)  # a key bound to the footer's
                widget.set_class(self.compact, "-compact", update=False)
            yield widget
        self._drawn = drawn
