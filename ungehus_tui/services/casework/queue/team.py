"""COORDINATOR_MISSING: an open team case (active professionals from two or more centers) held
by the queue's staff with no coordinating caseworker, due the day it became a team case."""

from __future__ import annotations

from sqlalchemy import case, exists, func, select
from sqlalchemy.orm import aliased
from sqlmodel import col

from ungehus_tui.data.models import Assignment, YoungPerson
from ungehus_tui.domain.clock import local
from ungehus_tui.services.casework.queue.base import PERSON, Build, holding
from ungehus_tui.services.casework.queue.items import QueueItem, QueueKind


def coordinator_missing(b: Build) -> list[QueueItem]:
    """Open cases held by the queue's staff whose active professionals span two or more
    centers while none of them is the coordinating caseworker. Counted in the database (a
    center's queue holds tens of thousands of cases; only the few that qualify come back).

    A team case has at least two active assignments, so a held case with no other active
    assignment (most of them) is ruled out by one index probe before anything is grouped.
    The centers are then listed for the young people that qualify, whose cases are open."""
    other = aliased(Assignment)
    another = exists().where(
        col(other.person_id) == col(Assignment.person_id),
        col(other.ended_at).is_(None),
        col(other.id) != col(Assignment.id),
    )
    # The case being open is checked on the few that qualify, not on every held one.
    candidates = select(col(Assignment.person_id)).where(*holding(b), another)
    active = (
        col(Assignment.person_id).in_(candidates),
        col(Assignment.ended_at).is_(None),
        col(Assignment.staff_id).is_not(None),
        col(Assignment.kind) != "CONTACT_PERSON",
    )
    cases = (
        select(
            col(Assignment.person_id).label("pid"),
            func.max(col(Assignment.started_at)).label("since"),
            func.max(case((col(Assignment.holds).is_(True), col(Assignment.staff_id)))).label(
                "holder"
            ),
        )
        .where(*active)
        .group_by(col(Assignment.person_id))
        .having(func.count(func.distinct(col(Assignment.center_code))) >= 2)
        .having(func.sum(case((col(Assignment.kind) == "COORDINATOR", 1), else_=0)) == 0)
        .subquery()
    )
    rows = b.rows(
        select(*PERSON, cases.c.since, cases.c.holder)
        .join(cases, cases.c.pid == col(YoungPerson.id))
        .where(col(YoungPerson.case_open).is_(True))
        .order_by(col(YoungPerson.id))
    )
    if not rows:
        return []
    centers: dict[int, set[str]] = {}
    for pid, center in b.rows(
        select(col(Assignment.person_id), col(Assignment.center_code))
        .where(*active, col(Assignment.person_id).in_([r[0] for r in rows]))
        .distinct()
    ):
        centers.setdefault(pid, set()).add(center)
    out = []
    for pid, name, cpr, since, holder in rows:
        detail = (
            f"Teamsag ({', '.join(sorted(centers.get(pid, ())))}): "
            "udpeg en koordinerende sagsbehandler"
        )
        out.append(
            b.item(
                QueueKind.COORDINATOR_MISSING,
                (pid, name, cpr),
                local(since).date(),
                detail,
                holder,
            )
        )
    return out
