"""The floor for `first_frame_ratio` and `first_answer_ratio`: a bare Textual app with a
Header, an Input, a DataTable and a Footer, nothing else (no database, no services)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer, Header, Input


class BareApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="Søg")
        yield DataTable()
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("CPR", "Navn", "Alder")
        self.query_one(Input).focus()


if __name__ == "__main__":
    BareApp().run()
