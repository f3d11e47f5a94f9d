"""The audit log: append-only and hash-chained (each event holds the hash of the one before).

`record` runs inside the caller's write transaction, so the event is there exactly when the
change is. The single `audit_head` row is locked while appending (FOR UPDATE on PostgreSQL,
the write lock on SQLite), which keeps the chain a line even with many desks.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from sqlmodel import Session, select

from ungehus_tui.data.models import AuditEvent, AuditHead
from ungehus_tui.domain.clock import now
from ungehus_tui.services.context import Actor

GENESIS = "0" * 64


def event_hash(event: AuditEvent) -> str:
    return hash_fields(
        event.id,
        event.at,
        event.staff_id,
        event.staff_login,
        event.action,
        event.person_id,
        event.search_term,
        event.purpose,
        event.detail,
        event.prev_hash,
    )


def hash_fields(
    event_id: int | None,
    at_time: dt.datetime,
    staff_id: int | None,
    staff_login: str,
    action: str,
    person_id: int | None,
    search_term: str | None,
    purpose: str | None,
    detail: str | None,
    prev_hash: str,
) -> str:
    """The SHA-256 of one event's fields and the previous hash (the chain link)."""
    if at_time.tzinfo is None:  # stored as UTC
        at_time = at_time.replace(tzinfo=dt.UTC)
    at = at_time.astimezone(dt.UTC).isoformat(timespec="microseconds")
    payload = json.dumps(
        [
            event_id,
            at,
            staff_id,
            staff_login,
            action,
            person_id,
            search_term,
            purpose,
            detail,
            prev_hash,
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def record(
    session: Session,
    actor: Actor | None,
    action: str,
    *,
    person_id: int | None = None,
    search_term: str | None = None,
    purpose: str | None = None,
    detail: str | None = None,
    login: str | None = None,
) -> AuditEvent:
    """Append one event in the current transaction. `login` names a non-staff actor."""
    head = session.exec(select(AuditHead).where(AuditHead.id == 1).with_for_update()).first()
    if head is None:
        head = AuditHead(id=1, last_event_id=0, last_hash=GENESIS)
        session.add(head)
        session.flush()
    event = AuditEvent(
        id=(head.last_event_id or 0) + 1,
        at=now().astimezone(dt.UTC),
        staff_id=actor.id if actor else None,
        staff_login=actor.login if actor else (login or "system"),
        action=action,
        person_id=person_id,
        search_term=search_term[:200] if search_term else search_term,
        purpose=purpose,
        detail=detail,
        prev_hash=head.last_hash,
        hash="",
    )
    event.hash = event_hash(event)
    session.add(event)
    head.last_event_id = event.id
    head.last_hash = event.hash
    session.add(head)
    session.flush()
    return event
