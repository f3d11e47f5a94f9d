"""What a queue is made of: the kinds of item, their Danish names, and the item itself."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

from ungehus_tui.domain.codes import AccessRole
from ungehus_tui.services.context import Actor


class QueueKind(StrEnum):
    AWAITING_FIRST_CONTACT = "AWAITING_FIRST_CONTACT"
    UPCOMING_MEETING = "UPCOMING_MEETING"
    OUTCOME_MISSING = "OUTCOME_MISSING"
    HANDOVER_OFFERED_TO_ME = "HANDOVER_OFFERED_TO_ME"
    HANDOVER_PENDING_FROM_ME = "HANDOVER_PENDING_FROM_ME"
    OUTREACH = "OUTREACH"
    CONTACT_PERSON_END = "CONTACT_PERSON_END"
    GUARDIAN_MISSING = "GUARDIAN_MISSING"
    DROPOUT_CONTACT = "DROPOUT_CONTACT"
    ACTIVITY_OFFER = "ACTIVITY_OFFER"
    HANDOVER_REJECTED = "HANDOVER_REJECTED"
    COORDINATOR_MISSING = "COORDINATOR_MISSING"
    PLAN_REVISION = "PLAN_REVISION"


KIND_NAMES_DA: dict[str, str] = {
    QueueKind.AWAITING_FIRST_CONTACT: "Afventer første kontakt",
    QueueKind.UPCOMING_MEETING: "Kommende møde",
    QueueKind.OUTCOME_MISSING: "Mangler mødeudfald",
    QueueKind.HANDOVER_OFFERED_TO_ME: "Tilbudt mig",
    QueueKind.HANDOVER_PENDING_FROM_ME: "Afventer modtager",
    QueueKind.OUTREACH: "Opsøgende",
    QueueKind.CONTACT_PERSON_END: "Kontaktperson slutter",
    QueueKind.GUARDIAN_MISSING: "Forælder/værge mangler",
    QueueKind.DROPOUT_CONTACT: "Frafald: kontakt",
    QueueKind.ACTIVITY_OFFER: "Frafald: tilbud om aktivitet",
    QueueKind.HANDOVER_REJECTED: "Overdragelse afvist",
    QueueKind.COORDINATOR_MISSING: "Koordinator mangler",
    QueueKind.PLAN_REVISION: "Revidér planen",
}
# A leader's queue is the center's: handovers are offered to someone in it, not to "me".
CENTER_KIND_NAMES_DA: dict[str, str] = {
    **KIND_NAMES_DA,
    QueueKind.HANDOVER_OFFERED_TO_ME: "Tilbudt centeret",
}
OVERDUE_DA = "overskredet"
EDUCATION_DUTY_DA = "15-17 år, uddannelsespligt"
# Open tasks that are simply the staff member's own work, shown as they are.
TASK_KINDS = (
    QueueKind.OUTREACH,
    QueueKind.CONTACT_PERSON_END,
    QueueKind.DROPOUT_CONTACT,
    QueueKind.ACTIVITY_OFFER,
    QueueKind.HANDOVER_REJECTED,
    QueueKind.PLAN_REVISION,
)


def is_center_queue(actor: Actor) -> bool:
    """Whether the actor's queue is their center's (a leader's), not their own."""
    return actor.role == AccessRole.LEADER


def kind_names(actor: Actor) -> dict[str, str]:
    return CENTER_KIND_NAMES_DA if is_center_queue(actor) else KIND_NAMES_DA


@dataclass(frozen=True, slots=True)
class QueueItem:
    kind: str
    person_id: int
    person_name: str
    cpr_masked: str
    due: dt.date
    detail_da: str
    meeting_id: int | None = None
    handover_id: int | None = None
    task_id: int | None = None
    assignment_id: int | None = None
    overdue: bool = False
    holder_id: int | None = None  # whose work it is
    holder_name: str | None = None
    education_duty: bool = False  # a 15-17-year-old's first contact (education duty)
    priority: int = 0  # 2 overdue education-duty contact, 1 other overdue, 0 not overdue

    @property
    def status_da(self) -> str:
        """'overskredet' when the due date has passed, else ''."""
        return OVERDUE_DA if self.overdue else ""

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["name"] = self.person_name
        data["due"] = self.due.isoformat()
        data["kind_da"] = KIND_NAMES_DA[self.kind]
        data["status_da"] = self.status_da
        return data


def counts(items: Iterable[QueueItem]) -> dict[str, int]:
    """Items per kind, every kind present (0 when none)."""
    c = Counter(i.kind for i in items)
    return {k.value: c.get(k.value, 0) for k in QueueKind}


def sort_key(item: QueueItem) -> tuple[dt.date, int, str, str]:
    """The queue's order: due date, the more urgent first on the same day, then name, kind."""
    return (item.due, -item.priority, item.person_name, item.kind)
