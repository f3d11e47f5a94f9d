"""The desk's search before the store is loaded (`data.early`): the same statement and the
same hits as `people.search`, with the same permission, for the staff member the app was
started as (`--demo --as`). Read only, like `people.search`; the term is audited once the
store is open (the desk's settled search, `people.audit_search`)."""

from __future__ import annotations

from ungehus_tui.data.early import EarlyReader
from ungehus_tui.data.search_plan import plan
from ungehus_tui.domain.clock import today
from ungehus_tui.services.access.permissions import Action, require
from ungehus_tui.services.context import Actor
from ungehus_tui.services.desk.hits import PersonHit, person_hit


def early_actor(reader: EarlyReader) -> Actor:
    return Actor.of(reader.staff)


def early_search(
    reader: EarlyReader, actor: Actor, term: str, limit: int = 20
) -> list[PersonHit] | None:
    """`people.search` on the early reader; None: a term whose statement only the store runs
    (several birth dates)."""
    require(actor, Action.SEARCH)
    raw = term.strip()
    planned = plan(raw, limit) if raw else None
    if planned is None:
        return []
    rows = reader.rows(*planned)
    if rows is None:
        return None
    on = today()
    return [person_hit(r.id, r.name, r.cpr, r.birth_date, on) for r in rows]
