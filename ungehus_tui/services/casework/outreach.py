"""The education duty of 15-17-year-olds and outreach as queue work (DOMAIN.md, "After the
desk"; seed org. e; the law's deadlines as DOMAIN.md's "Facts" give them).

`import_dropouts` (`ungehus import --kind dropouts FILE`; columns `cpr`, `name`, `reported_on`,
optional `institution`): each row registers or matches the young person (as the list import
does) and gives the responsible counsellor two tasks:
- DROPOUT_CONTACT, due `first_contact_working_days` (5) working days after `reported_on`
  (the project's working-day calendar: Danish holidays and the house's closed days);
- ACTIVITY_OFFER, due 30 calendar days after `reported_on`.
Recording the contact and the offer (`outcomes.complete_task`, CLI `ungehus queue done`)
closes them. Re-importing the same report changes nothing (a young person who already has a
DROPOUT_CONTACT task for the same `reported_on` is skipped).

`add_outreach_items` (after the plain list import, `ungehus import --kind outreach FILE`):
one OUTREACH task, due `outreach_due_working_days` working days from the import, per
15-24-year-old on the list who is not already in a CAI counsellor's queue (an active CAI
assignment, or an open OUTREACH / DROPOUT_CONTACT task of a CAI counsellor).

The responsible counsellor (decision; the source names CAI, not a person): a CAI counsellor
who already holds or works with the young person (an active assignment; for a 15-17-year-old
a CAI UDDANNELSESVEJLEDER) keeps them; otherwise the active CAI UDDANNELSESVEJLEDER with the
fewest open tasks (ties: the lowest id) gets them. CAI's education counsellors do the
outreach for 18-24-year-olds too (UU sits in CAI; there is no separate outreach role).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select
from sqlmodel import Session, col

from ungehus_tui.data.engine import write_session
from ungehus_tui.data.models import Assignment, AuditHead, Staff, Task, YoungPerson
from ungehus_tui.data.org import work_calendar
from ungehus_tui.domain import cpr as cprmod
from ungehus_tui.domain.calendar import WorkCalendar
from ungehus_tui.domain.clock import today
from ungehus_tui.domain.codes import ContactRole, TaskKind
from ungehus_tui.domain.text import control_message
from ungehus_tui.services.access import audit
from ungehus_tui.services.access.permissions import Action, require
from ungehus_tui.services.context import Actor, Ctx
from ungehus_tui.services.dataio.importer import _unneutralise, reason_text
from ungehus_tui.services.dataio.tabular import Dialect, UnusableFile, read_rows
from ungehus_tui.services.desk.people import (
    PersonInput,
    find_by_cpr,
    register_person_in,
    validate_person,
)
from ungehus_tui.services.errors import ServiceError, ValidationFailed

ACTIVITY_OFFER_DAYS = 30  # calendar days (the education duty)
OUTREACH_MAX_AGE = 24  # outreach guidance is for 15-24-year-olds
DUTY_MAX_AGE = 17
CAI = "CAI"
ALIASES = {
    "cpr": "cpr",
    "cpr-nummer": "cpr",
    "name": "name",
    "navn": "name",
    "reported_on": "reported_on",
    "meldt": "reported_on",
    "dato": "reported_on",
    "institution": "institution",
    "skole": "institution",
}
OPEN_QUEUE_KINDS = (TaskKind.OUTREACH, TaskKind.DROPOUT_CONTACT)


@dataclass(frozen=True)
class DropoutRow:
    person: PersonInput
    reported_on: dt.date
    institution: str | None


@dataclass
class DropoutResult:
    dialect: Dialect
    rows: int = 0
    registered: int = 0
    matched: int = 0
    rejected: int = 0
    items: int = 0  # tasks made (two per drop-out)
    already: int = 0  # drop-outs already in a queue (same reported_on)
    rejects: list[tuple[dict[str, str], str]] = field(default_factory=list)
    header: list[str] = field(default_factory=list)


def _columns(header: list[str]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for name in header:
        key = ALIASES.get(name.strip().lower().lstrip("\ufeff"))
        if key and key in mapping.values():
            raise UnusableFile(f"duplicate column: {name[:40]!r} gives {key} twice")
        if key:
            mapping[name] = key
    missing = [c for c in ("cpr", "name", "reported_on") if c not in mapping.values()]
    if missing:
        raise UnusableFile(f"missing required column(s): {', '.join(missing)}")
    return mapping


def _day(text: str) -> dt.date:
    text = text.strip()
    if len(text) == 10 and text[2] in "-.":
        return dt.datetime.strptime(text.replace(".", "-"), "%d-%m-%Y").date()
    return dt.date.fromisoformat(text)


def _check(row: dict[str, str], mapping: dict[str, str], on: dt.date) -> DropoutRow:
    values = {key: _unneutralise((row.get(c) or "").strip()) for c, key in mapping.items()}
    errors: dict[str, str] = {}
    person = PersonInput(cpr=values.get("cpr", ""), name=values.get("name", ""))
    try:
        _, person = validate_person(person, guardian_required=False)
    except ValidationFailed as exc:
        errors.update(exc.errors)
    reported: dt.date | None = None
    try:
        reported = _day(values.get("reported_on", ""))
    except ValueError:
        errors["reported_on"] = "Skriv datoen for frafaldet som dd-mm-åååå"
    if reported is not None and reported > on:
        errors["reported_on"] = "Frafaldet kan ikke være meldt i fremtiden"
    institution = " ".join(values.get("institution", "").split())[:120] or None
    control = control_message(values.get("institution"), "Institutionen")
    if control:
        errors["institution"] = control
    if not errors and reported is not None:
        age = cprmod.age_on(cprmod.parse(person.cpr, on=on).birth_date, reported)
        if not 15 <= age <= OUTREACH_MAX_AGE:
            errors["cpr"] = "Frafald følges op for 15-24-årige (alder på frafaldsdatoen)"
    if errors:
        raise ValidationFailed(errors)
    assert reported is not None
    return DropoutRow(person, reported, institution)


class CounsellorPicker:
    """Chooses the responsible CAI counsellor (see the module text); counts the items it
    hands out so one import spreads its rows over the education counsellors."""

    def __init__(self, session: Session) -> None:
        self.session = session
        rows = session.execute(
            select(col(Staff.id), func.count(col(Task.id)))
            .outerjoin(Task, (col(Task.staff_id) == col(Staff.id)) & col(Task.done_at).is_(None))
            .where(
                col(Staff.center_code) == CAI,
                col(Staff.role) == "COUNSELLOR",
                col(Staff.active).is_(True),
                col(Staff.contact_role) == ContactRole.UDDANNELSESVEJLEDER,
            )
            .group_by(col(Staff.id))
        ).all()
        self.load: dict[int, int] = {int(i): int(n) for i, n in rows}
        if not self.load:
            raise ServiceError("Der er ingen aktiv uddannelsesvejleder i CAI til at tage listen")

    def in_cai_queue(self, person_id: int) -> bool:
        """Already a CAI counsellor's work: an active CAI assignment or an open outreach /
        drop-out task of a CAI counsellor."""
        assigned = self.session.execute(
            select(col(Assignment.id)).where(
                col(Assignment.person_id) == person_id,
                col(Assignment.ended_at).is_(None),
                col(Assignment.center_code) == CAI,
                col(Assignment.staff_id).is_not(None),
            )
        ).first()
        tasked = self.session.execute(
            select(col(Task.id))
            .join(Staff, col(Staff.id) == col(Task.staff_id))
            .where(
                col(Task.person_id) == person_id,
                col(Task.done_at).is_(None),
                col(Task.kind).in_([str(k) for k in OPEN_QUEUE_KINDS]),
                col(Staff.center_code) == CAI,
            )
        ).first()
        return assigned is not None or tasked is not None

    def pick(self, person_id: int, minor: bool) -> int:
        rows = self.session.execute(
            select(col(Staff.id), col(Staff.contact_role))
            .join(Assignment, col(Assignment.staff_id) == col(Staff.id))
            .where(
                col(Assignment.person_id) == person_id,
                col(Assignment.ended_at).is_(None),
                col(Staff.center_code) == CAI,
                col(Staff.role) == "COUNSELLOR",
                col(Staff.active).is_(True),
            )
            .order_by(col(Assignment.holds).desc(), col(Assignment.id))
        ).all()
        for staff_id, role in rows:
            if not minor or role == ContactRole.UDDANNELSESVEJLEDER:
                return int(staff_id)
        chosen = min(self.load, key=lambda i: (self.load[i], i))
        self.load[chosen] += 1
        return chosen


def import_dropouts(
    ctx: Ctx, actor: Actor, raw: bytes, *, dialect: Dialect | None = None, source: str = ""
) -> DropoutResult:
    """Register the reported drop-outs and queue their two deadlines (see the module text).
    Raises UnusableFile for a file that is not a usable list (nothing written)."""
    require(actor, Action.IMPORT)
    require(actor, Action.REGISTER)
    chosen, header, rows = read_rows(raw, dialect)
    mapping = _columns(header)
    result = DropoutResult(dialect=chosen, rows=len(rows), header=header)
    on = today()
    good: list[DropoutRow] = []
    for row in rows:
        if row.extra:
            result.rejects.append((row, f"Rækken har {row.extra} felt(er) mere end overskriften"))
            continue
        try:
            good.append(_check(row, mapping, on))
        except ValidationFailed as exc:
            result.rejects.append((row, reason_text(exc.errors)))
    result.rejected = len(result.rejects)
    with write_session(ctx.engine) as session:
        session.execute(select(AuditHead).where(col(AuditHead.id) == 1).with_for_update()).first()
        picker = CounsellorPicker(session)
        cal = work_calendar(session)
        for item in good:
            _apply_dropout(ctx, session, actor, item, picker, cal, result)
        detail = {
            "source": Path(source).name[:100],
            "rows": result.rows,
            "registered": result.registered,
            "matched": result.matched,
            "rejected": result.rejected,
            "items": result.items,
            "already": result.already,
        }
        audit.record(
            session, actor, "IMPORT_DROPOUTS", purpose="frafaldsliste", detail=json.dumps(detail)
        )
    return result


def _apply_dropout(
    ctx: Ctx,
    session: Session,
    actor: Actor,
    item: DropoutRow,
    picker: CounsellorPicker,
    cal: WorkCalendar,
    result: DropoutResult,
) -> None:
    existing = find_by_cpr(session, item.person.cpr)
    if existing is None:
        person, _ = register_person_in(session, actor, item.person, guardian_required=False)
        result.registered += 1
    else:
        person = existing
        result.matched += 1
    assert person.id is not None
    contact_due = cal.add_working_days(item.reported_on, ctx.settings.first_contact_working_days)
    known = session.execute(
        select(col(Task.id)).where(
            col(Task.person_id) == person.id,
            col(Task.kind) == TaskKind.DROPOUT_CONTACT,
            col(Task.due) == contact_due,
        )
    ).first()
    if known is not None:
        result.already += 1
        return
    minor = cprmod.age_on(person.birth_date, item.reported_on) <= DUTY_MAX_AGE
    staff_id = picker.pick(person.id, minor)
    where = f" fra {item.institution}" if item.institution else ""
    reported = f"Frafald{where} meldt {item.reported_on:%d-%m-%Y}"
    for kind, due, what in (
        (TaskKind.DROPOUT_CONTACT, contact_due, "kontakt den unge"),
        (
            TaskKind.ACTIVITY_OFFER,
            item.reported_on + dt.timedelta(days=ACTIVITY_OFFER_DAYS),
            "tilbyd en ny aktivitet",
        ),
    ):
        session.add(
            Task(
                person_id=person.id,
                kind=kind,
                staff_id=staff_id,
                due=due,
                note=f"{reported}: {what}"[:500],
                created_by=actor.id,
            )
        )
        result.items += 1
    session.flush()
    audit.record(session, actor, "DROPOUT_QUEUED", person_id=person.id, purpose="frafaldsliste")


def add_outreach_items(ctx: Ctx, actor: Actor, person_ids: list[int]) -> int:
    """One OUTREACH task per 15-24-year-old of `person_ids` not already in a CAI counsellor's
    queue (see the module text). Returns how many were made."""
    require(actor, Action.IMPORT)
    made = 0
    with write_session(ctx.engine) as session:
        picker = CounsellorPicker(session)
        due = work_calendar(session).add_working_days(
            today(), ctx.settings.outreach_due_working_days
        )
        for person_id in dict.fromkeys(person_ids):
            person = session.get(YoungPerson, person_id)
            if person is None or cprmod.age_on(person.birth_date, today()) > OUTREACH_MAX_AGE:
                continue
            if picker.in_cai_queue(person_id):
                continue
            minor = cprmod.age_on(person.birth_date, today()) <= DUTY_MAX_AGE
            session.add(
                Task(
                    person_id=person_id,
                    kind=TaskKind.OUTREACH,
                    staff_id=picker.pick(person_id, minor),
                    due=due,
                    note="Opsøgende liste: uden ungdomsuddannelse, kontakt den unge",
                    created_by=actor.id,
                )
            )
            session.flush()
            audit.record(
                session, actor, "OUTREACH_QUEUED", person_id=person_id, purpose="opsøgende liste"
            )
            made += 1
    return made
