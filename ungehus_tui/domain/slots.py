"""Finding meeting slots: pure logic over a work calendar and known busy times.

The grid: a meeting starts at the opening time of an open day or a whole number of grid
steps (default 30 minutes) after it, and ends at or before closing time. Days that are not
open (weekends, Danish public holidays, the house's closed days) have no slots.

A slot needs one professional per involved center, the young person (and so their
guardian), and one free room with enough seats. For each center the candidates come in
preference order (fewest upcoming meetings first): the slot takes the first candidate who is
free, so a busy favourite never pushes the meeting later when a colleague with the same role
is free. Rooms are tried smallest-first (best fit), keeping big rooms for team meetings.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass

from ungehus_tui.domain.calendar import WorkCalendar
from ungehus_tui.domain.clock import combine, local

Interval = tuple[dt.datetime, dt.datetime]


class BusyIndex:
    """Busy intervals per resource key (e.g. ("staff", 7)), bucketed by local date."""

    def __init__(self) -> None:
        self._by: dict[tuple[Hashable, dt.date], list[Interval]] = defaultdict(list)

    def add(self, key: Hashable, start: dt.datetime, end: dt.datetime) -> None:
        day, last = local(start).date(), local(end).date()
        while day <= last:
            self._by[(key, day)].append((start, end))
            day += dt.timedelta(days=1)

    def is_free(self, key: Hashable, start: dt.datetime, end: dt.datetime) -> bool:
        intervals = self._by.get((key, local(start).date()), ())
        return not any(s < end and e > start for s, e in intervals)


@dataclass(frozen=True)
class RoomOption:
    id: int
    seats: int


@dataclass(frozen=True)
class Found:
    start: dt.datetime
    end: dt.datetime
    room_id: int
    staff_ids: tuple[int, ...]  # one per need, in the order of the needs


def day_starts(cal: WorkCalendar, day: dt.date, minutes: int, grid: int) -> list[dt.datetime]:
    """Grid start times on `day` for a meeting of `minutes` that ends within office hours."""
    if not cal.is_open(day) or day.weekday() not in cal.hours:
        return []
    opens, closes = cal.hours[day.weekday()]
    start, close = combine(day, opens), combine(day, closes)
    length, step = dt.timedelta(minutes=minutes), dt.timedelta(minutes=grid)
    out: list[dt.datetime] = []
    while start + length <= close:
        out.append(start)
        start += step
    return out


def fits_calendar(cal: WorkCalendar, start: dt.datetime, end: dt.datetime, grid: int) -> bool:
    """Whether [start, end) is a grid slot on an open day within office hours."""
    minutes = int((end - start).total_seconds() // 60)
    if minutes <= 0:
        return False
    day = local(start).date()
    return local(start) in day_starts(cal, day, minutes, grid)


def deadline(cal: WorkCalendar, intake_day: dt.date, working_days: int) -> dt.date:
    """The last day of the first-contact deadline: the n-th working day after the intake."""
    return cal.add_working_days(intake_day, working_days)


def find_slots(
    cal: WorkCalendar,
    *,
    first_day: dt.date,
    last_day: dt.date,
    not_before: dt.datetime,
    minutes: int,
    grid: int,
    needs: Sequence[Sequence[int]],
    rooms: Sequence[RoomOption],
    seats: int,
    person_key: Hashable,
    busy: BusyIndex,
    limit: int,
) -> list[Found]:
    """The earliest `limit` slots (one per start time) between first_day and last_day."""
    fitting = sorted((r for r in rooms if r.seats >= seats), key=lambda r: (r.seats, r.id))
    if not fitting or any(not cands for cands in needs) or limit <= 0:
        return []
    out: list[Found] = []
    for start in _starts(cal, first_day, last_day, minutes, grid):
        if start < not_before:
            continue
        end = start + dt.timedelta(minutes=minutes)
        if not busy.is_free(person_key, start, end):
            continue
        room = next((r for r in fitting if busy.is_free(("room", r.id), start, end)), None)
        if room is None:
            continue
        picks: list[int] = []
        for cands in needs:
            pick = next(
                (s for s in cands if s not in picks and busy.is_free(("staff", s), start, end)),
                None,
            )
            if pick is None:
                break
            picks.append(pick)
        else:
            out.append(Found(start, end, room.id, tuple(picks)))
            if len(out) >= limit:
                break
    return out


def _starts(
    cal: WorkCalendar, first: dt.date, last: dt.date, minutes: int, grid: int
) -> Iterator[dt.datetime]:
    day = first
    while day <= last:
        yield from day_starts(cal, day, minutes, grid)
        day += dt.timedelta(days=1)
