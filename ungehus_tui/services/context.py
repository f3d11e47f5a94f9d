"""What a service call needs: the engine, the settings, and who is acting."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from ungehus_tui.data.models import Staff
from ungehus_tui.services.errors import NotFound, ServiceError
from ungehus_tui.settings import Settings


@dataclass(frozen=True, slots=True)
class Actor:
    """The acting staff member, detached from any session (safe to pass between threads)."""

    id: int
    login: str
    name: str
    role: str  # AccessRole
    center_code: str | None
    contact_role: str | None

    @classmethod
    def of(cls, staff: Staff) -> Actor:
        assert staff.id is not None
        return cls(
            id=staff.id,
            login=staff.login,
            name=staff.name,
            role=staff.role,
            center_code=staff.center_code,
            contact_role=staff.contact_role,
        )


@dataclass(frozen=True, slots=True)
class Ctx:
    engine: Engine
    settings: Settings


def actor_by_login(session: Session, login: str) -> Actor:
    staff = session.exec(select(Staff).where(Staff.login == login)).first()
    if staff is None:
        raise NotFound(f"Ukendt medarbejder: {login}")
    if not staff.active:
        raise ServiceError(f"Medarbejderen {login} er deaktiveret")
    return Actor.of(staff)
