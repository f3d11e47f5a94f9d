"""Registers young people in a loop for the reliability tests (run as a subprocess).

    python tests/reliability/register_loop.py DB_URL FIRST COUNT

Prints the CPR number of each registration right after its transaction committed (flushed),
so a test that kills this process knows exactly what must be in the database. The numbers
are fictitious (serial digits 9xx, birth dates 19-25 years ago) and unique per index.
"""

from __future__ import annotations

import datetime as dt
import sys

from ungehus_tui.data.engine import read_session
from ungehus_tui.domain.cpr import century_digit_for
from ungehus_tui.services.context import actor_by_login
from ungehus_tui.services.desk.people import PersonInput, register_person
from ungehus_tui.settings import load_settings
from ungehus_tui.store import open_store


def cpr_for(index: int, today: dt.date | None = None) -> str:
    """A fictitious compact CPR unique per index (0 <= index < 2_000_000)."""
    base = (today or dt.date.today()).replace(month=1, day=1)
    birth = base.replace(year=base.year - 25) + dt.timedelta(days=index % 2000)
    return f"{birth:%d%m%y}{century_digit_for(birth)}{9}{index // 2000 % 100:02d}"


def main(url: str, first: int, count: int) -> None:
    ctx = open_store(load_settings(db=url))
    with read_session(ctx.engine) as session:
        actor = actor_by_login(session, "rec.1")
    for index in range(first, first + count):
        number = cpr_for(index)
        register_person(
            ctx, actor, PersonInput(cpr=number, name=f"Prøve Crashsen {index}", phone="01234567")
        )
        print(number, flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
