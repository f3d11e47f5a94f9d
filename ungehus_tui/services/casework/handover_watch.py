"""Watching the chain (kædeansvar): offers nobody has answered, and young people who turned 18.

- `stale_handovers`: offers pending for a number of working days (the watchdog a counsellor's
  queue and `ungehus handovers stale` show).
- `turning_18_handovers`: every young person who is 18 and still held in CBU is offered to a
  CAI counsellor, or to CHP when on early pension or with specialised needs (organisation,
  item a); run nightly by `ungehus handovers check` and when the
  queue opens.

The offers themselves and their answers are `services.handovers`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from ungehus_tui.data.engine import read_session, write_session
from ungehus_tui.data.models import Assignment, Handover, Intake, Staff, YoungPerson
from ungehus_tui.data.org import work_calendar
from ungehus_tui.domain.clock import now, today
from ungehus_tui.domain.codes import HandoverKind, HandoverStatus
from ungehus_tui.services.access import audit
from ungehus_tui.services.access.permissions import Action, require
from ungehus_tui.services.casework.assignments import check_holder_invariant
from ungehus_tui.services.context import Actor, Ctx


@dataclass(frozen=True)
class PendingHandover:
    id: int
    person_id: int
    person_name: str
    kind: str
    from_staff_id: int | None
    from_name: str
    to_staff_id: int | None
    to_name: str
    offered_on: dt.date
    working_days: int


def stale_handovers(
    ctx: Ctx, actor: Actor, working_days: int | None = None
) -> list[PendingHandover]:
    """Watchdog: offers pending for at least `working_days` working days (default from settings).
    Counsellors see their own (sent or received), leaders their center's, admins all."""
    require(actor, Action.VIEW_QUEUE)
    limit = ctx.settings.handover_stale_working_days if working_days is None else working_days
    with read_session(ctx.engine) as session:
        pending = pending_handovers_in(session, actor)
    return [p for p in pending if p.working_days >= limit]


def pending_handovers_in(session: Session, actor: Actor | None) -> list[PendingHandover]:
    sender, receiver = aliased(Staff), aliased(Staff)
    query = (
        select(
            Handover,
            col(YoungPerson.name),
            col(sender.name),
            col(receiver.name),
            col(sender.center_code),
        )
        .join(YoungPerson, col(YoungPerson.id) == Handover.person_id)
        .outerjoin(sender, col(sender.id) == col(Handover.from_staff_id))
        .outerjoin(receiver, col(receiver.id) == col(Handover.to_staff_id))
        .where(col(Handover.status) == HandoverStatus.OFFERED)
    )
    if actor is not None and actor.role == "COUNSELLOR":
        query = query.where(
            or_(col(Handover.from_staff_id) == actor.id, col(Handover.to_staff_id) == actor.id)
        )
    elif actor is not None and actor.role == "LEADER":
        query = query.where(
            or_(
                col(sender.center_code) == actor.center_code,
                col(Handover.to_center_code) == actor.center_code,
            )
        )
    cal = work_calendar(session)
    day = today()
    out = []
    for h, pname, from_name, to_name, _center in session.execute(query).all():
        offered = h.offered_at.astimezone(now().tzinfo).date()
        out.append(
            PendingHandover(
                id=h.id,
                person_id=h.person_id,
                person_name=pname,
                kind=h.kind,
                from_staff_id=h.from_staff_id,
                from_name=from_name or "",
                to_staff_id=h.to_staff_id,
                to_name=to_name or f"{h.to_external} ({h.to_external_contact})",
                offered_on=offered,
                working_days=cal.working_days_between(offered, day),
            )
        )
    out.sort(key=lambda p: (p.offered_on, p.id))
    return out


def _eighteen_cutoff(day: dt.date) -> dt.date:
    """Born on or before this date = 18 or older on `day` (29 February counts from 1 March)."""
    try:
        return day.replace(year=day.year - 18)
    except ValueError:
        return dt.date(day.year - 18, 2, 28)


def _adult_receiver(*, jobcenter: bool, specialised: bool) -> tuple[str, str]:
    """The center and contact role that take over at 18 (org. a; DOMAIN.md R4/R5)."""
    if specialised:  # early pension or specialised needs
        return "CHP", "HANDICAP_PSYKIATRIRAADGIVER"
    if jobcenter:
        return "CAI", "BESKAEFTIGELSESRAADGIVER"
    return "CAI", "UDDANNELSESVEJLEDER"


