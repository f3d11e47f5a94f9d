from __future__ import annotations

import datetime as dt
from typing import Any, Literal

import pytest
from argon2 import PasswordHasher
from sqlmodel import select

from ungehus_tui.data.engine import read_session
from ungehus_tui.data.models import AuditEvent
from ungehus_tui.domain import clock
from ungehus_tui.services.access import auth, staff
from ungehus_tui.services.errors import PermissionDenied, ValidationFailed

PW = "rigtig-kode-42"


def _events(ctx, action: str) -> list[AuditEvent]:  # type: ignore[no-untyped-def]
    with read_session(ctx.engine) as s:
        return list(s.exec(select(AuditEvent).where(AuditEvent.action == action)).all())


def test_sign_in_and_lockout_after_five_failures(ctx, admin) -> None:  # type: ignore[no-untyped-def]
    clock.set_now(dt.datetime(2026, 3, 2, 9, 0))
    auth.set_password(ctx, admin, "rec.1", PW)
    assert auth.sign_in(ctx, "rec.1", PW).login == "rec.1"
    for _ in range(5):
        with pytest.raises(auth.SignInFailed):
            auth.sign_in(ctx, "rec.1", "forkert-kode-1")
    # locked: even the right password fails
    with pytest.raises(auth.SignInFailed, match="låst"):
        auth.sign_in(ctx, "rec.1", PW)
    clock.set_now(dt.datetime(2026, 3, 2, 9, 14))
    with pytest.raises(auth.SignInFailed, match="låst"):
        auth.sign_in(ctx, "rec.1", PW)
    clock.set_now(dt.datetime(2026, 3, 2, 9, 16))
    assert auth.sign_in(ctx, "rec.1", PW).login == "rec.1"
    failed = _events(ctx, "SIGN_IN_FAILED")
    assert len(failed) == 7
    assert all(e.staff_login == "rec.1" for e in failed)
    assert all(PW not in (e.detail or "") for e in failed)
    assert len(_events(ctx, "SIGN_IN")) == 2


def test_success_resets_the_counter(ctx, admin) -> None:  # type: ignore[no-untyped-def]
    auth.set_password(ctx, admin, "rec.2", PW)
    for _ in range(4):
        with pytest.raises(auth.SignInFailed):
            auth.sign_in(ctx, "rec.2", "forkert-kode-1")
    auth.sign_in(ctx, "rec.2", PW)
    for _ in range(4):
        with pytest.raises(auth.SignInFailed):
            auth.sign_in(ctx, "rec.2", "forkert-kode-1")
    assert auth.sign_in(ctx, "rec.2", PW).login == "rec.2"


def test_unknown_and_disabled_logins_fail_alike(ctx, admin) -> None:  # type: ignore[no-untyped-def]
    auth.set_password(ctx, admin, "rec.2", PW)
    staff.disable_staff(ctx, admin, "rec.2")
    for login in ("rec.2", "ingen.bruger"):
        with pytest.raises(auth.SignInFailed, match="Forkert brugernavn eller adgangskode"):
            auth.sign_in(ctx, login, PW)


def test_change_password_policy(ctx, admin, actor_for) -> None:  # type: ignore[no-untyped-def]
    auth.set_password(ctx, admin, "rec.1", PW)
    me = actor_for("rec.1")
    with pytest.raises(ValidationFailed, match="mindst 10 tegn"):
        auth.change_password(ctx, me, PW, "kort")
    with pytest.raises(ValidationFailed, match="brugernavnet"):
        auth.change_password(ctx, me, PW, "xx-rec.1-yyyy")
    with pytest.raises(ValidationFailed) as err:
        auth.change_password(ctx, me, "forkert-gammel", "en-helt-ny-kode")
    assert "old" in err.value.errors
    auth.change_password(ctx, me, PW, "en-helt-ny-kode")
    assert auth.sign_in(ctx, "rec.1", "en-helt-ny-kode").login == "rec.1"


def test_bootstrap_only_for_first_admin(ctx, admin) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        auth.set_password(ctx, None, "rec.1", PW)
    auth.set_password(ctx, None, "it.admin", PW)
    assert auth.sign_in(ctx, "it.admin", PW).role == "ADMIN"
    with pytest.raises(PermissionDenied):
        auth.set_password(ctx, None, "it.admin", "endnu-en-kode")


def test_only_admin_manages_staff(ctx, actor_for) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        auth.set_password(ctx, actor_for("cbu.leder"), "rec.1", PW)
    with pytest.raises(PermissionDenied):
        staff.add_staff(
            ctx, actor_for("rec.1"), login="x.y", name="Test Testesen", role="RECEPTION"
        )


