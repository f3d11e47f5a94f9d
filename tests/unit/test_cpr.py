"""CPR handling in triage: hyphen optional, real dates, century digits, birth after intake,
modulus 11 only a warning, and no CPR digits in any error message."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.cprgen import make_cpr, mod11_ok
from ungehus_tui.domain.triage import Facts, TriageInputError, decide

ON = dt.date(2060, 1, 1)  # late enough that every century below is in the past


# (7th digit, two-digit year, expected birth year) from the CPR table (stdnum.dk.cpr)
CENTURIES = [
    ("0", "95", 1995),
    ("1", "05", 1905),
    ("2", "58", 1958),
    ("3", "99", 1999),
    ("4", "00", 2000),
    ("4", "36", 2036),
    ("4", "37", 1937),
    ("5", "57", 2057),
    ("5", "58", 1858),
    ("6", "10", 2010),
    ("7", "99", 1899),
    ("8", "00", 2000),
    ("9", "36", 2036),
    ("9", "37", 1937),
]


@pytest.mark.parametrize(("digit7", "yy", "year"), CENTURIES)
def test_century_comes_from_the_7th_digit(digit7: str, yy: str, year: int) -> None:
    number = f"0306{yy}{digit7}123"
    d = decide(Facts(cpr=number, on=ON, situation="ingen"))
    assert d.birth_date == dt.date(year, 6, 3)


@pytest.mark.parametrize("hyphen", [True, False])
def test_hyphen_is_optional(hyphen: bool) -> None:
    cpr = make_cpr(dt.date(2005, 3, 14), hyphen=hyphen)
    d = decide(Facts(cpr=cpr, on=dt.date(2024, 3, 14), situation="job"))
    assert d.age == 19 and d.eligible


def test_mod11_failure_is_a_warning_not_a_rejection() -> None:
    good = make_cpr(dt.date(2006, 5, 1))
    bad = make_cpr(dt.date(2006, 5, 1), mod11=False)
    assert mod11_ok(good.replace("-", "")) and not mod11_ok(bad.replace("-", ""))
    on = dt.date(2024, 5, 1)
    d_good = decide(Facts(cpr=good, on=on, situation="ingen"))
    d_bad = decide(Facts(cpr=bad, on=on, situation="ingen"))
    assert d_good.warnings == ()
    assert d_bad.warnings == ("CPR_MOD11",)
    assert d_bad.to_contract()["warnings"] == ["CPR_MOD11"]
    assert d_good.to_contract() == {**d_bad.to_contract(), "warnings": []}


def test_mod11_warning_also_on_refusals() -> None:
    bad = make_cpr(dt.date(1980, 5, 1), mod11=False)
    d = decide(Facts(cpr=bad, on=dt.date(2024, 5, 1), situation="ingen"))
    assert d.rules == ("AGE-MAX",)
    assert d.warnings == ("CPR_MOD11",)


def test_birth_on_the_intake_date_is_valid_but_after_is_not() -> None:
    birth = dt.date(2020, 6, 1)
    assert decide(Facts(cpr=make_cpr(birth), on=birth, situation="ingen")).age == 0
    with pytest.raises(TriageInputError, match="after the intake date") as info:
        decide(Facts(cpr=make_cpr(birth), on=birth - dt.timedelta(days=1), situation="ingen"))
    assert info.value.field == "cpr"
    assert "efter" in info.value.message_da


BAD_CPRS = [
    "3102054123",  # 31 February
    "2902014123",  # 29 February 2001
    "0013054123",  # month 13
    "0000000000",
    "6102054123",  # day 61 (replacement numbers are not supported)
    "010205412",  # 9 digits
    "01020541234",  # 11 digits
    "010205 4123",  # space
    "01-02-05-4123",  # hyphens elsewhere
    "0102054123-",
    " 0102054123",
    "010205-412a",
    "٠١٠٢٠٥٤١٢٣",  # Arabic-Indic digits
    "",
]


@pytest.mark.parametrize("cpr", BAD_CPRS)
def test_bad_cpr_is_rejected_without_echoing_it(cpr: str) -> None:
    with pytest.raises(TriageInputError) as info:
        decide(Facts(cpr=cpr, on=dt.date(2024, 1, 1), situation="ingen"))
    digits = "".join(ch for ch in cpr if ch.isdigit())
    for text in (str(info.value), info.value.message_da):
        if len(digits) >= 4:
            assert digits[:6] not in text and digits[-4:] not in text
    assert info.value.field == "cpr"


@pytest.mark.parametrize("cpr", [None, 102054123, ["0102054123"], b"0102054123"])
def test_cpr_must_be_a_string(cpr: object) -> None:
    with pytest.raises(TriageInputError):
        decide(Facts(cpr=cpr, on=dt.date(2024, 1, 1), situation="ingen"))  # type: ignore[arg-type]


def test_facts_repr_masks_the_cpr() -> None:
    cpr = make_cpr(dt.date(2005, 3, 14))
    text = repr(Facts(cpr=cpr, on=dt.date(2024, 1, 1), situation="ingen"))
    assert cpr[7:] not in text
    assert "140305-XXXX" in text


def test_birth_line_is_built_once_in_the_domain() -> None:
    """The desk's 'Født ... år' line (reception search and registration share it)."""
    from ungehus_tui.domain import cpr as cprmod

    parsed = cprmod.parse(make_cpr(dt.date(2008, 6, 3)))
    line = cprmod.birth_line(parsed, dt.date(2026, 6, 2))
    assert line == "Født 03-06-2008 · 17 år"
    assert parsed.compact[6:] not in line
    assert cprmod.birth_line(parsed, dt.date(2026, 6, 3)) == "Født 03-06-2008 · 18 år"


def test_birth_date_and_compact_agree_with_stdnum() -> None:
    """The fast paths in domain/cpr.py give what python-stdnum gives, for every century digit
    and two-digit year, and for text with Unicode digits and dashes."""
    from stdnum.dk import cpr as stdnum_cpr
    from stdnum.exceptions import ValidationError

    from ungehus_tui.domain import cpr as cprmod

    for digit7 in "0123456789":
        for yy in range(100):
            for day_month in ("0306", "2902"):
                number = f"{day_month}{yy:02d}{digit7}123"
                try:
                    expected: dt.date | None = stdnum_cpr.get_birth_date(number)
                except ValidationError:
                    expected = None
                try:
                    got: dt.date | None = cprmod._birth_date(number)
                except ValueError:
                    got = None
                assert got == expected, number
    for text in ("030695-0123", "030695 0123", " 0306950123 ", "０３０６９５–０１２３", "03-06-95"):
        assert cprmod.compact(text) == stdnum_cpr.compact(text), text
