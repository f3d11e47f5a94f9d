"""The list import: register young people from a list (e.g. an outreach list from UU).

Each row is validated as the desk validates (`people.validate_person`: CPR, age 15-29 on the
import day, name, phone, e-mail, guardian for under-18s). The import contract requires only
`cpr` and `name` columns: a list without a guardian column registers its 15-17-year-olds
anyway, each with an open GUARDIAN_MISSING task ("Forælder/værge mangler", due within the
education duty's contact deadline) that the counsellor holding the young person sees in the
queue until a guardian is recorded; a list with the column still needs it filled for them.

A file is refused whole (UnusableFile, nothing written) when its header names a column twice
or two columns mean the same field (`navn` and `name`): which one is meant? A CSV row with
more non-empty fields than the header (an unquoted separator in a name shifts every value
after it) is rejected with its reason.

A young person already registered (same CPR) is matched, not duplicated; empty phone /
e-mail / guardian fields are filled in from the list, recorded values are never overwritten,
names are never changed. Rows that fail go to the rejects list with a Danish reason per row
(never the CPR in the reason).

Imported young people get no open case (`case_open` stays false) and no intake: the desk
triages and books them when they are contacted. `situation` is checked against the code list
but not stored: an intake needs the full facts and a triage decision.

Concurrency: rows are committed in batches, each one write transaction. SQLite queues the
writers (BEGIN IMMEDIATE); on PostgreSQL each batch first locks the audit head row (every
registration appends to the audit chain anyway), and a batch that still meets a unique
violation or a deadlock (a desk registering the same person at that moment) is rolled back
and retried, so it then matches the person the other transaction created.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session, select

from ungehus_tui.data.engine import write_session
from ungehus_tui.data.models import AuditHead, Task
from ungehus_tui.data.org import work_calendar
from ungehus_tui.domain import cpr as cprmod
from ungehus_tui.domain.clock import now, today
from ungehus_tui.domain.codes import Situation, TaskKind
from ungehus_tui.services.access import audit
from ungehus_tui.services.access.permissions import Action, require
from ungehus_tui.services.context import Actor, Ctx
from ungehus_tui.services.dataio.tabular import (
    Dialect,
    Row,
    RowWriter,
    UnusableFile,
    open_private,
    read_rows,
)
from ungehus_tui.services.desk.people import (
    PersonInput,
    find_by_cpr,
    register_person_in,
    validate_person,
)
from ungehus_tui.services.errors import ServiceError, ValidationFailed

BATCH = 200
RETRIES = 8
REASON_COLUMN = "fejl"
GUARDIAN_TASK_NOTE = "Forælder/værge mangler: listen havde ingen forælder/værge-kolonne"
ALIASES = {
    "cpr": "cpr",
    "cpr-nummer": "cpr",
    "cprnr": "cpr",
    "name": "name",
    "navn": "name",
    "phone": "phone",
    "telefon": "phone",
    "tlf": "phone",
    "email": "email",
    "e-mail": "email",
    "mail": "email",
    "situation": "situation",
    "guardian_name": "guardian_name",
    "værge": "guardian_name",
    "guardian_phone": "guardian_phone",
}
FIELD_DA = {
    "cpr": "CPR",
    "name": "Navn",
    "phone": "Telefon",
    "email": "E-mail",
    "guardian_name": "Forælder/værge",
    "guardian_phone": "Forælders telefon",
    "situation": "Situation",
}
Progress = Callable[[int, int], None]


@dataclass
class ImportResult:
    dialect: Dialect
    rows: int = 0
    registered: int = 0
    matched: int = 0
    updated: int = 0
    rejected: int = 0
    guardian_missing: int = 0  # 15-17s registered without a guardian (a task each)
    rejects: list[tuple[dict[str, str], str]] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    person_ids: list[int] = field(default_factory=list)  # registered or matched, in order
    outreach: int = 0  # OUTREACH items made (`import --kind outreach`)


def _columns(header: list[str]) -> dict[str, str]:
    """Original column name -> our field; raises UnusableFile without cpr and name."""
    mapping: dict[str, str] = {}
    for col in header:
        key = ALIASES.get(col.strip().lower().lstrip("\ufeff"))
        if key and key in mapping.values():
            first = next(c for c, k in mapping.items() if k == key)
            raise UnusableFile(f"duplicate column: {first[:40]!r} and {col[:40]!r} both give {key}")
        if key:
            mapping[col] = key
    missing = [c for c in ("cpr", "name") if c not in mapping.values()]
    if missing:
        raise UnusableFile(f"missing required column(s): {', '.join(missing)}")
    return mapping


def _check(row: dict[str, str], mapping: dict[str, str], guardian_required: bool) -> PersonInput:
    values = {key: _unneutralise((row.get(col) or "").strip()) for col, key in mapping.items()}
    errors: dict[str, str] = {}
    situation = values.pop("situation", "")
    if situation and situation.lower() not in {s.value for s in Situation}:
        errors["situation"] = "Ukendt situation (grundskole, ungdomsuddannelse, job, ingen, andet)"
    data = PersonInput(
        cpr=values.get("cpr", ""),
        name=values.get("name", ""),
        phone=values.get("phone") or None,
        email=values.get("email") or None,
        guardian_name=values.get("guardian_name") or None,
        guardian_phone=values.get("guardian_phone") or None,
    )
    try:
        _, clean = validate_person(data, guardian_required=guardian_required)
    except ValidationFailed as exc:
        errors = {**exc.errors, **errors}
    if errors:
        raise ValidationFailed(errors)
    return clean


def _unneutralise(text: str) -> str:
    """Undo the export's formula guard (a rejects file re-imported after fixing it)."""
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@\t\r":
        return text[1:]
    return text


