# ruff: noqa: E501  (the rule table reads best one case per line)
"""Table-driven cases for every triage rule and boundary (DOMAIN.md, "Triage")."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.cprgen import born, make_cpr
from ungehus_tui.domain.triage import (
    RULE_IDS,
    RULE_SEED,
    RULE_TEXT_DA,
    RULESET_VERSION,
    Contact,
    Facts,
    decide,
)

ON = dt.date(2024, 8, 1)


def facts(age: int, situation: str = "ingen", *, later: int = 0, **flags: object) -> Facts:
    """Facts for someone who turns `age` on ON (`later` days later birthday: one year less)."""
    return Facts(cpr=make_cpr(born(ON, age, later)), on=ON, situation=situation, **flags)  # type: ignore[arg-type]


# (id, facts, rules fired, centers, "lead role" (abbreviated), team meeting)
CASES = [
    # age boundaries: birthday today, and the day before the birthday
    ("15-today", facts(15, "grundskole"), "R2 L1", "CBU", "CBU UV", False),
    ("15-tomorrow", facts(15, "grundskole", later=1), "AGE-MIN", "", None, False),
    ("18-today", facts(18), "R6 L1", "CAI", "CAI UV", False),
    ("18-tomorrow", facts(18, later=1), "R3 L1", "CAI", "CAI UV", False),
    ("25-today", facts(25), "R7 L1", "CAI", "CAI BESK", False),
    ("25-tomorrow", facts(25, later=1), "R6 L1", "CAI", "CAI UV", False),
    ("30-today", facts(30), "AGE-MAX", "", None, False),
    ("30-tomorrow", facts(30, later=1), "R7 L1", "CAI", "CAI BESK", False),
    ("newborn", facts(0), "AGE-MIN", "", None, False),
    ("age-90", facts(90), "AGE-MAX", "", None, False),
    # R1 stands with R2 (one center, CBU) or with R3 (two centers)
    ("R1+R2 social", facts(16, "grundskole", social_case=True), "R1 R2 L1", "CBU", "CBU BFR", False),
    ("R1+R2 specialised", facts(16, "grundskole", specialised_needs=True), "R1 R2 L1", "CBU", "CBU BFR", False),
    ("R1+R3", facts(16, "ingen", social_case=True), "R1 R3 T1 L1", "CAI CBU", "CBU BFR", True),
    ("R1+R3 job", facts(17, "job", specialised_needs=True), "R1 R3 T1 L1", "CAI CBU", "CBU BFR", True),
    # R2 and R3 exclude each other: situation decides
    ("R2 10th grade", facts(16, "grundskole", grade=10), "R2 L1", "CBU", "CBU UV", False),
    ("R3 ungdomsudd", facts(16, "ungdomsuddannelse"), "R3 L1", "CAI", "CAI UV", False),
    ("R3 andet", facts(16, "andet"), "R3 L1", "CAI", "CAI UV", False),
    ("R3 retention", facts(16, "ungdomsuddannelse", retention_only=True), "R3 L1", "CAI", "CAI UV", False),
    ("R2 retention", facts(16, "grundskole", retention_only=True), "R2 L1", "CBU", "CBU UV", False),
    # under 18: adult facts fire nothing
    ("u18 jobcenter", facts(17, "ingen", jobcenter_case=True), "R3 L1", "CAI", "CAI UV", False),
    ("u18 pension", facts(17, "ingen", early_pension=True), "R3 L1", "CAI", "CAI UV", False),
    # R4, R5 (may both apply), R6, R7
    ("R4 pension", facts(20, early_pension=True), "R4 L1", "CHP", "CHP HPR", False),
    ("R4 specialised", facts(20, specialised_needs=True), "R4 L1", "CHP", "CHP HPR", False),
    ("R5", facts(20, jobcenter_case=True), "R5 L1", "CAI", "CAI BESK", False),
    ("R4+R5", facts(20, early_pension=True, jobcenter_case=True), "R4 R5 T1 L1", "CAI CHP", "CHP HPR", True),
    ("R6", facts(20, "job"), "R6 L1", "CAI", "CAI UV", False),
    ("R7 educated", facts(20, completed_youth_education=True), "R7 L1", "CAI", "CAI BESK", False),
    # slagelse-2019.2: R6 only for those neither in nor done with a youth education
    ("R7 in youth education", facts(20, "ungdomsuddannelse"), "R7 L1", "CAI", "CAI BESK", False),
    ("R7 in youth ed. + R8", facts(22, "ungdomsuddannelse", housing_or_finance=True), "R7 R8 T1 L1", "CAI CKFB", "CAI BESK", True),
    ("R6 other situation", facts(24, "andet"), "R6 L1", "CAI", "CAI UV", False),
    ("R7 over 24", facts(27), "R7 L1", "CAI", "CAI BESK", False),
    ("18+ social case", facts(20, social_case=True), "R6 L1", "CAI", "CAI UV", False),
    ("R4 blocks R6", facts(19, early_pension=True), "R4 L1", "CHP", "CHP HPR", False),
    ("R5 blocks R7", facts(28, jobcenter_case=True), "R5 L1", "CAI", "CAI BESK", False),
    ("18 in grundskole", facts(18, "grundskole", grade=10), "R6 L1", "CAI", "CAI UV", False),
    # R8 on top, and L1's order
    ("R2+R8", facts(16, "grundskole", housing_or_finance=True), "R2 R8 T1 L1", "CBU CKFB", "CBU UV", True),
    ("R3+R8", facts(16, housing_or_finance=True), "R3 R8 T1 L1", "CAI CKFB", "CAI UV", True),
    ("R1+R2+R8", facts(15, "grundskole", social_case=True, housing_or_finance=True), "R1 R2 R8 T1 L1", "CBU CKFB", "CBU BFR", True),
    ("R1+R3+R8", facts(17, social_case=True, housing_or_finance=True), "R1 R3 R8 T1 L1", "CAI CBU CKFB", "CBU BFR", True),
    ("R4+R8", facts(22, early_pension=True, housing_or_finance=True), "R4 R8 T1 L1", "CHP CKFB", "CHP HPR", True),
    ("R5+R8", facts(22, jobcenter_case=True, housing_or_finance=True), "R5 R8 T1 L1", "CAI CKFB", "CAI BESK", True),
    ("R4+R5+R8", facts(29, early_pension=True, jobcenter_case=True, housing_or_finance=True), "R4 R5 R8 T1 L1", "CAI CHP CKFB", "CHP HPR", True),
    ("R6+R8", facts(21, housing_or_finance=True), "R6 R8 T1 L1", "CAI CKFB", "CAI UV", True),
    ("R7+R8", facts(26, housing_or_finance=True), "R7 R8 T1 L1", "CAI CKFB", "CAI BESK", True),
    ("AGE-MIN ignores facts", facts(14, housing_or_finance=True, social_case=True), "AGE-MIN", "", None, False),
    ("AGE-MAX ignores facts", facts(31, housing_or_finance=True, jobcenter_case=True), "AGE-MAX", "", None, False),
]  # fmt: skip


ROLE = {
    "UV": "UDDANNELSESVEJLEDER",
    "BFR": "BOERNE_FAMILIERAADGIVER",
    "HPR": "HANDICAP_PSYKIATRIRAADGIVER",
    "BESK": "BESKAEFTIGELSESRAADGIVER",
    "BSR": "BORGERSERVICE_RAADGIVER",
}


@pytest.mark.parametrize(
    ("f", "rules", "centers", "lead", "team"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_rule_table(f: Facts, rules: str, centers: str, lead: str | None, team: bool) -> None:
    d = decide(f)
    assert list(d.rules) == rules.split()
    assert list(d.centers) == centers.split()
    if lead is None:
        assert (d.lead_center, d.contact_role) == (None, None)
    else:
        center, role = lead.split()
        assert (d.lead_center, d.contact_role) == (center, ROLE[role])
    assert d.team_meeting is team
    assert d.eligible is (lead is not None)
    assert d.warnings == ()
    assert d.ruleset_version == RULESET_VERSION


def test_contacts_carry_center_role_and_rule() -> None:
    d = decide(facts(17, social_case=True, housing_or_finance=True))
    assert d.contacts == (
        Contact("CBU", "BOERNE_FAMILIERAADGIVER", "R1"),
        Contact("CAI", "UDDANNELSESVEJLEDER", "R3"),
        Contact("CKFB", "BORGERSERVICE_RAADGIVER", "R8"),
    )


@pytest.mark.parametrize(
    ("age", "later", "duty"),
    [(15, 0, True), (15, 1, False), (17, 0, True), (18, 1, True), (18, 0, False), (29, 0, False)],
)
def test_education_duty_exactly_for_15_to_17(age: int, later: int, duty: bool) -> None:
    assert decide(facts(age, later=later)).education_duty is duty


def test_age_min_refers_to_school_counsellor_in_cbu() -> None:
    d = decide(facts(14))
    assert not d.eligible
    assert d.age == 14
    assert d.reason is not None
    assert "uddannelsesvejleder" in d.reason
    assert "Center for Børn og Unge" in d.reason
    assert d.contacts == () and d.centers == () and d.contact_role is None


def test_age_max_refers_to_adult_jobcenter() -> None:
    d = decide(facts(30))
    assert not d.eligible
    assert d.age == 30
    assert d.reason is not None and "jobcenter" in d.reason
    assert "voksen" in d.reason


def test_eligible_decision_has_no_reason() -> None:
    assert decide(facts(20)).reason is None


@pytest.mark.parametrize(
    ("on", "eligible", "age"),
    [
        (dt.date(2023, 2, 28), False, 14),
        (dt.date(2023, 3, 1), True, 15),
        (dt.date(2024, 2, 29), True, 16),
    ],
)
def test_leap_day_birthday_counts_from_1_march(on: dt.date, eligible: bool, age: int) -> None:
    cpr = make_cpr(dt.date(2008, 2, 29))
    d = decide(Facts(cpr=cpr, on=on, situation="grundskole"))
    assert (d.eligible, d.age) == (eligible, age)


def test_birth_date_and_to_contract_keys() -> None:
    d = decide(facts(16, "grundskole"))
    assert d.birth_date == born(ON, 16)
    contract = d.to_contract()
    assert set(contract) == {
        "eligible", "age", "reason", "contacts", "centers", "lead_center",
        "contact_role", "team_meeting", "rules", "warnings", "education_duty",
    }  # fmt: skip
    assert contract["contacts"] == [{"center": "CBU", "role": "UDDANNELSESVEJLEDER", "rule": "R2"}]


def test_every_rule_has_danish_text_and_seed_section() -> None:
    assert set(RULE_TEXT_DA) == set(RULE_IDS) == set(RULE_SEED)
    assert all(text.strip() for text in RULE_TEXT_DA.values())
    assert all(seed.startswith("org. ") for seed in RULE_SEED.values())


def test_datetime_intake_date_is_read_as_its_date() -> None:
    f = facts(16)
    moment = dt.datetime.combine(ON, dt.time(9, 30))
    d = decide(Facts(cpr=f.cpr, on=moment, situation="ingen"))
    assert d.age == 16


def test_new_decisions_use_rule_set_2019_2() -> None:
    # DOMAIN.md: slagelse-2019.2 is the current rule set; R6 changed from 2019.1.
    assert RULESET_VERSION == "slagelse-2019.2"
    assert decide(facts(20, "ungdomsuddannelse")).ruleset_version == "slagelse-2019.2"
