"""Plainly fictitious demo data, inserted in bulk (100,000 young people in well under a minute).

Names are common Danish first names with made-up surnames ("Prøvesen", "Eksempelgaard"),
phone numbers start with 0 (no Danish number does), e-mails use eksempel.dk. CPR numbers have
a valid form (real date, right century digit) and are random. The data covers what the desk
and the counsellors meet: intakes with engine decisions, holders, team cases with consents,
meetings held / no-show / booked / without outcome, outreach tasks, pending and stale
handovers, young people about to turn 18, and today's waiting list.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import json
import random
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from rich.progress import Progress
from sqlalchemy import Date, DateTime, func, insert, select
from sqlalchemy.engine import Connection
from sqlmodel import Session, SQLModel

from ungehus_tui.data.models import (
    Assignment,
    Consent,
    DeskArrival,
    EducationPlan,
    Handover,
    Intake,
    Meeting,
    MeetingParticipant,
    PersonNameToken,
    PlanIntervention,
    Room,
    Staff,
    Task,
    TriageDecision,
    YoungPerson,
)
from ungehus_tui.data.org import work_calendar
from ungehus_tui.domain import clock
from ungehus_tui.domain.cpr import age_on, century_digit_for
from ungehus_tui.domain.folding import fold, index_tokens
from ungehus_tui.services.context import Ctx

FIRST = (
    "Søren Ærø Åse Mads Freja Oliver Emma Noah Ida William Clara Lucas Alma Emil Ella Victor "
    "Anna Malthe Laura Frederik Mathilde Oscar Sofia Carl Josefine Magnus Agnes Elias Karla "
    "Aksel Lærke Alfred Nohr Bjørn Sigrid Mikkel Astrid Jonas Maja Rasmus Mille Mohammed Aya "
    "Ali Zainab Jens Hanne Kasper Signe Morten Julie Tobias Asta Storm Liva Ahmad Leila"
).split()
SURNAME_STEMS = (
    "Prøve Eksempel Demo Fiktiv Opdigt Test Øvelse Skitse Attrap Model Kopi Udkast Pilot "
    "Stikprøve Mønster Påfund Fantasi Drømme Lune Gætte"
).split()
SURNAME_ENDS = ("sen", "gaard", "holm", "bæk", "lund", "toft", "strup", "høj", "skov", "dal")
FGU = ("FGU Vestsjælland", "Slagelse Gymnasium", "ZBC Slagelse", "EUC Sjælland")

BATCH = 5000


def has_people(ctx: Ctx) -> bool:
    with ctx.engine.connect() as conn:
        return bool(conn.execute(select(func.count()).select_from(YoungPerson)).scalar())


def _table(model: type[SQLModel]) -> Any:
    return model.__table__  # type: ignore[attr-defined]


@functools.lru_cache(maxsize=65536)
def _sqlite_datetime(value: dt.datetime) -> str:
    """What SQLAlchemy's SQLite DateTime stores, without per-row type processing."""
    if value.tzinfo is not dt.UTC:
        value = value.astimezone(dt.UTC)
    return value.replace(tzinfo=None).isoformat(" ", "microseconds")


def _bulk(conn: Connection, model: type[SQLModel], rows: Sequence[dict[str, Any]]) -> None:
    if not rows:
        return
    table = _table(model)
    if conn.dialect.name == "sqlite":
        cols = list(rows[0])
        sql = (
            f"INSERT INTO {table.name} ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})"
        )
        kinds = [type(getattr(table.c[c].type, "impl", table.c[c].type)) for c in cols]
        when = [i for i, k in enumerate(kinds) if issubclass(k, DateTime)]
        days = [i for i, k in enumerate(kinds) if issubclass(k, Date)]
        raw = conn.connection.driver_connection
        assert raw is not None

        def row(r: dict[str, Any]) -> tuple[Any, ...]:
            values = [r[c] for c in cols]
            for i in when:
                if values[i] is not None:
                    values[i] = _sqlite_datetime(values[i])
            for i in days:
                if values[i] is not None:
                    values[i] = values[i].isoformat()
            return tuple(values)

        for i in range(0, len(rows), BATCH):
            raw.executemany(sql, [row(r) for r in rows[i : i + BATCH]])
        return
    for i in range(0, len(rows), BATCH):
        conn.execute(insert(table), list(rows[i : i + BATCH]))


