"""The casework part of the demo data: who holds each eligible young person (one professional
per involved center, team cases with consents), the first meeting in a free slot with its
participants and what followed it (outreach task, education plan), pending and answered
handovers, contact persons and acknowledged education starts.

Works on the shared state of `demo._Demo` (random streams, id counters, row buffers, the
slot calendar); `rng` draws happen in the same order as before the split, so a seed gives
the same database.
"""

from __future__ import annotations

import bisect
import datetime as dt
from typing import TYPE_CHECKING, Any

from ungehus_tui.domain import clock

if TYPE_CHECKING:
    from ungehus_tui.demo.seed import _Demo, _Person

FGU = ("FGU Vestsjælland", "Slagelse Gymnasium", "ZBC Slagelse", "EUC Sjælland")


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return clock.combine(day, dt.time(hour, minute))


class Casework:
    """The steps after the intake, for one demo run."""

    def __init__(self, demo: _Demo) -> None:
        self.d = demo

    def case(self, person: _Person, decision: Any) -> None:
        """Who holds the young person (one professional per involved center), then the rest."""
        d = self.d
        rng = d.rng
        team = self._team(decision)
        lead = decision.lead_center
        if lead not in team:
            return
        created = person.created
        age_days = (d.now - created).days
        closed_case = age_days > 150 and rng.random() < 0.6
        ended = created + dt.timedelta(days=rng.randint(60, 140)) if closed_case else None
        for center, staff_id in team.items():
            self._assign(person, decision, center, staff_id, center == lead, ended)
            if decision.team_meeting:
                self._consent(person, center)
        if closed_case:
            d.people[-1]["case_open"] = False
            d.stats["closed_cases"] += 1
        holder = team[lead]
        # First meeting: within the slot grid when the intake is recent enough.
        if not closed_case and age_days <= 110 and rng.random() < 0.85:
            self._first_meeting(person, decision, team, lead, holder)
        if not closed_case and rng.random() < 0.04:
            self._pending_handover(person, lead, holder)
        self._history(person, decision, lead, holder, closed_case, ended)

    def _team(self, decision: Any) -> dict[str, int]:
        """One professional per involved center (by contact role, else anyone there)."""
        d = self.d
        team: dict[str, int] = {}
        for c in decision.contacts:
            if c.center in team:
                continue
            pool = d.by_role.get((c.center, c.role)) or d.by_center.get(c.center)
            if pool:
                team[c.center] = d.rng.choice(pool)
        return team

    def _assign(
        self,
        person: _Person,
        decision: Any,
        center: str,
        staff_id: int,
        is_lead: bool,
        ended: dt.datetime | None,
    ) -> None:
        d = self.d
        created = person.created
        d.assigns.append(
            {
                "id": d.aid,
                "person_id": person.id,
                "staff_id": staff_id,
                "external_actor": None,
                "center_code": center,
                "kind": "COORDINATOR" if decision.team_meeting and is_lead else "CONTACT",
                "contact_role": next(c.role for c in decision.contacts if c.center == center),
                "holds": is_lead,
                "paid_by": None,
                "started_at": created,
                "ended_at": ended,
                "end_reason": "Forankret i uddannelse" if ended else None,
                "created_by": d.actor,
                "updated_at": ended or created,
            }
        )
        d.aid += 1

    def _consent(self, person: _Person, center: str) -> None:
        """A team case shares information with the consent of the young person."""
        d = self.d
        d.consents.append(
            {
                "person_id": person.id,
                "center_code": center,
                "purpose": "Deling af oplysninger i tværfagligt team",
                "given_at": person.created,
                "withdrawn_at": None,
                "recorded_by": d.actor,
                "updated_at": person.created,
            }
        )

    def _first_meeting(
        self, person: _Person, decision: Any, team: dict[str, int], lead: str, holder: int
    ) -> None:
        d = self.d
        rng = d.rng
        start_day = d.cal.add_working_days(person.created_day, rng.randint(1, 6))
        for day in d.slot_days[bisect.bisect_left(d.slot_days, start_day) :]:
            for hour in range(9, 15):
                if day.weekday() == 4 and hour >= 12:
                    break
                if (day, hour) in d.full:
                    continue
                used_here = d.busy[(day, hour)]
                free_rooms = [r for r in d.rooms if ("room", r) not in used_here]
                if not free_rooms:
                    d.full.add((day, hour))
                    continue
                if any(("staff", s) in used_here for s in team.values()):
                    continue
                room = free_rooms[0] if not decision.team_meeting else free_rooms[-1]
                used_here.update({("room", room), *(("staff", s) for s in team.values())})
                self._meeting(person, decision, team, lead, holder, day, hour, room)
                return

    def _meeting(
        self,
        person: _Person,
        decision: Any,
        team: dict[str, int],
        lead: str,
        holder: int,
        day: dt.date,
        hour: int,
        room: int,
    ) -> None:
        """The first meeting in its slot: participants, and what followed it."""
        d = self.d
        mid, pid, name = d.mid, person.id, person.name
        kind = "TEAM_MEETING" if decision.team_meeting else "FIRST_CONVERSATION"
        minutes = 60 if decision.team_meeting else 45
        start = _at(day, hour)
        status = "BOOKED"
        if start < d.now:
            status = d.rng.choices(("HELD", "NO_SHOW", "CANCELLED", "BOOKED"), (75, 10, 5, 10))[0]
        answered = status in ("HELD", "NO_SHOW")
        d.meetings.append(
            {
                "id": mid,
                "person_id": pid,
                "intake_id": d.iid,
                "kind": kind,
                "is_first": True,
                "start": start,
                "end": start + dt.timedelta(minutes=minutes),
                "room_id": room,
                "leader_id": holder,
                "status": status,
                "outcome_note": "Første samtale holdt" if status == "HELD" else None,
                "stu_decision": None,
                "outcome_by": holder if answered else None,
                "outcome_at": start + dt.timedelta(hours=2) if answered else None,
                "created_by": d.actor,
                "created_at": person.created,
                "updated_at": person.created,
            }
        )
        participant = {"meeting_id": mid, "staff_id": None, "center_code": None, "email": None}
        d.parts.append({**participant, "kind": "YOUNG_PERSON", "name": name})
        if person.under18:
            guardian = f"Forælder til {name.split()[0]}"
            d.parts.append({**participant, "kind": "GUARDIAN", "name": guardian})
        for center, staff_id in team.items():
            d.parts.append(
                {
                    **participant,
                    "kind": "STAFF",
                    "staff_id": staff_id,
                    "center_code": center,
                    "name": d.staff_name[staff_id],
                }
            )
        if status == "NO_SHOW":
            due = d.cal.add_working_days(day, d.ctx.settings.outreach_due_working_days)
            d.tasks.append(
                {
                    "person_id": pid,
                    "kind": "OUTREACH",
                    "staff_id": holder,
                    "meeting_id": mid,
                    "due": due,
                    "note": "Udeblev fra første møde: opsøg den unge",
                    "done_at": None,
                    "created_by": holder,
                    "created_at": start,
                    "updated_at": start,
                }
            )
        if status == "HELD" and decision.team_meeting:
            d.plans.append(
                {
                    "id": d.pl_id,
                    "person_id": pid,
                    "version": 1,
                    "short_term_goals": "Møde stabilt op i Ungehuset hver uge",
                    "long_term_goals": "Påbegynde en ungdomsuddannelse",
                    "meeting_id": mid,
                    "created_by": holder,
                    "created_at": start,
                    "updated_at": start,
                }
            )
            d.interventions.append(
                {
                    "plan_id": d.pl_id,
                    "center_code": lead,
                    "area": "EDUCATION",
                    "description": "Vejledningsforløb mod uddannelse",
                    "starts_on": day,
                    "ends_on": day + dt.timedelta(days=90),
                    "consent_id": None,
                }
            )
            d.pl_id += 1
        d.mid += 1
        d.stats["meetings"] += 1

    def _handover(self, **fields: Any) -> None:
        d = self.d
        row = {
            "to_staff_id": None,
            "to_center_code": None,
            "to_external": None,
            "to_external_contact": None,
            "response_reason": None,
            "responded_at": None,
            "responded_by": None,
        }
        row.update(fields)
        d.handovers.append(row)

    def _pending_handover(self, person: _Person, lead: str, holder: int) -> None:
        """A pending (sometimes stale) offer to a colleague or a school."""
        d = self.d
        rng = d.rng
        peers = [s for s in d.by_center.get(lead, []) if s != holder]
        offered = d.now - dt.timedelta(days=rng.choice((1, 2, 3, 9, 14, 21)))
        external = rng.random() < 0.3 or not peers
        self._handover(
            person_id=person.id,
            kind="EDUCATION_START" if external else "COLLEAGUE",
            status="OFFERED",
            from_staff_id=holder,
            to_staff_id=None if external else rng.choice(peers),
            to_center_code=None if external else lead,
            to_external=rng.choice(FGU) if external else None,
            to_external_contact="Studievejleder (demo)" if external else None,
            reason="Den unge starter på uddannelse" if external else "Fordeling af sager i teamet",
            offered_at=offered,
            created_by=holder,
            updated_at=offered,
        )
        d.stats["pending_handovers"] += 1

    def _history(
        self,
        person: _Person,
        decision: Any,
        lead: str,
        holder: int,
        closed_case: bool,
        ended: dt.datetime | None,
    ) -> None:
        """Casework history from its own random stream: answered offers, contact persons in
        team cases, acknowledged education starts."""
        d = self.d
        history = d.history
        peers = [s for s in d.by_center.get(lead, []) if s != holder]
        if not closed_case and peers and history.random() < 0.03:
            asked = person.created + dt.timedelta(days=history.randint(5, 20))
            rejected = history.random() < 0.7
            self._handover(
                person_id=person.id,
                kind="COLLEAGUE",
                status="REJECTED" if rejected else "WITHDRAWN",
                from_staff_id=holder,
                to_staff_id=history.choice(peers),
                to_center_code=lead,
                reason="Fordeling af sager i teamet",
                response_reason="Fuld kalender de næste uger" if rejected else None,
                offered_at=asked,
                responded_at=asked + dt.timedelta(days=1),
                created_by=holder,
                updated_at=asked + dt.timedelta(days=1),
            )
            d.stats["answered_handovers"] += 1
        if decision.team_meeting and peers and history.random() < 0.3:
            d.assigns.append(
                {
                    "id": d.aid,
                    "person_id": person.id,
                    "staff_id": history.choice(peers),
                    "external_actor": None,
                    "center_code": lead,
                    "kind": "CONTACT_PERSON",
                    "contact_role": "KONTAKTPERSON",
                    "holds": False,
                    "paid_by": lead,
                    "started_at": person.created,
                    "ended_at": ended,
                    "end_reason": "Forankret i uddannelse" if ended else None,
                    "created_by": d.actor,
                    "updated_at": ended or person.created,
                }
            )
            d.aid += 1
            d.stats["contact_persons"] += 1
        if closed_case and ended is not None:
            self._handover(
                person_id=person.id,
                kind="EDUCATION_START",
                status="ACCEPTED",
                from_staff_id=holder,
                to_external=history.choice(FGU),
                to_external_contact="Studievejleder (demo)",
                reason="Den unge starter på uddannelse",
                response_reason="Kvitteret af Studievejleder (demo)",
                offered_at=ended - dt.timedelta(days=3),
                responded_at=ended,
                responded_by=holder,
                created_by=holder,
                updated_at=ended,
            )
