"""The quarterly steering report (styregruppen): aggregated figures, no personal data.

Definitions (the issue is silent on the details; these are the product's):
- Reference time: the end of the quarter, or now while the quarter is running.
- New young people: registered (`created_at`) in the quarter. Center: the lead center of the
  young person's first eligible triage decision before the quarter's end ("Ikke visiteret"
  without one). Age band: age on the registration day (15-17, 18-24, 25-29).
- Days to first meeting: for the new young people, calendar days from the registration day
  to the day of the first meeting that is booked or held (`is_first`, status BOOKED/HELD);
  median and 90th percentile (nearest rank). Young people without such a meeting are counted.
- Coordinating caseworker by the first team meeting: team cases are young people whose first
  held team meeting falls in the quarter; covered when a COORDINATOR assignment started no
  later than the end of that meeting's day (org. f: appointed at the latest at that meeting).
- Handovers pending at the reference time (offered before it, not answered before it), by
  age in calendar days.
- 15-17-year-olds without an activity (education duty): open case, 15-17 at the reference
  date, the latest intake's situation is `ingen`, and no meeting held or booked from 30 days
  before the reference time onwards. By the holder's center. `case_open` is today's flag.
- Outcomes: EDUCATION_START / JOB_START handovers acknowledged (ACCEPTED) in the quarter, by
  the sending staff member's center.
- Education-duty deadlines (drop-outs, `services/outreach.py`): DROPOUT_CONTACT (contact within
  5 working days) and ACTIVITY_OFFER (activity within 30 days) tasks whose due date falls in
  the quarter: met (done on or before the due day), missed (done later, or not done and the
  due day has passed by the reference time), open (not done, due day not yet passed).

Counts run as SQL aggregates; the new young people of one quarter (thousands at most) are
fetched as one row each to compute bands, waits and percentiles.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, exists, func, or_, select
from sqlmodel import Session

from ungehus_tui.data.engine import read_session
from ungehus_tui.data.models import (
    Assignment,
    Handover,
    Intake,
    Meeting,
    Staff,
    Task,
    TriageDecision,
    YoungPerson,
)
from ungehus_tui.domain import clock
from ungehus_tui.domain.cpr import age_on
from ungehus_tui.services.access.permissions import Action, require
from ungehus_tui.services.context import Actor, Ctx
from ungehus_tui.services.errors import ValidationFailed

YP: Any = YoungPerson.__table__.c  # type: ignore[attr-defined]
IT: Any = Intake.__table__.c  # type: ignore[attr-defined]
MT: Any = Meeting.__table__.c  # type: ignore[attr-defined]
AS_: Any = Assignment.__table__.c  # type: ignore[attr-defined]
HO: Any = Handover.__table__.c  # type: ignore[attr-defined]
ST: Any = Staff.__table__.c  # type: ignore[attr-defined]
TD: Any = TriageDecision.__table__.c  # type: ignore[attr-defined]
TK: Any = Task.__table__.c  # type: ignore[attr-defined]
DEADLINE_KINDS = ("DROPOUT_CONTACT", "ACTIVITY_OFFER")
MET, MISSED, OPEN = "MET", "MISSED", "OPEN"
BANDS = ("15-17", "18-24", "25-29")
UNTRIAGED = "Ikke visiteret"
NO_HOLDER = "Ingen holder"
AGE_BUCKETS = ((0, 5, "0-5 dage"), (6, 10, "6-10 dage"), (11, 30, "11-30 dage"))
OVER = "over 30 dage"
IDLE_DAYS = 30
_QUARTER = re.compile(r"^\s*(\d{4})\s*-?\s*[QqKk]([1-4])\s*$")


MIN_YEAR, MAX_YEAR = 2000, 2100  # the dates around a quarter stay valid (0000Q1 crashed)


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        m = _QUARTER.match(text)
        if not m:
            raise ValidationFailed({"quarter": "Kvartal skrives som 2026Q4"})
        year = int(m.group(1))
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise ValidationFailed(
                {"quarter": f"Kvartalets år skal ligge mellem {MIN_YEAR} og {MAX_YEAR}"}
            )
        return cls(year, int(m.group(2)))

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def end_day(self) -> dt.date:
        """The first day after the quarter."""
        return (
            dt.date(self.year + 1, 1, 1)
            if self.number == 4
            else dt.date(self.year, 3 * self.number + 1, 1)
        )

    @property
    def label(self) -> str:
        return f"{self.number}. kvartal {self.year}"


@dataclass
class Report:
    quarter: Quarter
    reference: dt.datetime
    new_people: dict[str, Counter[str]] = field(default_factory=dict)  # center -> band -> n
    waits: list[int] = field(default_factory=list)
    waits_by_center: dict[str, list[int]] = field(default_factory=dict)
    without_first_meeting: int = 0
    team_cases: int = 0
    team_with_coordinator: int = 0
    pending: dict[str, Counter[str]] = field(default_factory=dict)  # kind -> bucket -> n
    idle_minors: Counter[str] = field(default_factory=Counter)  # center -> n
    outcomes: dict[str, Counter[str]] = field(default_factory=dict)  # kind -> center -> n
    # DROPOUT_CONTACT / ACTIVITY_OFFER -> MET / MISSED / OPEN -> n
    deadlines: dict[str, Counter[str]] = field(default_factory=dict)

    @property
    def new_total(self) -> int:
        return sum(sum(c.values()) for c in self.new_people.values())

    @property
    def median_wait(self) -> float | None:
        return statistics.median(self.waits) if self.waits else None

    @property
    def p90_wait(self) -> int | None:
        return percentile(self.waits, 90)

    @property
    def coordinator_share(self) -> float | None:
        return self.team_with_coordinator / self.team_cases if self.team_cases else None

    @property
    def pending_total(self) -> int:
        return sum(sum(c.values()) for c in self.pending.values())


def percentile(values: list[int], pct: int) -> int | None:
    """Nearest-rank percentile (a value that occurs in the data)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


