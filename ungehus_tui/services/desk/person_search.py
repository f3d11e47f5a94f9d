"""How a term typed at the desk becomes one SQL statement (`people.search_in` runs it).

Digits are a CPR prefix and/or birth dates (`digits_term`), other text name words matched
against `person_name_token` with prefix ranges. The statements have a few fixed shapes (by
the number of name words, or CPR prefix / one date / several dates), built once with bound
parameters: per keystroke only the parameters change, so nothing is built or compiled again
(SQLAlchemy's statement cache hits) and PostgreSQL reuses its prepared statement and plan;
but name words with a short one after the first are planned for their values each time
(`CUSTOM_PLAN`, see `_name_shape`).
"""

from __future__ import annotations

import functools
from typing import Any

from sqlalchemy import Integer, Select, and_, bindparam, exists, func, select, union

from ungehus_tui.data.engine import CUSTOM_PLAN
from ungehus_tui.data.models import PersonNameToken, YoungPerson
from ungehus_tui.data.search_plan import DAY_LIMIT, Shape, digits_term, plan

__all__ = ["DAY_LIMIT", "digits_term", "search_query", "statement"]

_person = YoungPerson.__table__  # type: ignore[attr-defined]
_token = PersonNameToken.__table__  # type: ignore[attr-defined]


def search_query(raw: str, limit: int) -> tuple[Select[Any], dict[str, Any]] | None:
    """The statement and its parameters for a stripped, non-empty term; None: nobody."""
    planned = plan(raw, limit)
    if planned is None:
        return None
    shape, params = planned
    return statement(shape), params


def statement(shape: Shape) -> Select[Any]:
    """The statement of a shape (`search_plan.plan`), built once."""
    kind, a, b = shape
    if kind == "date":
        return _date_shape(bool(a), int(b))
    return _name_shape(int(a), bool(b))


@functools.cache
def _date_shape(prefix: bool, dates: int) -> Select[Any]:
    """`dates`: 0, 1 (`birth_date = :day`) or 2 for several (`IN :days`)."""
    columns = (_person.c.id, _person.c.name, _person.c.cpr, _person.c.birth_date)
    parts = []
    if prefix:
        cpr = _person.c.cpr
        parts.append(select(*columns).where(cpr >= bindparam("cpr_lo"), cpr < bindparam("cpr_hi")))
    if dates:
        birth = _person.c.birth_date
        match = (
            birth == bindparam("day")
            if dates == 1
            else birth.in_(bindparam("days", expanding=True))
        )
        parts.append(select(*columns).where(match))
    limit = bindparam("limit", type_=Integer)
    if len(parts) == 1:
        return parts[0].order_by(_person.c.cpr).limit(limit)
    both = union(*parts).subquery("both")
    return select(both).order_by(both.c.cpr).limit(limit)


@functools.cache
def _name_shape(words: int, custom_plan: bool = False) -> Select[Any]:
    """Each word a prefix of a token of the same young person: the first (longest) word's
    range in the order of the (token, person_id) index, the others as EXISTS; the first
    matches, each young person once at their first match (one statement, one round trip).

    PostgreSQL runs the EXISTS one of two ways: the ordered scan of the first word, each
    young person looked up for the others and the scan stopped at the limit ('st m': the
    words are common together), or the others' young people hashed first and the whole
    range checked against them ('ella attrapho': few have both). A prepared statement's
    generic plan is the second for all words; with a short other word (`SHORT_WORD`) that
    hashes 10,000-30,000 young people and takes 10-20 ms at 100,000, where the first way
    takes 1-2. So with a short other word the statement is `custom_plan`: planned for its
    words each time (`CUSTOM_PLAN`; the planning costs ~0.3 ms, more than the generic
    plan loses on longer words)."""
    t0 = _token.alias("t0")
    conds = [t0.c.token >= bindparam("lo0"), t0.c.token < bindparam("hi0")]
    for i in range(1, words):
        ti = _token.alias(f"t{i}")
        conds.append(
            exists().where(
                and_(
                    ti.c.person_id == t0.c.person_id,
                    ti.c.token >= bindparam(f"lo{i}"),
                    ti.c.token < bindparam(f"hi{i}"),
                )
            )
        )
    found = (
        select(t0.c.person_id, t0.c.token)
        .where(*conds)
        .order_by(t0.c.token, t0.c.person_id)
        .limit(bindparam("found_limit", type_=Integer))
        .subquery("found")
    )
    first_match = func.min(found.c.token).label("first_match")
    ids = (
        select(found.c.person_id, first_match)
        .group_by(found.c.person_id)
        .order_by(first_match, found.c.person_id)
        .limit(bindparam("limit", type_=Integer))
        .subquery("ids")
    )
    query = (
        select(_person.c.id, _person.c.name, _person.c.cpr, _person.c.birth_date)
        .join(ids, ids.c.person_id == _person.c.id)
        .order_by(ids.c.first_match, ids.c.person_id)
    )
    return query.execution_options(**{CUSTOM_PLAN: True}) if custom_plan else query
