"""Checking triage facts, and reading them strictly from the machine contract's JSON object
(DOMAIN.md, "Machine contract"). Every failure is a TriageInputError without the CPR digits.
"""

from __future__ import annotations

import datetime as dt
import re

from ungehus_tui.domain import cpr as cprmod
from ungehus_tui.domain.codes import Situation
from ungehus_tui.domain.triage_model import BOOL_FACTS, MAX_GRADE, Facts, TriageInputError

_INPUT_KEYS = frozenset({"cpr", "on", "situation", "grade", *BOOL_FACTS})

_CPR_SHAPE = re.compile(r"[0-9]{6}-?[0-9]{4}")
_DATE_SHAPE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_KEY_SHAPE = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,39}")

# --- validation -------------------------------------------------------------------------


def check_cpr(value: object, on: dt.date) -> cprmod.Cpr:
    if not isinstance(value, str):
        raise TriageInputError(
            "cpr must be a string", field="cpr", message_da="CPR-nummeret skal være tekst"
        )
    if _CPR_SHAPE.fullmatch(value) is None:
        raise TriageInputError(
            "cpr must be 10 digits, optionally with a hyphen after the 6th (DDMMYY-SSSS)",
            field="cpr",
            message_da="CPR-nummeret skal have formen DDMMÅÅ-SSSS (bindestreg valgfri)",
        )
    try:
        person = cprmod.parse(value)
    except cprmod.CprError as exc:
        raise TriageInputError(
            "cpr does not contain a valid birth date", field="cpr", message_da=str(exc)
        ) from None
    if person.birth_date > on:
        raise TriageInputError(
            "the birth date in cpr is after the intake date",
            field="cpr",
            message_da="Fødselsdatoen i CPR-nummeret ligger efter datoen for henvendelsen",
        )
    return person


def check_facts(facts: Facts) -> dt.date:
    """Validate the types and values of `facts`; the intake date as a plain date."""
    on = facts.on
    if isinstance(on, dt.datetime):
        on = on.date()
    if not isinstance(on, dt.date):
        raise TriageInputError(
            "on must be a date", field="on", message_da="Datoen for henvendelsen mangler"
        )
    if not isinstance(facts.situation, str) or facts.situation not in set(Situation):
        raise TriageInputError(
            "situation must be one of: " + ", ".join(Situation),
            field="situation",
            message_da="Ukendt situation; vælg en af: " + ", ".join(Situation),
        )
    grade = facts.grade
    if grade is not None:
        if isinstance(grade, bool) or not isinstance(grade, int):
            raise TriageInputError(
                "grade must be an integer or null",
                field="grade",
                message_da="Klassetrin skal være et tal",
            )
        if not 0 <= grade <= MAX_GRADE:
            raise TriageInputError(
                f"grade must be between 0 and {MAX_GRADE}",
                field="grade",
                message_da=f"Klassetrin skal være mellem 0 og {MAX_GRADE}",
            )
        if facts.situation != Situation.GRUNDSKOLE:
            raise TriageInputError(
                "grade is only given when situation is grundskole",
                field="grade",
                message_da="Klassetrin angives kun for unge i grundskolen",
            )
    for name in BOOL_FACTS:
        if not isinstance(getattr(facts, name), bool):
            raise TriageInputError(
                f"{name} must be true or false",
                field=name,
                message_da=f"Feltet {name} skal være ja eller nej",
            )
    return on


# --- the machine contract's input ---------------------------------------------------------


def facts_from_json(obj: object, today: dt.date) -> Facts:
    """Strict reading of the contract's input object. Unknown keys are rejected (a typo such
    as `social_cases` would otherwise silently change the decision); booleans must be JSON
    booleans; `grade` an integer or null; `on` a `YYYY-MM-DD` string, default `today`;
    `situation` and `cpr` are required. The CPR itself is checked by `decide`."""
    if not isinstance(obj, dict):
        raise TriageInputError("input must be a JSON object")
    unknown = sorted(str(k) for k in obj if k not in _INPUT_KEYS)
    if unknown:
        shown = [k if _KEY_SHAPE.fullmatch(k) else "?" for k in unknown[:5]]
        raise TriageInputError("unknown key(s): " + ", ".join(shown), field=unknown[0])
    for key in ("cpr", "situation"):
        if key not in obj:
            raise TriageInputError(f"missing key: {key}", field=key)
    cpr_value = obj["cpr"]
    if not isinstance(cpr_value, str):
        raise TriageInputError("cpr must be a string", field="cpr")
    situation = obj["situation"]
    if not isinstance(situation, str):
        raise TriageInputError("situation must be a string", field="situation")
    on = parse_date(obj["on"]) if "on" in obj else today
    grade = obj.get("grade")
    if grade is not None and (isinstance(grade, bool) or not isinstance(grade, int)):
        raise TriageInputError("grade must be an integer or null", field="grade")
    flags: dict[str, bool] = {}
    for name in BOOL_FACTS:
        value = obj.get(name, False)
        if not isinstance(value, bool):
            raise TriageInputError(f"{name} must be true or false", field=name)
        flags[name] = value
    return Facts(cpr=cpr_value, on=on, situation=situation, grade=grade, **flags)


def parse_date(value: object) -> dt.date:
    """A strict `YYYY-MM-DD` date (the contract's `on`)."""
    if not isinstance(value, str) or _DATE_SHAPE.fullmatch(value) is None:
        raise TriageInputError(
            "on must be a date as YYYY-MM-DD",
            field="on",
            message_da="Datoen skal skrives ÅÅÅÅ-MM-DD",
        )
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise TriageInputError(
            "on is not a valid date", field="on", message_da="Datoen findes ikke"
        ) from None
