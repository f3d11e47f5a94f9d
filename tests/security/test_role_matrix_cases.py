"""Casework rows of the role matrix (queue, case, plan, outcomes, handovers), and the table's
types (`Env`, `Case`) and login sets shared with test_role_matrix.py, which runs them.

Row level: only cbu.vejl.1 holds the young person; cai.besk.1 sits outside the team (except
where a handover is offered to them); cbu.leder leads the holder's center, cai.leder another.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ungehus_tui.data.engine import write_session
from ungehus_tui.data.models import Handover, Task
from ungehus_tui.services.casework import (
    cases,
    changes,
    handover_watch,
    handovers,
    outcomes,
    outreach,
    plans,
    queue,
    teams,
)
from ungehus_tui.services.desk import booking

CPR = "0607024567"  # fictitious, born 2002
LOGINS = ("rec.1", "cbu.vejl.1", "cai.besk.1", "cbu.leder", "cai.leder", "it.admin")
EVERYONE = frozenset(LOGINS)
ADMIN = frozenset({"it.admin"})
DESK = frozenset({"rec.1", "cbu.vejl.1", "cai.besk.1"})  # RECEPTION + COUNSELLOR
COUNSELLORS = frozenset({"cbu.vejl.1", "cai.besk.1"})
LEADERS = frozenset({"cbu.leder", "cai.leder"})
RECEPTION = frozenset({"rec.1"})
HOLDER = frozenset({"cbu.vejl.1"})  # row level: only the counsellor holding the young person
DESK_ROW = frozenset({"rec.1", "cbu.vejl.1"})  # RECEPTION, or a COUNSELLOR with access
CASE_READ = frozenset({"cbu.vejl.1", "cbu.leder"})  # the holder and the leader of the center


@dataclass
class Env:
    ctx: Any
    person_id: int
    tmp: Path
    decision_id: int | None = None
    intake_id: int = 0
    slot: Any = None
    rec: Any = None  # rec.1
    holder: Any = None  # cbu.vejl.1
    outsider: Any = None  # cai.besk.1
    meeting_id: int | None = None


@dataclass(frozen=True)
class Case:
    name: str  # module.function
    call: Callable[[Env, Any], object]
    allowed: frozenset[str]
    known_bug: str | None = None  # the service disagrees with MATRIX: xfail(strict) until fixed


def _add(env: Env, row: Any) -> int:
    with write_session(env.ctx.engine) as s:
        s.add(row)
        s.flush()
        assert row.id is not None
        return int(row.id)


def _offer(env: Env, kind: str = "COLLEAGUE") -> int:
    """A fresh pending offer from the holder for each login (an answered one is a Conflict
    before the gate): to cai.besk.1 for a colleague, else to an outside actor."""
    colleague = kind == "COLLEAGUE"
    return _add(
        env,
        Handover(
            person_id=env.person_id,
            kind=kind,
            from_staff_id=env.holder.id,
            to_staff_id=env.outsider.id if colleague else None,
            to_center_code="CAI" if colleague else None,
            to_external=None if colleague else "FGU Vest",
            to_external_contact=None if colleague else "Kim Kontakt",
            created_by=env.holder.id,
        ),
    )


def _task_id(env: Env) -> int:
    return _add(
        env,
        Task(
            person_id=env.person_id,
            kind="OUTREACH",
            staff_id=env.holder.id,
            due=dt.date(2026, 3, 9),
            created_by=env.rec.id,
        ),
    )


def _meeting_id(env: Env) -> int:
    if env.meeting_id is None:
        env.meeting_id = booking.book(env.ctx, env.rec, env.intake_id, env.slot).meeting_id
    return env.meeting_id


def _contact_person(env: Env) -> outcomes.ContactPersonInput:
    return outcomes.ContactPersonInput(staff_id=env.holder.id, paid_by="UU")


CASEWORK: list[Case] = [
    Case("queue.queue_for", lambda e, a: queue.queue_for(e.ctx, a), COUNSELLORS | LEADERS),
    Case("cases.case_timeline", lambda e, a: cases.case_timeline(e.ctx, a, e.person_id), CASE_READ),
    Case("changes.queue_stamp", lambda e, a: changes.queue_stamp(e.ctx, a), COUNSELLORS | LEADERS),
    Case("changes.case_stamp", lambda e, a: changes.case_stamp(e.ctx, a, e.person_id), CASE_READ),
    Case(
        "plans.save_plan",
        lambda e, a: plans.save_plan(e.ctx, a, e.person_id, plans.PlanInput("Mål", "Langt mål")),
        HOLDER,
    ),
    Case(
        "outcomes.record_outcome",
        lambda e, a: outcomes.record_outcome(e.ctx, a, _meeting_id(e), "CANCELLED"),
        HOLDER,
    ),
    Case(
        "outcomes.appoint_contact_person",
        lambda e, a: outcomes.appoint_contact_person(e.ctx, a, e.person_id, _contact_person(e)),
        HOLDER,
    ),
    Case(
        "outcomes.reestablish_contact_person",
        lambda e, a: outcomes.reestablish_contact_person(
            e.ctx, a, e.person_id, _contact_person(e), "DROP_OUT"
        ),
        HOLDER,
    ),
    Case(
        "outcomes.complete_task",
        lambda e, a: outcomes.complete_task(e.ctx, a, _task_id(e)),
        HOLDER,
    ),
    Case(
        "handovers.offer_handover",
        lambda e, a: handovers.offer_handover(
            e.ctx, a, e.person_id, kind="EXTERNAL", to_external="FGU", to_external_contact="Kim"
        ),
        HOLDER,
    ),
    Case(
        "handovers.accept_handover",
        lambda e, a: handovers.accept_handover(e.ctx, a, _offer(e)),
        frozenset({"cai.besk.1"}),  # only the colleague offered the young person
    ),
    Case(
        "handovers.reject_handover",
        lambda e, a: handovers.reject_handover(e.ctx, a, _offer(e), "Fuld kalender"),
        frozenset({"cai.besk.1"}),
    ),
    Case(
        "handovers.withdraw_handover",
        lambda e, a: handovers.withdraw_handover(e.ctx, a, _offer(e)),
        HOLDER,  # only the sender
    ),
    Case(
        "handovers.acknowledge_external",
        lambda e, a: handovers.acknowledge_external(
            e.ctx, a, _offer(e, "EXTERNAL"), acknowledged_by="Kim Kontakt"
        ),
        HOLDER,  # only the sender
    ),
    Case(
        "handover_watch.stale_handovers",
        lambda e, a: handover_watch.stale_handovers(e.ctx, a),
        COUNSELLORS | LEADERS,
    ),
    Case(
        "handover_watch.turning_18_handovers",
        lambda e, a: handover_watch.turning_18_handovers(e.ctx, a),
        COUNSELLORS | LEADERS | ADMIN,
    ),
    # Issue 13: casework after the first meeting (the gate is tested; a call may still be
    # refused after it, e.g. no contact person to end).
    Case(
        "booking.propose_for_case",
        lambda e, a: booking.propose_for_case(e.ctx, a, e.person_id, "FOLLOW_UP"),
        DESK_ROW,
    ),
    Case(
        "booking.book_for_case",
        lambda e, a: booking.book_for_case(e.ctx, a, e.person_id, "FOLLOW_UP", e.slot),
        DESK_ROW,
    ),
    Case("plans.plan_view", lambda e, a: plans.plan_view(e.ctx, a, e.person_id), CASE_READ),
    Case(
        "plans.end_intervention",
        lambda e, a: plans.end_intervention(e.ctx, a, e.person_id, 0, dt.date(2026, 6, 1)),
        HOLDER,
    ),
    Case(
        "plans.remove_intervention",
        lambda e, a: plans.remove_intervention(e.ctx, a, e.person_id, 0),
        HOLDER,
    ),
    Case(
        "outcomes.appoint_coordinator",
        lambda e, a: outcomes.appoint_coordinator(e.ctx, a, e.person_id, e.holder.id),
        HOLDER,
    ),
    Case(
        "outcomes.end_contact_person",
        lambda e, a: outcomes.end_contact_person(e.ctx, a, e.person_id, "Forankret i job"),
        HOLDER,
    ),
    Case(
        "outcomes.agree_continuation",
        lambda e, a: outcomes.agree_continuation(e.ctx, a, e.person_id, dt.date(2030, 1, 1)),
        HOLDER,
    ),
    Case(
        "teams.add_center",
        lambda e, a: teams.add_center(e.ctx, a, e.person_id, "CHP", e.outsider.id),
        HOLDER,
    ),
    Case(
        "teams.remove_center",
        lambda e, a: teams.remove_center(e.ctx, a, e.person_id, "CKFB", "Færdig"),
        HOLDER,
    ),
    Case(
        "teams.record_situation_change",
        lambda e, a: teams.record_situation_change(e.ctx, a, e.person_id, "Ny situation"),
        HOLDER,
    ),
    Case(
        "outreach.import_dropouts",
        lambda e, a: outreach.import_dropouts(e.ctx, a, b"cpr;name;reported_on\r\n"),
        ADMIN,
    ),
    Case(
        "outreach.add_outreach_items",
        lambda e, a: outreach.add_outreach_items(e.ctx, a, [e.person_id]),
        ADMIN,
    ),
]
