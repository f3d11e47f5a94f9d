"""Plainly fictitious demo data, inserted in bulk (100,000 young people in well under a minute).

Names are common Danish first names with made-up surnames ("Prøvesen", "Eksempelgaard"),
phone numbers start with 0 (no Danish number does), e-mails use eksempel.dk. CPR numbers have
a valid form (real date, right century digit) and are random. The data covers what the desk
and the counsellors meet: intakes with engine decisions, holders, team cases with consents,
meetings held / no-show / booked / without outcome, outreach tasks, pending and stale
handovers, young people about to turn 18, and today's waiting list.

Demo data never touches real data: `demo_state` tells an empty database (only what `init`
with the shipped organisation file writes) from a demo one (the `demo` row in `store_meta`,
written in the same transaction as the data) and from anything else, which `ungehus demo` and
`ungehus run --demo` refuse before writing a single row.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Date, DateTime, func, insert, inspect, literal, select, table
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, SQLModel

from ungehus_tui.data.meta import DEMO_MARKER, is_demo_store
from ungehus_tui.data.models import (
    Assignment,
    AuditHead,
    Center,
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
    StoreMeta,
    Task,
    TriageDecision,
    YoungPerson,
)
from ungehus_tui.data.org import OrgFile, default_org_path, read_org, work_calendar
from ungehus_tui.demo.casework import Casework
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

BATCH = 5000


# Tables that `init` fills from the organisation file, and its bookkeeping; every other table
# of a database demo may fill is empty.
ORG_TABLES = frozenset({"center", "room", "office_hours", "closed_day", "staff"})
BOOKKEEPING = frozenset({"alembic_version", "audit_head", "store_meta"})


@dataclass(frozen=True)
class DemoState:
    """What a database is to the demo: `empty` (demo may fill it), `demo` (it carries the
    marker) or `other` (anything else; `reason` says what, one line, no personal data)."""

    kind: Literal["empty", "demo", "other"]
    reason: str = ""


def has_people(ctx: Ctx) -> bool:
    with ctx.engine.connect() as conn:
        return bool(conn.execute(select(func.count()).select_from(YoungPerson)).scalar())


def demo_state(engine: Engine, org: OrgFile) -> DemoState:
    """Read-only: may `ungehus demo` fill this database with fictitious data?

    Empty means all of: `org`, the organisation file demo would load, is the shipped one;
    no table but the organisation's and the bookkeeping holds a row (no young person, intake,
    audit event, export watermark, ...) and the audit chain never moved; no staff member has
    a password; every staff member, room and center is as in the shipped organisation file
    (so no `init` with a real organisation file and no `staff add`).
    """
    names = set(inspect(engine).get_table_names())
    if names and "alembic_version" not in names:
        return DemoState("other", "it was not made by Ungehus")
    with engine.connect() as conn:
        if "store_meta" in names and is_demo_store(conn):
            return DemoState("demo")
        shipped = read_org(default_org_path())
        if org != shipped:
            return DemoState("other", "the organisation file is not the shipped one")
        if not names:
            return DemoState("empty")
        reason = _in_use(conn, names) or _not_shipped(conn, shipped)
    return DemoState("other", reason) if reason else DemoState("empty")


def _in_use(conn: Connection, names: set[str]) -> str | None:
    """Why the database has been used, or None: a row in a table beyond the organisation's
    and the bookkeeping, an audit chain that moved, a staff member with a password."""
    for name in sorted(names - ORG_TABLES - BOOKKEEPING):
        if conn.execute(select(literal(1)).select_from(table(name)).limit(1)).first():
            return f"it holds data ({name})"
    head = _table(AuditHead).c
    if (
        "audit_head" in names
        and conn.execute(select(head.id).where(func.coalesce(head.last_event_id, 0) != 0)).first()
    ):
        return "its audit log has been used"
    staff = _table(Staff).c
    if conn.execute(select(staff.id).where(staff.password_hash.is_not(None))).first():
        return "staff members have passwords"
    return None


def _not_shipped(conn: Connection, shipped: OrgFile) -> str | None:
    """Which of staff, rooms and centers differ from the shipped organisation file, or None."""
    staff = _table(Staff).c
    expected = {
        s.login: (s.name, str(s.role), str(s.center) if s.center else None) for s in shipped.staff
    }
    for login, name, role, center in conn.execute(
        select(staff.login, staff.name, staff.role, staff.center_code)
    ):
        if expected.get(login) != (name, role, center):
            return "staff not from the shipped organisation file"
    rooms = {r.name for r in shipped.rooms}
    if any(n not in rooms for n in conn.execute(select(_table(Room).c.name)).scalars()):
        return "rooms not from the shipped organisation file"
    centers = {str(c.code): c.name for c in shipped.centers}
    for code, name in conn.execute(select(_table(Center).c.code, _table(Center).c.name)):
        if centers.get(code) != name:
            return "centers not from the shipped organisation file"
    return None


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


Rows = list[dict[str, Any]]


def fill_demo(
    ctx: Ctx, *, persons: int, seed: int = 2019, progress: bool = False
) -> dict[str, int]:
    """Add `persons` fictitious young people with their cases and mark the database as a
    demo one (same transaction); returns counts per kind. Callers check `demo_state` first:
    this function does not refuse a database with real data."""
    from rich.progress import Progress  # not at import: `run --demo` reads the demo state only

    with ctx.engine.begin() as conn, Progress(disable=not progress, transient=True) as bar:
        task = bar.add_task("Demo data", total=persons)
        demo = _Demo(ctx, conn, seed, persons)
        for n in range(persons):
            if n % 1000 == 0:
                bar.update(task, completed=n)
                demo.flush_if_full()
            demo.add_young_person(n)
        demo.add_waiting_list()
        demo.flush()
        _fix_sequences(conn)
        if not is_demo_store(conn):
            conn.execute(
                insert(_table(StoreMeta)).values(
                    key=DEMO_MARKER,
                    value=f"ungehus demo: {persons} fictitious young people, seed {seed}",
                    updated_at=clock.now(),
                )
            )
    return dict(demo.stats)


@dataclass
class _Person:
    """The young person being made, as the later steps need it."""

    index: int
    id: int
    name: str
    created: dt.datetime
    created_day: dt.date
    under18: bool


class _Demo:
    """The demo data of one run: the organisation read once, id counters, row buffers
    written in bulk, and the room and staff calendar of the first meetings. Two random
    streams: `rng` for people, intakes, teams and meetings; `history` for casework history
    (so adding history never changed the rest)."""

    def __init__(self, ctx: Ctx, conn: Connection, seed: int, persons: int) -> None:
        self.ctx = ctx
        self.conn = conn
        self.rng = random.Random(seed)
        self.history = random.Random(seed + 1)
        self.now = clock.now().astimezone(dt.UTC)  # UTC: cheap to store in bulk
        self.today = clock.today()
        self.stats: dict[str, int] = defaultdict(int)
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA cache_size = -131072")  # 128 MiB: no spill to WAL
        staff_rows = conn.execute(select(_table(Staff))).mappings().all()
        self.rooms = [r["id"] for r in conn.execute(select(_table(Room))).mappings().all()]
        self.actor = next(s["id"] for s in staff_rows if s["role"] == "RECEPTION")
        self.by_role: dict[tuple[str, str], list[int]] = defaultdict(list)
        self.by_center: dict[str, list[int]] = defaultdict(list)
        self.staff_name = {s["id"]: s["name"] for s in staff_rows}
        for s in staff_rows:
            if s["role"] == "COUNSELLOR" and s["active"]:
                self.by_role[(s["center_code"], s["contact_role"])].append(s["id"])
                self.by_center[s["center_code"]].append(s["id"])
        self.stats["staff"] = len(staff_rows)
        self.stats["rooms"] = len(self.rooms)
        with Session(bind=conn) as org_session:
            self.cal = work_calendar(org_session)
        self.used = set(conn.execute(select(_table(YoungPerson).c.cpr)).scalars())
        self.pid = _next_id(conn, YoungPerson)
        self.iid, self.did = _next_id(conn, Intake), _next_id(conn, TriageDecision)
        self.mid, self.aid = _next_id(conn, Meeting), _next_id(conn, Assignment)
        self.pl_id = _next_id(conn, EducationPlan)
        self.recent_people: Rows = []
        self.people: Rows = []
        self.toks: Rows = []
        self.intakes: Rows = []
        self.decisions: Rows = []
        self.assigns: Rows = []
        self.consents: Rows = []
        self.meetings: Rows = []
        self.parts: Rows = []
        self.tasks: Rows = []
        self.handovers: Rows = []
        self.arrivals: Rows = []
        self.plans: Rows = []
        self.interventions: Rows = []
        self.buffers = (
            (YoungPerson, self.people),
            (PersonNameToken, self.toks),
            (Intake, self.intakes),
            (TriageDecision, self.decisions),
            (Assignment, self.assigns),
            (Consent, self.consents),
            (Meeting, self.meetings),
            (MeetingParticipant, self.parts),
            (Task, self.tasks),
            (Handover, self.handovers),
            (DeskArrival, self.arrivals),
            (EducationPlan, self.plans),
            (PlanIntervention, self.interventions),
        )
        self.busy: dict[tuple[dt.date, int], set[tuple[str, int]]] = defaultdict(set)
        self.full: set[tuple[dt.date, int]] = set()
        self.decided: dict[tuple[Any, ...], tuple[Any, str]] = {}
        self.slot_days = [
            d
            for d in (self.today + dt.timedelta(days=k) for k in range(-110, 30))
            if self.cal.is_open(d)
        ]
        self.turning_18 = max(3, persons // 500) if persons >= 20 else 0
        self.casework = Casework(self)

    def flush(self) -> None:
        for model, rows in self.buffers:
            _bulk(self.conn, model, rows)
            rows.clear()

    def flush_if_full(self) -> None:
        if len(self.people) >= 10000:
            self.recent_people = self.people[-60:]
            self.flush()

    def add_young_person(self, n: int) -> None:
        """One young person with intake and decision; when eligible, the team that holds
        them, a first meeting, handovers and casework history."""
        person = self._person(n)
        decision = self._intake(person)
        if decision.eligible:
            self.casework.case(person, decision)
        else:
            self.people[-1]["case_open"] = False
        self.pid, self.iid, self.did = self.pid + 1, self.iid + 1, self.did + 1

    def _person(self, n: int) -> _Person:
        rng, now, today = self.rng, self.now, self.today
        if n < self.turning_18:  # turns 18 within the next two weeks, held by CBU
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
        number = _cpr(rng, birth, self.used)
        created_day = clock.local(created).date()
        under18 = age_on(birth, created_day) < 18
        pid = self.pid
        self.people.append(
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
                "created_by": self.actor,
                "created_at": created,
                "updated_at": created,
            }
        )
        self.toks.extend({"person_id": pid, "token": t} for t in index_tokens(name))
        self.stats["young_people"] += 1
        return _Person(n, pid, name, created, created_day, under18)

    def _intake(self, person: _Person) -> Any:
        """The intake and the engine's decision (decisions are shared between equal facts)."""
        from ungehus_tui.domain.triage import RULESET_VERSION, Facts, decide

        number = self.people[-1]["cpr"]
        age = age_on(self.people[-1]["birth_date"], person.created_day)
        facts = _facts(self.rng, age)
        if person.index < self.turning_18:
            facts.update(social_case=True, situation="ingen", grade=None)
        key = (age, number[6], tuple(facts.values()))
        cached = self.decided.get(key)
        if cached is None:
            decision = decide(Facts(cpr=number, on=person.created_day, **facts))
            if not decision.warnings:  # CPR-specific warnings are not shared
                self.decided[key] = (decision, json.dumps(decision.to_contract()))
            contract = json.dumps(decision.to_contract(), ensure_ascii=False)
        else:
            decision, contract = cached
        created = person.created
        self.intakes.append(
            {
                "id": self.iid,
                "person_id": person.id,
                "intake_date": person.created_day,
                "created_by": self.actor,
                "created_at": created,
                "updated_at": created,
                **facts,
            }
        )
        self.decisions.append(
            {
                "id": self.did,
                "intake_id": self.iid,
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
                "decided_by": self.actor,
                "decided_at": created,
                "updated_at": created,
            }
        )
        return decision

    def add_waiting_list(self) -> None:
        """Today's waiting list at the desk: six of the last young people made."""
        recent = [p for p in (self.people[-60:] or self.recent_people) if p["case_open"]][:6]
        for k, p in enumerate(recent):
            arrived = self.now - dt.timedelta(minutes=4 + 7 * k)
            self.arrivals.append(
                {
                    "person_id": p["id"],
                    "reason": ("APPOINTMENT", "QUESTION", "NEW")[k % 3],
                    "note": None,
                    "meeting_id": None,
                    "arrived_at": arrived,
                    "served_at": None,
                    "registered_by": self.actor,
                    "updated_at": arrived,
                }
            )


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
