"""Reading the audit log: chain verification and a subject access listing.

`verify_chain` streams the events in id order and recomputes each hash (`audit.hash_fields`);
it holds one row at a time, so a million events take seconds, not memory. It finds a changed
row (its hash no longer matches), a deleted or inserted row (the next `prev_hash` or the id
sequence breaks), and a truncated tail (the `audit_head` row disagrees).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, literal, or_, select
from sqlalchemy.engine import Engine
from sqlmodel import col

from ungehus_tui.data.engine import write_session
from ungehus_tui.data.models import AuditEvent, Staff, StoreMeta, YoungPerson
from ungehus_tui.domain import cpr as cprmod
from ungehus_tui.services.access import audit
from ungehus_tui.services.access.permissions import Action, require
from ungehus_tui.services.context import Actor, Ctx
from ungehus_tui.services.errors import NotFound


@dataclass(frozen=True)
class VerifyResult:
    checked: int
    broken_id: int | None  # the first event that does not verify (None: intact)
    reason: str | None
    start: int = 0  # the pruning checkpoint the chain verified from (0: from the genesis)
    keyed_from: int | None = None  # first event hashed with audit_key (None: not keyed)
    head: audit.Head | None = None  # the chain's verified head

    @property
    def ok(self) -> bool:
        return self.reason is None


_NO_KEYED_MARKER = (
    "audit_key is set but the log has no keyed-from marker (store_meta audit_keyed_from): it "
    "was deleted, or no event was written since the key was set (any action writes one)"
)


@dataclass
class _Walk:
    """One streaming walk along the chain, from its checkpoint (or the genesis): `step`
    checks each event in id order; the `*_problem` checks run once the walk reached the end,
    each giving (the id where it breaks, why) or None."""

    start: int  # the checkpoint's event id (0: from the genesis)
    start_hash: str
    keyed: int | None
    secret: bytes | None
    anchor: audit.Head | None
    prev: str = ""
    checked: int = 0
    confirmed: str | None = None  # the newest AUDIT_PRUNE event's detail
    anchor_seen: bool = False

    def __post_init__(self) -> None:
        self.prev = self.start_hash

    @property
    def last_id(self) -> int:
        return self.start + self.checked

    @property
    def tip(self) -> audit.Head:
        return audit.Head(self.last_id, self.prev)

    def fail(self, at: int | None, reason: str) -> VerifyResult:
        return VerifyResult(self.checked, at, reason, self.start, self.keyed)

    def step(self, row: Any) -> VerifyResult | None:
        """Check the next event (a row of the hashed columns in hash order, then `hash`):
        its id, its link to the previous one, its hash, the anchor."""
        eid = row.id
        expected = self.last_id + 1
        if eid != expected:
            return self.fail(expected, self._gap(eid))
        if row.prev_hash != self.prev:
            return self.fail(eid, "previous hash does not match")
        use = self.secret if self.keyed is not None and eid >= self.keyed else None
        if audit.hash_fields(*row[:12], key=use) != row.hash:
            return self.fail(eid, "content changed (hash does not match)")
        if row.action == audit.PRUNE_ACTION:
            self.confirmed = row.detail
        if self.anchor is not None and eid == self.anchor.events:
            self.anchor_seen = True
            if row.hash != self.anchor.hash:
                reason = "the log was rewritten: this event's hash differs from the anchor's"
                return self.fail(eid, reason)
        self.prev = row.hash
        self.checked += 1
        return None

    def _gap(self, eid: int) -> str:
        if self.checked == 0 and self.start == 0 and eid > 1:
            return (
                f"events 1-{eid - 1} missing at the start (deleted, or the pruning "
                "checkpoint row audit_checkpoint was deleted)"
            )
        return "event missing (id sequence broken)"

    def head_problem(self, head: audit.Head | None, has_events: bool) -> tuple[int, str] | None:
        last_id = self.last_id
        if head is None:
            if has_events or self.start:
                return last_id, "the head row (audit_head) is missing"
            return None
        if head.events != last_id:
            return min(head.events, last_id) + 1, "events missing at the end (head disagrees)"
        if last_id and head.hash != self.prev:
            return last_id, "last hash does not match the head"
        return None

    def checkpoint_problem(self) -> tuple[int, str] | None:
        if self.start and self.confirmed != audit.prune_detail(self.start, self.start_hash):
            return (
                self.start,
                "the pruning checkpoint (audit_checkpoint) is not the one its AUDIT_PRUNE "
                "event recorded (the checkpoint was moved or events after it deleted)",
            )
        return None

    def anchor_problem(self) -> tuple[int, str] | None:
        anchor = self.anchor
        if anchor is None or self.anchor_seen or not anchor.events:
            return None
        last_id = self.last_id
        if anchor.events > last_id:
            if last_id == 0:
                return 1, f"the log was emptied: the anchor has {anchor.events} events"
            return (
                last_id + 1,
                f"events after {last_id} were truncated: the anchor has {anchor.events}",
            )
        if anchor.events != self.start:
            return (
                anchor.events,
                f"the anchor's event was pruned (checkpoint at {self.start}); it cannot be checked",
            )
        if self.start_hash != anchor.hash:
            return self.start, "the log was rewritten: the checkpoint differs from the anchor"
        return None


def _begin(
    meta: dict[str, str],
    secret: bytes | None,
    has_events: bool,
    anchor: audit.Head | None,
) -> _Walk | VerifyResult:
    """Where the walk starts (the checkpoint, or the genesis) and from which event it is
    keyed, or why it cannot start (a missing or foreign keyed-from marker, a bad checkpoint)."""
    keyed, problem = audit.keyed_from(meta.get(audit.KEYED_FROM), secret)
    if problem is not None:
        return VerifyResult(0, keyed, problem)
    if secret is not None and keyed is None and has_events:
        return VerifyResult(0, None, _NO_KEYED_MARKER)
    start, prev = 0, audit.GENESIS
    if audit.CHECKPOINT in meta:
        point = audit.parse_checkpoint(meta[audit.CHECKPOINT])
        if point is None:
            return VerifyResult(0, None, "the pruning checkpoint (audit_checkpoint) is malformed")
        start, prev = point.event_id, point.hash
    return _Walk(start=start, start_hash=prev, keyed=keyed, secret=secret, anchor=anchor)


def verify_chain(
    engine: Engine,
    *,
    batch: int = 5000,
    anchor: audit.Head | None = None,
    key: str | None = None,
) -> VerifyResult:
    """Walk the chain from its checkpoint (or the genesis) to the head, streaming.

    Fails on a changed, inserted or deleted event; on a head row that is missing or disagrees
    with the last event; on a checkpoint not confirmed by its AUDIT_PRUNE event; on a keyed log
    without (or with another) audit_key; and, given an `anchor` (a head saved elsewhere), when
    the log no longer reaches it or its event's hash differs (truncated, emptied, rewritten).
    `key` defaults to the audit_key the database was opened with.
    """
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
        t.c.channel,
        t.c.origin,
        t.c.hash,
    ]
    mt = StoreMeta.__table__  # type: ignore[attr-defined]
    secret = key.encode("utf-8") if key else audit.key_of(engine)
    with engine.connect() as conn:
        meta: dict[str, str] = dict(
            conn.execute(
                select(mt.c.key, mt.c.value).where(
                    mt.c.key.in_([audit.KEYED_FROM, audit.CHECKPOINT])
                )
            ).all()
        )
        head = audit.read_head(conn)
        has_events = conn.execute(select(t.c.id).limit(1)).first() is not None
        walk = _begin(meta, secret, has_events, anchor)
        if isinstance(walk, VerifyResult):
            return walk
        rows = conn.execution_options(stream_results=True, yield_per=batch).execute(
            select(*cols).order_by(t.c.id)
        )
        for row in rows:
            failed = walk.step(row)
            if failed is not None:
                return failed
    problem = (
        walk.head_problem(head, has_events) or walk.checkpoint_problem() or walk.anchor_problem()
    )
    at, reason = problem if problem is not None else (None, None)
    return VerifyResult(walk.checked, at, reason, walk.start, walk.keyed, walk.tip)


# Every action code the services log, in Danish for the terminal (`audit show`); the JSON
# output keeps the code. A code missing here is shown as is (tests check the table is full).
ACTION_NAMES_DA: dict[str, str] = {
    "ARRIVAL": "henvendelse i skranken",
    "ARRIVAL_SERVED": "henvendelse ekspederet",
    "ASSIGN": "tildelt rådgiver",
    "AUDIT_PRUNE": "auditlog beskåret (slettefrist)",
    "AUDIT_SHOW": "auditlog læst (indsigt)",
    "BACKUP": "sikkerhedskopi",
    "BOOK": "møde booket",
    "CASE_REOPEN": "sag genåbnet",
    "CHANGE_PASSWORD": "egen adgangskode skiftet",
    "CENTER_ADD": "center tilføjet sagen",
    "CENTER_REMOVE": "center gået ud af sagen",
    "CONSENT": "samtykke registreret",
    "CONSENT_GIVE": "samtykke givet",
    "CONSENT_WITHDRAW": "samtykke trukket tilbage",
    "CONTACT_PERSON": "kontaktperson sat",
    "CONTACT_PERSON_AGREEMENT": "aftale om kontaktperson efter 25 år",
    "CONTACT_PERSON_END": "kontaktperson afsluttet (forankret)",
    "COORDINATOR": "koordinerende sagsbehandler udpeget",
    "EXPORT": "eksport",
    "EXPORT_CPR": "eksport med CPR",
    "HANDOVER_ACCEPT": "overdragelse accepteret",
    "HANDOVER_ACKNOWLEDGED": "overdragelse kvitteret",
    "HANDOVER_OFFER": "overdragelse tilbudt",
    "HANDOVER_REJECT": "overdragelse afvist",
    "HANDOVER_WITHDRAW": "overdragelse trukket tilbage",
    "DROPOUT_QUEUED": "frafald lagt i arbejdskø",
    "IMPORT": "listeimport",
    "IMPORT_DROPOUTS": "frafaldsliste importeret",
    "OUTREACH_QUEUED": "opsøgende opgave lagt i arbejdskø",
    "PLAN_INTERVENTION_END": "indsats i uddannelsesplan afsluttet",
    "PLAN_INTERVENTION_REMOVE": "indsats fjernet fra uddannelsesplan",
    "PLAN_SAVE": "uddannelsesplan gemt",
    "RECORD_OUTCOME": "mødeudfald registreret",
    "REGISTER": "registreret",
    "RESET_PASSWORD": "adgangskode nulstillet",
    "RETENTION_ANONYMISE": "anonymiseret (slettefrist)",
    "RETENTION_LIST": "slettefrist-liste",
    "REVEAL_CPR": "fuldt CPR-nummer vist",
    "SEARCH": "søgning",
    "SIGN_IN": "logget ind",
    "SITUATION_CHANGE": "ændret situation registreret",
    "SIGN_IN_FAILED": "mislykket login",
    "STAFF_ADD": "medarbejder oprettet",
    "STAFF_DISABLE": "medarbejder deaktiveret",
    "TASK_DONE": "opgave løst",
    "TRIAGE": "visiteret",
    "TRIAGE_OVERRIDE": "visitation ændret manuelt",
    "UPDATE_PERSON": "oplysninger opdateret",
    "VIEW_CASE": "sag åbnet",
    "VIEW_PERSON": "den unge åbnet",
    "VIEW_PLAN": "uddannelsesplan vist",
    "VIEW_QUEUE": "arbejdskø vist",
}


def action_da(code: str) -> str:
    return ACTION_NAMES_DA.get(code, code)


_CPR_LIKE = re.compile(r"(?<!\d)(\d{6})[- ]?(\d{4})(?!\d)")


def masked_term(term: str | None) -> str | None:
    """A search term as it may be shown: every CPR-like number as DDMMYY-XXXX (the log keeps
    the term as typed; no screen or listing shows a full CPR from it)."""
    return _CPR_LIKE.sub(r"\1-XXXX", term) if term else term


@dataclass(frozen=True)
class LookUp:
    at: dt.datetime
    staff_login: str
    staff_name: str | None
    action: str
    purpose: str | None
    search_term: str | None  # masked (masked_term)
    channel: str | None = None
    origin: str | None = None

    @property
    def action_da(self) -> str:
        return action_da(self.action)

    def as_json(self) -> dict[str, object]:
        return {
            "at": self.at.astimezone(dt.UTC).isoformat()
            if self.at.tzinfo
            else self.at.isoformat() + "+00:00",
            "staff_login": self.staff_login,
            "staff_name": self.staff_name,
            "action": self.action,
            "action_da": self.action_da,
            "purpose": self.purpose,
            "search_term": self.search_term,
            "channel": self.channel,
            "origin": self.origin,
        }


def found_person(person_id: int):
    """SEARCH events whose result held this young person (`audit.found_detail`)."""
    detail = col(AuditEvent.detail)
    ids = literal(",").concat(func.substr(detail, len(audit.FOUND) + 1)).concat(",")
    return and_(
        col(AuditEvent.action) == "SEARCH",
        detail.like(audit.FOUND + "%"),
        ids.like(f"%,{int(person_id)},%"),
    )


def person_events(ctx: Ctx, actor: Actor, cpr: str, purpose: str) -> list[LookUp]:
    """Every logged use of one young person (subject access request); itself audited.

    Events naming the person, searches whose result held the person (search events record
    the ids they found), and older searches (logged before that) whose term was the
    person's full CPR, with or without hyphen. Search terms are shown with CPRs masked.
    """
    require(actor, Action.AUDIT_READ)
    number = cprmod.compact(cpr)
    with write_session(ctx.engine) as session:
        by_cpr = select(YoungPerson).where(col(YoungPerson.cpr) == number)
        person = session.execute(by_cpr).scalars().first()
        if person is None:
            raise NotFound("Ingen ung med det CPR-nummer")
        assert person.id is not None
        terms = {number, f"{number[:6]}-{number[6:]}", f"{number[:6]} {number[6:]}"}
        rows = session.execute(
            select(AuditEvent, col(Staff.name))
            .outerjoin(Staff, col(Staff.id) == col(AuditEvent.staff_id))
            .where(
                or_(
                    col(AuditEvent.person_id) == person.id,
                    col(AuditEvent.search_term).in_(terms),
                    found_person(person.id),
                )
            )
            .order_by(col(AuditEvent.id))
        ).all()
        found = [
            LookUp(
                at=e.at,
                staff_login=e.staff_login,
                staff_name=name,
                action=e.action,
                purpose=e.purpose,
                search_term=masked_term(e.search_term),
                channel=e.channel,
                origin=e.origin,
            )
            for e, name in rows
        ]
        audit.record(session, actor, "AUDIT_SHOW", person_id=person.id, purpose=purpose)
    return found
