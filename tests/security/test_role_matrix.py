"""Every service function that acts for a staff member, called as every role.

Table-driven: one `Case` per service function with the logins that may call it. A call is
"allowed" when it does not raise PermissionDenied (it may still fail validation: the gate is
what is tested). Logins: rec.1 (RECEPTION), cbu.vejl.1 (COUNSELLOR holding the young
person), cai.besk.1 (COUNSELLOR outside the team), cbu.leder (LEADER of the holder's
center), cai.leder (LEADER of another center), it.admin (ADMIN).
`test_every_service_function_is_in_the_table` fails when a new `(ctx, actor, ...)` service
function lands without a row here: add one.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import ungehus_tui.services as services_pkg
from ungehus_tui.data.engine import write_session
from ungehus_tui.data.models import Assignment, YoungPerson
from ungehus_tui.domain.triage import Facts
from ungehus_tui.services import (
    audit_query,
    auth,
    backup,
    booking,
    intake,
    people,
    retention,
    staff,
)
from ungehus_tui.services.errors import PermissionDenied, ServiceError

CPR = "0607024567"  # fictitious, born 2002
LOGINS = ("rec.1", "cbu.vejl.1", "cai.besk.1", "cbu.leder", "cai.leder", "it.admin")
EVERYONE = frozenset(LOGINS)
ADMIN = frozenset({"it.admin"})
DESK = frozenset({"rec.1", "cbu.vejl.1", "cai.besk.1"})  # RECEPTION + COUNSELLOR


@dataclass
class Env:
    ctx: Any
    person_id: int
    tmp: Path
    decision_id: int | None = None
    intake_id: int = 0
    slot: Any = None


@dataclass(frozen=True)
class Case:
    name: str  # module.function
    call: Callable[[Env, Any], object]
    allowed: frozenset[str]


def _decision(env: Env, actor: Any) -> object:
    return intake.override_decision(
        env.ctx, actor, env.decision_id or 0, lead_center="CAI", reason="test", centers=["CAI"]
    )


CASES: list[Case] = [
    Case("people.search", lambda e, a: people.search(e.ctx, a, "0607"), EVERYONE),
    Case("people.audit_search", lambda e, a: people.audit_search(e.ctx, a, "test"), EVERYONE),
    Case("people.record_view", lambda e, a: people.record_view(e.ctx, a, e.person_id), EVERYONE),
    Case(
        "people.reveal_cpr",
        lambda e, a: people.reveal_cpr(e.ctx, a, e.person_id, "blanket"),
        frozenset({"rec.1", "cbu.vejl.1", "it.admin"}),
    ),
    Case(
        "people.register_person",
        lambda e, a: people.register_person(e.ctx, a, people.PersonIn(CPR, "Test Prøvesen")),
        DESK | ADMIN,
    ),
    Case(
        "intake.record_intake",
        lambda e, a: intake.record_intake(
            e.ctx, a, e.person_id, Facts(cpr=CPR, on=dt.date(2026, 3, 2), situation="ingen")
        ),
        DESK,
    ),
    Case("intake.override_decision", _decision, DESK),
    Case("booking.propose", lambda e, a: booking.propose(e.ctx, a, e.intake_id), DESK),
    Case("booking.book", lambda e, a: booking.book(e.ctx, a, e.intake_id, e.slot), DESK),
    Case(
        "auth.change_password",
        lambda e, a: auth.change_password(e.ctx, a, "forkert-gammel", "helt-ny-kode-1"),
        EVERYONE,  # one's own password
    ),
    Case(
        "auth.set_password",
        lambda e, a: auth.set_password(e.ctx, a, "rec.2", "ny-kode-til-rec2"),
        ADMIN,
    ),
    Case(
        "staff.add_staff",
        lambda e, a: staff.add_staff(e.ctx, a, login="ny.test", name="Ny Test", role="LEADER"),
        ADMIN,
    ),
    Case("staff.disable_staff", lambda e, a: staff.disable_staff(e.ctx, a, "rec.2"), ADMIN),
    Case(
        "audit_query.person_events",
        lambda e, a: audit_query.person_events(e.ctx, a, CPR, "indsigt"),
        ADMIN,
    ),
    Case("retention.candidates", lambda e, a: retention.candidates(e.ctx, a), ADMIN),
    Case("retention.apply", lambda e, a: retention.apply(e.ctx, a), ADMIN),
    Case(
        "backup.backup",
        lambda e, a: backup.backup(e.ctx, a, e.tmp / f"b-{a.login}.db"),
        ADMIN,
    ),
]

# (ctx, actor, ...) functions that need no row, with the reason.
EXEMPT: dict[str, str] = {}


@pytest.fixture
def env(ctx, actor_for, tmp_path: Path) -> Env:  # type: ignore[no-untyped-def]
    from ungehus_tui.domain import clock

    clock.set_now(dt.datetime(2026, 3, 2, 10, 0))
    rec = actor_for("rec.1")
    person, _ = people.register_person(ctx, rec, people.PersonIn(CPR, "Test Prøvesen"))
    assert person.id is not None
    the_intake, decision = intake.record_intake(
        ctx, rec, person.id, Facts(cpr=CPR, on=dt.date(2026, 3, 2), situation="ingen")
    )
    assert the_intake.id is not None
    proposal = booking.propose(ctx, rec, the_intake.id)
    holder = actor_for("cbu.vejl.1")
    with write_session(ctx.engine) as s:
        s.add(
            Assignment(
                person_id=person.id,
                staff_id=holder.id,
                center_code="CBU",
                kind="HOLDER",
                holds=True,
                created_by=rec.id,
            )
        )
        p = s.get(YoungPerson, person.id)
        assert p is not None
        p.case_open = True
        s.add(p)
    return Env(
        ctx=ctx,
        person_id=person.id,
        tmp=tmp_path,
        decision_id=decision.id,
        intake_id=the_intake.id,
        slot=proposal.slots[0],
    )


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_role_matrix(case: Case, env: Env, actor_for) -> None:  # type: ignore[no-untyped-def]
    for login in LOGINS:
        actor = actor_for(login)
        try:
            case.call(env, actor)
        except PermissionDenied:
            assert login not in case.allowed, f"{case.name}: {login} was denied"
        except ServiceError:
            assert login in case.allowed, f"{case.name}: {login} got past the gate"
        else:
            assert login in case.allowed, f"{case.name}: {login} was allowed"


def _service_functions() -> set[str]:
    found: set[str] = set()
    for info in pkgutil.iter_modules(services_pkg.__path__):
        module = importlib.import_module(f"ungehus_tui.services.{info.name}")
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ != module.__name__ or name.startswith("_"):
                continue
            params = list(inspect.signature(fn).parameters)
            if params[:2] == ["ctx", "actor"]:
                found.add(f"{info.name}.{name}")
    return found


def test_every_service_function_is_in_the_table() -> None:
    missing = _service_functions() - {c.name for c in CASES} - set(EXEMPT)
    assert missing == set(), f"add rows to CASES for: {sorted(missing)}"
