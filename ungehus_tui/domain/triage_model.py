"""The triage engine's data: the facts in, the decision out, the rule set's constants.

See `ungehus_tui.domain.triage` for the rules themselves (DOMAIN.md, "Triage").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field, fields

from ungehus_tui.domain import cpr as cprmod
from ungehus_tui.domain.codes import CenterCode, ContactRole

# The rule set a new decision is made with. A stored decision keeps the version it was made
# with (DOMAIN.md): slagelse-2019.1 gave R6 to a young person in a youth education too;
# slagelse-2019.2 does not ("hverken er i gang med eller har fuldført", seed org. e).
RULESET_VERSION = "slagelse-2019.2"
RULESET_VERSIONS: tuple[str, ...] = ("slagelse-2019.1", "slagelse-2019.2")

RULE_IDS: tuple[str, ...] = (
    "AGE-MIN",
    "AGE-MAX",
    "R1",
    "R2",
    "R3",
    "R4",
    "R5",
    "R6",
    "R7",
    "R8",
    "T1",
    "L1",
)

CBU: str = CenterCode.CBU.value
CAI: str = CenterCode.CAI.value
CHP: str = CenterCode.CHP.value
CKFB: str = CenterCode.CKFB.value

MIN_AGE = 15  # seed org. d: "unge i alderen 15-30 år"
MAX_AGE = 29  # "op til 30 år": 30 is no longer Ungehuset's (DOMAIN.md AGE-MAX)
MAX_GRADE = 10  # grundskole incl. 10th grade

# The contact roles each center holds (DOMAIN.md, organisation table; seed org. a, org. f).
CENTER_ROLES: dict[str, frozenset[str]] = {
    CBU: frozenset(
        {ContactRole.UDDANNELSESVEJLEDER.value, ContactRole.BOERNE_FAMILIERAADGIVER.value}
    ),
    CAI: frozenset(
        {ContactRole.UDDANNELSESVEJLEDER.value, ContactRole.BESKAEFTIGELSESRAADGIVER.value}
    ),
    CHP: frozenset({ContactRole.HANDICAP_PSYKIATRIRAADGIVER.value}),
    CKFB: frozenset({ContactRole.BORGERSERVICE_RAADGIVER.value}),
}


class TriageInputError(ValueError):
    """Facts the engine cannot decide on. `str()` is English (for the CLI), `message_da` Danish;
    neither ever contains the CPR digits. `field` names the offending input key."""

    def __init__(self, message: str, *, field: str | None = None, message_da: str | None = None):
        super().__init__(message)
        self.field = field
        self.message_da = message_da or message


@dataclass(frozen=True)
class Answers:
    """The facts asked at the desk (DOMAIN.md, "Input facts"): everything but the CPR and the
    date. The one declaration of the fact fields; `Facts` adds who and when."""

    situation: str
    grade: int | None = None
    completed_youth_education: bool = False
    social_case: bool = False
    jobcenter_case: bool = False
    early_pension: bool = False
    specialised_needs: bool = False
    housing_or_finance: bool = False
    retention_only: bool = False

    def facts(self, cpr: str, on: dt.date) -> Facts:
        return Facts(cpr=cpr, on=on, **asdict(self))


BOOL_FACTS: tuple[str, ...] = tuple(f.name for f in fields(Answers) if f.type == "bool")


@dataclass(frozen=True, kw_only=True)
class Facts(Answers):
    """What the engine decides on: the desk's answers for `cpr` (with or without hyphen) on
    the day `on`."""

    cpr: str
    on: dt.date

    def __repr__(self) -> str:  # never leak the full CPR into logs or tracebacks
        masked = cprmod.mask(self.cpr) if isinstance(self.cpr, str) else "?"
        return f"Facts(cpr={masked}, on={self.on!r}, situation={self.situation!r})"


@dataclass(frozen=True)
class Contact:
    center: str
    role: str
    rule: str

    def to_contract(self) -> dict[str, str]:
        return {"center": self.center, "role": self.role, "rule": self.rule}


@dataclass(frozen=True)
class Decision:
    eligible: bool
    age: int
    birth_date: dt.date
    reason: str | None
    contacts: tuple[Contact, ...]
    centers: tuple[str, ...]
    lead_center: str | None
    contact_role: str | None
    team_meeting: bool
    rules: tuple[str, ...]
    warnings: tuple[str, ...]
    education_duty: bool
    ruleset_version: str = field(default=RULESET_VERSION)

    def to_contract(self) -> dict[str, object]:
        """Exactly the output keys of the machine contract (DOMAIN.md); no CPR, no birth date."""
        return {
            "eligible": self.eligible,
            "age": self.age,
            "reason": self.reason,
            "contacts": [c.to_contract() for c in self.contacts],
            "centers": list(self.centers),
            "lead_center": self.lead_center,
            "contact_role": self.contact_role,
            "team_meeting": self.team_meeting,
            "rules": list(self.rules),
            "warnings": list(self.warnings),
            "education_duty": self.education_duty,
        }
