"""The counsellor's work queue: counts per kind, filter by kind with 1-9 (0: all; T steps
through every kind that has items, also those past 9), sorted by due date; Enter opens the
case; D marks a task done (an activity offer asks which activity). A leader's queue is the
center's and names whose each row is. Opening (and R) also runs the turning-18 check (as the
system), so a young person who has just turned 18 is offered to CAI before the queue is read.

The queue refreshes by itself when others change the data: every `REFRESH_SECONDS` a cheap
stamp (`changes.queue_stamp`) is compared with the one on screen, and only a changed stamp
reloads and re-renders the queue, the cursor kept on the same item."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable, Header, Static
from textual.worker import Worker, WorkerState

from ungehus_tui.screens.base import Saved, UngehusScreen
from ungehus_tui.services.access.permissions import Action
from ungehus_tui.services.casework import changes, handover_watch, outcomes
from ungehus_tui.services.casework.changes import Stamp
from ungehus_tui.services.casework.queue import (
    KIND_NAMES_DA,
    QueueItem,
    QueueKind,
    counts,
    is_center_queue,
    kind_names,
    queue_for,
)
from ungehus_tui.widgets.footer import KeysFooter
from ungehus_tui.widgets.safe import cell, plain
from ungehus_tui.widgets.table import Table

KINDS = list(QueueKind)
# Keys 1-9 filter; further kinds are counted in "Alle" (the screen's layout is being redone).
FILTER_KEYS = min(len(KINDS), 9)
# The table shows the most urgent rows; a leader's center queue on a large database can hold
# tens of thousands of items, and filling a DataTable with all of them takes seconds.
MAX_ROWS = 1000


def identity(item: QueueItem) -> tuple[object, ...]:
    """What makes a queue row the same row after a reload."""
    return (item.kind, item.person_id, item.task_id, item.meeting_id, item.handover_id)


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
        Binding("t", "next_kind", "Næste type", id="queue.filter.next", tooltip="Vis næste type"),
        Binding("r", "refresh", "Opdatér", id="queue.refresh", tooltip="Hent køen igen"),
        Binding("enter", "open_case", "Åbn sag", id="queue.open", tooltip="Åbn den unges sag"),
        Binding(
            "d",
            "task_done",
            "Udført",
            id="queue.task_done",
            tooltip="Markér opgaven på linjen som udført",
        ),
    ]
    NEEDS: ClassVar[dict[str, Action]] = {"task_done": Action.RECORD_OUTCOME}
    READY_WHEN_SHOWN = False  # keys wait for the first rows (an Enter typed at once opens one)
    REFRESH_SECONDS: ClassVar[float] = 5.0  # others' changes show within this (issue 13)

    @dataclass
    class Loaded(Message, bubble=False):
        items: list[QueueItem]
        stamp: Stamp | None = None

    @dataclass
    class TaskDone(Message, bubble=False):
        text: str

    def __init__(self) -> None:
        super().__init__()
        self.items: list[QueueItem] = []
        self.kind_filter: str | None = None
        self.stamp: Stamp | None = None
        self._shown_keys: list[tuple[object, ...]] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="queue-title")
        yield Static("Henter køen ...", id="queue-counts")
        yield Table(id="queue-table", cursor_type="row", zebra_stripes=True)
        yield KeysFooter()

    def on_mount(self) -> None:
        table = self.query_one("#queue-table", DataTable)
        table.add_columns("Frist", "Type", "Navn", "CPR")
        if is_center_queue(self.actor):  # a center's queue: whose each row is
            table.add_column("Hvis", key="holder")
        table.add_column("Detaljer", key="detail")
        actor = self.actor
        title = f"Arbejdskø · {actor.name}"
        if is_center_queue(actor):  # read-only
            title = f"Centerets arbejdskø · {actor.center_code} · {actor.name} (kun læse)"
        self.query_one("#queue-title", Static).update(plain(title))
        self.load()
        self.set_interval(self.REFRESH_SECONDS, self._tick)

    def on_screen_resume(self) -> None:
        if self.items:
            self.load()

    def _tick(self) -> None:
        busy = any(w.group == "queue" and not w.is_finished for w in self.workers)
        if self.app.screen is self and self.stamp is not None and not busy:
            self.load(only_if_changed=True)

    @work(thread=True, exclusive=True, group="queue", exit_on_error=False)
    def load(self, only_if_changed: bool = False) -> None:
        """The queue; `only_if_changed`: nothing (no read, no audit) while the stamp is the
        one on screen, and no turning-18 check (R and opening the screen run it)."""
        stamp = changes.queue_stamp(self.ctx, self.actor)
        if only_if_changed and stamp == self.stamp:
            return
        if self.actor.role == "COUNSELLOR" and not only_if_changed:
            handover_watch.turning_18_handovers(self.ctx, None)
            stamp = changes.queue_stamp(self.ctx, self.actor)
        self.stamp = stamp  # the next tick compares with what is being loaded now
        self.post_message(self.Loaded(queue_for(self.ctx, self.actor), stamp))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        table = self.query_one("#queue-table", DataTable)
        was = self._item_at_cursor()
        self.items = message.items
        self._fill()
        if was is not None:  # the cursor stays on the same item, wherever it is now
            row = next((n for n, key in enumerate(self._shown_keys) if key == was), None)
            if row is not None:
                table.move_cursor(row=row)
        self.keys_ready_now()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A failed load still lets the keys through (to an empty queue), at once."""
        if event.state == WorkerState.ERROR and event.worker.group == "queue":
            self.keys_ready_now()
        super().on_worker_state_changed(event)

    def _item_at_cursor(self) -> tuple[object, ...] | None:
        table = self.query_one("#queue-table", DataTable)
        if table.row_count == 0 or not self._shown_keys:
            return None
        return self._shown_keys[min(table.cursor_row, len(self._shown_keys) - 1)]

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
        self._shown_keys = [identity(item) for _, item in shown]
        center = is_center_queue(self.actor)
        for i, item in shown:
            due = f"{item.due:%d-%m-%Y}"
            if item.overdue:  # said in words, not only in red; a 15-17 first contact in bold
                style = "bold red" if item.priority == 2 else "red"
                due = f"[{style}]{due} {item.status_da}[/]"
            row = [
                due,
                names[item.kind] + (" [b]!! 15-17[/]" if item.education_duty else ""),
                cell(item.person_name),
                cell(item.cpr_masked),
            ]
            detail = item.detail_da
            if center:  # whose it is in its own column (the service's text starts with it)
                row.append(cell(item.holder_name or "-"))
                detail = detail.removeprefix(f"{item.holder_name} · ")
            table.add_row(*row, cell(detail), key=str(i))

    def action_filter(self, n: int) -> None:
        self.kind_filter = None if n == 0 else KINDS[n - 1].value
        self._fill()

    def action_next_kind(self) -> None:
        """Step through the kinds that have items (all of them, also past key 9), then all."""
        present = [k.value for k in KINDS if counts(self.items)[k]]
        if not present:
            return
        at = present.index(self.kind_filter) + 1 if self.kind_filter in present else 0
        self.kind_filter = present[at] if at < len(present) else None
        self._fill()

    def action_task_done(self) -> None:
        from ungehus_tui.screens.reason_dialog import ReasonDialog

        item = self._current()
        if item is None or item.task_id is None:
            self.notify("Linjen er ikke en opgave, der kan markeres udført", severity="warning")
            return
        task_id = item.task_id
        if item.kind != QueueKind.ACTIVITY_OFFER:
            self._confirm_done(item, task_id)
            return
        dialog = ReasonDialog(
            f"Tilbud om aktivitet til {item.person_name}", "Hvilken aktivitet er den unge tilbudt?"
        )
        dialog.save = lambda note: outcomes.complete_task(self.ctx, self.actor, task_id, note)

        def closed(outcome: Saved[str] | None) -> None:
            if outcome is not None:
                self.post_message(self.TaskDone("Tilbuddet er registreret"))

        self.app.push_screen(dialog, closed)

    def _confirm_done(self, item: QueueItem, task_id: int) -> None:
        """D changes the young person's case: named and confirmed first (J or Enter)."""
        from ungehus_tui.screens.confirm_dialog import ConfirmDialog

        def answered(ok: bool | None) -> None:
            if ok:
                self.complete(task_id, None)

        kind = kind_names(self.actor)[item.kind]
        self.app.push_screen(
            ConfirmDialog(
                f"Opgave udført for {item.person_name}?",
                f"{kind}: {item.detail_da}",
                yes="Udført",
                no="Fortryd",
            ),
            answered,
        )

    @work(thread=True, group="queue-write", exit_on_error=False)
    def complete(self, task_id: int, note: str | None) -> None:
        outcomes.complete_task(self.ctx, self.actor, task_id, note)
        self.post_message(self.TaskDone("Opgaven er udført"))

    @on(TaskDone)
    def _task_done(self, message: TaskDone) -> None:
        self.notify(message.text, title="Gemt")
        self.load()

    def _current(self) -> QueueItem | None:
        table = self.query_one("#queue-table", DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.items[int(key)] if key is not None else None

    def action_refresh(self) -> None:
        self.load()

    def action_open_case(self) -> None:
        if (item := self._current()) is not None:
            self._open(item)

    @on(DataTable.RowSelected, "#queue-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self._open(self.items[int(event.row_key.value)])

    def _open(self, item: QueueItem) -> None:
        from ungehus_tui.screens.case import CaseScreen

        self.app.push_screen(CaseScreen(item.person_id))
