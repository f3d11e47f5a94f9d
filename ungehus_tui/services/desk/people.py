"""Young people: validation as the desk validates, registration, search, duplicates.

Search is indexed every way at 100,000 young people: a CPR prefix is a range scan on the
unique CPR index, a birth date ('05-05-2009') one on the birth-date index; a name is matched
word by word against `person_name_token` (words in `folding.search_key` spelling, written by
every path that creates a young person: registration, import, demo) with prefix ranges, so
'soren han' and 'soeren han' find 'Søren Hansen'.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session, col

from ungehus_tui.data.engine import read_once, write_session
from ungehus_tui.data.models import PersonNameToken, YoungPerson
from ungehus_tui.domain import cpr as cprmod
from ungehus_tui.domain.audience import age_refusal
from ungehus_tui.domain.clock import now, today
from ungehus_tui.domain.folding import fold, index_tokens
from ungehus_tui.domain.text import control_message
from ungehus_tui.services.access import audit
from ungehus_tui.services.access.permissions import Action, require
from ungehus_tui.services.context import Actor, Ctx
from ungehus_tui.services.desk.hits import PersonHit as PersonHit
from ungehus_tui.services.desk.hits import person_hit
from ungehus_tui.services.desk.person_search import search_query
from ungehus_tui.services.errors import ValidationFailed

MIN_AGE, MAX_AGE = 15, 29
_PHONE = re.compile(r"^(\+45)?[0-9]{8}$")  # spaces are dropped first (see _phone)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class PersonInput:
    cpr: str
    name: str
    phone: str | None = None
    email: str | None = None
    guardian_name: str | None = None
    guardian_phone: str | None = None


def _encodable(value: str) -> bool:
    """False for text no database can store (a lone surrogate from a broken paste)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


FIELD_LABELS = {
    "name": "Navn",
    "phone": "Telefonnummeret",
    "email": "E-mailadressen",
    "guardian_name": "Forælders/værges navn",
    "guardian_phone": "Forælders telefonnummer",
}


def _clean_text(value: object, field: str, errors: dict[str, str], *, max_len: int) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        errors[field] = "Skal være tekst"
        return None
    text = " ".join(value.split())
    if not _encodable(value):
        errors[field] = "Indeholder ugyldige tegn"
        return None
    control = control_message(value, FIELD_LABELS[field])
    if control:
        errors[field] = control
        return None
    if len(text) > max_len:
        errors[field] = f"Højst {max_len} tegn"
        return None
    return text or None


def _checked_cpr(value: str, on: dt.date, errors: dict[str, str]) -> cprmod.Cpr | None:
    try:
        return cprmod.parse(value, on=on)
    except cprmod.CprError as exc:
        errors["cpr"] = str(exc)
        return None


def _checked_name(value: object, errors: dict[str, str]) -> str | None:
    """The name, at least two characters, some of them letters."""
    name = _clean_text(value, "name", errors, max_len=200)
    if "name" not in errors and (name is None or len(name) < 2):
        errors["name"] = "Navn skal udfyldes"
    elif name is not None and not any(ch.isalpha() for ch in name):
        errors["name"] = "Navnet skal indeholde bogstaver"
    return name


def _matching(
    value: object,
    field: str,
    pattern: re.Pattern[str],
    message: str,
    errors: dict[str, str],
    *,
    max_len: int,
) -> str | None:
    """An optional field (a phone number, an e-mail address) that must match `pattern`."""
    text = _clean_text(value, field, errors, max_len=max_len)
    if text and not pattern.match(text):
        errors[field] = message
    return text


def _phone(value: object, field: str, message: str, errors: dict[str, str]) -> str | None:
    """A Danish phone number: 8 digits, optionally +45 in front (spaces allowed while typing,
    stored without): exactly what `message` says, nothing else."""
    text = _clean_text(value, field, errors, max_len=40)
    if not text:
        return text
    compact = "".join(text.split())
    if not _PHONE.match(compact):
        errors[field] = message
        return text
    return compact


def _check_age(
    parsed: cprmod.Cpr,
    on: dt.date,
    guardian_name: str | None,
    errors: dict[str, str],
    *,
    guardian_required: bool,
) -> None:
    """Ungehuset's 15-29 (the referral as the CPR's message); a guardian under 18."""
    age = cprmod.age_on(parsed.birth_date, on)
    refusal = age_refusal(age)
    if refusal:
        errors["cpr"] = refusal
    elif guardian_required and age < 18 and not guardian_name and "guardian_name" not in errors:
        errors["guardian_name"] = "Forælder/værge skal udfyldes for unge under 18"


def validate_person(
    data: PersonInput, on: dt.date | None = None, *, guardian_required: bool = True
) -> tuple[cprmod.Cpr, PersonInput]:
    """Check every field; raise ValidationFailed with Danish messages per field. The list
    import passes `guardian_required=False` for a list without a guardian column (it then
    leaves the counsellor a task to get one)."""
    on = on or today()
    errors: dict[str, str] = {}
    parsed = _checked_cpr(data.cpr, on, errors)
    name = _checked_name(data.name, errors)
    phone = _phone(
        data.phone, "phone", "Telefonnummeret skal være 8 cifre, evt. med +45 foran", errors
    )
    email = _matching(
        data.email, "email", _EMAIL, "E-mailadressen er ikke gyldig", errors, max_len=200
    )
    g_name = _clean_text(data.guardian_name, "guardian_name", errors, max_len=200)
    g_phone = _phone(
        data.guardian_phone,
        "guardian_phone",
        "Forælderens telefonnummer skal være 8 cifre, evt. med +45 foran",
        errors,
    )
    if parsed is not None:
        _check_age(parsed, on, g_name, errors, guardian_required=guardian_required)
    if errors:
        raise ValidationFailed(errors)
    assert parsed is not None and name is not None
    clean = PersonInput(parsed.compact, name, phone, email, g_name, g_phone)
    return parsed, clean


