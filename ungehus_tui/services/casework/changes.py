"""A cheap "has anything changed?" stamp, so an open queue or case refreshes by itself when
others change the data (issue 13: within 5 seconds, on SQLite and PostgreSQL).

`queue_stamp(ctx, actor)` (a queue) or `case_stamp(ctx, actor, person_id)` (one case; row level
as the case itself) is one statement of index-backed aggregates: per table the queue and the
case are built from, the highest id (a new row) and the latest `updated_at` (a changed row;
every service sets it).
The screen compares it with the stamp it last rendered from and reloads (the audited, full
read) only when it differs. The stamp holds numbers and times, no personal data, so it is not
audited; a new row or a changed one anywhere in these tables (a queue) or of this young person
(a case) changes it. Rows deleted by retention are not seen until the next change or reload.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlmodel import col

from ungehus_tui.data.engine import read_once, read_session
from ungehus_tui.data.models import (
    Assignment,
    Consent,
    DeskArrival,
    EducationPlan,
    Handover,
    Intake,
    Meeting,
    Task,
    YoungPerson,
)
from ungehus_tui.services.access.permissions import Action, require, require_person_access
from ungehus_tui.services.context import Actor, Ctx

# The tables a queue or a case is built from (id, person_id and updated_at, indexed); a
# case's timeline also shows its desk arrivals (their updated_at is indexed by person only).
WATCHED: tuple[Any, ...] = (
    Assignment,
    Meeting,
    Handover,
    Task,
    Consent,
    EducationPlan,
    Intake,
)

Stamp = tuple[object, ...]


def _stamp_query(person_id: int | None) -> Any:
    parts: list[Any] = []
    for model in WATCHED if person_id is None else (*WATCHED, DeskArrival):
        for column in (model.id, model.updated_at):
            query = select(func.max(column))
            if person_id is not None:
                query = query.where(model.person_id == person_id)
            parts.append(query.scalar_subquery())
    person = select(func.max(YoungPerson.updated_at))
    if person_id is not None:
        person = person.where(col(YoungPerson.id) == person_id)
    parts.append(person.scalar_subquery())
    return select(*parts)


def queue_stamp(ctx: Ctx, actor: Actor) -> Stamp:
    """The stamp of everything a queue is built from (one statement)."""
    require(actor, Action.VIEW_QUEUE)
    with read_once(ctx.engine) as session:
        return tuple(session.execute(_stamp_query(None)).one())


def case_stamp(ctx: Ctx, actor: Actor, person_id: int) -> Stamp:
    """The stamp of one young person's case (who may see the case: row level as the case)."""
    with read_session(ctx.engine) as session:
        require_person_access(session, actor, person_id, Action.VIEW_CASE)
        return tuple(session.execute(_stamp_query(person_id)).one())
