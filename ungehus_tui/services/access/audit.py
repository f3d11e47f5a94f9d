"""The audit log: append-only and hash-chained (each event holds the hash of the one before).

`record` runs inside the caller's write transaction, so the event is there exactly when the
change is. The single `audit_head` row is locked while appending (FOR UPDATE on PostgreSQL,
the write lock on SQLite), which keeps the chain a line even with many desks.

Each event records where it came from: `channel` (`tui`, `cli`) and `origin` (OS user @ host),
taken from the actor (or the process, for events without a staff actor). Both are part of
the hashed payload when set; events from before revision 0002 (both None) hash as before.

Keying (`settings.audit_key`, kept outside the database): once set, every new event's hash is
HMAC-SHA256 with the key instead of plain SHA-256, so someone who can only write the database
cannot recompute a consistent chain after changing, deleting or truncating events. The first
keyed event's id is recorded in `store_meta` (`audit_keyed_from`, with a MAC so it cannot be
moved); events before it stay plain SHA-256 and verify as such. Once the log is keyed, an
event cannot be written without the key (nor with another key): the chain would break.

Pruning (`prune_through`): the oldest events go, and `store_meta` `audit_checkpoint` keeps the
last pruned event's id and hash, so the remaining chain still verifies from there; an
AUDIT_PRUNE event in the chain repeats the checkpoint, so moving the checkpoint is detected.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import weakref
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, select

from ungehus_tui.data.models import AuditEvent, AuditHead, StoreMeta
from ungehus_tui.domain.clock import now
from ungehus_tui.services.context import Actor, process_source
from ungehus_tui.services.errors import ServiceError

GENESIS = "0" * 64
KEYED_FROM = "audit_keyed_from"  # store_meta: first event hashed with audit_key
CHECKPOINT = "audit_checkpoint"  # store_meta: last pruned event (id, hash, when)
PRUNE_ACTION = "AUDIT_PRUNE"
MIN_KEY_LENGTH = 16

NEEDS_KEY = (
    "Auditloggen er nøglet (audit_key) fra hændelse {n}; uden den samme nøgle kan der ikke "
    "logges. IT: sæt UNGEHUS_AUDIT_KEY eller audit_key i config.toml til den oprindelige nøgle."
)
WRONG_KEY = (
    "audit_key passer ikke til den nøgle, auditloggen blev startet med. IT: brug den "
    "oprindelige nøgle."
)

# The audit key of each opened database, by its SQLAlchemy dialect object (shared by an engine,
# its option-engines and connections, and kept across `dispose()`); set by `use_key`.
_KEYS: weakref.WeakKeyDictionary[Any, bytes] = weakref.WeakKeyDictionary()


def use_key(engine: Engine, key: str | None) -> None:
    """Hash this database's new audit events with `key` (None: plain SHA-256)."""
    if key:
        _KEYS[engine.dialect] = key.encode("utf-8")
    else:
        _KEYS.pop(engine.dialect, None)


def key_of(bind: Engine | Connection | Any) -> bytes | None:
    return _KEYS.get(bind.dialect)


def _mac(key: bytes, text: str) -> str:
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()


def keyed_marker(key: bytes, first_id: int) -> str:
    return json.dumps({"from": first_id, "mac": _mac(key, f"{KEYED_FROM}:{first_id}")})


def keyed_from(value: str | None, key: bytes | None) -> tuple[int | None, str | None]:
    """(first keyed event id, problem) of a stored `audit_keyed_from` value."""
    if value is None:
        return None, None
    try:
        data = json.loads(value)
        first = int(data["from"])
        mac = str(data["mac"])
    except (ValueError, KeyError, TypeError):
        return None, "the keyed-from marker (store_meta audit_keyed_from) is malformed"
    if key is None:
        return first, f"the log is keyed from event {first}: set audit_key to verify it"
    if not hmac.compare_digest(mac, _mac(key, f"{KEYED_FROM}:{first}")):
        return first, "the keyed-from marker does not match audit_key (wrong key, or changed)"
    return first, None


def event_hash(event: AuditEvent, key: bytes | None = None) -> str:
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
        event.channel,
        event.origin,
        key=key,
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
    channel: str | None = None,
    origin: str | None = None,
    *,
    key: bytes | None = None,
) -> str:
    """The hash of one event's fields and the previous hash (the chain link): SHA-256, or
    HMAC-SHA256 with `key`. Channel and origin join the payload only when either is set, so
    events written before they existed verify unchanged."""
    if at_time.tzinfo is None:  # stored as UTC
        at_time = at_time.replace(tzinfo=dt.UTC)
    at = at_time.astimezone(dt.UTC).isoformat(timespec="microseconds")
    fields: list[object] = [
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
    ]
    if channel is not None or origin is not None:
        fields += [channel, origin]
    payload = json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if key is not None:
        return hmac.new(key, payload, hashlib.sha256).hexdigest()
    return hashlib.sha256(payload).hexdigest()


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
    event_id = (head.last_event_id or 0) + 1
    key = key_of(session.get_bind())
    marker = session.get(StoreMeta, KEYED_FROM)
    if marker is not None:
        first, problem = keyed_from(marker.value, key)
        if key is None:
            raise ServiceError(NEEDS_KEY.format(n=first))
        if problem is not None:
            raise ServiceError(WRONG_KEY)
    elif key is not None:  # the first keyed event
        session.add(StoreMeta(key=KEYED_FROM, value=keyed_marker(key, event_id), updated_at=now()))
    channel, origin = process_source()
    if actor is not None and actor.channel is not None:
        channel, origin = actor.channel, actor.origin
    event = AuditEvent(
        id=event_id,
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
        channel=channel[:16] if channel else None,
        origin=origin[:200] if origin else None,
    )
    event.hash = event_hash(event, key)
    session.add(event)
    head.last_event_id = event.id
    head.last_hash = event.hash
    session.add(head)
    session.flush()
    return event