def test_a_hash_with_older_parameters_is_rehashed_at_sign_in(ctx, admin) -> None:  # type: ignore[no-untyped-def]
    """Argon2id at OWASP's minimum (issue 15); a hash made with argon2-cffi's heavier
    default still signs in, and is replaced by one with the current parameters."""
    from argon2 import PasswordHasher
    from sqlalchemy import update

    from ungehus_tui.data.engine import write_session
    from ungehus_tui.data.models import Staff

    old = PasswordHasher().hash(PW)  # 64 MiB, 3 iterations, 4 lanes
    with write_session(ctx.engine) as s:
        s.execute(update(Staff).where(Staff.login == "rec.1").values(password_hash=old))
    assert auth.sign_in(ctx, "rec.1", PW).login == "rec.1"
    with read_session(ctx.engine) as s:
        new = s.exec(select(Staff.password_hash).where(Staff.login == "rec.1")).one()
    assert new != old and "m=19456,t=2,p=1" in (new or "")
    assert auth.sign_in(ctx, "rec.1", PW).login == "rec.1"
    with pytest.raises(auth.SignInFailed):
        auth.sign_in(ctx, "rec.1", "forkert-kode-1")


class _Checks:
    """Counts the Argon2 checks the service makes (real ones, with the service's hasher's
    parameters)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        real = auth._hasher
        checks = self

        class Counted(PasswordHasher):
            def verify(self, *args: Any) -> Literal[True]:
                checks.count += 1
                return super().verify(*args)

        counted = Counted(real.time_cost, real.memory_cost, real.parallelism)
        monkeypatch.setattr(auth, "_hasher", counted)


def test_a_password_checked_ahead_signs_in_without_a_check_at_the_enter(
    ctx, admin, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    auth.set_password(ctx, admin, "rec.1", PW)
    checks = _Checks(monkeypatch)
    ahead = auth.check_ahead(ctx, " rec.1", PW)
    assert checks.count == 1 and PW not in repr(ahead)
    assert _events(ctx, "SIGN_IN") == [] and _events(ctx, "SIGN_IN_FAILED") == []  # read only
    assert auth.sign_in(ctx, "rec.1", PW, ahead).login == "rec.1"
    assert checks.count == 1  # the Enter made none
    assert [e.staff_login for e in _events(ctx, "SIGN_IN")] == ["rec.1"]


def test_a_wrong_password_checked_ahead_counts_and_locks_as_ever(ctx, admin, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    clock.set_now(dt.datetime(2026, 3, 2, 9, 0))
    auth.set_password(ctx, admin, "rec.1", PW)
    checks = _Checks(monkeypatch)
    for _ in range(5):
        ahead = auth.check_ahead(ctx, "rec.1", "forkert-kode-1")
        with pytest.raises(auth.SignInFailed):
            auth.sign_in(ctx, "rec.1", "forkert-kode-1", ahead)
    assert checks.count == 5
    details = [e.detail for e in _events(ctx, "SIGN_IN_FAILED")]
    assert details[-1] == "wrong password; locked" and len(details) == 5
    # locked: the right password, checked ahead, still fails
    with pytest.raises(auth.SignInFailed, match="låst"):
        auth.sign_in(ctx, "rec.1", PW, auth.check_ahead(ctx, "rec.1", PW))


def test_a_check_ahead_for_other_input_or_an_older_hash_is_not_used(
    ctx, admin, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    auth.set_password(ctx, admin, "rec.1", PW)
    auth.set_password(ctx, admin, "rec.2", PW)
    checks = _Checks(monkeypatch)
    right = auth.check_ahead(ctx, "rec.1", PW)
    # made for another password or login: checked again at the Enter
    with pytest.raises(auth.SignInFailed):
        auth.sign_in(ctx, "rec.1", PW + "x", right)
    assert auth.sign_in(ctx, "rec.2", PW, right).login == "rec.2"
    assert checks.count == 3
    # the password was reset after the check: the old one no longer signs in
    auth.set_password(ctx, admin, "rec.1", "en-helt-ny-kode-7")
    with pytest.raises(auth.SignInFailed):
        auth.sign_in(ctx, "rec.1", PW, right)
    assert checks.count == 4


def test_an_unknown_login_checked_ahead_costs_the_same_and_fails_alike(
    ctx, admin, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    auth.set_password(ctx, admin, "rec.1", PW)
    checks = _Checks(monkeypatch)
    ahead = auth.check_ahead(ctx, "ingen.bruger", PW)
    assert checks.count == 1  # a check is spent ahead for an unknown login too
    with pytest.raises(auth.SignInFailed, match="Forkert brugernavn eller adgangskode"):
        auth.sign_in(ctx, "ingen.bruger", PW, ahead)
    assert checks.count == 1  # and none at the Enter, as for a known login
    assert _events(ctx, "SIGN_IN_FAILED")[-1].detail == "unknown"
