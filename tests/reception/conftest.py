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


async def settle(app, pilot, rounds: int = 3) -> None:  # type: ignore[no-untyped-def]
    """Let workers finish and their results reach the widgets (no sleeps)."""
    from textual.worker import WorkerCancelled, WorkerFailed

    for _ in range(rounds):
        try:
            await app.workers.wait_for_complete()
        except (WorkerCancelled, WorkerFailed):
            pass  # a stale search cancelled by a newer one; errors are asserted on screen
        await pilot.pause()


def teen(cpr: str, name: str = "Freja Prøvesen"):  # type: ignore[no-untyped-def]
    from ungehus_tui.services.desk.people import PersonInput

    return PersonInput(cpr=cpr, name=name, phone="01234567", guardian_name="Hanne Prøvesen")
