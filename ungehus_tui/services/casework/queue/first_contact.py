"""AWAITING_FIRST_CONTACT: young people the queue's staff hold on an open case with no held
meeting, nothing booked and no open outreach task, assigned within the window.

Most of a center's queue is this kind (about 19,000 of 21,600 lines in the benchmark's
largest center), so the loop does little per row: a line's text, due date and priority depend
only on the assignment's day, the young person's age band then and whose it is, and are made
once per such combination."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, and_, exists, type_coerce
from sqlmodel import col

from ungehus_tui.data.models import Assignment, Meeting, Task, YoungPerson
from ungehus_tui.domain.clock import local, stored
from ungehus_tui.domain.cpr import age_on
from ungehus_tui.services.casework.queue.base import PERSON, Build, held, masked
from ungehus_tui.services.casework.queue.items import QueueItem, QueueKind

KIND = QueueKind.AWAITING_FIRST_CONTACT


def first_contact(b: Build) -> list[QueueItem]:
    window = b.ctx.settings.first_contact_window_days
    window_start = b.stamp - dt.timedelta(days=window if window > 0 else 365 * 100)
    held_or_booked = exists().where(
        and_(
            col(Meeting.person_id) == col(Assignment.person_id),
            col(Meeting.status).in_(("HELD", "BOOKED")),
        )
    )
    outreach = exists().where(
        and_(
            col(Task.person_id) == col(Assignment.person_id),
            col(Task.kind) == "OUTREACH",
            col(Task.done_at).is_(None),
        )
    )
    rows = b.rows(
        held(
            b,
            *PERSON,
            col(YoungPerson.birth_date),
            col(Assignment.id),
            # the instant as the driver reads it: SQLModel's UTC type would cost a Python call
            # per row (a sixth of the center queue's time); made aware below
            type_coerce(col(Assignment.started_at), DateTime()),
            col(Assignment.staff_id),
        ).where(col(Assignment.started_at) >= window_start, ~held_or_booked, ~outreach)
    )
    lines: dict[tuple[dt.date, bool, int], tuple[dt.date, str, bool, int, str | None]] = {}
    out = []
    for pid, name, cpr, birth, aid, started, holder in rows:
        start = local(stored(started)).date()
        minor = age_on(birth, start) < 18
        line = lines.get((start, minor, holder))
        if line is None:
            line = lines[(start, minor, holder)] = _line(b, start, minor, holder)
        due, detail, overdue, priority, holder_name = line
        out.append(
            QueueItem(
                KIND,
                pid,
                name,
                masked(cpr),
                due,
                detail,
                None,
                None,
                None,
                aid,
                overdue,
                holder,
                holder_name,
                minor,
                priority,
            )
        )
    return out


def _line(
    b: Build, start: dt.date, minor: bool, holder: int
) -> tuple[dt.date, str, bool, int, str | None]:
    """Due date and line of an assignment made on `start`: 15-17s have the education duty's
    contact deadline, 18-29s the house's."""
    settings = b.ctx.settings
    n = settings.first_contact_working_days if minor else settings.first_contact_adult_working_days
    detail = f"Tildelt {start:%d-%m-%Y}" + (f" · kontakt inden {n} arbejdsdage" if minor else "")
    due = b.add_wd(start, n)
    return (due, *b.line(due, detail, holder, duty=minor))
