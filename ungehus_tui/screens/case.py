"""One young person's case: masked CPR, who holds them and as what, the timeline, and the
counsellor's actions: outcome, plan, handover, answer an offer, consents, finish a task, and
the work after the first meeting (issue 13): book a follow-up meeting, a center in or out,
a changed situation, the coordinator, the contact person (appoint or re-establish, end by an
anchoring judgement, an agreement after 25). Loading and refreshing: `case_base.py`."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual.binding import Binding

from ungehus_tui.domain.codes import TaskKind
from ungehus_tui.screens.base import Saved, leave
from ungehus_tui.screens.case_base import CaseBase
from ungehus_tui.screens.consent_dialog import GiveConsent, WithdrawConsent
from ungehus_tui.screens.contact_dialog import ContactPersonChoice
from ungehus_tui.screens.handover_dialog import HandoverOffer
from ungehus_tui.screens.outcome_dialog import MeetingOutcome
from ungehus_tui.screens.team_dialogs import Agreement, CenterChange
from ungehus_tui.services.access.permissions import Action
from ungehus_tui.services.casework import consents, handovers, outcomes, plans, teams
from ungehus_tui.services.errors import ValidationFailed


def _b(key: str, action: str, text: str, tip: str) -> Binding:
    return Binding(key, action, text, id=f"case.{action}", tooltip=tip)


class CaseScreen(CaseBase):
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
        _b("m", "book_meeting", "Book møde", "Book en opfølgningssamtale eller et teammøde"),
        _b("c", "centers", "Centre", "Tilføj et center med dets fagperson, eller fjern et"),
        _b("e", "situation", "Ny situation", "Registrér at den unges situation er ændret"),
        _b("n", "coordinator", "Koordinator", "Udpeg den koordinerende sagsbehandler"),
        _b("u", "contact_person", "Kontaktperson", "Udpeg eller genetabler en kontaktperson"),
        _b("f", "contact_end", "Forankret", "Afslut kontaktpersonen med en forankringsvurdering"),
        _b("l", "contact_extend", "Efter 25", "Aftal at kontaktpersonen fortsætter efter 25"),
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
        "book_meeting": Action.BOOK,
        "centers": Action.RECORD_OUTCOME,
        "situation": Action.RECORD_OUTCOME,
        "coordinator": Action.RECORD_OUTCOME,
        "contact_person": Action.RECORD_OUTCOME,
        "contact_end": Action.RECORD_OUTCOME,
        "contact_extend": Action.RECORD_OUTCOME,
    }

    def action_back(self) -> None:
        leave(self)

    def action_outcome(self) -> None:
        from ungehus_tui.screens.outcome_dialog import OutcomeDialog

        if self.view is None or not self.view.booked_meetings:
            self.notify("Der er ingen bookede møder uden udfald", severity="warning")
            return
        self._edit(
            OutcomeDialog(self.view.booked_meetings, self.staff, self._coordinator()),
            self._save_outcome,
            "Mødeudfald registreret",
        )

    def _coordinator(self) -> str | None:
        """The current coordinating caseworker (as `teams.coordinator_of`: a staff member's
        active COORDINATOR assignment)."""
        team = self.view.team if self.view else []
        return next((t.name for t in team if t.kind == "COORDINATOR" and t.staff_id), None)

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

    def action_plan(self) -> None:
        from ungehus_tui.screens.plan_dialog import PlanDialog

        if self.view is not None:
            self._edit(
                PlanDialog(self.view.plan),
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

    def _who(self) -> str:
        return self.view.name if self.view else "den unge"

    def _confirm(self, title: str, text: str, yes: str, then: Callable[[], object]) -> None:
        """A one-key change to the case: named and confirmed first (J or Enter)."""
        from ungehus_tui.screens.confirm_dialog import ConfirmDialog

        def answered(ok: bool | None) -> None:
            if ok:
                then()

        self.app.push_screen(ConfirmDialog(title, text, yes=yes, no="Fortryd"), answered)

    def action_accept(self) -> None:
        if (hid := self._offer_id()) is not None:
            offer = (
                self.view.pending_offer.label_da if self.view and self.view.pending_offer else ""
            )
            self._confirm(
                f"Overtag {self._who()}?",
                f"Du bliver den, der holder {self._who()} ({offer}).",
                "Overtag",
                lambda: self.run_service(
                    lambda: handovers.accept_handover(self.ctx, self.actor, hid),
                    f"Du har overtaget {self._who()}",
                ),
            )

    def action_withdraw(self) -> None:
        if (hid := self._offer_id()) is not None:
            self._confirm(
                f"Træk tilbuddet om {self._who()} tilbage?",
                f"Overdragelsen af {self._who()} trækkes tilbage; du holder fortsat den unge.",
                "Træk tilbage",
                lambda: self.run_service(
                    lambda: handovers.withdraw_handover(self.ctx, self.actor, hid),
                    "Tilbuddet er trukket tilbage",
                ),
            )

    def action_reject(self) -> None:
        from ungehus_tui.screens.reason_dialog import ReasonDialog

        if (hid := self._offer_id()) is not None:
            self._edit(
                ReasonDialog(f"Afvis overdragelsen af {self._who()}", "Begrundelse (kræves)"),
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
                ConsentDialog(self.view.consents, who=self.view.name),
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
        task = self.view.open_tasks[0]
        tid = task.id
        if task.kind == TaskKind.ACTIVITY_OFFER:  # the offer says which activity
            from ungehus_tui.screens.reason_dialog import ReasonDialog

            self._edit(
                ReasonDialog("Tilbud om aktivitet", "Hvilken aktivitet er den unge tilbudt?"),
                lambda note: outcomes.complete_task(self.ctx, self.actor, tid, note),
                "Tilbuddet er registreret",
            )
            return
        self._confirm(
            f"Opgave udført for {self._who()}?",
            task.label_da,
            "Udført",
            lambda: self.run_service(
                lambda: outcomes.complete_task(self.ctx, self.actor, tid), "Opgaven er udført"
            ),
        )

    # --- after the first meeting (issue 13) ----------------------------------------------

    def action_book_meeting(self) -> None:
        from ungehus_tui.screens.booking import BookingScreen
        from ungehus_tui.screens.team_dialogs import MeetingKindDialog

        view = self.view
        if view is None:
            return
        if not view.case_open:
            self.notify("Sagen er lukket", severity="warning")
            return

        def chosen(outcome: Saved[str] | None) -> None:
            if outcome is not None:
                kind = outcome.value
                screen = BookingScreen.for_case(view.person_id, kind, view.name, view.cpr_masked)
                self.app.push_screen(screen)

        self.app.push_screen(MeetingKindDialog(), chosen)

    def action_centers(self) -> None:
        from ungehus_tui.screens.team_dialogs import CenterDialog

        if self.view is not None:
            in_case = sorted({t.center_code for t in self.view.team if t.center_code})
            self._edit(
                CenterDialog(self.staff, in_case),
                self._save_center,
                lambda value: "Centeret er tilføjet" if value.add else "Centeret er fjernet",
            )

    def _save_center(self, value: CenterChange) -> object:
        if value.add:
            if value.staff_id is None:
                raise ValidationFailed({"staff_id": "Vælg fagpersonen fra centeret"})
            return teams.add_center(
                self.ctx, self.actor, self.person_id, value.center, value.staff_id
            )
        teams.remove_center(self.ctx, self.actor, self.person_id, value.center, value.reason)
        return None

    def action_situation(self) -> None:
        from ungehus_tui.screens.reason_dialog import ReasonDialog

        self._edit(
            ReasonDialog("Den unges situation er ændret", "Hvad er ændret? (frafald, job ...)"),
            lambda note: teams.record_situation_change(self.ctx, self.actor, self.person_id, note),
            "Ændringen er registreret: planen skal revideres",
        )

    def action_coordinator(self) -> None:
        from ungehus_tui.screens.team_dialogs import StaffPickDialog

        self._edit(
            StaffPickDialog(
                "Koordinerende sagsbehandler", "Vælg koordinerende sagsbehandler", self.staff
            ),
            lambda staff_id: outcomes.appoint_coordinator(
                self.ctx, self.actor, self.person_id, staff_id
            ),
            "Koordinerende sagsbehandler er udpeget (holder nu den unge)",
        )

    def action_contact_person(self) -> None:
        from ungehus_tui.screens.contact_dialog import ContactPersonDialog

        if self.view is not None:
            self._edit(
                ContactPersonDialog(self.staff, reestablish=not self.view.case_open),
                self._save_contact_person,
                lambda value: (
                    "Kontaktpersonen er " + ("genetableret" if value.reestablish else "udpeget")
                ),
            )

    def _save_contact_person(self, value: ContactPersonChoice) -> object:
        if value.reestablish:
            return outcomes.reestablish_contact_person(
                self.ctx, self.actor, self.person_id, value.person, value.reestablish
            )
        return outcomes.appoint_contact_person(self.ctx, self.actor, self.person_id, value.person)

    def action_contact_end(self) -> None:
        from ungehus_tui.screens.reason_dialog import ReasonDialog

        self._edit(
            ReasonDialog(
                "Afslut kontaktperson: forankringsvurdering",
                "Vurdering: den unge er forankret i uddannelse eller job, fordi ...",
            ),
            lambda judgement: outcomes.end_contact_person(
                self.ctx, self.actor, self.person_id, judgement
            ),
            "Kontaktpersonen er afsluttet",
        )

    def action_contact_extend(self) -> None:
        from ungehus_tui.screens.team_dialogs import AgreementDialog

        self._edit(
            AgreementDialog(),
            self._save_agreement,
            lambda value: f"Aftalen er registreret: kontaktperson til {value.until:%d-%m-%Y}",
        )

    def _save_agreement(self, value: Agreement) -> object:
        return outcomes.agree_continuation(
            self.ctx, self.actor, self.person_id, value.until, value.note
        )