def _shape_reason(row: Row, header: list[str]) -> str | None:
    """Why a row cannot be read as the header says (None when it can)."""
    if row.extra:
        return (
            f"Rækken har {row.extra} felt(er) mere end overskriftens {len(header)} kolonner "
            "(fx et skilletegn uden anførselstegn i et navn): ret rækken"
        )
    return None


def reason_text(errors: dict[str, str]) -> str:
    return "; ".join(f"{FIELD_DA.get(k, k)}: {v}" for k, v in errors.items())


def import_list(
    ctx: Ctx,
    actor: Actor,
    raw: bytes,
    *,
    dialect: Dialect | None = None,
    source: str = "",
    progress: Progress | None = None,
    batch_size: int = BATCH,
) -> ImportResult:
    """Import a list file's bytes. Raises UnusableFile for a file that is not a usable list."""
    require(actor, Action.IMPORT)
    require(actor, Action.REGISTER)
    chosen, header, rows = read_rows(raw, dialect)
    mapping = _columns(header)
    guardian_required = "guardian_name" in mapping.values()
    result = ImportResult(dialect=chosen, rows=len(rows), header=header)
    good: list[PersonInput] = []
    for row in rows:
        shape = _shape_reason(row, header)
        if shape is not None:
            result.rejects.append((row, shape))
            continue
        try:
            good.append(_check(row, mapping, guardian_required))
        except ValidationFailed as exc:
            result.rejects.append((row, reason_text(exc.errors)))
    result.rejected = len(result.rejects)
    done = result.rejected
    if progress:
        progress(done, len(rows))
    for start in range(0, len(good), batch_size):
        batch = good[start : start + batch_size]
        days = ctx.settings.first_contact_working_days
        counts = _commit_batch(ctx, actor, batch, guardian_days=days)
        result.registered += counts[0]
        result.matched += counts[1]
        result.updated += counts[2]
        result.guardian_missing += counts[3]
        result.person_ids.extend(counts[4])
        done += len(batch)
        if progress:
            progress(done, len(rows))
    with write_session(ctx.engine) as session:
        detail = {
            "source": Path(source).name[:100],
            "rows": result.rows,
            "registered": result.registered,
            "matched": result.matched,
            "updated": result.updated,
            "rejected": result.rejected,
            "guardian_missing": result.guardian_missing,
        }
        audit.record(session, actor, "IMPORT", purpose="listeimport", detail=json.dumps(detail))
    return result


Counts = tuple[int, int, int, int, list[int]]


def _commit_batch(
    ctx: Ctx, actor: Actor, batch: list[PersonInput], *, guardian_days: int
) -> Counts:
    for attempt in range(RETRIES):
        try:
            with write_session(ctx.engine) as session:
                return _apply(session, actor, batch, guardian_days)
        except (IntegrityError, OperationalError):
            if attempt == RETRIES - 1:
                raise
            time.sleep(0.05 * (attempt + 1))  # let the other writer commit, then match
    raise ServiceError("Importen kunne ikke gemmes")  # pragma: no cover


def _apply(session: Session, actor: Actor, batch: list[PersonInput], guardian_days: int) -> Counts:
    session.exec(select(AuditHead).where(AuditHead.id == 1).with_for_update()).first()
    registered = matched = updated = guardian_missing = 0
    ids: list[int] = []
    guardian_due = None
    for data in batch:
        existing = find_by_cpr(session, data.cpr)
        if existing is None:
            person, _ = register_person_in(session, actor, data, guardian_required=False)
            assert person.id is not None
            ids.append(person.id)
            registered += 1
            if not person.guardian_name and cprmod.age_on(person.birth_date, today()) < 18:
                if guardian_due is None:
                    guardian_due = work_calendar(session).add_working_days(today(), guardian_days)
                _guardian_task(session, actor, person.id, guardian_due)
                guardian_missing += 1
            continue
        assert existing.id is not None
        ids.append(existing.id)
        changed = False
        for attr in ("phone", "email", "guardian_name", "guardian_phone"):
            value = getattr(data, attr)
            if value and not getattr(existing, attr):
                setattr(existing, attr, value)
                changed = True
        if changed:
            existing.updated_at = now()
            session.add(existing)
            audit.record(
                session, actor, "UPDATE_PERSON", person_id=existing.id, purpose="listeimport"
            )
            updated += 1
        else:
            matched += 1
    session.flush()
    return registered, matched, updated, guardian_missing, ids


def _guardian_task(session: Session, actor: Actor, person_id: int | None, due: dt.date) -> None:
    """Work for the counsellor: get the guardian of a 15-17-year-old registered without one
    (unassigned: the queue shows it to whoever holds the young person)."""
    assert person_id is not None
    session.add(
        Task(
            person_id=person_id,
            kind=TaskKind.GUARDIAN_MISSING,
            staff_id=None,
            due=due,
            note=GUARDIAN_TASK_NOTE,
            created_by=actor.id,
        )
    )


def write_rejects(path: Path, result: ImportResult) -> None:
    """The rejected rows with their reason, in the list's own dialect, 0600."""
    columns = [*result.header, REASON_COLUMN]
    with open_private(path) as fh:
        writer = RowWriter(fh, result.dialect, columns)
        for row, reason in result.rejects:
            writer.write([row.get(c, "") for c in result.header] + [reason])
        writer.finish()
