"""What the nightly export contains: one file per entity, the columns, and which are personal.

Young people are identified by `pseudonym` (keyed HMAC of the young person's id, see
`export.pseudonym`), never by CPR; it survives anonymisation, and the anonymised row goes out
with `anonymised_at` (anonymising stamps `updated_at`, so the next incremental export has it).
Personal columns (CPR, young people's and other non-staff names) are written only with
`--include-cpr`; in `excel-da` the CPR is written `DDMMYY-SSSS`, so Excel keeps it as text
with its leading zero (10 digits alone become a number: 0101054001 -> 101054001).
Free text (notes, reasons, goals, descriptions) and contact data (phone, e-mail, guardian) are
never exported: they are case notes, not figures.

Incremental windows filter on each entity's `updated_at`; meeting participants follow their
meeting's `updated_at` and plan interventions their plan's (those tables have none).

The young person's id comes from the row's own foreign key (`person_id`, or its meeting's,
intake's or plan's), not from a join with `young_person`: the key always names an existing
young person (foreign keys are enforced on both backends), and the join cost a lookup per
row for nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    String,
    and_,
    case,
    cast,
    extract,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.sql import Select

from ungehus_tui.data.models import (
    Assignment,
    Consent,
    EducationPlan,
    Handover,
    Intake,
    Meeting,
    MeetingParticipant,
    PlanIntervention,
    Staff,
    Task,
    TriageDecision,
    YoungPerson,
)
from ungehus_tui.services.dataio.tabular import Dialect


def t(model: Any) -> Any:
    return model.__table__


@dataclass(frozen=True)
class Entity:
    """One export file. `columns` are (output name, SQL expression); names listed in
    `personal` are dropped unless CPR is included. With `person`, the query selects the
    young person's id (`person_id`, a column of `base`) as `_person` and the file starts
    with a `pseudonym` column."""

    name: str
    columns: list[tuple[str, Any]]
    base: Any  # the FROM clause (table or join)
    stamp: Any  # the updated_at column the window filters on
    order: Any
    person_id: Any = None  # the young person's id in `base`; None: no young person
    personal: frozenset[str] = frozenset()
    extra_stamp: Any = None  # a second updated_at (intakes: the current decision's)
    cpr: frozenset[str] = frozenset()  # CPR columns: `DDMMYY-SSSS` in excel-da

    def header(self, include_cpr: bool) -> list[str]:
        names = [n for n, _ in self.columns if include_cpr or n not in self.personal]
        return (["pseudonym"] if self.person else []) + names

    @property
    def person(self) -> bool:
        return self.person_id is not None

    def query(
        self, since: Any, until: Any, include_cpr: bool, dialect: Dialect | None = None
    ) -> Select[Any]:
        hyphen = self.cpr if dialect is Dialect.EXCEL_DA else frozenset()
        cols: list[Any] = [
            (hyphenated_cpr(expr) if n in hyphen else expr).label(n)
            for n, expr in self.columns
            if include_cpr or n not in self.personal
        ]
        if self.person:
            cols.insert(0, self.person_id.label("_person"))
        stmt = select(*cols).select_from(self.base)
        conds: list[ColumnElement[bool]] = []
        if until is not None:
            conds.append(self.stamp < until)
        if since is not None:
            conds.append(self.stamp >= since)
        window = and_(*conds) if conds else None
        if self.extra_stamp is not None and window is not None:
            extra = [self.extra_stamp < until] + ([self.extra_stamp >= since] if since else [])
            window = or_(window, and_(*extra))
        if window is not None:
            stmt = stmt.where(window)
        return stmt.order_by(self.order)


def entities() -> list[Entity]:
    yp, it, td = t(YoungPerson), t(Intake), t(TriageDecision)
    mt, mp, asg, ho = t(Meeting), t(MeetingParticipant), t(Assignment), t(Handover)
    co, ep, pi, tk, st = t(Consent), t(EducationPlan), t(PlanIntervention), t(Task), t(Staff)
    current = (
        select(td.c.intake_id, func.max(td.c.id).label("decision_id"))
        .group_by(td.c.intake_id)
        .subquery("current")
    )
    cd = td.alias("cd")
    dec_cols = ["source", "ruleset_version", "eligible", "age", "rules", "centers"]
    dec_cols += ["lead_center", "contact_role", "team_meeting", "decided_by", "decided_at"]
    return [
        Entity(
            "young_people",
            [
                ("birth_year", cast(extract("year", yp.c.birth_date), Integer)),
                ("cpr", yp.c.cpr),
                ("name", yp.c.name),
                ("case_open", yp.c.case_open),
                ("anonymised_at", yp.c.anonymised_at),
                ("created_at", yp.c.created_at),
                ("updated_at", yp.c.updated_at),
            ],
            yp,
            yp.c.updated_at,
            yp.c.id,
            person_id=yp.c.id,
            personal=frozenset({"cpr", "name"}),
            cpr=frozenset({"cpr"}),
        ),
        Entity(
            "intakes",
            [(c, it.c[c]) for c in _cols(it, skip={"person_id"})]
            + [("decision_id", cd.c.id)]
            + [(f"decision_{c}" if c == "source" else c, cd.c[c]) for c in dec_cols],
            it.outerjoin(current, current.c.intake_id == it.c.id).outerjoin(
                cd, cd.c.id == current.c.decision_id
            ),
            it.c.updated_at,
            it.c.id,
            person_id=it.c.person_id,
            extra_stamp=cd.c.updated_at,
        ),
        Entity(
            "decisions",
            [(c, td.c[c]) for c in _cols(td, skip={"result_json", "reason"})],
            td.join(it, it.c.id == td.c.intake_id),
            td.c.updated_at,
            td.c.id,
            person_id=it.c.person_id,
        ),
        _person_entity("meetings", mt, skip={"outcome_note", "stu_decision"}),
        Entity(
            "meeting_participants",
            [(c, mp.c[c]) for c in _cols(mp, skip={"email"})],
            mp.join(mt, mt.c.id == mp.c.meeting_id),
            mt.c.updated_at,
            mp.c.id,
            person_id=mt.c.person_id,
            personal=frozenset({"name"}),
        ),
        _person_entity(
            "assignments",
            asg,
            skip={"end_reason", "contact_phone"},  # contact data: never
            personal=frozenset({"contact_name", "external_actor"}),  # non-staff names
        ),
        _person_entity(
            "handovers",
            ho,
            skip={"reason", "response_reason"},
            personal=frozenset({"to_external_contact"}),
        ),
        _person_entity("consents", co, skip=set()),
        _person_entity("education_plans", ep, skip={"short_term_goals", "long_term_goals"}),
        Entity(
            "plan_interventions",
            [(c, pi.c[c]) for c in _cols(pi, skip={"description"})],
            pi.join(ep, ep.c.id == pi.c.plan_id),
            ep.c.updated_at,
            pi.c.id,
            person_id=ep.c.person_id,
        ),
        _person_entity("tasks", tk, skip={"note"}),
        Entity(
            "staff",
            [(c, st.c[c]) for c in ("id", "login", "role", "contact_role", "center_code")]
            + [(c, st.c[c]) for c in ("active", "created_at", "updated_at")],
            st,
            st.c.updated_at,
            st.c.id,
        ),
    ]


def hyphenated_cpr(cpr: Any) -> Any:
    """A stored CPR (10 digits) as `DDMMYY-SSSS`, in SQL (SQLite and PostgreSQL alike), so
    both export paths write the same cell; anything else (an anonymised 'ANON000123') as is."""
    digits = and_(func.length(cpr) == 10, func.substr(cpr, 1, 1).between("0", "9"))
    date, serial = func.substr(cpr, 1, 6, type_=String), func.substr(cpr, 7, 4, type_=String)
    return case((digits, date + literal("-", String) + serial), else_=cpr)


def _cols(table: Any, *, skip: set[str]) -> list[str]:
    return [c.name for c in table.c if c.name not in skip and c.name != "person_id"]


def _person_entity(
    name: str, table: Any, *, skip: set[str], personal: frozenset[str] = frozenset()
) -> Entity:
    return Entity(
        name,
        [(c, table.c[c]) for c in _cols(table, skip=skip)],
        table,
        table.c.updated_at,
        table.c.id,
        person_id=table.c.person_id,
        personal=personal,
    )