FOUND = "found="  # a SEARCH event's detail: the ids of the young people it found


def found_detail(person_ids: list[int]) -> str:
    """`found=12,34`: who a search found (the ids only, never a name or CPR)."""
    return FOUND + ",".join(str(i) for i in person_ids)


# --- the head (external anchor) ---------------------------------------------------------


@dataclass(frozen=True)
class Head:
    """The chain's head: how many events were ever appended (= the last id) and its hash."""

    events: int
    hash: str

    def as_json(self) -> dict[str, object]:
        return {"events": self.events, "hash": self.hash}


def read_head(conn: Connection | Session) -> Head | None:
    """The `audit_head` row (None when it is missing)."""
    t = AuditHead.__table__  # type: ignore[attr-defined]
    row = conn.execute(select(t.c.last_event_id, t.c.last_hash).where(t.c.id == 1)).first()
    if row is None:
        return None
    return Head(events=row[0] or 0, hash=row[1])


def parse_anchor(text: str) -> Head:
    """An anchor from a saved `audit head --json` or an export's manifest.json; ValueError
    (English, one line) when it is neither."""
    try:
        data = json.loads(text)
    except ValueError:
        raise ValueError("the anchor file is not JSON") from None
    if isinstance(data, dict) and isinstance(data.get("audit_head"), dict):
        data = data["audit_head"]
    if not isinstance(data, dict):
        raise ValueError("the anchor file holds no audit head")
    events, digest = data.get("events"), data.get("hash")
    if (
        not isinstance(events, int)
        or isinstance(events, bool)
        or events < 0
        or not isinstance(digest, str)
        or len(digest) != 64
        or any(c not in "0123456789abcdef" for c in digest)
    ):
        raise ValueError("the anchor file holds no valid audit head (events, hash)")
    return Head(events=events, hash=digest)


# --- pruning ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Checkpoint:
    event_id: int
    hash: str
    at: str

    def value(self) -> str:
        return json.dumps({"event_id": self.event_id, "hash": self.hash, "at": self.at})


def parse_checkpoint(value: str) -> Checkpoint | None:
    try:
        data = json.loads(value)
        return Checkpoint(int(data["event_id"]), str(data["hash"]), str(data.get("at", "")))
    except (ValueError, KeyError, TypeError):
        return None


def prune_detail(event_id: int, digest: str) -> str:
    return json.dumps({"checkpoint": event_id, "hash": digest})


def last_before(session: Session, cutoff: dt.datetime) -> int | None:
    """The id of the newest event written before `cutoff` (None: nothing that old)."""
    t = AuditEvent.__table__  # type: ignore[attr-defined]
    return session.execute(select(func.max(t.c.id)).where(t.c.at < cutoff)).scalar()


def prune_through(session: Session, actor: Actor | None, last_id: int) -> tuple[int, int]:
    """Delete the events up to and including `last_id` (never the newest one) in this
    transaction, move the checkpoint there and log AUDIT_PRUNE; (events deleted, the last
    pruned id), (0, 0) when there was nothing to prune."""
    t = AuditEvent.__table__  # type: ignore[attr-defined]
    head = session.exec(select(AuditHead).where(AuditHead.id == 1).with_for_update()).first()
    if head is None:
        raise ServiceError("Auditloggens hoved (audit_head) mangler; kør `ungehus audit verify`")
    last_id = min(last_id, (head.last_event_id or 0) - 1)
    row = session.execute(select(t.c.hash).where(t.c.id == last_id)).first()
    if last_id <= 0 or row is None:
        return 0, 0
    deleted = session.execute(delete(t).where(t.c.id <= last_id)).rowcount or 0  # type: ignore[attr-defined]
    stamp = now()
    point = Checkpoint(last_id, row[0], stamp.astimezone(dt.UTC).isoformat())
    meta = session.get(StoreMeta, CHECKPOINT)
    if meta is None:
        meta = StoreMeta(key=CHECKPOINT, value=point.value(), updated_at=stamp)
    meta.value, meta.updated_at = point.value(), stamp
    session.add(meta)
    session.flush()
    detail = prune_detail(last_id, row[0])
    record(session, actor, PRUNE_ACTION, purpose="slettefrist", detail=detail)
    return deleted, last_id
