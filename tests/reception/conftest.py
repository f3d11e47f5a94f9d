"""Fixtures of the reception tests: a frozen desk clock and fictitious young people."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from tests.cprgen import born, make_cpr
from ungehus_tui.domain import clock

# A Thursday in term time, 10:00 local: the desk is open (08:30-17:00).
FROZEN = dt.datetime(2026, 3, 12, 10, 0)
TODAY = FROZEN.date()


@pytest.fixture
def frozen() -> Iterator[dt.datetime]:
    clock.set_now(FROZEN)
    yield FROZEN
    clock.set_now(None)


def cpr_aged(years: int, days: int = 10, *, hyphen: bool = False) -> str:
    """A fictitious CPR of someone `years` old on TODAY (birthday `days` later in the year)."""
    return make_cpr(born(TODAY, years, days=-days), hyphen=hyphen)
