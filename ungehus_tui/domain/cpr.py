"""CPR numbers (Danish personal identification numbers).

Parsing follows python-stdnum (`stdnum.dk.cpr`): the 7th digit and the two-digit year give the
century (its rule is repeated in `_birth_date` for speed, tested equal in
tests/unit/test_cpr.py). Since 2007 valid CPR numbers may fail the modulus-11 check, so a
failed check is a warning, never a rejection (CPR-kontoret, "Personnumre uden kontrolciffer", 2007).
A CPR is never shown in full where others can read it (CPR-loven § 54): `mask` gives
DDMMYY-XXXX. Error messages never contain the number itself.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass


class CprError(ValueError):
    """An unusable CPR number. The message is Danish and never contains the number."""


@dataclass(frozen=True, slots=True)
class Cpr:
    compact: str
    birth_date: dt.date
    mod11_ok: bool

    @property
    def masked(self) -> str:
        return mask(self.compact)

    @property
    def formatted(self) -> str:
        return f"{self.compact[:6]}-{self.compact[6:]}"

    def __repr__(self) -> str:  # never leak the full number into logs or tracebacks
        return f"Cpr({self.masked})"

    __str__ = __repr__


_PLAIN = re.compile(r"[0-9 -]*")


def compact(value: str) -> str:
    """Without spaces and hyphens; other text as python-stdnum cleans it (Unicode digits and
    dashes to ASCII). Plain ASCII digits skip stdnum's per-character Unicode table."""
    if _PLAIN.fullmatch(value):
        return value.replace(" ", "").replace("-", "")
    from stdnum.dk import cpr as stdnum_cpr  # imported when first needed (it loads pydoc)

    return stdnum_cpr.compact(value)


def _birth_date(number: str) -> dt.date:
    """The birth date of 10 ASCII digits: stdnum's century rule (`stdnum.dk.cpr.
    get_birth_date`, which would clean the number again), ValueError if not a date."""
    day, month, year = int(number[0:2]), int(number[2:4]), int(number[4:6])
    seventh = number[6]
    if seventh in "5678" and year >= 58:
        year += 1800
    elif seventh in "0123" or (seventh in "49" and year >= 37):
        year += 1900
    else:
        year += 2000
    return dt.date(year, month, day)


def parse(value: object, on: dt.date | None = None) -> Cpr:
    """Parse a CPR with or without hyphen; `on` (default today) rejects unborn persons."""
    if not isinstance(value, str):
        raise CprError("CPR-nummeret skal være tekst")
    number = compact(value)
    if not number.isascii() or not number.isdigit():
        raise CprError("CPR-nummeret må kun indeholde cifre (DDMMÅÅ-SSSS)")
    if len(number) != 10:
        raise CprError("CPR-nummeret skal have 10 cifre")
    try:
        birth = _birth_date(number)
    except ValueError:
        raise CprError("CPR-nummeret indeholder ikke en gyldig fødselsdato") from None
    if on is not None and birth > on:
        raise CprError("Fødselsdatoen i CPR-nummeret ligger efter datoen for henvendelsen")
    from stdnum.dk import cpr as stdnum_cpr

    return Cpr(compact=number, birth_date=birth, mod11_ok=stdnum_cpr.checksum(number) == 0)


def mask(value: str) -> str:
    """DDMMYY-XXXX for any (partial) CPR; never reveals the serial digits."""
    digits = compact(value)
    return f"{digits[:6]}-XXXX"


def age_on(birth: dt.date, on: dt.date) -> int:
    """Whole years on `on` (a birthday on 29 February counts from 1 March in other years)."""
    years = on.year - birth.year
    if (on.month, on.day) < (birth.month, birth.day):
        years -= 1
    return years


def birth_line(cpr: Cpr, on: dt.date) -> str:
    """How the desk shows a typed CPR number: "Født dd-mm-åååå · N år" (no digits of it)."""
    return f"Født {cpr.birth_date:%d-%m-%Y} · {age_on(cpr.birth_date, on)} år"


def century_digit_for(birth: dt.date) -> str:
    """A 7th digit that gives `birth`'s century under the CPR table (for generating numbers)."""
    yy = birth.year % 100
    if 1900 <= birth.year <= 1999:
        return "0"
    if 2000 <= birth.year <= 2036:
        return "4"
    if 2037 <= birth.year <= 2057:
        return "5"
    if 1858 <= birth.year <= 1899:
        return "5"
    raise ValueError(f"no CPR century digit for year {birth.year} ({yy})")