def _next_id(conn: Connection, model: type[SQLModel]) -> int:
    table = _table(model)
    return int(conn.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar() or 0) + 1


def _cpr(rng: random.Random, birth: dt.date, used: set[str]) -> str:
    digit = century_digit_for(birth)
    while True:
        number = f"{birth:%d%m%y}{digit}{rng.randint(0, 999):03d}"
        if number not in used:
            used.add(number)
            return number


def _name(rng: random.Random) -> str:
    first = rng.choice(FIRST)
    if rng.random() < 0.25:
        first = f"{first} {rng.choice(FIRST)}"
    return f"{first} {rng.choice(SURNAME_STEMS)}{rng.choice(SURNAME_ENDS)}"


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return clock.combine(day, dt.time(hour, minute))


def _facts(rng: random.Random, age: int) -> dict[str, Any]:
    if age < 17 and rng.random() < 0.45:
        situation, grade = "grundskole", rng.choice((8, 9, 10))
    else:
        situation = rng.choices(
            ("ingen", "ungdomsuddannelse", "job", "andet"), weights=(60, 20, 10, 10)
        )[0]
        grade = None
    return {
        "situation": situation,
        "grade": grade,
        "completed_youth_education": age >= 19 and rng.random() < 0.25,
        "social_case": rng.random() < 0.15,
        "jobcenter_case": age >= 18 and rng.random() < 0.35,
        "early_pension": age >= 18 and rng.random() < 0.03,
        "specialised_needs": rng.random() < 0.07,
        "housing_or_finance": rng.random() < 0.12,
        "retention_only": situation in ("ungdomsuddannelse", "job") and rng.random() < 0.5,
    }


