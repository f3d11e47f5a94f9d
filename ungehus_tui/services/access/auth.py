"""Sign-in and passwords (argon2id via argon2-cffi).

- `sign_in` checks login and password; after `settings.login_max_failures` (5) failed tries
  in a row the login is locked for `settings.login_lock_minutes` (15): a locked login fails
  even with the right password until the time has passed. Success resets the counter.
  Every refusal (unknown, wrong password, locked, disabled) has the same message.
  Both outcomes are audited (SIGN_IN / SIGN_IN_FAILED, with the login, never the password).
- Password policy (`check_policy`): at least 10 characters, not the login, not one repeated
  character. Messages are Danish.
- First run: while no active ADMIN has a password, `staff reset-password LOGIN` may set an
  ADMIN's password without `--as` (bootstrap, see `needs_bootstrap`).
- Demo databases (marked by `ungehus demo`) only: every staff member without a password
  gets `DEMO_PASSWORD`.
"""

from __future__ import annotations

import datetime as dt

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import select, update
from sqlmodel import Session, col

from ungehus_tui.data.engine import read_session, write_session
from ungehus_tui.data.models import Staff
from ungehus_tui.domain.clock import now, stored
from ungehus_tui.domain.codes import AccessRole
from ungehus_tui.services.access import audit
from ungehus_tui.services.access.permissions import Action, require
from ungehus_tui.services.context import Actor, Ctx
from ungehus_tui.services.errors import NotFound, PermissionDenied, ServiceError, ValidationFailed

MIN_LENGTH = 10
DEMO_PASSWORD = "ungehus-demo"
# One message for every refused sign-in (unknown, wrong password, locked, disabled), so the
# screen never tells an existing login from an unknown one; it names the lock, so staff
# locked out know to wait.
FAILED = (
    "Forkert brugernavn eller adgangskode, eller brugeren er låst efter for mange forkerte "
    "forsøg (prøv igen om lidt)"
)

# Argon2id with OWASP's recommended minimum (19 MiB, 2 iterations, 1 lane): a check takes
# ~50 ms on a busy desk PC, so the desk is there within moments of the Enter (issue 15;
# argon2-cffi's default, 64 MiB x 3 x 4 lanes, took 0.4-0.7 s there). Hashes made with other
# parameters still verify, and are rehashed at the next sign-in (`check_needs_rehash`).
_hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)


class SignInFailed(ServiceError):
    """Wrong login/password, a locked or a disabled login: always the same message (FAILED),
    and a password check costs the same time whether the login exists or not."""


_dummy_hash: str | None = None


def _spend_a_verify(password: str) -> None:
    """The time of a real check, for a login that gets none (unknown, locked, disabled)."""
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = _hasher.hash("ungehus: ingen bruger")
    verify_password(_dummy_hash, password)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def check_policy(login: str, password: str) -> None:
    """Raise ValidationFailed (field 'password') when the password is too weak."""
    if len(password) < MIN_LENGTH:
        msg = f"Adgangskoden skal have mindst {MIN_LENGTH} tegn"
    elif login.lower() in password.lower():
        msg = "Adgangskoden må ikke indeholde brugernavnet"
    elif len(set(password)) < 4:
        msg = "Adgangskoden skal have mindst 4 forskellige tegn"
    else:
        return
    raise ValidationFailed({"password": msg})


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    return None if value is None else stored(value)


def _staff(session: Session, login: str) -> Staff | None:
    return session.execute(select(Staff).where(col(Staff.login) == login)).scalars().first()


