"""Hostile input at the service boundary: every field of a registration and of the intake
facts gets text, sizes and types a desk (or a bad import) could send. The service either
accepts it or raises a ServiceError with a Danish message and no CPR in it; nothing else
escapes, and a refusal writes nothing."""

from __future__ import annotations

import dataclasses
import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from tests.cprgen import born, make_cpr
from tests.reliability.helpers import NASTY
from ungehus_tui.data.engine import read_session
from ungehus_tui.data.models import (
    AuditEvent,
    Intake,
    PersonNameToken,
    TriageDecision,
    YoungPerson,
)
from ungehus_tui.domain import clock
from ungehus_tui.domain.triage import Facts
from ungehus_tui.services.desk.intake import record_intake
from ungehus_tui.services.desk.people import PersonInput, register_person, validate_person
from ungehus_tui.services.errors import ServiceError

TODAY = dt.date(2026, 3, 2)
COUNTED = (YoungPerson, PersonNameToken, AuditEvent, Intake, TriageDecision)

ODD_TYPES = st.one_of(
    st.none(),
    st.integers(),
    st.floats(allow_nan=True),
    st.booleans(),
    st.binary(max_size=20),
    st.lists(st.text(max_size=3), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.just(dt.date(2000, 1, 1)),
)
HOSTILE_TEXT = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=60),
    st.text(st.characters(codec="utf-8"), max_size=30),
    st.text(st.characters(min_codepoint=0, max_codepoint=0x1F), max_size=5),
    st.text(st.characters(categories=("Cs", "Co", "Cf", "Zl", "Zp")), max_size=5),
)
ANYTHING = st.one_of(HOSTILE_TEXT, ODD_TYPES)


def _counts(ctx) -> tuple[int, ...]:  # type: ignore[no-untyped-def]
    with read_session(ctx.engine) as session:
        return tuple(
            session.execute(select(func.count()).select_from(model)).scalar_one()
            for model in COUNTED
        )


def _digits(value: object) -> str:
    return (
        "".join(ch for ch in value if ch.isascii() and ch.isdigit())
        if isinstance(value, str)
        else ""
    )


def _assert_clean_refusal(exc: ServiceError, cpr: object) -> None:
    messages = [exc.message, *getattr(exc, "errors", {}).values()]
    for message in messages:
        assert isinstance(message, str) and message.strip()
        digits = _digits(cpr)
        if len(digits) >= 10:
            assert digits not in _digits(message), "a CPR number leaked into the message"
            assert digits[:6] + "-" + digits[6:] not in message


VALID_CPR = make_cpr(born(TODAY, 22))
VALID_MINOR_CPR = make_cpr(born(TODAY, 16))


person_fields = st.fixed_dictionaries(
    {
        "cpr": st.one_of(st.sampled_from([VALID_CPR, VALID_MINOR_CPR]), ANYTHING),
        "name": st.one_of(st.just("Anna Prøvesen"), ANYTHING),
        "phone": st.one_of(st.none(), st.just("01234567"), ANYTHING),
        "email": st.one_of(st.none(), st.just("anna@eksempel.dk"), ANYTHING),
        "guardian_name": st.one_of(st.none(), st.just("Bo Prøvesen"), ANYTHING),
        "guardian_phone": st.one_of(st.none(), ANYTHING),
    }
)

HYPOTHESIS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@HYPOTHESIS
@given(fields=person_fields)
def test_register_person_refuses_cleanly_and_writes_nothing(ctx, reception, fields) -> None:
    clock.set_now(dt.datetime(2026, 3, 2, 10, 0))
    before = _counts(ctx)
    data = PersonInput(**fields)
    try:
        validate_person(data, on=TODAY)
        valid = True
    except ServiceError as exc:
        _assert_clean_refusal(exc, fields["cpr"])
        valid = False
    try:
        register_person(ctx, reception, data)
    except ServiceError as exc:
        assert not valid, "validation passed but registration refused"
        _assert_clean_refusal(exc, fields["cpr"])
        assert _counts(ctx) == before, "a refused registration wrote something"
    else:
        assert valid
        assert _counts(ctx) >= before


def _facts_fields():  # type: ignore[no-untyped-def]
    flags = {
        f.name: st.one_of(st.booleans(), ANYTHING)
        for f in dataclasses.fields(Facts)
        if f.name not in ("cpr", "on", "situation", "grade")
    }
    return st.fixed_dictionaries(
        {
            "cpr": st.one_of(st.just(VALID_CPR), ANYTHING),
            "on": st.one_of(
                st.just(TODAY),
                st.dates(),
                st.datetimes(timezones=st.none() | st.just(dt.UTC)),
                ANYTHING,
            ),
            "situation": st.one_of(
                st.sampled_from(["ingen", "grundskole", "job", "ungdomsuddannelse"]), ANYTHING
            ),
            "grade": st.one_of(st.none(), st.integers(-5, 15), ANYTHING),
            **flags,
        }
    )


@HYPOTHESIS
@given(fields=_facts_fields())
def test_record_intake_refuses_cleanly_and_writes_nothing(ctx, reception, fields) -> None:
    clock.set_now(dt.datetime(2026, 3, 2, 10, 0))
    person, _ = register_person(ctx, reception, PersonInput(cpr=VALID_CPR, name="Anna Prøvesen"))
    assert person.id is not None
    before = _counts(ctx)
    try:
        record_intake(ctx, reception, person.id, Facts(**fields))
    except ServiceError as exc:
        _assert_clean_refusal(exc, fields["cpr"])
        assert _counts(ctx) == before, "a refused intake wrote something"
    else:
        after = _counts(ctx)
        assert after[3] == before[3] + 1 and after[4] == before[4] + 1
