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

import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Integer, Select, and_, bindparam, exists, func, select, union

from ungehus_tui.data.engine import CUSTOM_PLAN
from ungehus_tui.data.models import PersonNameToken, YoungPerson
from ungehus_tui.domain.folding import TOKEN_MAX_LEN, search_key

MAX_WORDS = 6
# A word of one or two letters begins many young people's names (at 100,000: 'mo' 14,404
# tokens, 'm' 29,693), a longer one a few thousand at most (`_name_shape`).
SHORT_WORD = 2
_person = YoungPerson.__table__  # type: ignore[attr-defined]
_token = PersonNameToken.__table__  # type: ignore[attr-defined]


def _upper(prefix: str) -> str:
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


# A birth date finds everyone born that day (about 18 a day at 100,000 young people), so a
# date search may return more rows than a name or CPR search.
DAY_LIMIT = 100
_DATE_TERM = re.compile(r"^(\d{1,2})[-./](?:(\d{1,2})(?:([-./])(\d{0,4}))?)?$")


@dataclass(frozen=True)
class DateTerm:
    """What a typed date or CPR means: a CPR prefix (which is a birth-date prefix DDMMYY in
    both centuries), and/or exact birth dates (a four-digit year pins the century)."""

    prefix: str | None = None
    dates: tuple[dt.date, ...] = ()
    day: bool = False  # a whole birth date was typed: find everyone born that day


def _date(day: int, month: int, year: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def digits_term(raw: str) -> DateTerm | None:
    """Digits as the desk types them, or None when the term is no date or CPR.

    - 1-10 digits, hyphen or spaces anywhere ('050509-12'): a CPR prefix. 6 digits are a
      birth date DDMMYY (everyone born that day, either century); 10 the one young person.
    - 8 digits without a hyphen that read as a date DDMMYYYY ('05052009') also find everyone
      born that day (as a CPR prefix they would be a birth in 1919/1920/2019/2020 at most).
    - A date with separators, day and month of one or two digits: 'd-m-åååå', 'dd.mm.åå',
      'dd/mm' (- . / alike). A four-digit year is that birth date; a two-digit year is DDMMYY
      (either century); three digits the decade's ten dates; while the date is still typed,
      the part typed so far is a CPR prefix ('05-0' -> '050').
    - More than 10 digits: nobody (no CPR is that long); an impossible date: nobody.
    """
    match = _DATE_TERM.match(raw)
    if match is not None:
        return _separated_date(*match.groups())
    return _cpr_digits(raw)


def _separated_date(
    day_s: str, month_s: str | None, sep: str | None, year_s: str | None
) -> DateTerm:
    """A date typed with separators (the groups of `_DATE_TERM`), complete or still typed."""
    dd = day_s.zfill(2)
    if month_s is None:
        return DateTerm(prefix=dd)
    complete_month = sep is not None or len(month_s) == 2 or month_s >= "2"
    mm = month_s.zfill(2) if complete_month else month_s
    if not complete_month or not year_s:
        return DateTerm(prefix=dd + mm)
    day, month = int(dd), int(mm)
    if len(year_s) <= 2:
        return DateTerm(prefix=dd + mm + year_s, day=len(year_s) == 2)
    if len(year_s) == 3:
        decade = int(year_s) * 10
        found = (_date(day, month, y) for y in range(decade, decade + 10))
        return DateTerm(dates=tuple(d for d in found if d is not None))
    exact = _date(day, month, int(year_s))
    return DateTerm(dates=(exact,) if exact else (), day=True)


def _cpr_digits(raw: str) -> DateTerm | None:
    """Digits with hyphens or spaces anywhere: a CPR prefix (8 digits may be DDMMYYYY)."""
    compact = raw.replace("-", "").replace(" ", "")
    if not (compact.isdigit() and compact.isascii()):
        return None
    if len(compact) > 10:
        return DateTerm()
    dates: tuple[dt.date, ...] = ()
    if len(compact) == 8 and "-" not in raw and compact[4:6] in ("19", "20"):
        as_date = _date(int(compact[:2]), int(compact[2:4]), int(compact[4:]))
        dates = (as_date,) if as_date else ()
    return DateTerm(prefix=compact, dates=dates, day=len(compact) == 6 or bool(dates))


def search_query(raw: str, limit: int) -> tuple[Select[Any], dict[str, Any]] | None:
    """The statement and its parameters for a stripped, non-empty term; None: nobody."""
    digits = digits_term(raw)
    if digits is not None:
        return _date_query(digits, limit)
    return _name_query(raw, limit)


def _date_query(term: DateTerm, limit: int) -> tuple[Select[Any], dict[str, Any]] | None:
    """A CPR prefix and/or birth dates, in CPR order, each young person once. Both parts are
    range scans on an index (the unique CPR, the birth date)."""
    if not term.prefix and not term.dates:
        return None
    params: dict[str, Any] = {"limit": max(limit, DAY_LIMIT) if term.day else limit}
    if term.prefix:
        params |= {"cpr_lo": term.prefix, "cpr_hi": _upper(term.prefix)}
    if len(term.dates) == 1:
        params["day"] = term.dates[0]
    elif term.dates:
        params["days"] = list(term.dates)
    return _date_shape(bool(term.prefix), min(len(term.dates), 2)), params


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


def _name_query(raw: str, limit: int) -> tuple[Select[Any], dict[str, Any]] | None:
    words = [w[:TOKEN_MAX_LEN] for w in search_key(raw).split()][:MAX_WORDS]
    if not words:
        return None
    words.sort(key=len, reverse=True)  # the longest word narrows most
    params: dict[str, Any] = {"found_limit": limit * 3, "limit": limit}
    for i, word in enumerate(words):
        params |= {f"lo{i}": word, f"hi{i}": _upper(word)}
    custom_plan = any(len(word) <= SHORT_WORD for word in words[1:])
    return _name_shape(len(words), custom_plan), params


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
