"""The walk-in in keys: the exact keys from the empty search field to a booked team meeting
for a new 17-year-old with a social case who is out of school (situation `ingen`).

Used by the acceptance test (tests/reception/test_walkin.py) and reusable by a bench:
`walkin_steps(...)` gives the steps, `walkin_keys(...)` the flat key list (Textual key
names, as `Pilot.press` takes them), `control_keys(...)` the keys that are not data.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    keys: tuple[str, ...]
    data: bool  # typed data (CPR, name, phone) rather than a navigation/command key
    what: str  # Danish, for the README and test failures


def _typed(text: str) -> tuple[str, ...]:
    return tuple("space" if ch == " " else ch for ch in text)


def walkin_steps(
    cpr: str,
    name: str,
    guardian_name: str,
    *,
    phone: str | None = None,
    guardian_phone: str | None = None,
) -> list[Step]:
    """The steps at the desk; `cpr` is typed as given (a hyphen is one more data key)."""
    steps = [
        Step(_typed(cpr), True, "CPR-nummeret i søgefeltet (fødselsdato og alder vises)"),
        Step(("enter",), False, "Enter: CPR-nummeret findes ikke -> registrering, CPR udfyldt"),
        Step(_typed(name), True, "Navn"),
        Step(("tab",), False, "Tab til telefon"),
    ]
    if phone:
        steps.append(Step(_typed(phone), True, "Telefon"))
    steps += [
        Step(("tab",), False, "Tab til forælder/værge (vises for under 18)"),
        Step(_typed(guardian_name), True, "Forælder/værge"),
        Step(("tab",), False, "Tab til forælders telefon"),
    ]
    if guardian_phone:
        steps.append(Step(_typed(guardian_phone), True, "Forælders telefon"))
    steps += [
        Step(("f7",), False, "F7 til visitationsfakta (forbi e-mail)"),
        Step(("4",), False, "4: situation 'ingen af delene'"),
        Step(("s",), False, "S: socialfaglig sag"),
        Step(("c",), False, "C: samtykke til deling med alle involverede centre (CBU, CAI)"),
        Step(("ctrl+s",), False, "Ctrl+S: gem ung, visitation, samtykke, ankomst -> booking"),
        Step(("enter",), False, "Enter: book den første (tidligste) ledige tid"),
    ]
    return steps


def walkin_keys(*args: str, **kwargs: str | None) -> list[str]:
    return [k for step in walkin_steps(*args, **kwargs) for k in step.keys]  # type: ignore[arg-type]


def control_keys(*args: str, **kwargs: str | None) -> list[str]:
    """The non-data keys: what the desk presses beyond typing the young person's data."""
    return [
        k
        for step in walkin_steps(*args, **kwargs)  # type: ignore[arg-type]
        if not step.data
        for k in step.keys
    ]
