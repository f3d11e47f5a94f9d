"""The queue turns database times (UTC) into local days with the zone's offset looked up once
per hour (#15); it must give the same day as `local(value).date()` for every time, also in the
hours daylight saving starts and ends, and in a zone whose offset is not whole hours."""

from __future__ import annotations

import datetime as dt

import pytest

from ungehus_tui.domain import clock
from ungehus_tui.services.casework.queue.base import Build


def _build() -> Build:
    return Build(None, None, {}, False, dt.datetime(2026, 3, 29, tzinfo=dt.UTC), set())  # type: ignore[arg-type]


@pytest.mark.parametrize("zone", ["Europe/Copenhagen", "Asia/Kolkata", "Australia/Lord_Howe"])
@pytest.mark.parametrize("day", [dt.date(2026, 3, 29), dt.date(2026, 10, 25), dt.date(2026, 4, 5)])
def test_local_day_is_the_local_date_every_minute(zone: str, day: dt.date) -> None:
    clock.set_zone(zone)
    try:
        b = _build()
        start = dt.datetime.combine(day - dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
        for minute in range(0, 3 * 24 * 60, 7):
            value = start + dt.timedelta(minutes=minute, seconds=minute % 60, microseconds=minute)
            assert b.local_day(value) == clock.local(value).date(), value
    finally:
        clock.set_zone("Europe/Copenhagen")
