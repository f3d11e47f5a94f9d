"""UPCOMING_MEETING / OUTCOME_MISSING (booked meetings where the queue's staff take part or
lead, due the day) and HANDOVER_OFFERED_TO_ME / HANDOVER_PENDING_FROM_ME (pending offers to
or from them, due when the watchdog calls them stale)."""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import aliased
from sqlmodel import col

from ungehus_tui.data.models import Handover, Meeting, MeetingParticipant, Staff, YoungPerson
from ungehus_tui.domain.clock import local
from ungehus_tui.services.casework.queue.base import PERSON, Build
from ungehus_tui.services.casework.queue.items import QueueItem, QueueKind

MEETING_DA = {"TEAM_MEETING": "Teammøde", "FIRST_CONVERSATION": "Første samtale"}
HANDOVER_DA = {
    "COLLEAGUE": "Overdragelse",
    "EXTERNAL": "Overdragelse til ekstern",
    "EDUCATION_START": "Uddannelsesstart",
    "JOB_START": "Jobstart",
    "TURNING_18": "Fylder 18 (CBU → CAI)",
}


def meetings(b: Build) -> list[QueueItem]:
    mine = select(col(MeetingParticipant.meeting_id)).where(
        col(MeetingParticipant.staff_id).in_(b.ids)
    )
    participant = (
        select(func.min(MeetingParticipant.staff_id))
        .where(
            col(MeetingParticipant.meeting_id) == col(Meeting.id),
            col(MeetingParticipant.staff_id).in_(b.ids),
        )
        .scalar_subquery()
    )
    rows = b.rows(
        select(
            *PERSON,
            col(Meeting.id),
            col(Meeting.start),
            col(Meeting.kind),
            col(Meeting.is_first),
            col(Meeting.leader_id),
            participant,
        )
        .join(YoungPerson, col(YoungPerson.id) == Meeting.person_id)
        .where(
            col(Meeting.status) == "BOOKED",
            or_(col(Meeting.id).in_(mine), col(Meeting.leader_id).in_(b.ids)),
        )
    )
    out = []
    for pid, name, cpr, mid, start, mkind, first, leader, member in rows:
        begun = start <= b.stamp
        kind = QueueKind.OUTCOME_MISSING if begun else QueueKind.UPCOMING_MEETING
        when = local(start)
        what = MEETING_DA.get(mkind, "Opfølgning")
        if first and mkind == "FOLLOW_UP":
            what = "Første møde"
        detail = f"{what} {when:%d-%m-%Y %H:%M}" + (" · udfald mangler" if begun else "")
        holder = leader if leader in b.whose else member
        out.append(b.item(kind, (pid, name, cpr), when.date(), detail, holder, meeting_id=mid))
    return out


def handovers(b: Build) -> list[QueueItem]:
    sender, receiver = aliased(Staff), aliased(Staff)
    rows = b.rows(
        select(
            *PERSON,
            col(Handover.id),
            col(Handover.kind),
            col(Handover.offered_at),
            col(Handover.from_staff_id),
            col(Handover.to_staff_id),
            col(Handover.to_external),
            col(Handover.to_external_contact),
            col(sender.name),
            col(receiver.name),
        )
        .join(YoungPerson, col(YoungPerson.id) == Handover.person_id)
        .outerjoin(sender, col(sender.id) == col(Handover.from_staff_id))
        .outerjoin(receiver, col(receiver.id) == col(Handover.to_staff_id))
        .where(
            col(Handover.status) == "OFFERED",
            or_(
                col(Handover.to_staff_id).in_(b.ids),
                col(Handover.from_staff_id).in_(b.ids),
            ),
        )
    )
    limit = b.ctx.settings.handover_stale_working_days
    out = []
    for row in rows:
        pid, name, cpr, hid, hkind, at, from_id, to_id, ext, ext_contact, from_name, to_name = row
        offered = local(at).date()
        due = b.add_wd(offered, limit)
        what = HANDOVER_DA.get(hkind, hkind)
        if to_id in b.whose:
            kind, holder = QueueKind.HANDOVER_OFFERED_TO_ME, to_id
            to = f" til {to_name}" if b.center else ""
            detail = f"{what} fra {from_name or 'systemet'}{to} {offered:%d-%m-%Y}"
        else:
            kind, holder = QueueKind.HANDOVER_PENDING_FROM_ME, from_id
            to = to_name or f"{ext} ({ext_contact})"
            waiting = "kvittering" if to_id is None else "svar"
            holds = f"{from_name} holder" if b.center else "du holder"
            detail = f"{what} til {to}: afventer {waiting} · {holds} den unge"
        if due < b.day:
            detail += " · forældet"
        # The detail already names the people involved (no 'whose ·' prefix).
        out.append(
            b.item(kind, (pid, name, cpr), due, detail, holder, named=False, handover_id=hid)
        )
    return out
