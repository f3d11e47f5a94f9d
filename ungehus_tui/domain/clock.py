"""The one clock of the app: aware datetimes in the municipality's zone.

All stored datetimes are timezone-aware (SQLModel stores them as UTC and returns UTC);
show them with `local()`. Tests and the demo may freeze 'now' with `set_now`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

ZONE = "Europe/Copenhagen"
_zone: ZoneInfo | None = None  # read when first asked for: not before the app's first frame
_fixed: dt.datetime | None = None


def set_zone(name: str) -> None:
    from zoneinfo import ZoneInfo

    global _zone
    _zone = ZoneInfo(name)


def zone() -> ZoneInfo:
    if _zone is None:
        set_zone(ZONE)
    assert _zone is not None
    return _zone


def set_now(value: dt.datetime | None) -> None:
    """Freeze the clock at `value` (naive means local time), or unfreeze with None."""
    global _fixed
    _fixed = None if value is None else at_local(value)


def now() -> dt.datetime:
    """The current time, aware, in the local zone."""
    if _fixed is not None:
        return _fixed
    return dt.datetime.now(zone())


def today() -> dt.date:
    return now().date()


def local(value: dt.datetime) -> dt.datetime:
    """An aware datetime (e.g. UTC from the database) in the local zone."""
    if value.tzinfo is None:
        return value.replace(tzinfo=zone())
    return value.astimezone(zone())


def stored(value: dt.datetime) -> dt.datetime:
    """An instant as read from the database, aware: a naive one is UTC (SQLite keeps no
    offset; SQLModel stores UTC)."""
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def at_local(value: dt.datetime) -> dt.datetime:
    """A naive wall-clock time read as local time (an aware value is only converted)."""
    return local(value)


def combine(day: dt.date, time: dt.time) -> dt.datetime:
    """The aware local datetime of `time` on `day`."""
    return dt.datetime.combine(day, time, tzinfo=zone())