def sign_in(ctx: Ctx, login: str, password: str) -> Actor:
    """The signed-in staff member, or SignInFailed (audited either way)."""
    login = login.strip()
    settings = ctx.settings
    error: str | None = None
    actor: Actor | None = None
    with write_session(ctx.engine) as session:
        staff = _staff(session, login)
        stamp = now()
        if staff is None:
            _spend_a_verify(password)
            audit.record(session, None, "SIGN_IN_FAILED", login=login[:64], detail="unknown")
            error = FAILED
        else:
            locked = _aware(staff.locked_until)
            if locked is not None and locked > stamp:
                _spend_a_verify(password)
                audit.record(session, None, "SIGN_IN_FAILED", login=login, detail="locked")
                error = FAILED
            elif not staff.active:
                _spend_a_verify(password)
                audit.record(session, None, "SIGN_IN_FAILED", login=login, detail="disabled")
                error = FAILED
            elif not verify_password(staff.password_hash, password):
                staff.failed_logins += 1
                detail = "wrong password"
                if staff.failed_logins >= settings.login_max_failures:
                    staff.locked_until = stamp + dt.timedelta(minutes=settings.login_lock_minutes)
                    staff.failed_logins = 0
                    detail = "wrong password; locked"
                elif locked is not None:
                    staff.locked_until = None
                session.add(staff)
                audit.record(session, None, "SIGN_IN_FAILED", login=login, detail=detail)
                error = FAILED
            else:
                staff.failed_logins = 0
                staff.locked_until = None
                if staff.password_hash and _hasher.check_needs_rehash(staff.password_hash):
                    staff.password_hash = hash_password(password)
                session.add(staff)
                actor = Actor.of(staff)
                audit.record(session, actor, "SIGN_IN")
    if error is not None or actor is None:
        raise SignInFailed(error or FAILED)
    return actor


def change_password(ctx: Ctx, actor: Actor, old: str, new: str) -> None:
    """Staff change their own password (the old one is checked)."""
    check_policy(actor.login, new)
    with write_session(ctx.engine) as session:
        staff = session.get(Staff, actor.id)
        if staff is None:
            raise NotFound("Ukendt medarbejder")
        if not verify_password(staff.password_hash, old):
            raise ValidationFailed({"old": "Den nuværende adgangskode er forkert"})
        if old == new:
            raise ValidationFailed({"password": "Vælg en ny adgangskode"})
        staff.password_hash = hash_password(new)
        staff.must_change_password = False
        staff.updated_at = now()
        session.add(staff)
        audit.record(session, actor, "CHANGE_PASSWORD")


def needs_bootstrap(session: Session) -> bool:
    """True while no active ADMIN has a password (the first run)."""
    row = session.execute(
        select(col(Staff.id)).where(
            col(Staff.role) == AccessRole.ADMIN,
            col(Staff.active) == True,  # noqa: E712
            col(Staff.password_hash).is_not(None),
        )
    ).first()
    return row is None


def set_password(
    ctx: Ctx, actor: Actor | None, login: str, password: str, *, must_change: bool = True
) -> None:
    """IT sets (resets) a staff member's password; unlocks the login.

    `actor` None is the first-run bootstrap: allowed only while `needs_bootstrap` and only
    for an ADMIN login.
    """
    check_policy(login, password)
    with write_session(ctx.engine) as session:
        staff = _staff(session, login)
        if staff is None:
            raise NotFound(f"Ukendt medarbejder: {login}")
        if actor is None:
            if not needs_bootstrap(session) or staff.role != AccessRole.ADMIN:
                raise PermissionDenied(
                    "Kun den første administrators adgangskode kan sættes uden --as"
                )
            must_change = False
        else:
            require(actor, Action.MANAGE_STAFF)
        staff.password_hash = hash_password(password)
        staff.must_change_password = must_change
        staff.failed_logins = 0
        staff.locked_until = None
        staff.updated_at = now()
        session.add(staff)
        audit.record(
            session,
            actor,
            "RESET_PASSWORD",
            login="bootstrap" if actor is None else None,
            detail=f"login={login}",
        )


def set_demo_passwords(ctx: Ctx) -> int:
    """Demo databases only (the `demo` marker, see `data.demo`): every staff member without a
    password gets DEMO_PASSWORD. Anywhere else PermissionDenied, nothing changed."""
    from ungehus_tui.data.meta import is_demo_store

    digest = hash_password(DEMO_PASSWORD)
    with write_session(ctx.engine) as session:
        if not is_demo_store(session):
            raise PermissionDenied("Demo-adgangskoden gives kun i en demodatabase")
        result = session.execute(
            update(Staff).where(col(Staff.password_hash).is_(None)).values(password_hash=digest)
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]


def has_any_password(ctx: Ctx) -> bool:
    with read_session(ctx.engine) as session:
        return not needs_bootstrap(session)
