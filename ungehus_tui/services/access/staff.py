"""Staff as IT keeps them: add and disable (passwords: `services.auth`).

Note: `ungehus init` re-applies the organisation file, so a staff member listed there is
changed (and re-activated) by the file; disable them in the file too.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlmodel import Session, col

from ungehus_tui.data.engine import write_session
from ungehus_tui.data.models import Center, Staff
from ungehus_tui.domain.clock import now
from ungehus_tui.domain.codes import AccessRole, ContactRole
from ungehus_tui.domain.text import control_message
from ungehus_tui.services.access import audit, auth
from ungehus_tui.services.access.permissions import Action, require
from ungehus_tui.services.context import Actor, Ctx
from ungehus_tui.services.errors import Conflict, NotFound, ValidationFailed

_LOGIN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")


def add_staff_in(
    session: Session,
    actor: Actor,
    *,
    login: str,
    name: str,
    role: str,
    center: str | None = None,
    contact_role: str | None = None,
    email: str | None = None,
    password: str | None = None,
) -> Staff:
    require(actor, Action.MANAGE_STAFF)
    errors: dict[str, str] = {}
    login = login.strip().lower()
    if not _LOGIN.match(login):
        errors["login"] = "Brugernavn: 2-64 tegn, små bogstaver, cifre, punktum, - og _"
    control = control_message(name, "Navn")
    name = " ".join(name.split())
    if control:
        errors["name"] = control
    elif len(name) < 2:
        errors["name"] = "Navn skal udfyldes"
    control = control_message(email, "E-mailadressen")
    if control:
        errors["email"] = control
    if role not in {r.value for r in AccessRole}:
        errors["role"] = "Ukendt rolle (RECEPTION, COUNSELLOR, LEADER, ADMIN)"
    if center is not None and session.get(Center, center) is None:
        errors["center"] = "Ukendt center"
    if contact_role is not None and contact_role not in {c.value for c in ContactRole}:
        errors["contact_role"] = "Ukendt kontaktrolle"
    if role == AccessRole.COUNSELLOR and (center is None or contact_role is None):
        errors.setdefault("center", "En rådgiver skal have center og kontaktrolle")
    if password is not None:
        try:
            auth.check_policy(login, password)
        except ValidationFailed as exc:
            errors.update(exc.errors)
    if errors:
        raise ValidationFailed(errors)
    if session.execute(select(col(Staff.id)).where(col(Staff.login) == login)).first():
        raise Conflict(f"Brugernavnet {login} findes allerede")
    staff = Staff(
        login=login,
        name=name,
        role=role,
        center_code=center,
        contact_role=contact_role,
        email=email,
        password_hash=auth.hash_password(password) if password else None,
        must_change_password=password is not None,
    )
    session.add(staff)
    session.flush()
    audit.record(session, actor, "STAFF_ADD", detail=f"login={login} role={role}")
    return staff


def add_staff(ctx: Ctx, actor: Actor, **fields: str | None) -> Staff:
    with write_session(ctx.engine) as session:
        return add_staff_in(session, actor, **fields)  # type: ignore[arg-type]


def disable_staff(ctx: Ctx, actor: Actor, login: str) -> None:
    """Deactivate a login: it can no longer sign in or act from the CLI."""
    require(actor, Action.MANAGE_STAFF)
    with write_session(ctx.engine) as session:
        staff = session.execute(select(Staff).where(col(Staff.login) == login)).scalars().first()
        if staff is None:
            raise NotFound(f"Ukendt medarbejder: {login}")
        if staff.id == actor.id:
            raise ValidationFailed({"login": "Du kan ikke deaktivere dig selv"})
        staff.active = False
        staff.updated_at = now()
        session.add(staff)
        audit.record(session, actor, "STAFF_DISABLE", detail=f"login={login}")
