"""The desk's waiting list: who is waiting, why and for how long.

In privacy mode (ctrl+t, or `privacy_mode = true`) only initials are shown, so the list can
face the room. Two waiting under the same shown name are told apart: their row is two lines
high with the birth date under the name ('født DD-MM-ÅÅ'), in privacy mode the age (the birth
date is the first half of the CPR number; the age says less to the room).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from ungehus_tui.domain.clock import today
from ungehus_tui.domain.cpr import age_on
from ungehus_tui.domain.privacy import shown_name
from ungehus_tui.widgets.fast_table import FastTable
from ungehus_tui.widgets.safe import cell

if TYPE_CHECKING:  # drawn before the store is loaded
    from ungehus_tui.services.desk.arrivals import Waiting

NAME_WIDTH = 20


def _born(birth: dt.date, *, privacy: bool, on: dt.date) -> str:
    """'født 05-05-06'; the age ('19 år') in privacy mode."""
    return f"{age_on(birth, on)} år" if privacy else f"født {birth:%d-%m-%y}"


def _told_apart(name: str, born: str) -> Text:
    """The name over the birth date (or age), in a row two lines high: the name keeps its
    width and the birth date always shows."""
    return Text.assemble(cell(name), "\n", (born, "dim"))


class WaitingPanel(Vertical):
    DEFAULT_CSS = """
    WaitingPanel { width: 52; padding: 0 0 0 1; }
    WaitingPanel > .panel-title { text-style: bold; height: 1; }
    WaitingPanel > DataTable { height: 1fr; }
    """

    _rows: list[Waiting] = []

    def compose(self) -> ComposeResult:
        yield Static("Venter i skranken", classes="panel-title", id="waiting-title")
        # drawn as the desk's results are (`FastTable`): mostly blank lines below its rows
        yield FastTable(id="waiting", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("Kl.", key="at", width=5)
        table.add_column("Min.", key="min", width=4)
        table.add_column("Navn", key="name", width=NAME_WIDTH)
        table.add_column("Årsag", key="reason", width=15)
        if hasattr(self.app, "privacy"):
            self.watch(self.app, "privacy", lambda _value: self.show(self._rows), init=False)

    def show(self, rows: list[Waiting]) -> None:
        self._rows = rows
        privacy = bool(getattr(self.app, "privacy", False))
        table = self.query_one(DataTable)
        keep = table.cursor_row
        table.clear()
        shown = [shown_name(w.name, privacy=privacy) if w.name else "(ukendt)" for w in rows]
        on = today()
        for w, name in zip(rows, shown, strict=True):
            told_apart = w.birth_date is not None and shown.count(name) > 1
            table.add_row(
                w.arrived_at.strftime("%H:%M"),
                str(w.minutes),
                _told_apart(name, _born(w.birth_date, privacy=privacy, on=on))
                if told_apart and w.birth_date is not None
                else cell(name),
                cell(w.reason_da),
                height=2 if told_apart else 1,
                key=str(w.arrival_id),
            )
        if rows:
            table.move_cursor(row=min(keep, len(rows) - 1))
        title = self.query_one("#waiting-title", Static)
        title.update(f"Venter i skranken ({len(rows)})" if rows else "Ingen venter i skranken")

    def selected_label(self) -> tuple[str, str]:
        """(name as shown, reason) of the selected row: initials in privacy mode."""
        arrival_id = self.selected_arrival()
        row = next((w for w in self._rows if w.arrival_id == arrival_id), None)
        if row is None:
            return "den unge", ""
        privacy = bool(getattr(self.app, "privacy", False))
        name = shown_name(row.name, privacy=privacy) if row.name else "(ukendt)"
        return name, row.reason_da

    def selected_arrival(self) -> int | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return int(key) if key else None
