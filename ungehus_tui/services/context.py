"""What a service call needs: the engine, the settings, and who is acting (and from where).

Where an action comes from is carried on the `Actor`: `channel` (`tui`, `cli`) and `origin`
(the operating-system user @ host running the process). The audit log records both beside the
staff login, so a CLI `--as` login is traced to the person at the keyboard. Events without a
staff actor (a failed sign-in) take the process's source, set once by the entry point
(`set_process_source`).
"""

from __future__ import annotations

import dataclasses
import getpass
import os
import socket
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from ungehus_tui.services.errors import NotFound, ServiceError

if TYPE_CHECKING:  # the app's first screen needs Actor before the store is loaded
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

    from ungehus_tui.settings import Settings


class StaffRow(Protocol):
    """A staff member's row as `Actor.of` reads it: the `Staff` model, or the early
    reader's `EarlyStaff` (`data.early`)."""

    @property
    def id(self) -> int | None: ...
    @property
    def login(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def role(self) -> str: ...
    @property
    def center_code(self) -> str | None: ...
    @property
    def contact_role(self) -> str | None: ...


@dataclass(frozen=True, slots=True)
class Actor:
    """The acting staff member, detached from any session (safe to pass between threads)."""

    id: int
    login: str
    name: str
    role: str  # AccessRole
    center_code: str | None
    contact_role: str | None
    channel: str | None = None  # `tui`, `cli`; None: the process's source
    origin: str | None = None  # os-user@host

    @classmethod
    def of(cls, staff: StaffRow) -> Actor:
        assert staff.id is not None
        channel, origin = process_source()
        return cls(
            id=staff.id,
            login=staff.login,
            name=staff.name,
            role=staff.role,
            center_code=staff.center_code,
            contact_role=staff.contact_role,
            channel=channel,
            origin=origin,
        )

    def acting_from(self, channel: str, origin: str | None = None) -> Actor:
        """This actor, acting through `channel` from `origin` (default: this process's)."""
        return dataclasses.replace(self, channel=channel, origin=origin or local_origin())


def local_origin() -> str:
    """`os-user@host` of this process; never fails (a container without a passwd entry or
    a USER variable gets `uid<N>`, an unnamed host `unknown-host`)."""
    try:
        user = getpass.getuser()
    except Exception:  # KeyError/OSError when there is no user name at all
        user = f"uid{os.getuid()}" if hasattr(os, "getuid") else "unknown-user"
    try:
        host = socket.gethostname() or "unknown-host"
    except OSError:
        host = "unknown-host"
    return f"{user}@{host}"[:200]


_process_source: tuple[str | None, str | None] = (None, None)


def set_process_source(channel: str | None, origin: str | None = None) -> None:
    """The entry point says how this process is used (`cli`, `tui`): actors made from here on
    and events without an actor carry it."""
    global _process_source
    _process_source = (channel, (origin or local_origin()) if channel else None)


def process_source() -> tuple[str | None, str | None]:
    return _process_source


@dataclass(frozen=True, slots=True)
class Ctx:
    engine: Engine
    settings: Settings


def actor_by_login(session: Session, login: str) -> Actor:
    from sqlmodel import select

    from ungehus_tui.data.models import Staff

    staff = session.exec(select(Staff).where(Staff.login == login)).first()
    if staff is None:
        raise NotFound(f"Ukendt medarbejder: {login}")
    if not staff.active:
        raise ServiceError(f"Medarbejderen {login} er deaktiveret")
    return Actor.of(staff)
