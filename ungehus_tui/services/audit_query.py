"""Reading the audit log: chain verification and a subject access listing.

`verify_chain` streams the events in id order and recomputes each hash (`audit.hash_fields`);
it holds one row at a time, so a million events take seconds, not memory. It finds a changed
row (its hash no longer matches), a deleted or inserted row (the next `prev_hash` or the id
sequence breaks), and a truncated tail (the `audit_head` row disagrees).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.engine import Engine

from ungehus_tui.data.engine import write_session
from ungehus_tui.data.models import AuditEvent, AuditHead, Staff, YoungPerson
from ungehus_tui.domain import cpr as cprmod
from ungehus_tui.services import audit
from ungehus_tui.services.context import Actor, Ctx
from ungehus_tui.services.errors import NotFound
from ungehus_tui.services.permissions import Action, require


@dataclass(frozen=True)
class VerifyResult:
    checked: int
    broken_id: int | None  # the first event that does not verify (None: intact)
    reason: str | None

    @property
    def ok(self) -> bool:
        return self.broken_id is None


def verify_chain(engine: Engine, *, batch: int = 5000) -> VerifyResult:
    t = AuditEvent.__table__  # type: ignore[attr-defined]
    cols = [
        t.c.id,
        t.c.at,
        t.c.staff_id,
        t.c.staff_login,
        t.c.action,
        t.c.person_id,
        t.c.search_term,
        t.c.purpose,
        t.c.detail,
        t.c.prev_hash,
        t.c.hash,
    ]
    prev = audit.GENESIS
    expected_id = 1
    checked = 0
    with engine.connect() as conn:
        rows = conn.execution_options(stream_results=True, yield_per=batch).execute(
            select(*cols).order_by(t.c.id)
        )
        for row in rows:
            eid = row.id
            if eid != expected_id:
                return VerifyResult(checked, expected_id, "event missing (id sequence broken)")
            if row.prev_hash != prev:
                return VerifyResult(checked, eid, "previous hash does not match")
            digest = audit.hash_fields(*row[:10])
            if digest != row.hash:
                return VerifyResult(checked, eid, "content changed (hash does not match)")
            prev = row.hash
            expected_id += 1
            checked += 1
        ht = AuditHead.__table__  # type: ignore[attr-defined]
        head = conn.execute(select(ht).where(ht.c.id == 1)).first()
    last_id = expected_id - 1
    if head is not None and (head.last_event_id or 0) != last_id:
        missing = min(head.last_event_id or 0, last_id) + 1
        return VerifyResult(checked, missing, "events missing at the end (head disagrees)")
    if head is not None and last_id and head.last_hash != prev:
        return VerifyResult(checked, last_id, "last hash does not match the head")
    return VerifyResult(checked, None, None)


@dataclass(frozen=True)
class LookUp:
    at: dt.datetime
    staff_login: str
    staff_name: str | None
    action: str
    purpose: str | None
    search_term: str | None


def person_events(ctx: Ctx, actor: Actor, cpr: str, purpose: str) -> list[LookUp]:
    """Every logged use of one young person (subject access request); itself audited.

    Events naming the person, plus searches whose term was the person's full CPR.
    """
    require(actor, Action.AUDIT_READ)
    number = cprmod.compact(cpr)
    with write_session(ctx.engine) as session:
        person = (
            session.execute(select(YoungPerson).where(YoungPerson.cpr == number)).scalars().first()
        )
        if person is None:
            raise NotFound("Ingen ung med det CPR-nummer")
        terms = {number, f"{number[:6]}-{number[6:]}"}
        rows = session.execute(
            select(AuditEvent, Staff.name)
            .outerjoin(Staff, Staff.id == AuditEvent.staff_id)
            .where(
                or_(
                    AuditEvent.person_id == person.id,
                    AuditEvent.search_term.in_(terms),  # type: ignore[union-attr]
                )
            )
            .order_by(AuditEvent.id)  # type: ignore[arg-type]
        ).all()
        found = [
            LookUp(
                at=e.at,
                staff_login=e.staff_login,
                staff_name=name,
                action=e.action,
                purpose=e.purpose,
                search_term=cprmod.mask(e.search_term)
                if e.search_term and e.search_term.replace("-", "") == number
                else e.search_term,
            )
            for e, name in rows
        ]
        audit.record(session, actor, "AUDIT_SHOW", person_id=person.id, purpose=purpose)
    return found
