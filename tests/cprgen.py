"""Fictitious CPR numbers built from a birth date (never a real person's number).

`make_cpr(birth)` gives a number whose 7th digit yields `birth`'s century and whose
modulus-11 check passes (or, with `mod11=False`, fails).
"""

from __future__ import annotations

import datetime as dt

from ungehus_tui.domain.cpr import century_digit_for

WEIGHTS = (4, 3, 2, 7, 6, 5, 4, 3, 2, 1)


def mod11_ok(number: str) -> bool:
    return sum(w * int(d) for w, d in zip(WEIGHTS, number, strict=True)) % 11 == 0


def make_cpr(
    birth: dt.date, *, mod11: bool = True, digit7: str | None = None, hyphen: bool = True
) -> str:
    head = birth.strftime("%d%m%y") + (digit7 or century_digit_for(birth))
    for tail in range(1000):
        number = f"{head}{tail:03d}"
        if mod11_ok(number) == mod11:
            return f"{number[:6]}-{number[6:]}" if hyphen else number
    raise AssertionError("no serial found")  # pragma: no cover


def born(on: dt.date, years: int, days: int = 0) -> dt.date:
    """The birth date of someone who turns `years` on `on` (+ `days` later birthday)."""
    try:
        day = on.replace(year=on.year - years)
    except ValueError:  # 29 February
        day = on.replace(year=on.year - years, day=28)
    return day + dt.timedelta(days=days)
