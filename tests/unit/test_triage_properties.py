"""Properties of the triage engine over generated facts (hypothesis)."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.cprgen import make_cpr
from ungehus_tui.domain.codes import Situation
from ungehus_tui.domain.cpr import age_on
from ungehus_tui.domain.triage import (
    BOOL_FACTS,
    CENTER_ROLES,
    RULE_IDS,
    Decision,
    Facts,
    TriageInputError,
    decide,
    facts_from_json,
)

# a busy CI machine must not turn slow examples into failures
relaxed = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])

births = st.dates(min_value=dt.date(1858, 1, 1), max_value=dt.date(2057, 12, 31))


@st.composite
def valid_facts(draw: st.DrawFn) -> Facts:
    birth = draw(births)
    on = draw(st.dates(min_value=birth, max_value=dt.date(2100, 1, 1)))
    situation = draw(st.sampled_from(list(Situation)))
    grade = draw(st.none() | st.integers(0, 10)) if situation == "grundskole" else None
    flags = {name: draw(st.booleans()) for name in BOOL_FACTS}
    cpr = make_cpr(birth, mod11=draw(st.booleans()), hyphen=draw(st.booleans()))
    return Facts(cpr=cpr, on=on, situation=str(situation), grade=grade, **flags)


@given(valid_facts())
@settings(relaxed, max_examples=400)
def test_decision_invariants(f: Facts) -> None:
    d = decide(f)
    birth = d.birth_date
    assert d.age == age_on(birth, f.on)
    assert d.eligible is (15 <= d.age <= 29)
    assert d.team_meeting is (len(d.centers) >= 2)
    assert ("T1" in d.rules) is d.team_meeting
    assert list(d.centers) == sorted({c.center for c in d.contacts})
    assert d.education_duty is (d.eligible and d.age <= 17)
    assert set(d.rules) <= set(RULE_IDS)
    if d.eligible:
        assert d.lead_center in d.centers
        assert (d.lead_center, d.contact_role) in {(c.center, c.role) for c in d.contacts}
        assert d.reason is None and d.rules[-1] == "L1"
        assert all(c.role in CENTER_ROLES[c.center] for c in d.contacts)
        assert [c.rule for c in d.contacts] == [r for r in d.rules if r not in ("T1", "L1")]
    else:
        assert d.rules in (("AGE-MIN",), ("AGE-MAX",))
        assert d.contacts == () and d.centers == () and d.lead_center is None
        assert d.reason and not d.team_meeting


@given(valid_facts())
@relaxed
def test_exclusions_and_branches(f: Facts) -> None:
    d = decide(f)
    rules = set(d.rules)
    assert not {"R2", "R3"} <= rules  # R2 and R3 exclude each other
    assert len(rules & {"R6", "R7"}) <= 1
    if "R6" in rules:  # slagelse-2019.2: neither in nor done with a youth education
        assert f.situation != "ungdomsuddannelse" and not f.completed_youth_education
    if rules & {"R4", "R5"}:
        assert not rules & {"R6", "R7"}
    if rules & {"R1", "R2", "R3"}:  # the under-18 branch never meets the 18+ branch
        assert not rules & {"R4", "R5", "R6", "R7"}
        assert len(rules & {"R2", "R3"}) == 1
    if d.eligible and d.age >= 18:  # every adult gets at least one of R4-R7
        assert rules & {"R4", "R5", "R6", "R7"}
    assert ("R8" in rules) is (f.housing_or_finance and "L1" in rules)


@given(valid_facts())
@relaxed
def test_contract_round_trip_is_plain_json(f: Facts) -> None:
    import json

    contract = decide(f).to_contract()
    assert json.loads(json.dumps(contract)) == contract
    assert f.cpr.replace("-", "") not in json.dumps(contract)


junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=14),
    st.dates(),
    st.datetimes(),
    st.lists(st.integers(), max_size=2),
)


@given(
    cpr=junk | st.from_regex(r"[0-9]{6}-?[0-9]{4}", fullmatch=True),
    on=junk,
    situation=junk | st.sampled_from(list(Situation)),
    grade=junk,
    flags=st.fixed_dictionaries({name: junk for name in BOOL_FACTS}),
)
@settings(relaxed, max_examples=300)
def test_no_facts_crash_the_engine(
    cpr: object, on: object, situation: object, grade: object, flags: dict[str, object]
) -> None:
    f = Facts(cpr=cpr, on=on, situation=situation, grade=grade, **flags)  # type: ignore[arg-type]
    try:
        d = decide(f)
    except TriageInputError:
        return
    assert isinstance(d, Decision)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)
input_keys = st.sampled_from(["cpr", "on", "situation", "grade", *BOOL_FACTS])


@given(st.dictionaries(input_keys | st.text(max_size=8), json_values, max_size=8))
@relaxed
def test_no_json_object_crashes_the_reader(obj: dict[str, object]) -> None:
    try:
        decide(facts_from_json(obj, today=dt.date(2024, 8, 1)))
    except TriageInputError:
        pass
