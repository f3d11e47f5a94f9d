"""Registration of a walk-in (or a new intake for a known young person): contact details,
the guardian for under-18s, the triage facts as one-key toggles with a live preview, consent
per involved center. Ctrl+S saves it all in one transaction and goes on to booking.

Errors are shown next to the fields; the form keeps everything typed.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Header, Input, Label, SelectionList, Static

from ungehus_tui.domain import clock
from ungehus_tui.domain import cpr as cprmod
from ungehus_tui.domain.labels import CENTER_NAMES_DA
from ungehus_tui.domain.triage import Decision, TriageInputError, decide
from ungehus_tui.domain.triage_text import WARNING_TEXT_DA
from ungehus_tui.screens.base import UngehusScreen
from ungehus_tui.screens.duplicate import DuplicateDialog, OpenExisting, Proceed, Typed
from ungehus_tui.services.desk import people
from ungehus_tui.services.desk import walk_in as desk
from ungehus_tui.services.errors import ValidationFailed
from ungehus_tui.widgets.cpr_guard import guard_cpr
from ungehus_tui.widgets.decision import preview_text
from ungehus_tui.widgets.facts import FactsPanel, FactState
from ungehus_tui.widgets.footer import KeysFooter
from ungehus_tui.widgets.safe import marked, plain

FIELDS: tuple[tuple[str, str, str], ...] = (
    ("cpr", "CPR-nummer", "DDMMÅÅ-SSSS"),
    ("name", "Navn", "Fornavn og efternavn"),
    ("phone", "Telefon", "8 cifre"),
    ("guardian_name", "Forælder/værge (under 18)", "Navn"),
    ("guardian_phone", "Forælders telefon", "8 cifre"),
    ("email", "E-mail", "navn@eksempel.dk"),
)


def answers_of(state: FactState) -> desk.Answers | None:
    if state.situation is None:
        return None
    return desk.Answers(
        situation=state.situation,
        grade=state.grade,
        completed_youth_education=state.completed_youth_education,
        social_case=state.social_case,
        jobcenter_case=state.jobcenter_case,
        early_pension=state.early_pension,
        specialised_needs=state.specialised_needs,
        housing_or_finance=state.housing_or_finance,
        retention_only=state.retention_only,
    )


def _set_error(widget: Static, message: str) -> None:
    widget.update(plain(message))
    widget.set_class(bool(message), "-shown")


def _option_values(selection: SelectionList[str]) -> list[str]:
    return [selection.get_option_at_index(i).value for i in range(selection.option_count)]


class RegistrationScreen(UngehusScreen):
    CSS_PATH = "registration.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    FORM_NAME_DA = "registreringen"
    BINDINGS = [
        Binding(
            "ctrl+s",
            "save",
            "Gem og book",
            id="registration.save",
            tooltip="Gem den unge, visitationen og samtykket, og gå til booking",
            priority=True,
        ),
        Binding(
            "f7",
            "focus_facts",
            "Fakta",
            id="registration.facts",
            tooltip="Gå direkte til visitationsfakta (én tast pr. fakta)",
        ),
        Binding(
            "escape",
            "cancel",
            "Fortryd",
            id="registration.cancel",
            tooltip="Tilbage uden at gemme",
        ),
    ]

    @dataclass
    class Existing(Message, bubble=False):
        """The typed CPR number is registered already."""

        person_id: int

    @dataclass
    class Previewed(Message, bubble=False):
        decision: Decision

    @dataclass
    class Similar(Message, bubble=False):
        """A young person with the same birth date and a similar name exists."""

        data: people.PersonInput
        answers: desk.Answers
        consents: list[str]
        similar: list[people.PersonHit]

    @dataclass
    class Invalid(Message, bubble=False):
        errors: dict[str, str]

    @dataclass
    class Registered(Message, bubble=False):
        walk: desk.WalkIn
        name: str
        cpr_masked: str

    def __init__(
        self,
        *,
        cpr: str | None = None,
        name: str | None = None,
        person: desk.PersonCard | None = None,
    ) -> None:
        super().__init__()
        self.initial_cpr = cpr or ""
        self.initial_name = name or ""
        self.person = person
        self.decision: Decision | None = None
        self._saving = False

    # --- layout ----------------------------------------------------------------------

    def action_focus_facts(self) -> None:
        self.query_one(FactsPanel).focus()

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="registration"):
            with VerticalScroll(id="form", can_focus=False):
                if self.person is None:
                    yield Static("Ny ung", classes="section-title")
                    for field, label, placeholder in FIELDS:
                        with Vertical(id=f"row-{field}", classes="field-row"):
                            yield Label(label)
                            yield Input(id=field, placeholder=placeholder, compact=True)
                            yield Static("", id=f"err-{field}", classes="error-text")
                            if field == "cpr":
                                yield Static("", id="cpr-age")
                else:
                    p = self.person
                    yield Static("Ny visitation", classes="section-title")
                    yield Static(
                        marked(
                            "[b]$name[/b]\n$cpr · $age år\nTelefon: $phone\nE-mail: $email",
                            name=p.name,
                            cpr=p.cpr_masked,
                            age=p.age,
                            phone=p.phone or "–",
                            email=p.email or "–",
                        ),
                        id="person-summary",
                    )
            with VerticalScroll(id="facts-pane", can_focus=False):
                yield FactsPanel(id="facts")
                yield Static(preview_text(None), id="preview")
                yield Label("Samtykke til deling med (mellemrum slår til/fra)")
                yield SelectionList[str](id="consent")
                yield Static("", id="err-consent", classes="error-text")
        yield KeysFooter()

    def on_mount(self) -> None:
        if self.person is not None:
            self.query_one(FactsPanel).focus()
            return
        self.query_one("#cpr", Input).value = self.initial_cpr
        self.query_one("#name", Input).value = self.initial_name
        self._cpr_changed(self.initial_cpr)
        self.query_one("#name" if self.initial_cpr else "#cpr", Input).focus()

    # --- CPR, age, guardian ----------------------------------------------------------

    def _typed_cpr(self) -> cprmod.Cpr | None:
        if self.person is not None:
            return None
        try:
            return cprmod.parse(self.query_one("#cpr", Input).value, on=clock.today())
        except cprmod.CprError:
            return None

    @on(Input.Changed, "#cpr")
    def _cpr_input(self, event: Input.Changed) -> None:
        self._cpr_changed(event.value)
        parsed = self._typed_cpr()
        if parsed is not None and event.value != self.initial_cpr:
            self.check_existing(parsed.compact)

    def _cpr_changed(self, value: str) -> None:
        guard_cpr(self.query_one("#cpr", Input))
        parsed = self._typed_cpr()
        line, error = "", ""
        under_18 = False
        if parsed is not None:
            age = cprmod.age_on(parsed.birth_date, clock.today())
            under_18 = age < 18
            line = cprmod.birth_line(parsed, clock.today())
            if not parsed.mod11_ok:  # said in full: it is not an error
                line += "\n" + WARNING_TEXT_DA["CPR_MOD11"]
            error = people.age_refusal(age) or ""
        elif len(cprmod.compact(value)) >= 10:
            error = "CPR-nummeret er ikke gyldigt"
        self.query_one("#cpr-age", Static).update(line)
        _set_error(self.query_one("#err-cpr", Static), error)
        for field in ("guardian_name", "guardian_phone"):
            self.query_one(f"#row-{field}").display = under_18
        self.update_preview()

    @work(thread=True, exclusive=True, group="cpr-check", exit_on_error=False)
    def check_existing(self, compact: str) -> None:
        hit = desk.find_cpr(self.ctx, self.actor, compact)
        if hit is not None:
            self.post_message(self.Existing(hit.id))

    @on(Existing)
    def _existing(self, message: Existing) -> None:
        self._open_existing(message.person_id)

    def _open_existing(self, person_id: int) -> None:
        from ungehus_tui.screens.person import PersonScreen

        self.notify("CPR-nummeret er allerede registreret: den unge er åbnet", timeout=5)
        self.app.switch_screen(PersonScreen(person_id))

    # --- facts, preview, consent -----------------------------------------------------

    @on(FactsPanel.Changed)
    def _facts_changed(self) -> None:
        self.update_preview()

    @on(FactsPanel.ConsentAll)
    def _consent_all(self) -> None:
        consent = self.query_one("#consent", SelectionList)
        values = _option_values(consent)
        if not values:
            self.notify("Vælg situation først: samtykke gives til de involverede centre")
            return
        if set(consent.selected) >= set(values):
            consent.deselect_all()
        else:
            consent.select_all()

    def update_preview(self) -> None:
        answers = answers_of(self.query_one(FactsPanel).state)
        if self.person is not None:
            if answers is not None:
                self.preview_known(answers)
            return
        parsed = self._typed_cpr()
        decision: Decision | None = None
        problem = None
        if parsed is not None and answers is not None:
            try:
                decision = decide(answers.facts(parsed.compact, clock.today()))
            except TriageInputError as exc:
                problem = exc.message_da
        self._show_decision(decision, problem)

    @work(thread=True, exclusive=True, group="preview", exit_on_error=False)
    def preview_known(self, answers: desk.Answers) -> None:
        assert self.person is not None
        self.post_message(
            self.Previewed(desk.preview(self.ctx, self.actor, self.person.id, answers))
        )

    @on(Previewed)
    def _previewed(self, message: Previewed) -> None:
        self._show_decision(message.decision, None)

    def _show_decision(self, decision: Decision | None, problem: str | None) -> None:
        self.decision = decision
        self.query_one("#preview", Static).update(preview_text(decision, problem))
        consent = self.query_one("#consent", SelectionList)
        centers = list(decision.centers) if decision and decision.eligible else []
        current = _option_values(consent)
        if current == centers:
            return
        kept = set(consent.selected)
        consent.clear_options()
        consent.add_options([(f"{c} · {CENTER_NAMES_DA.get(c, c)}", c, c in kept) for c in centers])

    # --- save ------------------------------------------------------------------------

    def _value(self, field: str) -> str | None:
        return self.query_one(f"#{field}", Input).value.strip() or None

    def _clear_errors(self) -> None:
        for static in self.query(".error-text").results(Static):
            _set_error(static, "")
        self.query_one(FactsPanel).show_error(None)

    def action_save(self) -> None:
        if self._saving:
            return
        self._clear_errors()
        if self.person is None:
            self._cpr_changed(self.query_one("#cpr", Input).value)
        answers = answers_of(self.query_one(FactsPanel).state)
        if answers is None:
            self.query_one(FactsPanel).show_error("Vælg den unges situation (tast 1-5)")
            self.query_one(FactsPanel).focus()
            return
        consents = list(self.query_one("#consent", SelectionList).selected)
        self._saving = True
        if self.person is not None:
            self.save_intake(self.person.id, answers, consents)
            return
        data = people.PersonInput(
            cpr=self._value("cpr") or "",
            name=self._value("name") or "",
            phone=self._value("phone"),
            email=self._value("email"),
            guardian_name=self._value("guardian_name"),
            guardian_phone=self._value("guardian_phone"),
        )
        self.save_new(data, answers, consents, False)

    @work(thread=True, exclusive=True, group="save", exit_on_error=False)
    def save_new(
        self, data: people.PersonInput, answers: desk.Answers, consents: list[str], allow: bool
    ) -> None:
        try:
            walk = desk.register_walk_in(
                self.ctx, self.actor, data, answers, consents, allow_similar=allow
            )
        except desk.SimilarExists as exc:
            self.post_message(self.Similar(data, answers, consents, exc.similar))
            return
        except ValidationFailed as exc:
            self.post_message(self.Invalid(exc.errors))
            return
        finally:
            self._saving = False
        self.post_message(self.Registered(walk, data.name, cprmod.mask(data.cpr)))

    @work(thread=True, exclusive=True, group="save", exit_on_error=False)
    def save_intake(self, person_id: int, answers: desk.Answers, consents: list[str]) -> None:
        assert self.person is not None
        try:
            walk = desk.new_intake(self.ctx, self.actor, person_id, answers, consents)
        except ValidationFailed as exc:
            self.post_message(self.Invalid(exc.errors))
            return
        finally:
            self._saving = False
        self.post_message(self.Registered(walk, self.person.name, self.person.cpr_masked))

    @on(Invalid)
    def _show_errors(self, invalid: Invalid) -> None:
        errors = invalid.errors
        first: str | None = None
        for field, message in errors.items():
            target = self.query(f"#err-{field}").results(Static)
            widget = next(iter(target), None)
            if widget is not None:
                _set_error(widget, message)
                first = first or field
            else:
                self.query_one(FactsPanel).show_error(message)
        self.notify("Ret de markerede felter; intet er gemt", severity="warning", timeout=5)
        if first and first != "consent" and self.query(f"#{first}"):
            self.query_one(f"#{first}").focus()

    @on(Similar)
    def _similar(self, message: Similar) -> None:
        data, answers, consents = message.data, message.answers, message.consents
        parsed = cprmod.parse(data.cpr)
        typed = Typed(
            name=data.name,
            cpr_masked=parsed.masked,
            born=f"{parsed.birth_date:%d-%m-%Y}",
            age=cprmod.age_on(parsed.birth_date, clock.today()),
        )

        def chosen(result: Proceed | OpenExisting | None) -> None:
            if isinstance(result, Proceed):
                self._saving = True
                self.save_new(data, answers, consents, True)
            elif isinstance(result, OpenExisting):
                self._open_existing(result.person_id)

        self.app.push_screen(DuplicateDialog(typed, message.similar), chosen)

    @on(Registered)
    def _saved(self, message: Registered) -> None:
        walk, name, masked = message.walk, message.name, message.cpr_masked
        if not walk.eligible:
            self.notify("Visitationen er gemt: ikke Ungehusets målgruppe", timeout=6)
            self.app.pop_screen()
            return
        from ungehus_tui.screens.booking import BookingScreen

        self.app.switch_screen(BookingScreen(walk.intake_id, walk.person_id, name, masked))

    def action_cancel(self) -> None:
        self.leave_unless_unsaved(self.app.pop_screen)
