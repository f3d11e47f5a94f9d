"""SQLModel tables. Every change to these goes with an Alembic migration.

Times: every datetime is timezone-aware (SQLModel stores UTC and returns UTC); `clock.now()`
gives aware local time and `clock.local()` converts for display.
Codes are plain strings from `ungehus_tui.domain.codes`.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, Index, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from ungehus_tui.domain.clock import now


def _now() -> dt.datetime:
    return now()


class Center(SQLModel, table=True):
    __tablename__ = "center"
    code: str = Field(primary_key=True, max_length=8)
    name: str = Field(max_length=120)


class Staff(SQLModel, table=True):
    """A member of staff (medarbejder). `role` is the access role, `contact_role` the job."""

    __tablename__ = "staff"
    id: int | None = Field(default=None, primary_key=True)
    login: str = Field(max_length=64, unique=True)
    name: str = Field(max_length=120)
    role: str = Field(max_length=16)  # AccessRole
    contact_role: str | None = Field(default=None, max_length=40)  # ContactRole
    center_code: str | None = Field(default=None, foreign_key="center.code", index=True)
    email: str | None = Field(default=None, max_length=200)
    active: bool = Field(default=True)
    password_hash: str | None = Field(default=None, max_length=200)
    must_change_password: bool = Field(default=False)
    failed_logins: int = Field(default=0)
    locked_until: dt.datetime | None = None
    created_at: dt.datetime = Field(default_factory=_now)
    updated_at: dt.datetime = Field(default_factory=_now)


class Room(SQLModel, table=True):
    __tablename__ = "room"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=80, unique=True)
    seats: int
    location: str | None = Field(default=None, max_length=120)


class OfficeHours(SQLModel, table=True):
    """Opening hours per weekday (0 = Monday)."""

    __tablename__ = "office_hours"
    weekday: int = Field(primary_key=True)
    opens: dt.time
    closes: dt.time


class ClosedDay(SQLModel, table=True):
    """Extra closed days beyond Danish public holidays (e.g. 24 and 31 December, 5 June)."""

    __tablename__ = "closed_day"
    day: dt.date = Field(primary_key=True)
    reason: str = Field(max_length=120)


class YoungPerson(SQLModel, table=True):
    """Den unge. CPR stored compact (10 digits); shown masked unless revealed."""

    __tablename__ = "young_person"
    id: int | None = Field(default=None, primary_key=True)
    cpr: str = Field(max_length=10, unique=True)
    birth_date: dt.date = Field(index=True)
    name: str = Field(max_length=200)
    name_folded: str = Field(max_length=200)
    phone: str | None = Field(default=None, max_length=40)
    email: str | None = Field(default=None, max_length=200)
    guardian_name: str | None = Field(default=None, max_length=200)
    guardian_phone: str | None = Field(default=None, max_length=40)
    case_open: bool = Field(default=False)  # opened with the first holder (assignments)
    anonymised_at: dt.datetime | None = None
    created_by: int | None = Field(default=None, foreign_key="staff.id")
    created_at: dt.datetime = Field(default_factory=_now, index=True)
    updated_at: dt.datetime = Field(default_factory=_now, index=True)


class PersonNameToken(SQLModel, table=True):
    """One folded word of a young person's name, for indexed prefix search."""

    __tablename__ = "person_name_token"
    __table_args__ = (Index("ix_person_name_token_token_person", "token", "person_id"),)
    person_id: int = Field(foreign_key="young_person.id", primary_key=True, ondelete="CASCADE")
    # Bytewise ("C") on PostgreSQL, as SQLite compares: the search's prefix ranges must not
    # depend on the database's collation (in da_DK 'aa' sorts after 'z'). Migration 0004.
    token: str = Field(
        max_length=80,
        primary_key=True,
        sa_type=String(80).with_variant(String(80, collation="C"), "postgresql"),
    )


class DeskArrival(SQLModel, table=True):
    """A walk-in at the desk (henvendelse): who, when, why; served when attended to."""

    __tablename__ = "desk_arrival"
    id: int | None = Field(default=None, primary_key=True)
    person_id: int | None = Field(default=None, foreign_key="young_person.id", index=True)
    reason: str = Field(max_length=16)  # ArrivalReason
    note: str | None = Field(default=None, max_length=500)
    meeting_id: int | None = Field(default=None, foreign_key="meeting.id")
    arrived_at: dt.datetime = Field(default_factory=_now, index=True)
    served_at: dt.datetime | None = None
    registered_by: int = Field(foreign_key="staff.id")
    updated_at: dt.datetime = Field(default_factory=_now)


class Intake(SQLModel, table=True):
    """The facts gathered at the desk on one intake date (visitation)."""

    __tablename__ = "intake"
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="young_person.id", index=True)
    intake_date: dt.date
    situation: str = Field(max_length=24)  # Situation
    grade: int | None = None
    completed_youth_education: bool = False
    social_case: bool = False
    jobcenter_case: bool = False
    early_pension: bool = False
    specialised_needs: bool = False
    housing_or_finance: bool = False
    retention_only: bool = False
    created_by: int = Field(foreign_key="staff.id")
    created_at: dt.datetime = Field(default_factory=_now)
    updated_at: dt.datetime = Field(default_factory=_now, index=True)


