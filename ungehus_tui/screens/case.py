"""One young person's case: masked CPR, who holds them and as what, the timeline, and the
counsellor's actions (outcome, plan, handover, answer an offer, consents, finish a task)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar, TypeVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import DataTable, Footer, Header, Static

from ungehus_tui.domain.clock import local
from ungehus_tui.screens.base import FormDialog, Saved, UngehusScreen, back_with_refusal, leave
from ungehus_tui.screens.consent_dialog import GiveConsent, WithdrawConsent
from ungehus_tui.screens.handover_dialog import HandoverOffer
from ungehus_tui.screens.outcome_dialog import MeetingOutcome
from ungehus_tui.services.access.permissions import Action
from ungehus_tui.services.casework import cases, consents, handovers, outcomes, plans
from ungehus_tui.services.casework.cases import CaseView, StaffChoice
from ungehus_tui.services.errors import PermissionDenied
from ungehus_tui.widgets.safe import cell, marked, plain

V = TypeVar("V")


def _b(key: str, action: str, text: str, tip: str) -> Binding:
    return Binding(key, action, text, id=f"case.{action}", tooltip=tip)


class CaseScreen(UngehusScreen):
    CSS_PATH = "case.tcss"
    BINDINGS = [
        Binding("escape", "back", "Tilbage", id="case.back", tooltip="Tilbage til køen"),
        _b("o", "outcome", "Mødeudfald", "Registrér udfaldet af et booket møde"),
        _b("p", "plan", "Plan", "Ret uddannelsesplanen (gemmes som ny version)"),
        _b("h", "handover", "Overdrag", "Tilbyd den unge til en kollega eller ekstern aktør"),
        _b("a", "accept", "Acceptér", "Acceptér en overdragelse tilbudt dig"),
        _b("x", "reject", "Afvis", "Afvis en overdragelse (begrundelse kræves)"),
        _b("w", "withdraw", "Træk tilbage", "Træk dit eget overdragelsestilbud tilbage"),
        _b("k", "acknowledge", "Kvittering", "Registrér den eksterne modtagers kvittering"),
        _b("s", "consent", "Samtykke", "Giv eller træk samtykke tilbage"),
        _b("d", "task_done", "Opgave udført", "Markér den ældste åbne opgave som udført"),
    ]

    NEEDS: ClassVar[dict[str, Action]] = {
        "outcome": Action.RECORD_OUTCOME,
        "plan": Action.EDIT_PLAN,
        "handover": Action.HANDOVER,
        "accept": Action.HANDOVER,
        "reject": Action.HANDOVER,
        "withdraw": Action.HANDOVER,
        "acknowledge": Action.HANDOVER,
        "consent": Action.MANAGE_CONSENT,
        "task_done": Action.RECORD_OUTCOME,
    }

    @dataclass
    class Loaded(Message, bubble=False):
        view: CaseView
        staff: list[StaffChoice]

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

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Henter sagen ...", id="case-head")
        with Horizontal(id="case-body"):
            yield DataTable(id="case-timeline", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="case-side"):
                yield Static("", id="case-side-text")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#case-timeline", DataTable).add_columns("Tidspunkt", "Hændelse")
        self.load()

    @work(thread=True, exclusive=True, group="case", exit_on_error=False)
    def load(self, reloading: bool = False) -> None:
        """The case; `reloading` after a save (which may have ended the actor's access)."""
        try:
            view = cases.case_timeline(self.ctx, self.actor, self.person_id)
        except PermissionDenied as exc:  # e.g. a leader's team meeting held by another center
            self.post_message(self.Refused(exc.message, reloading))
            return
        staff = self.staff or cases.counsellors(self.ctx)
        self.post_message(self.Loaded(view, staff))

    @on(Refused)
    def _refused(self, message: Refused) -> None:
        if message.reloading:  # the save just done ended the access (a rejected offer): back
            leave(self)
        else:
            back_with_refusal(self, message.text)

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self._show(message.view, message.staff)

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
        table.clear()
        for n, e in enumerate(view.events):
            table.add_row(f"{local(e.at):%d-%m-%Y %H:%M}", cell(e.text_da), key=str(n))
        if view.events:
            table.move_cursor(row=len(view.events) - 1)
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
        self.query_one("#case-side-text", Static).update(Content("\n").join(side))

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

    def action_back(self) -> None:
        leave(self)

    def action_outcome(self) -> None:
        from ungehus_tui.screens.outcome_dialog import OutcomeDialog

        if self.view is None or not self.view.booked_meetings:
            self.notify("Der er ingen bookede møder uden udfald", severity="warning")
            return
        self._edit(
            OutcomeDialog(self.view.booked_meetings, self.staff),
            self._save_outcome,
            "Mødeudfald registreret",
        )

    def _save_outcome(self, value: MeetingOutcome) -> object:
        return outcomes.record_outcome(
            self.ctx,
            self.actor,
            value.meeting_id,
            value.status,
            value.note,
            coordinator_staff_id=value.coordinator_staff_id,
            contact_person=value.contact_person,
            stu_decision=value.stu_decision,
            plan=value.plan,
        )

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

    def action_plan(self) -> None:
        from ungehus_tui.screens.plan_dialog import PlanDialog

        if self.view is not None:
            self._edit(
                PlanDialog(self.view.plan_in),
                lambda value: plans.save_plan(self.ctx, self.actor, self.person_id, value),
                "Uddannelsesplanen er gemt som ny version",
            )

    def action_handover(self) -> None:
        from ungehus_tui.screens.handover_dialog import HandoverDialog

        others = [s for s in self.staff if s.id != self.actor.id]
        self._edit(
            HandoverDialog(others),
            self._offer,
            "Overdragelsen er tilbudt. Du holder den unge, til den er accepteret",
        )

    def _offer(self, value: HandoverOffer) -> object:
        return handovers.offer_handover(
            self.ctx,
            self.actor,
            self.person_id,
            kind=value.kind,
            reason=value.reason,
            to_staff_id=value.to_staff_id,
            to_external=value.to_external,
            to_external_contact=value.to_external_contact,
        )

    def _offer_id(self) -> int | None:
        if self.view is None or self.view.pending_offer is None:
            self.notify("Der er intet åbent overdragelsestilbud", severity="warning")
            return None
        return self.view.pending_offer.id

    def action_accept(self) -> None:
        if (hid := self._offer_id()) is not None:
            self.run_service(
                lambda: handovers.accept_handover(self.ctx, self.actor, hid),
                "Du har overtaget den unge",
            )

    def action_withdraw(self) -> None:
        if (hid := self._offer_id()) is not None:
            self.run_service(
                lambda: handovers.withdraw_handover(self.ctx, self.actor, hid),
                "Tilbuddet er trukket tilbage",
            )

    def action_reject(self) -> None:
        from ungehus_tui.screens.reason_dialog import ReasonDialog

        if (hid := self._offer_id()) is not None:
            self._edit(
                ReasonDialog("Afvis overdragelse", "Begrundelse (kræves)"),
                lambda reason: handovers.reject_handover(self.ctx, self.actor, hid, reason),
                "Overdragelsen er afvist",
            )

    def action_acknowledge(self) -> None:
        from ungehus_tui.screens.reason_dialog import ReasonDialog

        if (hid := self._offer_id()) is not None:
            self._edit(
                ReasonDialog("Modtagerens kvittering", "Hvem hos modtageren kvitterede?"),
                lambda who: handovers.acknowledge_external(
                    self.ctx, self.actor, hid, acknowledged_by=who
                ),
                "Kvittering registreret: sagen er lukket",
            )

    def action_consent(self) -> None:
        from ungehus_tui.screens.consent_dialog import ConsentDialog

        if self.view is not None:
            self._edit(
                ConsentDialog(self.view.consents),
                self._save_consent,
                lambda value: (
                    "Samtykket er trukket tilbage"
                    if isinstance(value, WithdrawConsent)
                    else "Samtykket er registreret"
                ),
            )

    def _save_consent(self, value: GiveConsent | WithdrawConsent) -> object:
        if isinstance(value, WithdrawConsent):
            return consents.withdraw_consent(self.ctx, self.actor, value.consent_id)
        return consents.give_consent(
            self.ctx, self.actor, self.person_id, value.center, value.purpose
        )

    def action_task_done(self) -> None:
        if self.view is None or not self.view.open_tasks:
            self.notify("Der er ingen åbne opgaver", severity="warning")
            return
        tid = self.view.open_tasks[0].id
        self.run_service(
            lambda: outcomes.complete_task(self.ctx, self.actor, tid), "Opgaven er udført"
        )
