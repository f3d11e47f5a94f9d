"""The Danish texts of a booking: the proposal's message, the young person's confirmation and
the desk's summary (masked CPR only), and `MeetingInfo`, the detached facts of a booked meeting
that the texts and the .ics invitations are built from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from ungehus_tui.data.models import Meeting, MeetingParticipant, Room, Staff
from ungehus_tui.domain import clock
from ungehus_tui.domain.codes import MeetingKind, ParticipantKind
from ungehus_tui.domain.cpr import mask
from ungehus_tui.domain.labels import CENTER_NAMES_DA, ROLE_NAMES_DA, labels_of
from ungehus_tui.services.desk.booking_plan import Plan
from ungehus_tui.settings import Settings

WEEKDAYS_DA = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")
MONTHS_DA = (
    "januar februar marts april maj juni juli august september oktober november december"
).split()
KIND_DA = labels_of(MeetingKind)


def date_da(day: dt.date) -> str:
    """'torsdag den 3. december 2026'."""
    return f"{WEEKDAYS_DA[day.weekday()]} den {day.day}. {MONTHS_DA[day.month - 1]} {day.year}"


def when_da(start: dt.datetime, end: dt.datetime) -> str:
    """'torsdag den 3. december 2026 kl. 09.00-09.45' (local time)."""
    s, e = clock.local(start), clock.local(end)
    return f"{date_da(s.date())} kl. {s:%H.%M}-{e:%H.%M}"


def proposal_message(
    plan: Plan,
    earliest: dt.date | None,
    first: dt.date,
    from_day: dt.date | None,
    settings: Settings,
) -> str | None:
    """Why the proposal is not plain: nothing fits, or the 15-17 deadline cannot be met."""
    if earliest is None:
        return (
            f"Der er ingen ledig tid de næste {settings.booking_horizon_days} dage fra "
            f"{date_da(first)}, hvor alle deltagere og et lokale er ledige. "
            "Kontakt centrene for at finde en tid."
        )
    if plan.deadline is None or earliest <= plan.deadline:
        return None
    days = settings.first_contact_working_days
    if from_day is not None and from_day > plan.deadline:
        return (
            f"Bemærk: den unge skal have første kontakt senest {date_da(plan.deadline)} "
            f"({days} arbejdsdage efter henvendelsen); den valgte dato ligger efter fristen."
        )
    return (
        f"Fristen på {days} arbejdsdage for første kontakt (senest {date_da(plan.deadline)}) "
        f"kan ikke overholdes: første ledige tid er {date_da(earliest)}. "
        "Kontakt den unge på anden vis inden fristen."
    )


@dataclass(frozen=True)
class PartInfo:
    id: int
    kind: str  # ParticipantKind
    name: str
    email: str | None
    staff_id: int | None
    label: str  # name with role and center for staff, "(forælder/værge)" for a guardian


@dataclass(frozen=True)
class MeetingInfo:
    meeting_id: int
    kind: str
    start: dt.datetime  # aware, local
    end: dt.datetime
    room_name: str
    room_location: str | None
    participants: tuple[PartInfo, ...]
    person_name: str
    cpr_masked: str
    coordinator_name: str | None
    leader_name: str
    team_meeting: bool

    @classmethod
    def build(
        cls,
        meeting: Meeting,
        room: Room,
        plan: Plan,
        staff: Sequence[Staff],
        parts: Sequence[MeetingParticipant],
        coordinator: Staff,
        leader: Staff,
        cpr: str,
    ) -> MeetingInfo:
        by_id = {s.id: s for s in staff}
        infos = []
        for p in parts:
            if p.kind == ParticipantKind.STAFF:
                s = by_id[p.staff_id]
                role = ROLE_NAMES_DA.get(s.contact_role or "", "Rådgiver")
                center = CENTER_NAMES_DA.get(s.center_code or "", s.center_code or "")
                label = f"{p.name} ({role.lower()}, {center})"
            elif p.kind == ParticipantKind.GUARDIAN:
                label = f"{p.name} (forælder/værge)"
            else:
                label = f"{p.name} (den unge)"
            infos.append(PartInfo(p.id or 0, p.kind, p.name, p.email, p.staff_id, label))
        return cls(
            meeting_id=meeting.id or 0,
            kind=meeting.kind,
            start=clock.local(meeting.start),
            end=clock.local(meeting.end),
            room_name=room.name,
            room_location=room.location,
            participants=tuple(infos),
            person_name=plan.person_name,
            cpr_masked=mask(cpr),
            coordinator_name=coordinator.name if plan.team_meeting else None,
            leader_name=leader.name,
            team_meeting=plan.team_meeting,
        )

    @property
    def place(self) -> str:
        return f"{self.room_name}, {self.room_location}" if self.room_location else self.room_name

    @property
    def staff(self) -> tuple[PartInfo, ...]:
        return tuple(p for p in self.participants if p.kind == ParticipantKind.STAFF)

    @property
    def guardian(self) -> PartInfo | None:
        return next((p for p in self.participants if p.kind == ParticipantKind.GUARDIAN), None)


def confirmation_da(info: MeetingInfo, settings: Settings) -> str:
    """The short confirmation handed to the young person (no CPR)."""
    first_name = info.person_name.split()[0] if info.person_name.split() else info.person_name
    meet = "\n".join(f"  - {p.label}" for p in info.staff)
    lines = [
        f"Hej {first_name}",
        "",
        f"Du har fået en tid i {settings.house_name}: {KIND_DA.get(info.kind, 'Møde').lower()}.",
        "",
        f"Tid: {when_da(info.start, info.end)}",
        f"Sted: {info.place}",
        "Du skal mødes med:",
        meet,
    ]
    if info.guardian is not None:
        lines.append(f"Din forælder/værge ({info.guardian.name}) er også inviteret.")
    if info.team_meeting:
        lines += [
            "",
            "Det er et teammøde: rådgivere fra flere centre er med, så I sammen kan lægge "
            "en plan for din uddannelse eller dit job.",
        ]
    lines += [
        "",
        "Medbring: dit sundhedskort (det gule kort) og, hvis du har dem, papirer fra skole, "
        "uddannelse eller job. Du må gerne tage en, du er tryg ved, med.",
        "",
        f"Kan du ikke komme, så kontakt {settings.house_name} hurtigst muligt, så finder vi "
        "en ny tid.",
    ]
    return "\n".join(lines)


def summary_da(info: MeetingInfo) -> str:
    """The desk's summary of the booking (CPR masked)."""
    lines = [
        f"{KIND_DA.get(info.kind, 'Møde')} booket (møde nr. {info.meeting_id})",
        f"Den unge: {info.person_name}, CPR {info.cpr_masked}",
        f"Tid: {when_da(info.start, info.end)}",
        f"Lokale: {info.place}",
        "Deltagere:",
        *(f"  - {p.label}" for p in info.participants),
        f"Mødeleder: {info.leader_name}",
    ]
    if info.coordinator_name:
        lines.append(f"Koordinerende sagsbehandler: {info.coordinator_name}")
    return "\n".join(lines)
