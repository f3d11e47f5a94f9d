"""The pure slot finder: grid, office hours, closed days, holidays, rooms, candidates."""

from __future__ import annotations

import datetime as dt

from ungehus_tui.domain import clock
from ungehus_tui.domain.calendar import WorkCalendar
from ungehus_tui.domain.slots import BusyIndex, RoomOption, day_starts, find_slots, fits_calendar

H = (dt.time(8, 30), dt.time(15, 30))
CAL = WorkCalendar(
    hours={0: H, 1: H, 2: H, 3: (dt.time(8, 30), dt.time(17, 0)), 4: (dt.time(8, 30), dt.time(13))},
    closed=frozenset({dt.date(2026, 4, 7)}),
)
MON = dt.date(2026, 3, 2)


def at(day: dt.date, h: int, m: int = 0) -> dt.datetime:
    return clock.combine(day, dt.time(h, m))


def test_grid_from_opening_and_meeting_ends_by_closing() -> None:
    starts = day_starts(CAL, MON, 45, 30)
    assert starts[0] == at(MON, 8, 30) and starts[-1] == at(MON, 14, 30)
    friday = MON + dt.timedelta(days=4)
    assert day_starts(CAL, friday, 60, 30)[-1] == at(friday, 12, 0)
    assert fits_calendar(CAL, at(MON, 9), at(MON, 9, 45), 30)
    assert not fits_calendar(CAL, at(MON, 9, 15), at(MON, 10), 30)  # off the grid
    assert not fits_calendar(CAL, at(MON, 15), at(MON, 15, 45), 30)  # past closing


def test_weekends_holidays_and_closed_days_have_no_slots() -> None:
    assert day_starts(CAL, dt.date(2026, 3, 7), 45, 30) == []  # Saturday
    for holiday in (dt.date(2026, 4, 2), dt.date(2026, 4, 3), dt.date(2026, 4, 6)):
        assert day_starts(CAL, holiday, 45, 30) == []  # Easter (holidays.DK)
    assert day_starts(CAL, dt.date(2026, 4, 7), 45, 30) == []  # the house's closed day


def _find(busy: BusyIndex, *, needs=((1, 2),), rooms=(RoomOption(1, 3),), seats=2, limit=3):  # type: ignore[no-untyped-def]
    return find_slots(
        CAL,
        first_day=MON,
        last_day=MON + dt.timedelta(days=10),
        not_before=at(MON, 8),
        minutes=45,
        grid=30,
        needs=needs,
        rooms=rooms,
        seats=seats,
        person_key=("person", 1),
        busy=busy,
        limit=limit,
    )


def test_smallest_room_with_enough_seats() -> None:
    rooms = (RoomOption(1, 3), RoomOption(2, 8), RoomOption(3, 4))
    assert _find(BusyIndex(), rooms=rooms, seats=4)[0].room_id == 3
    busy = BusyIndex()
    busy.add(("room", 3), at(MON, 8, 30), at(MON, 9, 30))
    assert _find(busy, rooms=rooms, seats=4)[0].room_id == 2
    assert _find(BusyIndex(), rooms=rooms, seats=9) == []


def test_first_free_candidate_and_busy_young_person() -> None:
    busy = BusyIndex()
    busy.add(("staff", 1), at(MON, 8, 30), at(MON, 9, 15))
    found = _find(busy)
    assert [f.staff_ids for f in found] == [(2,), (2,), (1,)]  # 09:00 still overlaps
    busy.add(("person", 1), at(MON, 8, 30), at(MON, 10))
    assert _find(busy)[0].start == at(MON, 10)
