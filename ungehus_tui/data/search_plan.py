"""How a term typed at the desk is read: digits as a CPR prefix and/or birth dates
(`digits_term`), other text as name words; `plan` gives the statement's shape (a few fixed
ones: by the number of name words, or CPR prefix / one date / several dates) and its bound
parameters. Plain Python: `services.desk.person_search` makes each shape an SQLAlchemy
statement, `data.early` runs the same statements' SQLite text before SQLAlchemy is loaded.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from ungehus_tui.domain.folding import TOKEN_MAX_LEN, search_key

MAX_WORDS = 6
# A word of one or two letters begins many young people's names (at 100,000: 'mo' 14,404
# tokens, 'm' 29,693), a longer one a few thousand at most (`_name_shape`).
SHORT_WORD = 2


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


# A statement's shape: ("date", CPR prefix?, 0/1/2 dates: none, `= :day`, `IN :days`) or
# ("name", words, planned for its words each time?).
Shape = tuple[str, bool, int] | tuple[str, int, bool]


def plan(raw: str, limit: int) -> tuple[Shape, dict[str, Any]] | None:
    """The shape and parameters for a stripped, non-empty term; None: nobody."""
    digits = digits_term(raw)
    if digits is not None:
        return _date_query(digits, limit)
    return _name_query(raw, limit)


def _date_query(term: DateTerm, limit: int) -> tuple[Shape, dict[str, Any]] | None:
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
    return ("date", bool(term.prefix), min(len(term.dates), 2)), params


def _name_query(raw: str, limit: int) -> tuple[Shape, dict[str, Any]] | None:
    words = [w[:TOKEN_MAX_LEN] for w in search_key(raw).split()][:MAX_WORDS]
    if not words:
        return None
    words.sort(key=len, reverse=True)  # the longest word narrows most
    params: dict[str, Any] = {"found_limit": limit * 3, "limit": limit}
    for i, word in enumerate(words):
        params |= {f"lo{i}": word, f"hi{i}": _upper(word)}
    custom_plan = any(len(word) <= SHORT_WORD for word in words[1:])
    return ("name", len(words), custom_plan), params
