"""Keep a typed CPR number from being readable over the desk (CPR-loven § 54).

Once an input holds a complete CPR number (10 digits, hyphen optional) it is shown as dots;
the screen shows the masked form DDMMYY-XXXX with birth date and age next to it. Deleting a
digit shows the digits again, so the desk can correct a typo.
"""

from __future__ import annotations

from textual.widgets import Input

from ungehus_tui.domain import cpr as cprmod


def is_full_cpr(value: str) -> bool:
    digits = cprmod.compact(value)
    return len(digits) == 10 and digits.isascii() and digits.isdigit()


def guard_cpr(field: Input) -> None:
    """Hide the field's text while it is a complete CPR number."""
    hide = is_full_cpr(field.value)
    if field.password != hide:
        field.password = hide