def band(age: int) -> str:
    for name in BANDS:
        low, high = (int(x) for x in name.split("-"))
        if low <= age <= high:
            return name
    return "øvrige"


def bucket(days: int) -> str:
    for low, high, name in AGE_BUCKETS:
        if low <= days <= high:
            return name
    return OVER


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def steering_report(ctx: Ctx, actor: Actor, quarter: Quarter) -> Report:
    """The figures for `quarter`. Leaders and IT; aggregated, so all centers are shown."""
    require(actor, Action.VIEW_REPORT)
    start = clock.combine(quarter.first_day, dt.time())
    end = clock.combine(quarter.end_day, dt.time())
    reference = min(end, clock.now())
    report = Report(quarter=quarter, reference=reference)
    with read_session(ctx.engine) as session:
        yp, it, td, mt = YP, IT, TD, MT
        first_lead = (
            select(td.lead_center)
            .join(Intake.__table__, it.id == td.intake_id)  # type: ignore[attr-defined]
            .where(it.person_id == yp.id, td.eligible.is_(True), td.decided_at < end)
            .order_by(td.decided_at, td.id)
            .limit(1)
            .scalar_subquery()
        )
        first_meeting = (
            select(func.min(mt.start))
            .where(mt.person_id == yp.id, mt.is_first.is_(True), mt.status.in_(("BOOKED", "HELD")))
            .scalar_subquery()
        )
        cohort = session.execute(
            select(yp.birth_date, yp.created_at, first_lead, first_meeting).where(
                yp.created_at >= start, yp.created_at < end
            )
        )
        for birth, created, lead, meeting in cohort:
            center = lead or UNTRIAGED
            day = clock.local(created).date()
            report.new_people.setdefault(center, Counter())[band(age_on(birth, day))] += 1
            if meeting is None:
                report.without_first_meeting += 1
                continue
            wait = (clock.local(meeting).date() - day).days
            report.waits.append(wait)
            report.waits_by_center.setdefault(center, []).append(wait)
        _team_cases(session, report, start, end)
        _pending(session, report, reference)
        _idle_minors(session, report, reference)
        _outcomes(session, report, start, end)
        _deadlines(session, report, quarter, reference)
    return report


