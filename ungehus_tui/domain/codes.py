"""The code lists of the domain (DOMAIN.md): centers, roles, kinds and statuses.

Stored as plain strings so both backends and the exports read them the same way.
"""

from __future__ import annotations

from enum import StrEnum


class CenterCode(StrEnum):
    CBU = "CBU"  # Center for Børn og Unge
    CAI = "CAI"  # Center for Arbejdsmarked og Integration
    CHP = "CHP"  # Center for Handicap og Psykiatri
    CKFB = "CKFB"  # Center for Kultur, Fritid og Borgerservice


class ContactRole(StrEnum):
    """Contact roles (seed, org. f)."""

    UDDANNELSESVEJLEDER = "UDDANNELSESVEJLEDER"
    BOERNE_FAMILIERAADGIVER = "BOERNE_FAMILIERAADGIVER"
    HANDICAP_PSYKIATRIRAADGIVER = "HANDICAP_PSYKIATRIRAADGIVER"
    BESKAEFTIGELSESRAADGIVER = "BESKAEFTIGELSESRAADGIVER"
    BORGERSERVICE_RAADGIVER = "BORGERSERVICE_RAADGIVER"


class TeamRole(StrEnum):
    KOORDINERENDE_SAGSBEHANDLER = "KOORDINERENDE_SAGSBEHANDLER"
    KONTAKTPERSON = "KONTAKTPERSON"
    MOEDELEDER = "MOEDELEDER"


class AccessRole(StrEnum):
    """What a staff member may do in the system (enforced in the services)."""

    RECEPTION = "RECEPTION"
    COUNSELLOR = "COUNSELLOR"
    LEADER = "LEADER"
    ADMIN = "ADMIN"


class Situation(StrEnum):
    GRUNDSKOLE = "grundskole"  # incl. 10th grade
    UNGDOMSUDDANNELSE = "ungdomsuddannelse"
    JOB = "job"
    INGEN = "ingen"
    ANDET = "andet"


class ArrivalReason(StrEnum):
    NEW = "NEW"
    APPOINTMENT = "APPOINTMENT"
    QUESTION = "QUESTION"


class MeetingKind(StrEnum):
    FIRST_CONVERSATION = "FIRST_CONVERSATION"
    TEAM_MEETING = "TEAM_MEETING"
    FOLLOW_UP = "FOLLOW_UP"


class MeetingStatus(StrEnum):
    BOOKED = "BOOKED"
    HELD = "HELD"
    NO_SHOW = "NO_SHOW"
    CANCELLED = "CANCELLED"


class ParticipantKind(StrEnum):
    STAFF = "STAFF"
    YOUNG_PERSON = "YOUNG_PERSON"
    GUARDIAN = "GUARDIAN"


class AssignmentKind(StrEnum):
    CONTACT = "CONTACT"  # the center's contact role (sagsbehandler/vejleder/rådgiver)
    COORDINATOR = "COORDINATOR"  # koordinerende sagsbehandler (org. f)
    CONTACT_PERSON = "CONTACT_PERSON"  # kontaktperson (org. f)


class ContactPersonKind(StrEnum):
    """Who a contact person may be (org. f)."""

    MUNICIPAL = "MUNICIPAL"  # a municipal employee (a staff member, or named)
    ENTERPRISE = "ENTERPRISE"  # an employee of a municipal enterprise
    EXTERNAL = "EXTERNAL"  # an adult outside the municipal organisation


class HandoverKind(StrEnum):
    COLLEAGUE = "COLLEAGUE"
    EXTERNAL = "EXTERNAL"  # school, employer, FGU ...
    EDUCATION_START = "EDUCATION_START"
    JOB_START = "JOB_START"
    TURNING_18 = "TURNING_18"


class HandoverStatus(StrEnum):
    OFFERED = "OFFERED"
    ACCEPTED = "ACCEPTED"
    REJECTED = "REJECTED"
    WITHDRAWN = "WITHDRAWN"


class TaskKind(StrEnum):
    OUTREACH = "OUTREACH"  # after a no-show
    FIRST_CONTACT = "FIRST_CONTACT"
    CONTACT_PERSON_END = "CONTACT_PERSON_END"
    GUARDIAN_MISSING = "GUARDIAN_MISSING"  # a 15-17 registered by list import without one
    DROPOUT_CONTACT = "DROPOUT_CONTACT"  # a reported drop-out: contact within 5 working days
    ACTIVITY_OFFER = "ACTIVITY_OFFER"  # ... and a new activity offered within 30 days
    HANDOVER_REJECTED = "HANDOVER_REJECTED"  # the sender still holds: act on the refusal
    PLAN_REVISION = "PLAN_REVISION"  # new intake / changed situation: revise the plan


class InterventionArea(StrEnum):
    EDUCATION = "EDUCATION"
    JOB = "JOB"
    OTHER = "OTHER"  # beyond education/job: needs consent (org. b)