class TriageDecision(SQLModel, table=True):
    """A triage result for an intake: the engine's, or a staff override (org. c).

    An override is a new row with `overrides_id` pointing at the decision it replaces; the
    original is kept. The current decision of an intake is the newest row.
    """

    __tablename__ = "triage_decision"
    id: int | None = Field(default=None, primary_key=True)
    intake_id: int = Field(foreign_key="intake.id", index=True)
    source: str = Field(max_length=16)  # ENGINE | OVERRIDE
    ruleset_version: str = Field(max_length=32)
    eligible: bool
    age: int
    rules: str = Field(max_length=200)  # comma-separated rule ids that fired
    centers: str = Field(max_length=60)  # comma-separated center codes
    lead_center: str | None = Field(default=None, max_length=8)
    contact_role: str | None = Field(default=None, max_length=40)
    team_meeting: bool = False
    result_json: str = Field(sa_column=Column(Text, nullable=False))
    reason: str | None = Field(default=None, max_length=1000)  # override reason
    overrides_id: int | None = Field(default=None, foreign_key="triage_decision.id")
    decided_by: int = Field(foreign_key="staff.id")
    decided_at: dt.datetime = Field(default_factory=_now)
    updated_at: dt.datetime = Field(default_factory=_now, index=True)


class Meeting(SQLModel, table=True):
    __tablename__ = "meeting"
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="young_person.id", index=True)
    intake_id: int | None = Field(default=None, foreign_key="intake.id")
    kind: str = Field(max_length=24)  # MeetingKind
    is_first: bool = False
    start: dt.datetime = Field(index=True)
    end: dt.datetime
    room_id: int = Field(foreign_key="room.id", index=True)
    leader_id: int | None = Field(default=None, foreign_key="staff.id")
    status: str = Field(default="BOOKED", max_length=16)  # MeetingStatus
    outcome_note: str | None = Field(default=None, sa_column=Column(Text))
    stu_decision: str | None = Field(default=None, max_length=200)
    outcome_by: int | None = Field(default=None, foreign_key="staff.id")
    outcome_at: dt.datetime | None = None
    created_by: int = Field(foreign_key="staff.id")
    created_at: dt.datetime = Field(default_factory=_now)
    updated_at: dt.datetime = Field(default_factory=_now, index=True)


class MeetingParticipant(SQLModel, table=True):
    __tablename__ = "meeting_participant"
    __table_args__ = (Index("ix_meeting_participant_staff", "staff_id", "meeting_id"),)
    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=16)  # ParticipantKind
    staff_id: int | None = Field(default=None, foreign_key="staff.id")
    center_code: str | None = Field(default=None, max_length=8)
    name: str = Field(max_length=200)
    email: str | None = Field(default=None, max_length=200)


class Assignment(SQLModel, table=True):
    """Who holds the young person and as what, from/to (kædeansvar).

    `holds` marks the assignment that carries the chain responsibility; an open case has
    exactly one active (`ended_at` is null) holding assignment.
    """

    __tablename__ = "assignment"
    __table_args__ = (Index("ix_assignment_staff_active", "staff_id", "ended_at"),)
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="young_person.id", index=True)
    staff_id: int | None = Field(default=None, foreign_key="staff.id")
    external_actor: str | None = Field(default=None, max_length=200)
    center_code: str | None = Field(default=None, max_length=8)
    kind: str = Field(max_length=24)  # AssignmentKind
    contact_role: str | None = Field(default=None, max_length=40)
    holds: bool = False
    paid_by: str | None = Field(default=None, max_length=120)  # contact person financing
    # A contact person (org. f, revision 0003): a municipal employee (staff, or named here),
    # an employee of a municipal enterprise or an adult outside the municipality, with the
    # common competence requirements confirmed; `agreed_until` records an agreement to go on
    # after the young person's 25th birthday.
    contact_kind: str | None = Field(default=None, max_length=24)  # ContactPersonKind
    contact_name: str | None = Field(default=None, max_length=200)
    contact_org: str | None = Field(default=None, max_length=200)
    contact_phone: str | None = Field(default=None, max_length=40)
    competence_confirmed: bool | None = None
    agreed_until: dt.date | None = None
    started_at: dt.datetime = Field(default_factory=_now)
    ended_at: dt.datetime | None = None
    end_reason: str | None = Field(default=None, max_length=200)
    created_by: int = Field(foreign_key="staff.id")
    updated_at: dt.datetime = Field(default_factory=_now, index=True)


