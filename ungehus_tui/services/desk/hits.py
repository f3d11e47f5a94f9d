"""A young person as the desk's search shows them (no SQLAlchemy here: the early search,
`early_search`, makes them before the store is loaded)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ungehus_tui.domain import cpr as cprmod


@dataclass(frozen=True)
class PersonHit:
    id: int
    name: str
    cpr_masked: str
    birth_date: dt.date
    age: int


def person_hit(id: int, name: str, cpr: str, birth_date: dt.date, on: dt.date) -> PersonHit:
    return PersonHit(
        id=id,
        name=name,
        cpr_masked=cprmod.mask(cpr),
        birth_date=birth_date,
        age=cprmod.age_on(birth_date, on),
    )
