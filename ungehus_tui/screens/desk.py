"""The desk: search before create, the CPR's birth date and age as soon as it is typed, the
waiting list. Enter opens the young person, or registration for a CPR that is not there.

Every settled search is audited with its term (`people.audit_search`): on Enter, on opening a
result, and after SEARCH_SETTLE_SECONDS without a change to the field (checked every
SEARCH_CHECK_SECONDS against the app's idle clock, which tests advance instead of sleeping).
The same term is not logged twice in a row; emptying the field starts a new search. A typed
CPR is logged as typed (the law asks for the log) and never shown in full: the field shows
dots, results and `audit show` the masked form.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import DataTable, Header, Input, Static
from textual.worker import get_current_worker

from ungehus_tui.domain import clock
from ungehus_tui.domain import cpr as cprmod
from ungehus_tui.domain.audience import age_refusal
from ungehus_tui.screens.base import UngehusScreen
from ungehus_tui.screens.keys import hold_keys, release_keys
from ungehus_tui.services.access.permissions import Action
from ungehus_tui.widgets.cpr_guard import guard_cpr
from ungehus_tui.widgets.fast_table import FastTable
from ungehus_tui.widgets.footer import KeysFooter
from ungehus_tui.widgets.safe import cell
from ungehus_tui.widgets.waiting import WaitingPanel

if TYPE_CHECKING:  # the desk is drawn (and typed into) before the store is loaded
    from ungehus_tui.screens.arrival import ArrivalRequest
    from ungehus_tui.services.desk import arrivals, people

WAITING_REFRESH_SECONDS = 30
SEARCH_SETTLE_SECONDS = 1.5  # a pause this long in typing settles the search (audited)
SEARCH_CHECK_SECONDS = 0.5


def typed_cpr(term: str) -> cprmod.Cpr | None:
    """A full CPR number typed in the search field (with or without hyphen), else None."""
    compact = term.strip().replace("-", "").replace(" ", "")
    if len(compact) != 10 or not compact.isdigit() or not compact.isascii():
        return None
    try:
        return cprmod.parse(compact)
    except cprmod.CprError:
        return None


def cpr_line(term: str) -> tuple[str, str | None]:
    """(birth date and age line, Danish refusal or None) for a typed CPR; ('', None) else."""
    compact = term.strip().replace("-", "").replace(" ", "")
    if not compact.isdigit() or len(compact) < 10:
        return "", None
    if len(compact) > 10:
        return "CPR-nummeret har for mange cifre", None
    try:
        parsed = cprmod.parse(compact, on=clock.today())
    except cprmod.CprError as exc:
        return str(exc), None
    age = cprmod.age_on(parsed.birth_date, clock.today())
    line = cprmod.birth_line(parsed, clock.today())
    if not parsed.mod11_ok:
        line += " · modulus 11-kontrollen fejler (kan være gyldigt efter 2007)"
    return line, age_refusal(age)


class DeskScreen(UngehusScreen):
    # its styles (desk.tcss) are the app's (`UngehusApp.CSS_PATH`): parsed once, at the start
    # under 110 columns the waiting list goes under the search, which keeps the full width
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    BINDINGS = [
        Binding("down", "cursor(1)", "Ned", show=False, id="desk.down", tooltip="Næste resultat"),
        Binding("up", "cursor(-1)", "Op", show=False, id="desk.up", tooltip="Forrige resultat"),
        Binding(
            "ctrl+n",
            "new_person",
            "Ny ung",
            id="desk.new",
            tooltip="Registrér en ny ung med det, der står i søgefeltet",
        ),
        Binding(
            "f4",
            "question",
            "Henvendelse",
            id="desk.arrival",
            tooltip="Registrér en henvendelse i skranken (spørgsmål), også uden navn",
        ),
        Binding(
            "f5",
            "refresh_waiting",
            "Opdatér",
            id="desk.refresh",
            tooltip="Hent ventelisten nu (den opdateres hvert 30. sekund)",
        ),
        Binding(
            "f6",
            "serve",
            "Ekspederet",
            id="desk.serve",
            tooltip="Markér den valgte på ventelisten som ekspederet",
        ),
        Binding(
            "escape",
            "clear",
            "Ryd",
            id="desk.clear",
            tooltip="Tøm søgefeltet",
        ),
    ]

    NEEDS: ClassVar[dict[str, Action]] = {
        "new_person": Action.REGISTER,
        "question": Action.RECORD_ARRIVAL,
        "refresh_waiting": Action.RECORD_ARRIVAL,
        "serve": Action.RECORD_ARRIVAL,
    }

    @dataclass
    class Found(Message, bubble=False):
        """A search's hits, for the term searched."""

        term: str
        hits: list[people.PersonHit]
        early: bool = False  # answered before the store was open (`app.early_search`)

    @dataclass
    class OpenPerson(Message, bubble=False):
        person_id: int

    @dataclass
    class RegisterCpr(Message, bubble=False):
        """Enter on a typed CPR that is not registered."""

        typed: cprmod.Cpr

    class OpenHighlighted(Message, bubble=False):
        """Enter on a name: open the highlighted result."""

    @dataclass
    class WaitingLoaded(Message, bubble=False):
        rows: list[arrivals.Waiting]

    @dataclass
    class ArrivalChanged(Message, bubble=False):
        """An arrival recorded or served: the waiting list is fetched again."""

        notice: str | None = None

    def __init__(self) -> None:
        super().__init__()
        self._hits: list[people.PersonHit] = []
        self._term = ""
        self._early_hits = False  # the hits shown came before the store was open
        self._typed_at: float | None = None  # when the term last changed, until it settles
        self._logged_term: str | None = None  # the last term audited
        self._role_ready = False  # the role's panels set up (`signed_in`)
        self._cpr_lines: tuple[str, str | None] = ("", None)  # what #cpr-info, #refusal show

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="desk"):
            with Vertical(id="search-pane"):
                yield Input(
                    placeholder="Søg: CPR-nummer (med eller uden bindestreg) eller navn",
                    id="search",
                )
                yield Static("", id="cpr-info")
                yield Static("", id="refusal")
                yield FastTable(id="results", cursor_type="row", zebra_stripes=True)
                yield Static(
                    "Enter åbner den unge · nyt CPR-nummer: Enter registrerer",
                    id="search-hint",
                )
            yield WaitingPanel(id="waiting-panel")
        yield KeysFooter()

    def on_mount(self) -> None:
        table = self.query_one("#results", DataTable)
        table.add_column("Navn", key="name", width=30)  # name and birth date first
        table.add_column("Født", key="born", width=10)
        table.add_column("Alder", key="age", width=6)
        table.add_column("CPR", key="cpr", width=12)
        self.query_one("#refusal", Static).display = False
        self.set_focus(self.query_one("#search", Input))  # now: keys held until here go there
        self.set_interval(SEARCH_CHECK_SECONDS, self.check_search_settled, name="search-settle")
        self.query_one(WaitingPanel).display = False
        if getattr(self.app, "signed_in", True):
            self.signed_in()  # else the app calls it once it knows who (`--demo --as`)

    def signed_in(self) -> None:
        """The role's part of the desk: reception's waiting list (once)."""
        if self._early_hits and self._term.strip():
            self.run_search(self._term)  # the store is open: its answer replaces the early one
        if self._role_ready:
            return
        self._role_ready = True
        self.query_one(WaitingPanel).display = self._keeps_waiting_list
        if self._keeps_waiting_list:
            self.action_refresh_waiting()
            self.set_interval(WAITING_REFRESH_SECONDS, self.action_refresh_waiting)

    def on_screen_resume(self) -> None:
        if self._keeps_waiting_list:
            self.action_refresh_waiting()

    @property
    def _keeps_waiting_list(self) -> bool:
        """The waiting list is the reception's: counsellors and leaders at the desk search."""
        return self.may(Action.RECORD_ARRIVAL)

    # --- search ----------------------------------------------------------------------

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        self._term = event.value
        self._typed_at = self._search_clock() if event.value.strip() else None
        if not event.value.strip():
            self._logged_term = None  # an emptied field: the next term is a new search
        guard_cpr(event.input)
        line, refusal = cpr_line(event.value)
        if (line, refusal) != self._cpr_lines:  # an unchanged line costs no new layout
            self._cpr_lines = (line, refusal)
            self.query_one("#cpr-info", Static).update(line)
            box = self.query_one("#refusal", Static)
            box.update(refusal or "")
            box.display = refusal is not None
        self.run_search(event.value)

    def _search_clock(self) -> float:
        clock = getattr(self.app, "idle_clock", None)
        return clock() if callable(clock) else time.monotonic()

    def check_search_settled(self) -> None:
        """Audit the term once typing has paused for SEARCH_SETTLE_SECONDS."""
        typed = self._typed_at
        if typed is not None and self._search_clock() - typed >= SEARCH_SETTLE_SECONDS:
            self._typed_at = None
            self.log_search(self._term)

    def log_search(self, term: str) -> None:
        """Audit one settled search (not the same term twice in a row)."""
        term = " ".join(term.split())
        if not term or term == self._logged_term:
            return
        self._logged_term = term
        self._typed_at = None
        self.audit_search(term)

    @work(thread=True, group="audit-search", exit_on_error=False)
    def audit_search(self, term: str) -> None:
        from ungehus_tui.services.desk import people

        people.audit_search(self.ctx, self.actor, term)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def run_search(self, term: str) -> None:
        early = getattr(self.app, "early_search", None)  # launched with `--demo --as`
        hits = early(term) if early is not None else None
        if hits is not None:  # answered before the store is loaded (`data.early`)
            if not get_current_worker().is_cancelled:
                self.post_message(self.Found(term, hits, early=True))
            return
        from ungehus_tui.services.desk import people  # (SQLAlchemy: after the early answer)

        ctx, actor = self.ctx, self.actor  # wait here while the store is opening
        if get_current_worker().is_cancelled:
            return  # a key typed meanwhile has started a newer search
        hits = people.search(ctx, actor, term)
        if not get_current_worker().is_cancelled:
            self.post_message(self.Found(term, hits))

    @on(Found)
    def _show_hits(self, message: Found) -> None:
        if message.term != self._term:
            return  # a newer search is on its way
        self._early_hits = message.early
        self._hits = hits = message.hits
        table = self.query_one("#results", DataTable)
        table.clear()
        for hit in hits:
            table.add_row(
                cell(hit.name),
                f"{hit.birth_date:%d-%m-%Y}",
                str(hit.age),
                hit.cpr_masked,
                key=str(hit.id),
            )

    def action_cursor(self, step: int) -> None:
        table = self.query_one("#results", DataTable)
        if table.row_count:
            table.move_cursor(row=max(0, min(table.row_count - 1, table.cursor_row + step)))

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def search_for(self, term: str) -> None:
        """Put `term` in the search field and search (the palette's "Søg efter en ung")."""
        search = self.query_one("#search", Input)
        search.value = term
        search.cursor_position = len(term)
        search.focus()

    def action_clear(self) -> None:
        search = self.query_one("#search", Input)
        search.value = ""
        search.focus()

    @on(Input.Submitted, "#search")
    def _submitted(self, event: Input.Submitted) -> None:
        self._hold_keys()  # what is typed next belongs to the screen that opens
        self.log_search(event.value)
        self.open_or_register(event.value)

    def _hold_keys(self) -> None:
        hold_keys(self.app)

    def _release_keys(self) -> None:
        release_keys(self.app)

    @on(DataTable.RowSelected, "#results")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            self.log_search(self._term)
            self.open_person(int(event.row_key.value))

    @work(thread=True, exclusive=True, group="open", exit_on_error=False)
    def open_or_register(self, term: str) -> None:
        """Enter in the search field: open the highlighted young person, the one with a
        typed CPR, or go to registration for a CPR that is not registered."""
        try:
            self._open_or_register(term)
        except Exception:
            self.app.call_from_thread(self._release_keys)  # the error is shown; keys go on
            raise

    def _open_or_register(self, term: str) -> None:
        from ungehus_tui.services.desk import walk_in as desk

        typed = typed_cpr(term)
        if typed is not None:
            hit = desk.find_cpr(self.ctx, self.actor, typed.compact)
            if hit is not None:
                self.post_message(self.OpenPerson(hit.id))
            else:
                self.post_message(self.RegisterCpr(typed))
            return
        self.post_message(self.OpenHighlighted())

    @on(OpenPerson)
    def _open_person(self, message: OpenPerson) -> None:
        self.open_person(message.person_id)
        self._release_keys()  # they wait for the new screen to be ready

    @on(RegisterCpr)
    def _register_typed(self, message: RegisterCpr) -> None:
        self._register_cpr(message.typed)
        self._release_keys()

    @on(OpenHighlighted)
    def _open_highlighted(self) -> None:
        try:
            self._open_highlighted_row()
        finally:
            self._release_keys()

    def _open_highlighted_row(self) -> None:
        table = self.query_one("#results", DataTable)
        if not table.row_count:
            if self._term.strip():
                self.notify("Ingen fundet. Ctrl+N registrerer en ny ung.", timeout=4)
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        if key:
            self.open_person(int(key))

    def _register_cpr(self, typed: cprmod.Cpr) -> None:
        if not self.may(Action.REGISTER):  # a leader: no registration form at all
            self.notify("Ingen ung med det CPR-nummer", title="Ikke fundet", timeout=5)
            return
        refusal = age_refusal(cprmod.age_on(typed.birth_date, clock.today()))
        if refusal:
            self.notify(refusal, title="Ikke Ungehusets målgruppe", severity="warning")
            return
        self.new_registration(cpr=typed.formatted)

    def action_new_person(self) -> None:
        term = self._term.strip()
        typed = typed_cpr(term)
        if typed is not None:
            self._register_cpr(typed)
        elif term and not term.replace("-", "").isdigit():
            self.new_registration(name=term)
        else:
            self.new_registration()

    def new_registration(self, *, cpr: str | None = None, name: str | None = None) -> None:
        from ungehus_tui.screens.registration import RegistrationScreen

        if not self.may(Action.REGISTER):
            return
        self.app.push_screen(RegistrationScreen(cpr=cpr, name=name))

    def open_person(self, person_id: int) -> None:
        from ungehus_tui.screens.person import PersonScreen

        self.app.push_screen(PersonScreen(person_id, search_term=self._term.strip() or None))

    # --- waiting list and arrivals ---------------------------------------------------

    @work(thread=True, exclusive=True, group="waiting", exit_on_error=False)
    def action_refresh_waiting(self) -> None:
        from ungehus_tui.services.desk import arrivals

        rows = arrivals.waiting_list(self.ctx, self.actor)
        if not get_current_worker().is_cancelled:
            self.post_message(self.WaitingLoaded(rows))

    @on(WaitingLoaded)
    def _waiting(self, message: WaitingLoaded) -> None:
        self.query_one(WaitingPanel).show(message.rows)

    @on(DataTable.RowSelected, "#waiting")
    def _waiting_selected(self, event: DataTable.RowSelected) -> None:
        self.open_waiting(int(event.row_key.value or 0))

    @work(thread=True, exclusive=True, group="open", exit_on_error=False)
    def open_waiting(self, arrival_id: int) -> None:
        from ungehus_tui.services.desk import arrivals

        rows = arrivals.waiting_list(self.ctx, self.actor)
        row = next((w for w in rows if w.arrival_id == arrival_id), None)
        if row is not None and row.person_id is not None:
            self.post_message(self.OpenPerson(row.person_id))

    def action_question(self) -> None:
        from ungehus_tui.screens.arrival import ArrivalDialog

        def done(request: ArrivalRequest | None) -> None:
            if request is not None:
                self.save_arrival(request)

        self.app.push_screen(
            ArrivalDialog("ukendt / spørgsmål", ("QUESTION", "NEW"), "QUESTION"), done
        )

    @work(thread=True, group="arrival", exit_on_error=False)
    def save_arrival(self, request: ArrivalRequest) -> None:
        from ungehus_tui.services.desk import arrivals

        arrivals.record_arrival(self.ctx, self.actor, None, request.reason, request.note)
        self.post_message(self.ArrivalChanged("Henvendelsen er registreret"))

    @on(ArrivalChanged)
    def _arrival_changed(self, message: ArrivalChanged) -> None:
        if message.notice:
            self.notify(message.notice, timeout=3)
        self.action_refresh_waiting()

    def action_serve(self) -> None:
        from ungehus_tui.screens.confirm_dialog import ConfirmDialog

        panel = self.query_one(WaitingPanel)
        arrival_id = panel.selected_arrival()
        if arrival_id is None:
            self.notify("Ingen på ventelisten", timeout=3)
            return
        who, reason = panel.selected_label()

        def answered(ok: bool | None) -> None:
            if ok:
                self.serve(arrival_id)

        self.app.push_screen(
            ConfirmDialog(
                f"Ekspedér {who}?",
                f"{who} ({reason}) fjernes fra ventelisten.",
                yes="Ekspedér",
                no="Fortryd",
            ),
            answered,
        )

    @work(thread=True, group="arrival", exit_on_error=False)
    def serve(self, arrival_id: int) -> None:
        from ungehus_tui.services.desk import arrivals

        arrivals.mark_served(self.ctx, self.actor, arrival_id)
        self.post_message(self.ArrivalChanged())
