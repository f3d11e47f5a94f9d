"""Sign-in and passwords (argon2id via argon2-cffi).

- `sign_in` checks login and password; after `settings.login_max_failures` (5) failed tries
  in a row the login is locked for `settings.login_lock_minutes` (15): a locked login fails
  even with the right password until the time has passed. Success resets the counter.
  Every refusal (unknown, wrong password, locked, disabled) has the same message.
  Both outcomes are audited (SIGN_IN / SIGN_IN_FAILED, with the login, never the password).
- `check_ahead` checks a password while it is still being typed (the sign-in screen, after
  each key), so that the Enter finds the slow Argon2 check done: `sign_in` takes its answer
  only for the very login, password and stored hash it was made for, and counts, locks and
  audits exactly as without it. It changes nothing and says nothing by itself.
- Password policy (`check_policy`): at least 10 characters, not the login, not one repeated
  character. Messages are Danish.
- First run: while no active ADMIN has a password, `staff reset-password LOGIN` may set an
  ADMIN's password without `--as` (bootstrap, see `needs_bootstrap`).
- Demo databases (marked by `ungehus demo`) only: every staff member without a password
  gets `DEMO_PASSWORD`.
"""

from __future__ import annotations

import datetime as dt
import hmac
from dataclasses import dataclass, field

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


def _spent_ahead(password: str) -> None:
    """The check was spent ahead (`check_ahead` checks unknown logins too)."""


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


@dataclass(frozen=True, eq=False)
class PasswordCheck:
    """A password checked ahead of the Enter (`check_ahead`): the login it was checked for,
    the stored hash it was checked against (None: no such login, or no password) and the
    answer. Opaque to callers: only `sign_in` reads it, and only for the same login and
    password (the password kept here as long as the sign-in screen keeps this object)."""

    login: str
    password_hash: str | None = field(repr=False)
    password: str = field(repr=False)
    matched: bool = field(repr=False)

    def is_for(self, login: str, password: str) -> bool:
        return hmac.compare_digest(self.login.encode(), login.encode()) & hmac.compare_digest(
            self.password.encode(), password.encode()
        )


def check_ahead(ctx: Ctx, login: str, password: str) -> PasswordCheck:
    """The Argon2 check of `password` for `login`, made before the Enter (read only: no
    counter, no lock, no audit; `sign_in` does all of that when it uses the answer). An
    unknown login, or one without a password, costs the same check."""
    login = login.strip()
    with read_session(ctx.engine) as session:
        staff = _staff(session, login)
        password_hash = staff.password_hash if staff is not None else None
    if password_hash:
        return PasswordCheck(
            login, password_hash, password, verify_password(password_hash, password)
        )
    _spend_a_verify(password)
    return PasswordCheck(login, None, password, False)


def _verified(staff: Staff, password: str, ahead: PasswordCheck | None) -> bool:
    """The password's check: the one made ahead when it was made against this very hash."""
    if ahead is not None and staff.password_hash and ahead.password_hash == staff.password_hash:
        return ahead.matched
    return verify_password(staff.password_hash, password)


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    return None if value is None else stored(value)


def _staff(session: Session, login: str) -> Staff | None:
    return session.execute(select(Staff).where(col(Staff.login) == login)).scalars().first()


def sign_in(ctx: Ctx, login: str, password: str, ahead: PasswordCheck | None = None) -> Actor:
    """The signed-in staff member, or SignInFailed (audited either way). `ahead`: the check
    `check_ahead` made while the password was typed; used only when made for this login and
    password (else ignored), and only against the hash it was made with (a password changed
    meanwhile is checked again). An Enter with a usable `ahead` costs no Argon2 check, a
    known login and an unknown one alike."""
    login = login.strip()
    if ahead is not None and not ahead.is_for(login, password):
        ahead = None
    spend = _spend_a_verify if ahead is None else _spent_ahead
    settings = ctx.settings
    error: str | None = None
    actor: Actor | None = None
    with write_session(ctx.engine) as session:
        staff = _staff(session, login)
        stamp = now()
        if staff is None:
            spend(password)
            audit.record(session, None, "SIGN_IN_FAILED", login=login[:64], detail="unknown")
            error = FAILED
        else:
            locked = _aware(staff.locked_until)
            if locked is not None and locked > stamp:
                spend(password)
                audit.record(session, None, "SIGN_IN_FAILED", login=login, detail="locked")
                error = FAILED
            elif not staff.active:
                spend(password)
                audit.record(session, None, "SIGN_IN_FAILED", login=login, detail="disabled")
                error = FAILED
            elif not _verified(staff, password, ahead):
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