def turning_18_handovers(ctx: Ctx, actor: Actor | None) -> list[int]:
    """Offer every young person who is 18 and still held in CBU to CAI, or to CHP (org. a).

    Idempotent: a young person with any pending offer is skipped. The receiver, by the latest
    intake: a CHP handicap/psychiatry counsellor for a young person on early pension or with
    specialised needs (org. a: CHP holds 18+ needing specialised support); else a CAI
    employment caseworker when there is a jobcenter case, else a CAI education counsellor.
    Among those, the one holding the fewest open cases (any counsellor of that center when the
    role has nobody; nobody in the center: no offer, the young person stays held in CBU).
    `actor` None means the system (nightly `ungehus handovers check`, or queue mode opening).
    Returns the ids of the new offers.
    """
    if actor is not None:
        require(actor, Action.HANDOVER_CHECK)
    cutoff = _eighteen_cutoff(today())
    with write_session(ctx.engine) as session:
        pending = exists().where(
            and_(
                col(Handover.person_id) == col(YoungPerson.id),
                col(Handover.status) == HandoverStatus.OFFERED,
            )
        )
        due = session.execute(
            select(col(YoungPerson.id), col(Assignment.staff_id))
            .join(Assignment, col(Assignment.person_id) == col(YoungPerson.id))
            .where(
                col(YoungPerson.case_open).is_(True),
                col(YoungPerson.birth_date) <= cutoff,
                col(Assignment.ended_at).is_(None),
                col(Assignment.holds).is_(True),
                col(Assignment.center_code) == "CBU",
                col(Assignment.staff_id).is_not(None),
                ~pending,
            )
        ).all()
        if not due:
            return []
        counsellors = (
            session.execute(
                select(Staff).where(
                    col(Staff.center_code).in_(("CAI", "CHP")),
                    col(Staff.role) == "COUNSELLOR",
                    col(Staff.active).is_(True),
                )
            )
            .scalars()
            .all()
        )
        if not counsellors:
            return []
        load: dict[int | None, int] = dict(
            session.execute(
                select(col(Assignment.staff_id), func.count())
                .where(col(Assignment.ended_at).is_(None), col(Assignment.holds).is_(True))
                .where(col(Assignment.staff_id).in_([s.id for s in counsellors]))
                .group_by(col(Assignment.staff_id))
            ).all()
        )
        person_ids = [p for p, _ in due]
        latest = select(func.max(col(Intake.id))).where(col(Intake.person_id).in_(person_ids))
        facts = {
            person_id: (jobcenter, early_pension or specialised)
            for person_id, jobcenter, early_pension, specialised in session.execute(
                select(
                    col(Intake.person_id),
                    col(Intake.jobcenter_case),
                    col(Intake.early_pension),
                    col(Intake.specialised_needs),
                ).where(
                    col(Intake.id).in_(latest.group_by(col(Intake.person_id)).scalar_subquery())
                )
            ).all()
        }
        created = []
        stamp = now()
        for person_id, from_staff in due:
            jobcenter, specialised = facts.get(person_id, (False, False))
            center, role = _adult_receiver(jobcenter=jobcenter, specialised=specialised)
            in_center = [s for s in counsellors if s.center_code == center]
            if not in_center:
                continue
            pool = [s for s in in_center if s.contact_role == role] or in_center
            to = min(pool, key=lambda s: (load.get(s.id, 0), s.login))
            load[to.id] = load.get(to.id, 0) + 1
            h = Handover(
                person_id=person_id,
                kind=HandoverKind.TURNING_18,
                status=HandoverStatus.OFFERED,
                from_staff_id=from_staff,
                to_staff_id=to.id,
                to_center_code=center,
                reason=f"Den unge er fyldt 18: ansvaret går fra CBU til {center}",
                offered_at=stamp,
                created_by=actor.id if actor else from_staff,
                updated_at=stamp,
            )
            session.add(h)
            session.flush()
            assert h.id is not None
            created.append(h.id)
            audit.record(
                session,
                actor,
                "HANDOVER_OFFER",
                person_id=person_id,
                detail="TURNING_18",
                login="system",
            )
            check_holder_invariant(session, person_id)
        return created
