"""Working days: weekdays that are neither Danish public holidays nor the house's closed days.

Danish public holidays come from the `holidays` package (`holidays.DK`; Store bededag is gone
from 2024, lov nr. 2021 af 28/02/2023). Extra closed days (24 and 31 December, 5 June, ...)
and office hours are organisation data, passed in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from functools import lru_cache


@lru_cache(maxsize=64)
def _dk_holidays(year: int) -> frozenset[dt.date]:
    import holidays  # on first use: the package takes longer to import than the app to start

    return frozenset(holidays.country_holidays("DK", years=year).keys())


def is_public_holiday(day: dt.date) -> bool:
    return day in _dk_holidays(day.year)


@dataclass(frozen=True)
class WorkCalendar:
    """Office hours per weekday (0 = Monday) and extra closed days."""

    hours: dict[int, tuple[dt.time, dt.time]] = field(
        default_factory=lambda: {d: (dt.time(8, 30), dt.time(15, 30)) for d in range(5)}
    )
    closed: Collection[dt.date] = frozenset()

    def is_open(self, day: dt.date) -> bool:
        return day.weekday() in self.hours and not is_public_holiday(day) and day not in self.closed

    def open_days(self, start: dt.date) -> Iterator[dt.date]:
        day = start
        while True:
            if self.is_open(day):
                yield day
            day += dt.timedelta(days=1)

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The n-th open day after `start` (n=0: `start` itself if open, else the next)."""
        days = self.open_days(start if n == 0 else start + dt.timedelta(days=1))
        day = next(days)
        for _ in range(max(n - 1, 0)):
            day = next(days)
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Open days in (start, end]; 0 when end <= start."""
        if end <= start:
            return 0
        count, day = 0, start + dt.timedelta(days=1)
        while day <= end:
            if self.is_open(day):
                count += 1
            day += dt.timedelta(days=1)
        return count
