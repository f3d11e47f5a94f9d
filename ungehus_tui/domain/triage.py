"""The triage engine: facts from the desk -> who should see the young person (DOMAIN.md).

Pure: no database, no UI. `decide(facts)` applies the rules of the seed document
(seed/ungeindsats-slagelse-2019.txt) as DOMAIN.md states them:

- AGE-MIN / AGE-MAX: only 15-29 year olds (age in whole years on the intake date) are
  Ungehuset's; the others are referred on, with no contacts.
- R1-R7 add a center with its contact role; within the under-18 branch R2 and R3 exclude each
  other (R1 may stand with either), within the 18+ branch R4 and R5 may both fire and R6/R7
  only fire when nothing before them did. R8 comes on top at any eligible age.
- T1: two or more centers -> team meeting. L1: the lead center.

`rules` lists the ids that fired in this order: AGE-MIN or AGE-MAX alone for a refusal,
otherwise R1..R8 as they fired, then T1 (when it fired), then L1 (always for an eligible
young person, since L1 is what names the lead center).

`retention_only` and `grade` are recorded facts that no rule reads: R3 covers 15-17 year olds
outside grundskole whether or not retention is their only problem (seed org. a).
"""

from __future__ import annotations

from ungehus_tui.domain import cpr as cprmod
from ungehus_tui.domain.codes import ContactRole, Situation
from ungehus_tui.domain.triage_input import check_cpr, check_facts, facts_from_json, parse_date
from ungehus_tui.domain.triage_model import (
    BOOL_FACTS,
    CAI,
    CBU,
    CENTER_ROLES,
    CHP,
    CKFB,
    MAX_AGE,
    MIN_AGE,
    RULE_IDS,
    RULESET_VERSION,
    Answers,
    Contact,
    Decision,
    Facts,
    TriageInputError,
)
from ungehus_tui.domain.triage_text import (
    REASON_AGE_MAX_DA,
    REASON_AGE_MIN_DA,
    RULE_SEED,
    RULE_TEXT_DA,
)

__all__ = [
    "BOOL_FACTS",
    "CENTER_ROLES",
    "RULESET_VERSION",
    "RULE_IDS",
    "RULE_SEED",
    "RULE_TEXT_DA",
    "Answers",
    "Contact",
    "Decision",
    "Facts",
    "TriageInputError",
    "decide",
    "facts_from_json",
    "parse_date",
]

# --- the rules --------------------------------------------------------------------------

# L1 (seed org. f: "den driftsenhed, der har den væsentligste kontakt med den unge"):
# the lead is the first involved of CBU-by-R1, CHP, CAI, CBU-by-R2, CKFB.
_LEAD_ORDER: tuple[tuple[str, frozenset[str]], ...] = (
    (CBU, frozenset({"R1"})),
    (CHP, frozenset({"R4"})),
    (CAI, frozenset({"R3", "R5", "R6", "R7"})),
    (CBU, frozenset({"R2"})),
    (CKFB, frozenset({"R8"})),
)


def _contacts(facts: Facts, age: int) -> list[Contact]:
    out: list[Contact] = []
    if age < 18:
        # R1 (org. a, org. f): under 18 with a social case or specialised needs -> CBU.
        if facts.social_case or facts.specialised_needs:
            out.append(Contact(CBU, ContactRole.BOERNE_FAMILIERAADGIVER.value, "R1"))
        if facts.situation == Situation.GRUNDSKOLE:
            # R2 (org. e): guidance in grundskole and 10th grade stays in CBU.
            out.append(Contact(CBU, ContactRole.UDDANNELSESVEJLEDER.value, "R2"))
        else:
            # R3 (org. a, org. e): 15-17 outside grundskole, retention-only included -> CAI
            # in Ungehuset. Excludes R2.
            out.append(Contact(CAI, ContactRole.UDDANNELSESVEJLEDER.value, "R3"))
    else:
        # R4 (org. a, org. f): 18+ on early pension or needing specialised support -> CHP.
        r4 = facts.early_pension or facts.specialised_needs
        if r4:
            out.append(Contact(CHP, ContactRole.HANDICAP_PSYKIATRIRAADGIVER.value, "R4"))
        # R5 (org. a, org. f): 18+ with a jobcenter case -> CAI; may stand with R4.
        r5 = facts.jobcenter_case
        if r5:
            out.append(Contact(CAI, ContactRole.BESKAEFTIGELSESRAADGIVER.value, "R5"))
        if not (r4 or r5):
            in_youth_education = facts.situation == Situation.UNGDOMSUDDANNELSE
            if age <= 24 and not (facts.completed_youth_education or in_youth_education):
                # R6 (org. e, rule set slagelse-2019.2): outreach to 18-24-year-olds who
                # "hverken er i gang med eller har fuldført" a youth education -> CAI.
                out.append(Contact(CAI, ContactRole.UDDANNELSESVEJLEDER.value, "R6"))
            else:
                # R7 (org. d): the jobcenter's youth department in Ungehuset (under 30).
                out.append(Contact(CAI, ContactRole.BESKAEFTIGELSESRAADGIVER.value, "R7"))
    if facts.housing_or_finance:
        # R8 (org. a): help with housing or money, any age -> CKFB.
        out.append(Contact(CKFB, ContactRole.BORGERSERVICE_RAADGIVER.value, "R8"))
    return out


def _lead(contacts: list[Contact]) -> Contact:
    for center, rules in _LEAD_ORDER:
        for contact in contacts:
            if contact.center == center and contact.rule in rules:
                return contact
    raise AssertionError("an eligible decision always has a contact")  # pragma: no cover


def decide(facts: Facts) -> Decision:
    """Apply the rule set to `facts`. Raises TriageInputError on invalid facts."""
    on = check_facts(facts)
    person = check_cpr(facts.cpr, on)
    age = cprmod.age_on(person.birth_date, on)
    warnings = () if person.mod11_ok else ("CPR_MOD11",)
    if age < MIN_AGE or age > MAX_AGE:
        too_young = age < MIN_AGE
        return Decision(
            eligible=False,
            age=age,
            birth_date=person.birth_date,
            reason=REASON_AGE_MIN_DA if too_young else REASON_AGE_MAX_DA,
            contacts=(),
            centers=(),
            lead_center=None,
            contact_role=None,
            team_meeting=False,
            rules=("AGE-MIN" if too_young else "AGE-MAX",),
            warnings=warnings,
            education_duty=False,
        )
    contacts = _contacts(facts, age)
    centers = tuple(sorted({c.center for c in contacts}))
    team = len(centers) >= 2  # T1 (org. b, org. f)
    lead = _lead(contacts)  # L1 (org. f)
    rules = [c.rule for c in contacts]
    if team:
        rules.append("T1")
    rules.append("L1")
    return Decision(
        eligible=True,
        age=age,
        birth_date=person.birth_date,
        reason=None,
        contacts=tuple(contacts),
        centers=centers,
        lead_center=lead.center,
        contact_role=lead.role,
        team_meeting=team,
        rules=tuple(rules),
        warnings=warnings,
        education_duty=age <= 17,
    )
