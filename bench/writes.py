"""Many desks writing at once, each desk its own process (spawn):

- `concurrent_lost_writes`: 8 processes register a fixed number of young people each through
  `services.people.register_person`; lost = expected - found afterwards. Any error a desk saw
  (a 'database is locked' among them) is counted too: the desk never retries, so an error is
  also a lost registration.
- `booking_double_bookings`: 8 processes book the same few slots at once through
  `services.booking.book`; afterwards any person or room in two overlapping meetings counts.
"""

from __future__ import annotations

import multiprocessing as mp
import traceback
from typing import Any

from bench.common import Metric
from bench.target import Target

PROCESSES = 8
MARK = "Prøve Samtidigsen"


def _cpr(birth_ordinal: int, serial: int) -> str:
    import datetime as dt

    from ungehus_tui.domain.cpr import century_digit_for

    birth = dt.date.fromordinal(birth_ordinal)
    return f"{birth:%d%m%y}{century_digit_for(birth)}{serial:03d}"


def free_cprs(target: Target, count: int) -> list[str]:
    """Fictitious CPR numbers (ages 19-27) not yet in the database."""
    import datetime as dt

    used = {r[0] for r in target.rows("SELECT cpr FROM young_person")}
    start = dt.date(dt.date.today().year - 27, 1, 1).toordinal()
    out: list[str] = []
    serial = 999
    while len(out) < count:
        for day in range(start, start + 365 * 8):
            number = _cpr(day, serial)
            if number not in used:
                out.append(number)
                if len(out) == count:
                    break
        serial -= 1
    return out


def _register_worker(url: str, numbers: list[str], start: Any) -> list[str]:
    from ungehus_tui.data.engine import read_session
    from ungehus_tui.services.context import actor_by_login
    from ungehus_tui.services.desk.people import PersonInput, register_person
    from ungehus_tui.settings import load_settings
    from ungehus_tui.store import open_store

    errors: list[str] = []
    ctx = open_store(load_settings(db=url))
    with read_session(ctx.engine) as session:
        actor = actor_by_login(session, "rec.1")
    start.wait(120)
    for i, number in enumerate(numbers):
        try:
            register_person(ctx, actor, PersonInput(cpr=number, name=f"{MARK} {i}"))
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {exc}".splitlines()[0][:200])
        except BaseException:
            errors.append(traceback.format_exc(limit=1))
    ctx.engine.dispose()
    return errors


def lost_writes(target: Target, each: int) -> Metric:
    url = target.url
    numbers = free_cprs(target, PROCESSES * each)
    spawn = mp.get_context("spawn")
    with spawn.Manager() as manager:
        start = manager.Event()
        with spawn.Pool(PROCESSES) as pool:
            jobs = [
                pool.apply_async(_register_worker, (url, numbers[w * each : (w + 1) * each], start))
                for w in range(PROCESSES)
            ]
            start.set()
            errors = [e for job in jobs for e in job.get(timeout=1800)]
    found = target.rows(
        "SELECT count(*) FROM young_person WHERE cpr IN :numbers",
        {"numbers": numbers},
        expanding=["numbers"],
    )[0][0]
    expected = PROCESSES * each
    locked = sum("locked" in e for e in errors)
    return Metric(
        expected - found,
        goal="0 (and 0 'database is locked')",
        reason=f"{len(errors)} errors, first: {errors[0]}" if errors else "",
        detail={
            "processes": PROCESSES,
            "each": each,
            "expected": expected,
            "found": found,
            "errors": len(errors),
            "database_is_locked": locked,
        },
    )
