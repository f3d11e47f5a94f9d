"""The organisation file (TOML): centers, roles, staff, rooms, office hours, closed days.

`read_org` validates the file and reports errors with file, line and field; `load_org` writes
it into the database idempotently (insert or update by natural key; nothing is deleted).
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Callable
from functools import partial
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator
from sqlmodel import Session, col, select

from ungehus_tui.data.models import Center, ClosedDay, OfficeHours, Room, Staff
from ungehus_tui.domain.calendar import WorkCalendar
from ungehus_tui.domain.codes import AccessRole, CenterCode, ContactRole
from ungehus_tui.domain.text import codepoint, find_control

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
RECURRING_YEARS = range(2019, 2041)


class OrgFileError(ValueError):
    """The organisation file is unusable: the message names file, line and field."""


def _plain(value: str) -> str:
    """Names and notes from the file are shown on terminals: no control characters."""
    char = find_control(value)
    if char is not None:
        raise ValueError(f"contains a control character ({codepoint(char)})")
    return value


Plain = Annotated[str, AfterValidator(_plain)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MunicipalityInput(_Strict):
    name: Plain
    house: Plain = "Ungehuset"
    address: Plain = ""
    timezone: str = "Europe/Copenhagen"


class CenterInput(_Strict):
    code: CenterCode
    name: Plain = Field(min_length=1)
    roles: list[ContactRole] = Field(default_factory=list)


class RoomInput(_Strict):
    name: Plain = Field(min_length=1)
    seats: int = Field(ge=1, le=200)
    location: Plain | None = None


class StaffInput(_Strict):
    login: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]{1,63}$")
    name: Plain = Field(min_length=1)
    role: AccessRole
    center: CenterCode | None = None
    contact_role: ContactRole | None = None
    email: Plain | None = None
    active: bool = True


class ClosedDayInput(_Strict):
    date: str
    reason: Plain

    @field_validator("date")
    @classmethod
    def _date(cls, value: str) -> str:
        if re.fullmatch(r"\d{2}-\d{2}", value):
            dt.date(2024, int(value[:2]), int(value[3:]))  # 2024: leap year allows 02-29
        else:
            dt.date.fromisoformat(value)
        return value

    def days(self) -> list[dt.date]:
        if len(self.date) == 5:
            month, day = int(self.date[:2]), int(self.date[3:])
            out = []
            for year in RECURRING_YEARS:
                try:
                    out.append(dt.date(year, month, day))
                except ValueError:
                    continue
            return out
        return [dt.date.fromisoformat(self.date)]


HoursPair = tuple[str, str]


class OrgFile(_Strict):
    municipality: MunicipalityInput
    centers: list[CenterInput] = Field(min_length=1)
    rooms: list[RoomInput] = Field(min_length=1)
    office_hours: dict[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"], HoursPair]
    closed_days: list[ClosedDayInput] = Field(default_factory=list)
    staff: list[StaffInput] = Field(default_factory=list)

    @field_validator("office_hours")
    @classmethod
    def _hours(cls, value: dict[str, HoursPair]) -> dict[str, HoursPair]:
        for opens, closes in value.values():
            if dt.time.fromisoformat(opens) >= dt.time.fromisoformat(closes):
                raise ValueError("opening time must be before closing time")
        return value

    def hours(self) -> dict[int, tuple[dt.time, dt.time]]:
        return {
            WEEKDAYS.index(day): (dt.time.fromisoformat(o), dt.time.fromisoformat(c))
            for day, (o, c) in self.office_hours.items()
        }


def default_org_path() -> Path:
    return Path(str(resources.files("ungehus_tui.orgdata").joinpath("slagelse.toml")))


def _line_of(text: str, loc: tuple[int | str, ...]) -> int | None:
    """Best-effort line number of a field path like ('staff', 3, 'center')."""
    lines = text.splitlines()
    start = 0
    if len(loc) >= 2 and isinstance(loc[0], str) and isinstance(loc[1], int):
        header = re.compile(rf"^\s*\[\[\s*{re.escape(loc[0])}\s*\]\]")
        seen = -1
        for i, line in enumerate(lines):
            if header.match(line):
                seen += 1
                if seen == loc[1]:
                    start = i
                    break
        else:
            return None
        key = loc[2] if len(loc) > 2 else None
        if key is None:
            return start + 1
        for i in range(start + 1, len(lines)):
            if lines[i].lstrip().startswith("["):
                break
            if re.match(rf"^\s*{re.escape(str(key))}\s*=", lines[i]):
                return i + 1
        return start + 1
    if loc:
        table = re.compile(rf"^\s*\[\s*{re.escape(str(loc[0]))}\s*\]")
        for i, line in enumerate(lines):
            if table.match(line):
                if len(loc) > 1:
                    for j in range(i + 1, len(lines)):
                        if re.match(rf"^\s*{re.escape(str(loc[1]))}\s*=", lines[j]):
                            return j + 1
                return i + 1
    return None


def read_org(path: Path | None = None) -> OrgFile:
    path = path or default_org_path()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise OrgFileError(f"{path}: cannot read organisation file ({exc.strerror})") from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise OrgFileError(f"{path}: invalid TOML: {exc}") from None
    try:
        org = OrgFile.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err["loc"])
        field = ".".join(str(p) for p in loc)
        line = _line_of(text, loc)
        where = f"{path}:{line}" if line else str(path)
        raise OrgFileError(f"{where}: field '{field}': {err['msg']}") from None
    logins = [s.login for s in org.staff]
    dupes = sorted({x for x in logins if logins.count(x) > 1})
    if dupes:
        raise OrgFileError(f"{path}: field 'staff.login': duplicate login {dupes[0]}")
    codes = {c.code for c in org.centers}
    for i, s in enumerate(org.staff):
        if s.center is not None and s.center not in codes:
            line = _line_of(text, ("staff", i, "center"))
            raise OrgFileError(
                f"{path}:{line}: field 'staff.{i}.center': unknown center {s.center}"
            )
        if s.role == AccessRole.COUNSELLOR and (s.center is None or s.contact_role is None):
            line = _line_of(text, ("staff", i, "role"))
            raise OrgFileError(
                f"{path}:{line}: field 'staff.{i}': a counsellor needs center and contact_role"
            )
    return org


def load_org(session: Session, org: OrgFile) -> int:
    """Write the organisation into the database; returns the number of rows changed. Each
    table is read once (every start runs this: one query per row cost ~30 ms)."""
    changed = 0

    def upsert(
        rows: dict[Any, Any], key: object, make: Callable[[], object], fields: dict[str, object]
    ) -> None:
        """The row of `key` in `rows` (the table as read) made or brought up to `fields`; a
        key twice in the file is one row."""
        nonlocal changed
        row = rows.get(key)
        if row is None:
            row = rows[key] = make()
        elif all(getattr(row, k) == v for k, v in fields.items()):
            return
        for k, v in fields.items():
            setattr(row, k, v)
        session.add(row)
        changed += 1

    centers = {c.code: c for c in session.exec(select(Center)).all()}
    for c in org.centers:
        upsert(centers, str(c.code), partial(Center, code=c.code), {"name": c.name})
    session.flush()
    rooms: dict[str, Room] = {}
    for stored in session.exec(select(Room).order_by(col(Room.id))).all():
        rooms.setdefault(stored.name, stored)  # the first of a name, as `.first()` found it
    for r in org.rooms:
        upsert(
            rooms, r.name, partial(Room, name=r.name), {"seats": r.seats, "location": r.location}
        )
    hours = {h.weekday: h for h in session.exec(select(OfficeHours)).all()}
    for weekday, (opens, closes) in org.hours().items():
        fields: dict[str, object] = {"opens": opens, "closes": closes}
        upsert(hours, weekday, partial(OfficeHours, weekday=weekday), fields)
    closed = {d.day: d for d in session.exec(select(ClosedDay)).all()}
    for cd in org.closed_days:
        for day in cd.days():
            upsert(closed, day, partial(ClosedDay, day=day), {"reason": cd.reason})
    staff = {m.login: m for m in session.exec(select(Staff)).all()}
    for s in org.staff:
        sfields: dict[str, object] = {
            "name": s.name,
            "role": str(s.role),
            "center_code": str(s.center) if s.center else None,
            "contact_role": str(s.contact_role) if s.contact_role else None,
            "email": s.email,
        }
        # The file can disable a login; it never re-enables one that `ungehus staff disable`
        # (or the file earlier) disabled, so a later `init` cannot undo a disable.
        if s.login not in staff or not s.active:
            sfields["active"] = s.active
        upsert(staff, s.login, partial(Staff, login=s.login), sfields)
    session.flush()
    return changed


def work_calendar(session: Session) -> WorkCalendar:
    """Office hours and closed days as stored by `ungehus init`."""
    hours = {h.weekday: (h.opens, h.closes) for h in session.exec(select(OfficeHours)).all()}
    closed = frozenset(session.exec(select(col(ClosedDay.day))).all())
    return WorkCalendar(hours=hours, closed=closed)
