"""What every part of the queue shares: whose items it shows (the actor, or a leader's whole
center), today, the working-day calendar, the young person's columns, the base query of the
cases the queue's staff hold, and one way to turn a row into a line (masked CPR, overdue,
priority, whose it is)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, select
from sqlmodel import col

from ungehus_tui.data.models import Assignment, Staff, YoungPerson
from ungehus_tui.data.org import work_calendar
from ungehus_tui.domain.cpr import mask
from ungehus_tui.services.casework.queue.items import EDUCATION_DUTY_DA, QueueItem, is_center_queue
from ungehus_tui.services.context import Actor, Ctx

PERSON = (col(YoungPerson.id), col(YoungPerson.name), col(YoungPerson.cpr))

# What a line says besides the young person: (detail_da, overdue, priority, holder_name).
Line = tuple[str, bool, int, str | None]


def whose(session: Any, actor: Actor) -> dict[int, str]:
    """Staff id -> name of the people whose items the queue shows: the actor, or for a leader
    everyone in their center (disabled logins too: their open items still need someone)."""
    if not is_center_queue(actor):
        return {actor.id: actor.name}
    if not actor.center_code:
        return {}
    rows = session.execute(
        select(col(Staff.id), col(Staff.name)).where(col(Staff.center_code) == actor.center_code)
    ).all()
    return dict(rows)


def masked(cpr: str) -> str:
    """DDMMYY-XXXX (stored compact, so the fast path is the usual one)."""
    return f"{cpr[:6]}-XXXX" if len(cpr) == 10 else mask(cpr)


@dataclass
class Build:
    """One opening of a queue: whose items, the moment it is read, the kinds wanted."""

    ctx: Ctx
    session: Any
    whose: dict[int, str]
    center: bool
    stamp: dt.datetime
    wanted: set[str]
    day: dt.date = field(init=False)
    cal: Any = None
    due_cache: dict[tuple[dt.date, int], dt.date] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.day = self.stamp.date()

    @property
    def ids(self) -> list[int]:
        return list(self.whose)

    def rows(self, statement: Any) -> Sequence[Any]:
        """The rows of one statement, as plain rows (no ORM objects)."""
        return self.session.connection().execute(statement).all()

    def add_wd(self, start: dt.date, n: int) -> dt.date:
        key = (start, n)
        if key not in self.due_cache:
            if self.cal is None:
                self.cal = work_calendar(self.session)
            self.due_cache[key] = self.cal.add_working_days(start, n)
        return self.due_cache[key]

    def line(
        self, due: dt.date, detail: str, holder: int | None, duty: bool = False, named: bool = True
    ) -> Line:
        """How an item due `due` reads: a 15-17-year-old's first contact says so (`duty`), and
        a leader's line starts with whose it is (`named`; the detail stays readable on its own)."""
        overdue = due < self.day
        priority = (2 if duty else 1) if overdue else 0
        if duty:
            detail = f"{detail} · {EDUCATION_DUTY_DA}" if detail else EDUCATION_DUTY_DA
        holder_name = self.whose.get(holder) if holder is not None else None
        if named and self.center and holder_name is not None:
            detail = f"{holder_name} · {detail}"
        return detail, overdue, priority, holder_name

    def item(
        self,
        kind: str,
        person: tuple[int, str, str],
        due: dt.date,
        detail: str,
        holder: int | None,
        *,
        duty: bool = False,
        named: bool = True,
        **refs: int,
    ) -> QueueItem:
        pid, name, cpr = person
        detail_da, overdue, priority, holder_name = self.line(due, detail, holder, duty, named)
        return QueueItem(
            kind,
            pid,
            name,
            masked(cpr),
            due,
            detail_da,
            overdue=overdue,
            holder_id=holder,
            holder_name=holder_name,
            education_duty=duty,
            priority=priority,
            **refs,
        )


def holding(b: Build) -> tuple[Any, ...]:
    """An assignment of the queue's staff that is active and holds the young person."""
    return (
        col(Assignment.staff_id).in_(b.ids),
        col(Assignment.ended_at).is_(None),
        col(Assignment.holds).is_(True),
    )


def held(b: Build, *columns: Any) -> Select[Any]:
    """The open cases the queue's staff hold: their holding assignments, joined to the young
    person (the base of the first-contact and the team-case parts)."""
    return (
        select(*columns)
        .select_from(Assignment)
        .join(YoungPerson, col(YoungPerson.id) == col(Assignment.person_id))
        .where(*holding(b), col(YoungPerson.case_open).is_(True))
    )
