"""The case screen's machinery (its keys and actions are in `case.py`): loading and showing the
case, running a service call or a form dialog and reloading after it, and refreshing by
itself when others change the case (`REFRESH_SECONDS`: a cheap stamp, `changes.case_stamp`,
and the full audited read only when it differs)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar, TypeVar

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import DataTable, Header, Static

from ungehus_tui.domain.clock import local
from ungehus_tui.screens.base import FormDialog, Saved, UngehusScreen, back_with_refusal, leave
from ungehus_tui.services.casework import cases, changes
from ungehus_tui.services.casework.cases import CaseView, StaffChoice
from ungehus_tui.services.casework.changes import Stamp
from ungehus_tui.services.errors import PermissionDenied
from ungehus_tui.widgets.footer import KeysFooter
from ungehus_tui.widgets.safe import cell, marked, plain
from ungehus_tui.widgets.table import Table

V = TypeVar("V")


class CaseBase(UngehusScreen):
    CSS_PATH = "case.tcss"
    READY_WHEN_SHOWN = False  # keys wait until the case is shown (O, P, H need it)
    REFRESH_SECONDS: ClassVar[float] = 5.0  # others' changes show within this (issue 13)

    @dataclass
    class Loaded(Message, bubble=False):
        view: CaseView
        staff: list[StaffChoice]
        stamp: Stamp | None

    @dataclass
    class Refused(Message, bubble=False):
        text: str
        reloading: bool

    @dataclass
    class Done(Message, bubble=False):
        result: object
        done_da: str

    def __init__(self, person_id: int) -> None:
        super().__init__()
        self.person_id = person_id
        self.view: CaseView | None = None
        self.staff: list[StaffChoice] = []
        self.stamp: Stamp | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Henter sagen ...", id="case-head")
        with Horizontal(id="case-body"):
            yield Table(id="case-timeline", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="case-side"):
                yield Static("", id="case-side-text")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#case-timeline", DataTable).add_columns("Tidspunkt", "Hændelse")
        self.load()
        self.set_interval(self.REFRESH_SECONDS, self._tick)

    def on_screen_resume(self) -> None:
        if self.view is not None:  # back from booking or a dialog: the case may have changed
            self.load(reloading=True, only_if_changed=True)

    def _tick(self) -> None:
        busy = any(w.group == "case" and not w.is_finished for w in self.workers)
        if self.app.screen is self and self.view is not None and not busy:
            self.load(only_if_changed=True)

    @work(thread=True, exclusive=True, group="case", exit_on_error=False)
    def load(self, reloading: bool = False, only_if_changed: bool = False) -> None:
        """The case; `reloading` after a save (which may have ended the actor's access);
        `only_if_changed`: nothing when the case's stamp is the one on screen."""
        try:
            stamp = changes.case_stamp(self.ctx, self.actor, self.person_id)
            if only_if_changed and stamp == self.stamp:
                return
            self.stamp = stamp  # the next tick compares with what is being loaded now
            view = cases.case_timeline(self.ctx, self.actor, self.person_id)
        except PermissionDenied as exc:  # e.g. a leader's team meeting held by another center
            self.post_message(self.Refused(exc.message, reloading))
            return
        staff = self.staff or cases.counsellors(self.ctx)
        self.post_message(self.Loaded(view, staff, stamp))

    @on(Refused)
    def _refused(self, message: Refused) -> None:
        self.keys_ready_now()
        if message.reloading:  # a change ended the access (a rejected offer): back
            leave(self)
        else:
            back_with_refusal(self, message.text)

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self._show(message.view, message.staff)
        self.keys_ready_now()

    def _show(self, view: CaseView, staff: list[StaffChoice]) -> None:
        self.view, self.staff = view, staff
        state = "åben" if view.case_open else "lukket"
        self.query_one("#case-head", Static).update(
            marked(
                "[b]$name[/]  CPR $cpr  $age år  · sag $state\nHolder den unge: [b]$holder[/]",
                name=view.name,
                cpr=view.cpr_masked,
                age=view.age,
                state=state,
                holder=view.holder_da,
            )
        )
        table = self.query_one("#case-timeline", DataTable)
        at_end = table.row_count == 0 or table.cursor_row >= table.row_count - 1
        row = table.cursor_row
        table.clear()
        for n, e in enumerate(view.events):
            table.add_row(f"{local(e.at):%d-%m-%Y %H:%M}", cell(e.text_da), key=str(n))
        if view.events:  # the newest event, unless the reader had moved up the timeline
            table.move_cursor(row=len(view.events) - 1 if at_end else row)
        self.query_one("#case-side-text", Static).update(side_text(view))

    # --- running a service call, then reloading ------------------------------------------

    @work(thread=True, group="case-write", exit_on_error=False)
    def run_service(self, call: Callable[[], object], done_da: str) -> None:
        self.post_message(self.Done(call(), done_da))

    @on(Done)
    def _done(self, message: Done) -> None:
        self._after(message.result, message.done_da)

    def _after(self, result: object, done_da: str) -> None:
        if isinstance(result, tuple) and len(result) == 2 and isinstance(result[1], list):
            affected = result[1]
            if affected:
                names = "; ".join(a.description for a in affected)
                done_da += f". Berørte indsatser i planen: {names} - ret planen"
        self.notify(done_da, title="Gemt")
        self.load(reloading=True)

    def _edit(
        self,
        dialog: FormDialog[V],
        save: Callable[[V], object],
        done_da: str | Callable[[V], str],
    ) -> None:
        """Open `dialog`; its OK runs `save(value)` with the dialog still open, so a refusal
        leaves what was typed for a correction. Saved: a notice (`done_da`, or made from the
        value) and the case reloaded."""
        dialog.save = save

        def closed(outcome: Saved[V] | None) -> None:
            if outcome is not None:
                text = done_da if isinstance(done_da, str) else done_da(outcome.value)
                self._after(outcome.result, text)

        self.app.push_screen(dialog, closed)


def side_text(view: CaseView) -> Content:
    """The side panel: team, open offer, plan, consents, booked meetings, open tasks."""
    team = [f"• {t.label_da}" for t in view.team] or ["-"]
    side: list[Content] = [Content.styled("Team", "bold"), *map(plain, team)]

    def section(title: str, lines: list[str]) -> None:
        side.extend([Content(""), Content.styled(title, "bold"), *map(plain, lines)])

    if view.pending_offer:
        section("Åbent overdragelsestilbud", [view.pending_offer.label_da])
    section("Uddannelsesplan", view.plan_lines or ["Ingen plan endnu"])
    section("Aktive samtykker", [f"• {c.label_da}" for c in view.consents] or ["Ingen"])
    if view.booked_meetings:
        section("Bookede møder", [f"• {m.label_da}" for m in view.booked_meetings])
    if view.open_tasks:
        section("Åbne opgaver", [f"• {t.label_da}" for t in view.open_tasks])
    return Content("\n").join(side)
