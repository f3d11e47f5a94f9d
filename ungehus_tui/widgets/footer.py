"""The footer of every screen: Textual's Footer, compact in a narrow terminal (80 columns)
and without the palette's key there (Ctrl+P still opens it; F1 lists it), so the keys a desk
needs most, F1 included, fit on the one line."""

from __future__ import annotations

from textual import events
from textual.widgets import Footer

COMPACT_BELOW = 110  # columns; the screens' own narrow layout starts at the same width


class KeysFooter(Footer):
    def on_resize(self, event: events.Resize) -> None:
        narrow = event.size.width < COMPACT_BELOW
        self.compact = narrow
        self.show_command_palette = not narrow
