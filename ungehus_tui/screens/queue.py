"""The counsellor's work queue: counts per kind, filter by kind with 1-7 (0: all), sorted by
due date; Enter opens the case. Opening (and R) also runs the turning-18 check (as the system),
so a young person who has just turned 18 is offered to CAI before the queue is read."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable, Footer, Header, Static

from ungehus_tui.screens.base import UngehusScreen
from ungehus_tui.services.casework import handover_watch
from ungehus_tui.services.casework.queue import (
    KIND_NAMES_DA,
    QueueItem,
    QueueKind,
    counts,
    is_center_queue,
    kind_names,
    queue_for,
)
from ungehus_tui.widgets.safe import cell, plain

KINDS = list(QueueKind)
# Keys 1-9 filter; further kinds are counted in "Alle" (the screen's layout is being redone).
FILTER_KEYS = min(len(KINDS), 9)
# The table shows the most urgent rows; a leader's center queue on a large database can hold
# tens of thousands of items, and filling a DataTable with all of them takes seconds.
MAX_ROWS = 1000


def _n(count: int) -> str:
    """A count the Danish way: 21.583."""
    return f"{count:,}".replace(",", ".")


def _filter_binding(n: int) -> Binding:
    kind = KINDS[n - 1]
    return Binding(
        str(n),
        f"filter({n})",
        KIND_NAMES_DA[kind],
        show=False,
        id=f"queue.filter.{kind.lower()}",
        tooltip=f"Vis kun: {KIND_NAMES_DA[kind]}",
    )


class QueueScreen(UngehusScreen):
    CSS_PATH = "queue.tcss"
    BINDINGS = [
        Binding("0", "filter(0)", "Alle", id="queue.filter.all", tooltip="Vis alle typer"),
        *[_filter_binding(n) for n in range(1, FILTER_KEYS + 1)],
        Binding("r", "refresh", "Opdatér", id="queue.refresh", tooltip="Hent køen igen"),
        Binding("enter", "open_case", "Åbn sag", id="queue.open", tooltip="Åbn den unges sag"),
    ]

    @dataclass
    class Loaded(Message, bubble=False):
        items: list[QueueItem]

    def __init__(self) -> None:
        super().__init__()
        self.items: list[QueueItem] = []
        self.kind_filter: str | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="queue-title")
        yield Static("Henter køen ...", id="queue-counts")
        yield DataTable(id="queue-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#queue-table", DataTable)
        table.add_columns("Frist", "Type", "Navn", "CPR", "Detaljer")
        actor = self.actor
        title = f"Arbejdskø · {actor.name}"
        if is_center_queue(actor):  # read-only
            title = f"Centerets arbejdskø · {actor.center_code} · {actor.name} (kun læse)"
        self.query_one("#queue-title", Static).update(plain(title))
        self.load()

    def on_screen_resume(self) -> None:
        if self.items:
            self.load()

    @work(thread=True, exclusive=True, group="queue", exit_on_error=False)
    def load(self) -> None:
        if self.actor.role == "COUNSELLOR":
            handover_watch.turning_18_handovers(self.ctx, None)
        self.post_message(self.Loaded(queue_for(self.ctx, self.actor)))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.items = message.items
        self._fill()

    def _fill(self) -> None:
        per_kind = counts(self.items)
        names = kind_names(self.actor)
        parts = [f"[b]0[/] Alle {len(self.items)}"]
        for n, kind in enumerate(KINDS, start=1):
            if n > FILTER_KEYS and not per_kind[kind]:
                continue
            key = f"[b]{n}[/] " if n <= FILTER_KEYS else ""
            text = f"{key}{names[kind]} {per_kind[kind]}"
            parts.append(f"[reverse]{text}[/]" if kind == self.kind_filter else text)
        shown = [
            (i, item)
            for i, item in enumerate(self.items)
            if not self.kind_filter or item.kind == self.kind_filter
        ]
        if len(shown) > MAX_ROWS:
            parts.append(f"· viser de {_n(MAX_ROWS)} første af {_n(len(shown))} efter frist")
            shown = shown[:MAX_ROWS]
        self.query_one("#queue-counts", Static).update("  ".join(parts))
        table = self.query_one("#queue-table", DataTable)
        table.clear()
        for i, item in shown:
            due = f"{item.due:%d-%m-%Y}"
            if item.overdue:  # said in words, not only in red; a 15-17 first contact in bold
                style = "bold red" if item.priority == 2 else "red"
                due = f"[{style}]{due} {item.status_da}[/]"
            table.add_row(
                due,
                names[item.kind] + (" [b]!! 15-17[/]" if item.education_duty else ""),
                cell(item.person_name),
                cell(item.cpr_masked),
                cell(item.detail_da),
                key=str(i),
            )

    def action_filter(self, n: int) -> None:
        self.kind_filter = None if n == 0 else KINDS[n - 1].value
        self._fill()

    def action_refresh(self) -> None:
        self.load()

    def action_open_case(self) -> None:
        table = self.query_one("#queue-table", DataTable)
        if table.row_count == 0:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        if key is not None:
            self._open(self.items[int(key)])

    @on(DataTable.RowSelected, "#queue-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self._open(self.items[int(event.row_key.value)])

    def _open(self, item: QueueItem) -> None:
        from ungehus_tui.screens.case import CaseScreen

        self.app.push_screen(CaseScreen(item.person_id))
