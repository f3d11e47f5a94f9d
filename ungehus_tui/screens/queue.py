"""The counsellor's queue (placeholder: the queue issue replaces this file)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header, Static


class QueueScreen(Screen[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Kø", id="queue-placeholder")
        yield Footer()
