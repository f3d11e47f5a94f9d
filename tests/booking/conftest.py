"""Booking fixtures: a frozen Monday morning and young people triaged through the real
intake service (fictitious CPR numbers from tests/cprgen.py)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable

import pytest

from tests.cprgen import born, make_cpr
from ungehus_tui.domain import clock
from ungehus_tui.domain.triage import Facts
from ungehus_tui.services.intake import record_intake
from ungehus_tui.services.people import PersonIn, register_person

# Monday 2 March 2026, 08:00 local: no public holiday within two weeks.
MONDAY = dt.datetime(2026, 3, 2, 8, 0)

_serial = itertools.count(1)


@pytest.fixture
def monday() -> dt.datetime:
    clock.set_now(MONDAY)
    return clock.now()


@pytest.fixture
def make_intake(ctx, reception, monday) -> Callable[..., int]:  # type: ignore[no-untyped-def]
    """make_intake(age, situation="ingen", **facts) -> intake id of a new young person."""

    def make(age: int, situation: str = "ingen", **facts: object) -> int:
        n = next(_serial)
        birth = born(clock.today(), age, days=n % 300 + 1)
        number = make_cpr(birth)
        guardian = {"guardian_name": f"Testforælder {n}"} if age < 18 else {}
        person, _ = register_person(
            ctx, reception, PersonIn(cpr=number, name=f"Testung Nummer{n} Prøvesen", **guardian)
        )
        assert person.id is not None
        intake, _ = record_intake(
            ctx,
            reception,
            person.id,
            Facts(cpr=number, on=clock.today(), situation=situation, **facts),  # type: ignore[arg-type]
        )
        assert intake.id is not None
        return intake.id

    return make