def find_by_cpr(session: Session, cpr: str) -> YoungPerson | None:
    stmt = select(YoungPerson).where(col(YoungPerson.cpr) == cprmod.compact(cpr))
    return session.execute(stmt).scalars().first()


def register_person_in(
    session: Session, actor: Actor, data: PersonInput, *, guardian_required: bool = True
) -> tuple[YoungPerson, bool]:
    """Register (or find by CPR) in an open write session; (person, created)."""
    require(actor, Action.REGISTER)
    parsed, clean = validate_person(data, guardian_required=guardian_required)
    existing = find_by_cpr(session, parsed.compact)
    if existing is not None:
        return existing, False
    stamp = now()
    person = YoungPerson(
        cpr=parsed.compact,
        birth_date=parsed.birth_date,
        name=clean.name,
        name_folded=fold(clean.name),
        phone=clean.phone,
        email=clean.email,
        guardian_name=clean.guardian_name,
        guardian_phone=clean.guardian_phone,
        created_by=actor.id,
        created_at=stamp,
        updated_at=stamp,
    )
    session.add(person)
    session.flush()
    assert person.id is not None
    for token in index_tokens(clean.name):
        session.add(PersonNameToken(person_id=person.id, token=token))
    audit.record(session, actor, "REGISTER", person_id=person.id, purpose="registrering")
    session.flush()
    return person, True


def register_person(ctx: Ctx, actor: Actor, data: PersonInput) -> tuple[YoungPerson, bool]:
    with write_session(ctx.engine) as session:
        return register_person_in(session, actor, data)


def search_in(session: Session, term: str, limit: int = 20) -> list[PersonHit]:
    """What the desk types, in one statement: a CPR or its prefix (hyphen optional), a birth
    date (DDMMYY, dd-mm-åååå and the like: everyone born that day, up to `DAY_LIMIT`), or
    name words, each a prefix of a word of the name in `search_key` spelling (so 'soren',
    'soeren' and 'Søren' find the same young people). See `person_search` for the digits."""
    raw = term.strip()
    if not raw:
        return []
    query = search_query(raw, limit)
    if query is None:
        return []
    on = today()
    stmt, params = query
    return [_hit(r, on) for r in session.connection().execute(stmt, params)]


def _hit(row: object, on: dt.date) -> PersonHit:
    return person_hit(row.id, row.name, row.cpr, row.birth_date, on)  # type: ignore[attr-defined]


def search(ctx: Ctx, actor: Actor, term: str, limit: int = 20) -> list[PersonHit]:
    """The desk's search-as-you-type (read only; audit the term with `audit_search`)."""
    require(actor, Action.SEARCH)
    with read_once(ctx.engine) as session:
        return search_in(session, term, limit)


def similar_in(session: Session, name: str, birth_date: dt.date) -> list[YoungPerson]:
    """Young people with the same birth date and a name sharing a word (in `search_key`
    spelling: 'Søren' and 'Soeren' share one)."""
    words = set(index_tokens(name))
    same_day = session.execute(
        select(YoungPerson).where(col(YoungPerson.birth_date) == birth_date)
    ).scalars()
    return [p for p in same_day if words & set(index_tokens(p.name))]


def audit_search(ctx: Ctx, actor: Actor, term: str, purpose: str | None = None) -> None:
    """Log one search with its term. `search` is read-only (it runs per keystroke); the UI
    calls this once per settled search: when a result is opened, on Enter, or after a pause
    (the reception screen's debounce), so the log has the term that was looked for. The event
    also names the young people the search found (their ids, `audit.found_detail`), so a
    subject access listing shows every search that showed the person, by name or by CPR."""
    require(actor, Action.SEARCH)
    term = " ".join(term.split())
    if not term:
        return
    with write_session(ctx.engine) as session:
        found = audit.found_detail([hit.id for hit in search_in(session, term)])
        audit.record(
            session,
            actor,
            "SEARCH",
            search_term=term,
            purpose=purpose or "søgning",
            detail=found,
        )


def record_view(ctx: Ctx, actor: Actor, person_id: int, purpose: str | None = None) -> None:
    """Log that a young person's details were opened (VIEW_PERSON)."""
    require(actor, Action.VIEW_PERSON)
    with write_session(ctx.engine) as session:
        audit.record(session, actor, "VIEW_PERSON", person_id=person_id, purpose=purpose)


def reveal_cpr(ctx: Ctx, actor: Actor, person_id: int, purpose: str) -> str:
    """The full CPR (DDMMYY-SSSS) of one young person, on an explicit reveal; audited."""
    from ungehus_tui.services.access.permissions import require_person_access
    from ungehus_tui.services.errors import NotFound

    purpose = " ".join((purpose or "").split())
    if len(purpose) < 3:
        raise ValidationFailed({"purpose": "Angiv formålet med at se det fulde CPR-nummer"})
    with write_session(ctx.engine) as session:
        require_person_access(session, actor, person_id, Action.REVEAL_CPR)
        person = session.get(YoungPerson, person_id)
        if person is None:
            raise NotFound("Den unge findes ikke")
        audit.record(session, actor, "REVEAL_CPR", person_id=person_id, purpose=purpose[:200])
        return f"{person.cpr[:6]}-{person.cpr[6:]}"