class Handover(SQLModel, table=True):
    """An offer to hand a young person over; the sender holds until it is accepted."""

    __tablename__ = "handover"
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="young_person.id", index=True)
    kind: str = Field(max_length=24)  # HandoverKind
    status: str = Field(default="OFFERED", max_length=16, index=True)  # HandoverStatus
    from_staff_id: int | None = Field(default=None, foreign_key="staff.id", index=True)
    to_staff_id: int | None = Field(default=None, foreign_key="staff.id", index=True)
    to_center_code: str | None = Field(default=None, max_length=8)
    to_external: str | None = Field(default=None, max_length=200)
    to_external_contact: str | None = Field(default=None, max_length=200)
    reason: str | None = Field(default=None, max_length=1000)
    response_reason: str | None = Field(default=None, max_length=1000)
    offered_at: dt.datetime = Field(default_factory=_now)
    responded_at: dt.datetime | None = None
    responded_by: int | None = Field(default=None, foreign_key="staff.id")
    created_by: int = Field(foreign_key="staff.id")
    updated_at: dt.datetime = Field(default_factory=_now, index=True)


class Consent(SQLModel, table=True):
    """Consent to share with / act from one center for one purpose (org. b)."""

    __tablename__ = "consent"
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="young_person.id", index=True)
    center_code: str = Field(max_length=8)
    purpose: str = Field(max_length=300)
    given_at: dt.datetime = Field(default_factory=_now)
    withdrawn_at: dt.datetime | None = None
    recorded_by: int = Field(foreign_key="staff.id")
    updated_at: dt.datetime = Field(default_factory=_now, index=True)


class EducationPlan(SQLModel, table=True):
    """Uddannelsesplan: one version per row; the newest version is current."""

    __tablename__ = "education_plan"
    __table_args__ = (UniqueConstraint("person_id", "version"),)
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="young_person.id", index=True)
    version: int
    short_term_goals: str = Field(default="", sa_column=Column(Text, nullable=False))
    long_term_goals: str = Field(default="", sa_column=Column(Text, nullable=False))
    meeting_id: int | None = Field(default=None, foreign_key="meeting.id")
    created_by: int = Field(foreign_key="staff.id")
    created_at: dt.datetime = Field(default_factory=_now)
    updated_at: dt.datetime = Field(default_factory=_now, index=True)


class PlanIntervention(SQLModel, table=True):
    __tablename__ = "plan_intervention"
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="education_plan.id", index=True, ondelete="CASCADE")
    center_code: str = Field(max_length=8)
    area: str = Field(max_length=16)  # InterventionArea
    description: str = Field(max_length=1000)
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    consent_id: int | None = Field(default=None, foreign_key="consent.id")


class Task(SQLModel, table=True):
    """Work with a due date that is not a meeting or a handover (outreach after a no-show)."""

    __tablename__ = "task"
    __table_args__ = (Index("ix_task_staff_open", "staff_id", "done_at"),)
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="young_person.id", index=True)
    kind: str = Field(max_length=24)  # TaskKind
    staff_id: int | None = Field(default=None, foreign_key="staff.id")
    meeting_id: int | None = Field(default=None, foreign_key="meeting.id")
    due: dt.date
    note: str | None = Field(default=None, max_length=500)
    done_at: dt.datetime | None = None
    created_by: int = Field(foreign_key="staff.id")
    created_at: dt.datetime = Field(default_factory=_now)
    updated_at: dt.datetime = Field(default_factory=_now, index=True)


class AuditEvent(SQLModel, table=True):
    """Append-only, hash-chained log of personal data use (time, user, kind, subject)."""

    __tablename__ = "audit_event"
    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = Field(default_factory=_now, index=True)
    staff_id: int | None = Field(default=None, foreign_key="staff.id")
    staff_login: str = Field(max_length=64)
    action: str = Field(max_length=40, index=True)
    person_id: int | None = Field(default=None, foreign_key="young_person.id", index=True)
    search_term: str | None = Field(default=None, max_length=200)
    purpose: str | None = Field(default=None, max_length=200)
    detail: str | None = Field(default=None, max_length=2000)
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)
    # Where the event came from: channel `tui`, `cli` or `serve`; origin `os-user@host` or the
    # client address. Both None on events written before revision 0002.
    channel: str | None = Field(default=None, max_length=16)
    origin: str | None = Field(default=None, max_length=200)


class AuditHead(SQLModel, table=True):
    """The single row holding the chain's last hash; updating it serialises appends."""

    __tablename__ = "audit_head"
    id: int = Field(default=1, primary_key=True)
    last_event_id: int | None = None
    last_hash: str = Field(max_length=64)


class StoreMeta(SQLModel, table=True):
    """Facts about the store itself, one row each: the demo marker (`demo`), the audit chain's
    pruning checkpoint (`audit_checkpoint`)."""

    __tablename__ = "store_meta"
    key: str = Field(primary_key=True, max_length=64)
    value: str = Field(max_length=2000)
    updated_at: dt.datetime = Field(default_factory=_now)


class ExportWatermark(SQLModel, table=True):
    """Where the last successful export of a stream ended."""

    __tablename__ = "export_watermark"
    name: str = Field(primary_key=True, max_length=40)
    until: dt.datetime
    updated_at: dt.datetime = Field(default_factory=_now)