def fill_demo(
    ctx: Ctx, *, persons: int, seed: int = 2019, progress: bool = False
) -> dict[str, int]:
    """Add `persons` fictitious young people with their cases; returns counts per kind."""
    from ungehus_tui.domain.triage import RULESET_VERSION, Facts, decide

    rng = random.Random(seed)
    history = random.Random(seed + 1)  # casework history, independent of the rest
    now = clock.now().astimezone(dt.UTC)  # UTC: cheap to store in bulk
    today = clock.today()
    stats: dict[str, int] = defaultdict(int)
    with ctx.engine.begin() as conn, Progress(disable=not progress, transient=True) as bar:
        task = bar.add_task("Demo data", total=persons)
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA cache_size = -131072")  # 128 MiB: no spill to WAL
        staff_rows = conn.execute(select(_table(Staff))).mappings().all()
        rooms = [r["id"] for r in conn.execute(select(_table(Room))).mappings().all()]
        actor = next(s["id"] for s in staff_rows if s["role"] == "RECEPTION")
        by_role: dict[tuple[str, str], list[int]] = defaultdict(list)
        by_center: dict[str, list[int]] = defaultdict(list)
        staff_name = {s["id"]: s["name"] for s in staff_rows}
        for s in staff_rows:
            if s["role"] == "COUNSELLOR" and s["active"]:
                by_role[(s["center_code"], s["contact_role"])].append(s["id"])
                by_center[s["center_code"]].append(s["id"])
        with Session(bind=conn) as org_session:
            cal = work_calendar(org_session)
        used = set(conn.execute(select(_table(YoungPerson).c.cpr)).scalars())
        pid = _next_id(conn, YoungPerson)
        iid, did = _next_id(conn, Intake), _next_id(conn, TriageDecision)
        mid, aid = _next_id(conn, Meeting), _next_id(conn, Assignment)
        pl_id = _next_id(conn, EducationPlan)
        recent_people: list[dict[str, Any]] = []
        Rows = list[dict[str, Any]]
        people: Rows = []
        toks: Rows = []
        intakes: Rows = []
        decisions: Rows = []
        assigns: Rows = []
        consents: Rows = []
        meetings: Rows = []
        parts: Rows = []
        tasks: Rows = []
        handovers: Rows = []
        arrivals: Rows = []
        plans: Rows = []
        interventions: Rows = []
        buffers = (
            (YoungPerson, people),
            (PersonNameToken, toks),
            (Intake, intakes),
            (TriageDecision, decisions),
            (Assignment, assigns),
            (Consent, consents),
            (Meeting, meetings),
            (MeetingParticipant, parts),
            (Task, tasks),
            (Handover, handovers),
            (DeskArrival, arrivals),
            (EducationPlan, plans),
            (PlanIntervention, interventions),
        )

        def flush() -> None:
            for model, rows in buffers:
                _bulk(conn, model, rows)
                rows.clear()

        busy: dict[tuple[dt.date, int], set[tuple[str, int]]] = defaultdict(set)
        full: set[tuple[dt.date, int]] = set()
        decided: dict[tuple[Any, ...], tuple[Any, str]] = {}
        slot_days = [
            d for d in (today + dt.timedelta(days=k) for k in range(-110, 30)) if cal.is_open(d)
        ]
        turning_18 = max(3, persons // 500) if persons >= 20 else 0
        for n in range(persons):
            if n % 1000 == 0:
                bar.update(task, completed=n)
                if len(people) >= 10000:
                    recent_people = people[-60:]
                    flush()
            if n < turning_18:  # turns 18 within the next two weeks, held by CBU
                birth = dt.date(today.year - 18, today.month, min(today.day, 28)) + dt.timedelta(
                    days=rng.randint(1, 14)
                )
                created = now - dt.timedelta(days=rng.randint(20, 200))
            else:
                r = rng.random()
                age_years = rng.uniform(30.0, 31.9) if r < 0.015 else rng.uniform(15.3, 29.9)
                birth = today - dt.timedelta(days=int(age_years * 365.25))
                created = now - dt.timedelta(
                    days=rng.randint(0, 365 * 3 if age_years >= 30 else 365),
                    minutes=rng.randint(0, 600),
                )
                if age_on(birth, created.date()) > 29:
                    created = clock.combine(birth + dt.timedelta(days=29 * 365 + 40), dt.time(10))
            name = _name(rng)
            folded = fold(name)
            number = _cpr(rng, birth, used)
            created_day = clock.local(created).date()
            age = age_on(birth, created_day)
            under18 = age < 18
            people.append(
                {
                    "id": pid,
                    "cpr": number,
                    "birth_date": birth,
                    "name": name,
                    "name_folded": folded,
                    "phone": f"0{rng.randint(1000000, 9999999)}",
                    "email": f"{folded.split()[0]}.{pid}@eksempel.dk",
                    "guardian_name": f"Forælder til {name.split()[0]}" if under18 else None,
                    "guardian_phone": f"0{rng.randint(1000000, 9999999)}" if under18 else None,
                    "case_open": True,
                    "anonymised_at": None,
                    "created_by": actor,
                    "created_at": created,
                    "updated_at": created,
                }
            )
            toks.extend({"person_id": pid, "token": t} for t in index_tokens(name))
            facts = _facts(rng, age)
            if n < turning_18:
                facts.update(social_case=True, situation="ingen", grade=None)
            key = (age, number[6], tuple(facts.values()))
            cached = decided.get(key)
            if cached is None:
                decision = decide(Facts(cpr=number, on=created_day, **facts))
                if not decision.warnings:  # CPR-specific warnings are not shared
                    decided[key] = (decision, json.dumps(decision.to_contract()))
                contract = json.dumps(decision.to_contract(), ensure_ascii=False)
            else:
                decision, contract = cached
            intakes.append(
                {
                    "id": iid,
                    "person_id": pid,
                    "intake_date": created_day,
                    "created_by": actor,
                    "created_at": created,
                    "updated_at": created,
                    **facts,
                }
            )
            decisions.append(
                {
                    "id": did,
                    "intake_id": iid,
                    "source": "ENGINE",
                    "ruleset_version": RULESET_VERSION,
                    "eligible": decision.eligible,
                    "age": decision.age,
                    "rules": ",".join(decision.rules),
                    "centers": ",".join(decision.centers),
                    "lead_center": decision.lead_center,
                    "contact_role": decision.contact_role,
                    "team_meeting": decision.team_meeting,
                    "result_json": contract,
                    "reason": None,
                    "overrides_id": None,
                    "decided_by": actor,
                    "decided_at": created,
                    "updated_at": created,
                }
            )
            stats["young_people"] += 1
            if not decision.eligible:
                people[-1]["case_open"] = False
                pid, iid, did = pid + 1, iid + 1, did + 1
                continue
            # Who holds the young person: one professional per involved center.
            team: dict[str, int] = {}
            for c in decision.contacts:
                if c.center in team:
                    continue
                pool = by_role.get((c.center, c.role)) or by_center.get(c.center)
                if pool:
                    team[c.center] = rng.choice(pool)
            lead = decision.lead_center
            if lead not in team:
                pid, iid, did = pid + 1, iid + 1, did + 1
                continue
            age_days = (now - created).days
            closed_case = age_days > 150 and rng.random() < 0.6
            ended = created + dt.timedelta(days=rng.randint(60, 140)) if closed_case else None
            for center, staff_id in team.items():
                is_lead = center == lead
                assigns.append(
                    {
                        "id": aid,
                        "person_id": pid,
                        "staff_id": staff_id,
                        "external_actor": None,
                        "center_code": center,
                        "kind": "COORDINATOR" if decision.team_meeting and is_lead else "CONTACT",
                        "contact_role": next(
                            c.role for c in decision.contacts if c.center == center
                        ),
                        "holds": is_lead,
                        "paid_by": None,
                        "started_at": created,
                        "ended_at": ended,
                        "end_reason": "Forankret i uddannelse" if ended else None,
                        "created_by": actor,
                        "updated_at": ended or created,
                    }
                )
                aid += 1
                if decision.team_meeting:
                    consents.append(
                        {
                            "person_id": pid,
                            "center_code": center,
                            "purpose": "Deling af oplysninger i tværfagligt team",
                            "given_at": created,
                            "withdrawn_at": None,
                            "recorded_by": actor,
                            "updated_at": created,
                        }
                    )
            if closed_case:
                people[-1]["case_open"] = False
                stats["closed_cases"] += 1
            holder = team[lead]
            # First meeting: within the slot grid when the intake is recent enough.
            if not closed_case and age_days <= 110 and rng.random() < 0.85:
                start_day = cal.add_working_days(created_day, rng.randint(1, 6))
                kind = "TEAM_MEETING" if decision.team_meeting else "FIRST_CONVERSATION"
                minutes = 60 if decision.team_meeting else 45
                placed = False
                for day in slot_days[bisect.bisect_left(slot_days, start_day) :]:
                    for hour in range(9, 15):
                        if day.weekday() == 4 and hour >= 12:
                            break
                        if (day, hour) in full:
                            continue
                        used_here = busy[(day, hour)]
                        free_rooms = [r for r in rooms if ("room", r) not in used_here]
                        if not free_rooms:
                            full.add((day, hour))
                            continue
                        if any(("staff", s) in used_here for s in team.values()):
                            continue
                        room = free_rooms[0] if not decision.team_meeting else free_rooms[-1]
                        used_here.update({("room", room), *(("staff", s) for s in team.values())})
                        start = _at(day, hour)
                        past = start < now
                        status = "BOOKED"
                        if past:
                            status = rng.choices(
                                ("HELD", "NO_SHOW", "CANCELLED", "BOOKED"), (75, 10, 5, 10)
                            )[0]
                        meetings.append(
                            {
                                "id": mid,
                                "person_id": pid,
                                "intake_id": iid,
                                "kind": kind,
                                "is_first": True,
                                "start": start,
                                "end": start + dt.timedelta(minutes=minutes),
                                "room_id": room,
                                "leader_id": holder,
                                "status": status,
                                "outcome_note": "Første samtale holdt"
                                if status == "HELD"
                                else None,
                                "stu_decision": None,
                                "outcome_by": holder if status in ("HELD", "NO_SHOW") else None,
                                "outcome_at": start + dt.timedelta(hours=2)
                                if status in ("HELD", "NO_SHOW")
                                else None,
                                "created_by": actor,
                                "created_at": created,
                                "updated_at": created,
                            }
                        )
                        parts.append(
                            {
                                "meeting_id": mid,
                                "kind": "YOUNG_PERSON",
                                "staff_id": None,
                                "center_code": None,
                                "name": name,
                                "email": None,
                            }
                        )
                        if under18:
                            parts.append(
                                {
                                    "meeting_id": mid,
                                    "kind": "GUARDIAN",
                                    "staff_id": None,
                                    "center_code": None,
                                    "name": f"Forælder til {name.split()[0]}",
                                    "email": None,
                                }
                            )
                        for center, staff_id in team.items():
                            parts.append(
                                {
                                    "meeting_id": mid,
                                    "kind": "STAFF",
                                    "staff_id": staff_id,
                                    "center_code": center,
                                    "name": staff_name[staff_id],
                                    "email": None,
                                }
                            )
                        if status == "NO_SHOW":
                            tasks.append(
                                {
                                    "person_id": pid,
                                    "kind": "OUTREACH",
                                    "staff_id": holder,
                                    "meeting_id": mid,
                                    "due": cal.add_working_days(
                                        day, ctx.settings.outreach_due_working_days
                                    ),
                                    "note": "Udeblev fra første møde: opsøg den unge",
                                    "done_at": None,
                                    "created_by": holder,
                                    "created_at": start,
                                    "updated_at": start,
                                }
                            )
                        if status == "HELD" and decision.team_meeting:
                            plans.append(
                                {
                                    "id": pl_id,
                                    "person_id": pid,
                                    "version": 1,
                                    "short_term_goals": "Møde stabilt op i Ungehuset hver uge",
                                    "long_term_goals": "Påbegynde en ungdomsuddannelse",
                                    "meeting_id": mid,
                                    "created_by": holder,
                                    "created_at": start,
                                    "updated_at": start,
                                }
                            )
                            interventions.append(
                                {
                                    "plan_id": pl_id,
                                    "center_code": lead,
                                    "area": "EDUCATION",
                                    "description": "Vejledningsforløb mod uddannelse",
                                    "starts_on": day,
                                    "ends_on": day + dt.timedelta(days=90),
                                    "consent_id": None,
                                }
                            )
                            pl_id += 1
                        mid += 1
                        stats["meetings"] += 1
                        placed = True
                        break
                    if placed:
                        break
            # Handovers: pending (some stale) offers, and answered history.
            if not closed_case and rng.random() < 0.04:
                peers = [s for s in by_center.get(lead, []) if s != holder]
                offered = now - dt.timedelta(days=rng.choice((1, 2, 3, 9, 14, 21)))
                external = rng.random() < 0.3 or not peers
                handovers.append(
                    {
                        "person_id": pid,
                        "kind": "EDUCATION_START" if external else "COLLEAGUE",
                        "status": "OFFERED",
                        "from_staff_id": holder,
                        "to_staff_id": None if external else rng.choice(peers),
                        "to_center_code": None if external else lead,
                        "to_external": rng.choice(FGU) if external else None,
                        "to_external_contact": "Studievejleder (demo)" if external else None,
                        "reason": "Den unge starter på uddannelse"
                        if external
                        else "Fordeling af sager i teamet",
                        "response_reason": None,
                        "offered_at": offered,
                        "responded_at": None,
                        "responded_by": None,
                        "created_by": holder,
                        "updated_at": offered,
                    }
                )
                stats["pending_handovers"] += 1
            # Casework history from its own random stream (the rest of the data is unchanged):
            # answered offers, contact persons in team cases, acknowledged education starts.
            peers = [s for s in by_center.get(lead, []) if s != holder]
            if not closed_case and peers and history.random() < 0.03:
                asked = created + dt.timedelta(days=history.randint(5, 20))
                rejected = history.random() < 0.7
                handovers.append(
                    {
                        "person_id": pid,
                        "kind": "COLLEAGUE",
                        "status": "REJECTED" if rejected else "WITHDRAWN",
                        "from_staff_id": holder,
                        "to_staff_id": history.choice(peers),
                        "to_center_code": lead,
                        "to_external": None,
                        "to_external_contact": None,
                        "reason": "Fordeling af sager i teamet",
                        "response_reason": "Fuld kalender de næste uger" if rejected else None,
                        "offered_at": asked,
                        "responded_at": asked + dt.timedelta(days=1),
                        "responded_by": None,
                        "created_by": holder,
                        "updated_at": asked + dt.timedelta(days=1),
                    }
                )
                stats["answered_handovers"] += 1
            if decision.team_meeting and peers and history.random() < 0.3:
                assigns.append(
                    {
                        "id": aid,
                        "person_id": pid,
                        "staff_id": history.choice(peers),
                        "external_actor": None,
                        "center_code": lead,
                        "kind": "CONTACT_PERSON",
                        "contact_role": "KONTAKTPERSON",
                        "holds": False,
                        "paid_by": lead,
                        "started_at": created,
                        "ended_at": ended,
                        "end_reason": "Forankret i uddannelse" if ended else None,
                        "created_by": actor,
                        "updated_at": ended or created,
                    }
                )
                aid += 1
                stats["contact_persons"] += 1
            if closed_case and ended is not None:
                school = history.choice(FGU)
                handovers.append(
                    {
                        "person_id": pid,
                        "kind": "EDUCATION_START",
                        "status": "ACCEPTED",
                        "from_staff_id": holder,
                        "to_staff_id": None,
                        "to_center_code": None,
                        "to_external": school,
                        "to_external_contact": "Studievejleder (demo)",
                        "reason": "Den unge starter på uddannelse",
                        "response_reason": "Kvitteret af Studievejleder (demo)",
                        "offered_at": ended - dt.timedelta(days=3),
                        "responded_at": ended,
                        "responded_by": holder,
                        "created_by": holder,
                        "updated_at": ended,
                    }
                )
            pid, iid, did = pid + 1, iid + 1, did + 1
        # Today's waiting list at the desk.
        recent = [p for p in (people[-60:] or recent_people) if p["case_open"]][:6]
        for k, p in enumerate(recent):
            arrived = now - dt.timedelta(minutes=4 + 7 * k)
            arrivals.append(
                {
                    "person_id": p["id"],
                    "reason": ("APPOINTMENT", "QUESTION", "NEW")[k % 3],
                    "note": None,
                    "meeting_id": None,
                    "arrived_at": arrived,
                    "served_at": None,
                    "registered_by": actor,
                    "updated_at": arrived,
                }
            )
        flush()
        _fix_sequences(conn)
    stats["staff"] = len(staff_rows)
    stats["rooms"] = len(rooms)
    return dict(stats)


def _fix_sequences(conn: Connection) -> None:
    """After inserts with explicit ids, move PostgreSQL's id sequences past them."""
    if conn.dialect.name != "postgresql":
        return
    for model in (YoungPerson, Intake, TriageDecision, Meeting, Assignment, EducationPlan):
        name = _table(model).name
        conn.exec_driver_sql(
            f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
            f"(SELECT COALESCE(MAX(id), 1) FROM {name}))"
        )
