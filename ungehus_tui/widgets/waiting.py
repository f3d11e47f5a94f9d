"""The desk's waiting list: who is waiting, why and for how long.

In privacy mode (ctrl+t, or `privacy_mode = true`) only initials are shown, so the list can
face the room.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from ungehus_tui.domain.privacy import shown_name
from ungehus_tui.services.desk.arrivals import Waiting
from ungehus_tui.widgets.safe import cell


class WaitingPanel(Vertical):
    DEFAULT_CSS = """
    WaitingPanel { width: 52; padding: 0 0 0 1; }
    WaitingPanel > .panel-title { text-style: bold; height: 1; }
    WaitingPanel > DataTable { height: 1fr; }
    """

    _rows: list[Waiting] = []

    def compose(self) -> ComposeResult:
        yield Static("Venter i skranken", classes="panel-title", id="waiting-title")
        yield DataTable(id="waiting", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("Kl.", key="at", width=5)
        table.add_column("Min.", key="min", width=4)
        table.add_column("Navn", key="name", width=20)
        table.add_column("Årsag", key="reason", width=15)
        if hasattr(self.app, "privacy"):
            self.watch(self.app, "privacy", lambda _value: self.show(self._rows), init=False)

    def show(self, rows: list[Waiting]) -> None:
        self._rows = rows
        privacy = bool(getattr(self.app, "privacy", False))
        table = self.query_one(DataTable)
        keep = table.cursor_row
        table.clear()
        for w in rows:
            table.add_row(
                w.arrived_at.strftime("%H:%M"),
                str(w.minutes),
                cell(shown_name(w.name, privacy=privacy) if w.name else "(ukendt)"),
                cell(w.reason_da),
                key=str(w.arrival_id),
            )
        if rows:
            table.move_cursor(row=min(keep, len(rows) - 1))
        title = self.query_one("#waiting-title", Static)
        title.update(f"Venter i skranken ({len(rows)})" if rows else "Ingen venter i skranken")

    def selected_arrival(self) -> int | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return int(key) if key else None