def _deadlines(session: Session, report: Report, quarter: Quarter, reference: dt.datetime) -> None:
    ref_day = clock.local(reference).date()
    rows = session.execute(
        select(TK.kind, TK.due, TK.done_at).where(
            TK.kind.in_(DEADLINE_KINDS), TK.due >= quarter.first_day, TK.due < quarter.end_day
        )
    )
    report.deadlines = {k: Counter({MET: 0, MISSED: 0, OPEN: 0}) for k in DEADLINE_KINDS}
    for kind, due, done in rows:
        if done is not None and done < reference:
            state = MET if clock.local(done).date() <= due else MISSED
        else:
            state = MISSED if due < ref_day else OPEN
        report.deadlines[kind][state] += 1


def _team_cases(session: Session, report: Report, start: dt.datetime, end: dt.datetime) -> None:
    first_team = (
        select(MT.person_id, func.min(MT.start).label("first"))
        .where(MT.kind == "TEAM_MEETING", MT.status == "HELD")
        .group_by(MT.person_id)
        .having(and_(func.min(MT.start) >= start, func.min(MT.start) < end))
        .subquery()
    )
    coordinator = (
        select(AS_.person_id, func.min(AS_.started_at).label("since"))
        .where(AS_.kind == "COORDINATOR")
        .group_by(AS_.person_id)
        .subquery()
    )
    rows = session.execute(
        select(first_team.c.first, coordinator.c.since).outerjoin(
            coordinator, coordinator.c.person_id == first_team.c.person_id
        )
    )
    for first, since in rows:
        report.team_cases += 1
        day_end = clock.combine(clock.local(first).date() + dt.timedelta(days=1), dt.time())
        if since is not None and since < day_end:
            report.team_with_coordinator += 1


def _pending(session: Session, report: Report, reference: dt.datetime) -> None:
    rows = session.execute(
        select(HO.kind, HO.offered_at).where(
            HO.offered_at < reference,
            or_(
                and_(HO.status == "OFFERED", HO.responded_at.is_(None)),
                HO.responded_at >= reference,
            ),
        )
    )
    ref_day = clock.local(reference).date()
    for kind, offered in rows:
        days = (ref_day - clock.local(offered).date()).days
        report.pending.setdefault(kind, Counter())[bucket(days)] += 1


def _idle_minors(session: Session, report: Report, reference: dt.datetime) -> None:
    ref_day = clock.local(reference).date()
    oldest = _years_before(ref_day, 18)  # born after this: under 18
    youngest = _years_before(ref_day, 15)  # born on or before this: 15 or more
    latest_situation = (
        select(IT.situation)
        .where(IT.person_id == YP.id)
        .order_by(IT.intake_date.desc(), IT.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    active = exists().where(
        MT.person_id == YP.id,
        MT.status.in_(("BOOKED", "HELD")),
        MT.start >= reference - dt.timedelta(days=IDLE_DAYS),
    )
    holder_center = (
        select(AS_.center_code)
        .where(
            AS_.person_id == YP.id,
            AS_.holds.is_(True),
            AS_.ended_at.is_(None),
        )
        .limit(1)
        .scalar_subquery()
    )
    idle = (
        select(holder_center.label("center"))
        .where(
            YP.case_open.is_(True),
            YP.birth_date > oldest,
            YP.birth_date <= youngest,
            latest_situation == "ingen",
            ~active,
        )
        .subquery()
    )
    for center, n in session.execute(select(idle.c.center, func.count()).group_by(idle.c.center)):
        report.idle_minors[center or NO_HOLDER] += n


def _outcomes(session: Session, report: Report, start: dt.datetime, end: dt.datetime) -> None:
    rows = session.execute(
        select(HO.kind, ST.center_code, func.count())
        .outerjoin(Staff.__table__, ST.id == HO.from_staff_id)  # type: ignore[attr-defined]
        .where(
            HO.kind.in_(("EDUCATION_START", "JOB_START")),
            HO.status == "ACCEPTED",
            HO.responded_at >= start,
            HO.responded_at < end,
        )
        .group_by(HO.kind, ST.center_code)
    )
    grouped: dict[str, Counter[str]] = defaultdict(Counter)
    for kind, center, n in rows:
        grouped[kind][center or "—"] += n
    report.outcomes = dict(grouped)
