"""Strict reading of the contract's input object and validation of the other facts."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.cprgen import make_cpr
from ungehus_tui.domain.triage import BOOL_FACTS, Facts, TriageInputError, decide, facts_from_json

TODAY = dt.date(2024, 8, 1)
CPR = make_cpr(dt.date(2007, 1, 15))


def test_minimal_object_uses_defaults() -> None:
    f = facts_from_json({"cpr": CPR, "situation": "ingen"}, today=TODAY)
    assert f == Facts(cpr=CPR, on=TODAY, situation="ingen")
    assert all(getattr(f, name) is False for name in BOOL_FACTS)
    assert f.grade is None


def test_every_key_is_read() -> None:
    obj = {"cpr": CPR, "on": "2020-02-29", "situation": "grundskole", "grade": 9}
    obj |= {name: True for name in BOOL_FACTS}
    f = facts_from_json(obj, today=TODAY)
    assert f.on == dt.date(2020, 2, 29)
    assert f.grade == 9
    assert all(getattr(f, name) is True for name in BOOL_FACTS)


@pytest.mark.parametrize(
    ("obj", "field"),
    [
        ({"situation": "ingen"}, "cpr"),
        ({"cpr": CPR}, "situation"),
        ({"cpr": CPR, "situation": "ingen", "social_cases": True}, "social_cases"),
        ({"cpr": 707011512, "situation": "ingen"}, "cpr"),
        ({"cpr": CPR, "situation": None}, "situation"),
        ({"cpr": CPR, "situation": "ingen", "on": None}, "on"),
        ({"cpr": CPR, "situation": "ingen", "on": "2024-8-1"}, "on"),
        ({"cpr": CPR, "situation": "ingen", "on": "01-08-2024"}, "on"),
        ({"cpr": CPR, "situation": "ingen", "on": "20240801"}, "on"),
        ({"cpr": CPR, "situation": "ingen", "on": "2023-02-29"}, "on"),
        ({"cpr": CPR, "situation": "ingen", "on": "2024-08-01T10:00"}, "on"),
        ({"cpr": CPR, "situation": "ingen", "on": 20240801}, "on"),
        ({"cpr": CPR, "situation": "grundskole", "grade": 9.0}, "grade"),
        ({"cpr": CPR, "situation": "grundskole", "grade": "9"}, "grade"),
        ({"cpr": CPR, "situation": "grundskole", "grade": True}, "grade"),
        ({"cpr": CPR, "situation": "ingen", "social_case": 1}, "social_case"),
        ({"cpr": CPR, "situation": "ingen", "social_case": "true"}, "social_case"),
        ({"cpr": CPR, "situation": "ingen", "retention_only": None}, "retention_only"),
    ],
)
def test_wrong_shapes_are_rejected(obj: dict[str, object], field: str) -> None:
    with pytest.raises(TriageInputError) as info:
        facts_from_json(obj, today=TODAY)
    assert info.value.field == field


@pytest.mark.parametrize("obj", [[], "x", 1, None, True, [{"cpr": CPR}]])
def test_only_objects_are_input(obj: object) -> None:
    with pytest.raises(TriageInputError, match="JSON object"):
        facts_from_json(obj, today=TODAY)


def test_unknown_key_with_odd_name_is_not_echoed() -> None:
    with pytest.raises(TriageInputError) as info:
        facts_from_json({"cpr": CPR, "situation": "ingen", CPR: True}, today=TODAY)
    assert CPR not in str(info.value)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"situation": "skole"}, "situation"),
        ({"situation": "Grundskole"}, "situation"),
        ({"situation": "grundskole", "grade": 11}, "grade"),
        ({"situation": "grundskole", "grade": -1}, "grade"),
        ({"situation": "job", "grade": 9}, "grade"),
        ({"social_case": "yes"}, "social_case"),
        ({"on": "2024-08-01"}, "on"),
    ],
)
def test_decide_validates_facts(changes: dict[str, object], field: str) -> None:
    base: dict[str, object] = {"cpr": CPR, "on": TODAY, "situation": "ingen"}
    with pytest.raises(TriageInputError) as info:
        decide(Facts(**(base | changes)))  # type: ignore[arg-type]
    assert info.value.field == field
    assert info.value.message_da


@pytest.mark.parametrize("grade", [0, 7, 10])
def test_grade_in_grundskole_is_accepted_and_changes_nothing(grade: int) -> None:
    with_grade = decide(Facts(cpr=CPR, on=TODAY, situation="grundskole", grade=grade))
    without = decide(Facts(cpr=CPR, on=TODAY, situation="grundskole"))
    assert with_grade == without
