"""One Danish label for every code the domain stores, keyed by the enums of `codes.py`.

Screens, the CLI and the steering report show a code through `label_da` and never raw
(COUNSELLOR, BESKAEFTIGELSESRAADGIVER, `[other]`). The table is per enum: two enums may
share a value (HandoverKind.EXTERNAL and ContactPersonKind.EXTERNAL) and mean different
things. A code no table knows (an old row, a hand-edited database) shows as "ukendt".
"""

from __future__ import annotations

from enum import StrEnum

from ungehus_tui.domain.codes import (
    AccessRole,
    ArrivalReason,
    AssignmentKind,
    CenterCode,
    ContactPersonKind,
    ContactRole,
    HandoverKind,
    HandoverStatus,
    InterventionArea,
    MeetingKind,
    MeetingStatus,
    ParticipantKind,
    Situation,
    TaskKind,
    TeamRole,
)

UNKNOWN_DA = "ukendt"

LABELS_DA: dict[type[StrEnum], dict[str, str]] = {
    AccessRole: {
        AccessRole.RECEPTION: "Reception",
        AccessRole.COUNSELLOR: "Rådgiver/sagsbehandler",
        AccessRole.LEADER: "Leder",
        AccessRole.ADMIN: "IT-administrator",
    },
    CenterCode: {
        CenterCode.CBU: "Center for Børn og Unge",
        CenterCode.CAI: "Center for Arbejdsmarked og Integration",
        CenterCode.CHP: "Center for Handicap og Psykiatri",
        CenterCode.CKFB: "Center for Kultur, Fritid og Borgerservice",
    },
    ContactRole: {
        ContactRole.UDDANNELSESVEJLEDER: "Uddannelsesvejleder",
        ContactRole.BOERNE_FAMILIERAADGIVER: "Børne- og familierådgiver",
        ContactRole.HANDICAP_PSYKIATRIRAADGIVER: "Handicap- og psykiatrirådgiver",
        ContactRole.BESKAEFTIGELSESRAADGIVER: "Beskæftigelsesrådgiver",
        ContactRole.BORGERSERVICE_RAADGIVER: "Borgerservicerådgiver",
    },
    TeamRole: {
        TeamRole.KOORDINERENDE_SAGSBEHANDLER: "Koordinerende sagsbehandler",
        TeamRole.KONTAKTPERSON: "Kontaktperson",
        TeamRole.MOEDELEDER: "Mødeleder",
    },
    Situation: {
        Situation.GRUNDSKOLE: "Grundskole/10. kl.",
        Situation.UNGDOMSUDDANNELSE: "Ungdomsuddannelse",
        Situation.JOB: "Job",
        Situation.INGEN: "Ingen af delene",
        Situation.ANDET: "Andet",
    },
    ArrivalReason: {
        ArrivalReason.NEW: "Ny henvendelse",
        ArrivalReason.APPOINTMENT: "Til aftalt møde",
        ArrivalReason.QUESTION: "Spørgsmål",
    },
    MeetingKind: {
        MeetingKind.FIRST_CONVERSATION: "Første samtale",
        MeetingKind.TEAM_MEETING: "Teammøde",
        MeetingKind.FOLLOW_UP: "Opfølgningssamtale",
    },
    MeetingStatus: {
        MeetingStatus.BOOKED: "booket",
        MeetingStatus.HELD: "holdt",
        MeetingStatus.NO_SHOW: "udeblevet",
        MeetingStatus.CANCELLED: "aflyst",
    },
    ParticipantKind: {
        ParticipantKind.STAFF: "Medarbejder",
        ParticipantKind.YOUNG_PERSON: "Den unge",
        ParticipantKind.GUARDIAN: "Forælder/værge",
    },
    AssignmentKind: {
        AssignmentKind.CONTACT: "kontakt",
        AssignmentKind.COORDINATOR: "koordinerende sagsbehandler",
        AssignmentKind.CONTACT_PERSON: "kontaktperson",
    },
    ContactPersonKind: {
        ContactPersonKind.MUNICIPAL: "Kommunal medarbejder",
        ContactPersonKind.ENTERPRISE: "Ansat i en kommunal virksomhed",
        ContactPersonKind.EXTERNAL: "Voksen uden for kommunen",
    },
    HandoverKind: {
        HandoverKind.COLLEAGUE: "Kollega",
        HandoverKind.EXTERNAL: "Ekstern aktør",
        HandoverKind.EDUCATION_START: "Start på uddannelse",
        HandoverKind.JOB_START: "Start i job",
        HandoverKind.TURNING_18: "Fylder 18",
    },
    HandoverStatus: {
        HandoverStatus.OFFERED: "tilbudt",
        HandoverStatus.ACCEPTED: "accepteret",
        HandoverStatus.REJECTED: "afvist",
        HandoverStatus.WITHDRAWN: "trukket tilbage",
    },
    TaskKind: {
        TaskKind.OUTREACH: "Opsøgende kontakt",
        TaskKind.FIRST_CONTACT: "Første kontakt",
        TaskKind.CONTACT_PERSON_END: "Kontaktperson slutter",
        TaskKind.GUARDIAN_MISSING: "Forælder/værge mangler",
        TaskKind.DROPOUT_CONTACT: "Frafald: kontakt",
        TaskKind.ACTIVITY_OFFER: "Frafald: tilbud om aktivitet",
        TaskKind.HANDOVER_REJECTED: "Overdragelse afvist",
        TaskKind.PLAN_REVISION: "Revidér planen",
    },
    InterventionArea: {
        InterventionArea.EDUCATION: "uddannelse",
        InterventionArea.JOB: "job",
        InterventionArea.OTHER: "andet",
    },
}


def label_da(enum: type[StrEnum], code: str | None) -> str:
    """The Danish label of `code` in `enum` ('COUNSELLOR' -> 'Rådgiver/sagsbehandler');
    "ukendt" for a code the table does not know, "–" for none."""
    if code is None or code == "":
        return "–"
    return LABELS_DA[enum].get(str(code), UNKNOWN_DA)


def labels_of(*enums: type[StrEnum]) -> dict[str, str]:
    """One code -> label mapping for the enums given (their values must not overlap)."""
    out: dict[str, str] = {}
    for enum in enums:
        out.update(LABELS_DA[enum])
    return out


# Views of the one table, for the places that map a plain string code.
CENTER_NAMES_DA: dict[str, str] = labels_of(CenterCode)
ROLE_NAMES_DA: dict[str, str] = labels_of(ContactRole, TeamRole)
AREA_NAMES_DA: dict[str, str] = labels_of(InterventionArea)
