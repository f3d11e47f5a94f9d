"""Every service function that acts for a staff member, called as every role.

Table-driven: one `Case` per service function with the logins that may call it. A call is
"allowed" when it does not raise PermissionDenied (it may still fail validation: the gate is
what is tested). Logins: rec.1 (RECEPTION), cbu.vejl.1 (COUNSELLOR holding the young
person), cai.besk.1 (COUNSELLOR outside the team), cbu.leder (LEADER of the holder's
center), cai.leder (LEADER of another center), it.admin (ADMIN).
`test_every_service_function_is_in_the_table` fails when a new `(ctx, actor, ...)` service
function lands without a row here: add one (casework rows live in test_role_matrix_cases.py).
The logins run in that order against one `env`, so a row whose call changes state (answers an
offer, serves an arrival) sets up a fresh object per login. A row with `known_bug` is a strict
xfail: the service disagrees with MATRIX, and the row turns red once the service is fixed.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil
from pathlib import Path
from typing import Any

import pytest

import ungehus_tui.services as services_pkg
from tests.security.test_role_matrix_cases import (
    ADMIN,
    CASE_READ,
    CASEWORK,
    CPR,
    DESK,
    DESK_ROW,
    EVERYONE,
    LEADERS,
    LOGINS,
    RECEPTION,
    Case,
    Env,
)
from ungehus_tui.data.engine import write_session
from ungehus_tui.data.models import Assignment, YoungPerson
from ungehus_tui.domain.triage import Facts
from ungehus_tui.services.access import audit_query, auth, staff
from ungehus_tui.services.casework import consents
from ungehus_tui.services.dataio import backup, export, importer, report, retention
from ungehus_tui.services.desk import arrivals, booking, intake, people, triage_view
from ungehus_tui.services.desk import walk_in as desk
from ungehus_tui.services.errors import PermissionDenied, ServiceError


def _decision(env: Env, actor: Any) -> object:
    return intake.override_decision(
        env.ctx, actor, env.decision_id or 0, lead_center="CAI", reason="test", centers=["CAI"]
    )


ANSWERS = desk.Answers(situation="ingen")


def _arrival_id(env: Env) -> int:
    """A fresh open arrival (recorded by the desk) for each login: serving one is one-off."""
    row = arrivals.record_arrival(env.ctx, env.rec, env.person_id, "QUESTION")
    assert row.id is not None
    return row.id


def _serve_person(env: Env, actor: Any) -> object:
    _arrival_id(env)
    return arrivals.serve_person(env.ctx, actor, env.person_id)


def _consent_id(env: Env) -> int:
    consent = consents.give_consent(env.ctx, env.rec, env.person_id, "CBU", "test")
    assert consent.id is not None
    return consent.id


def _nobody_waiting(env: Env) -> None:
    """Serve the young person's open arrival, so that the next call starts from a quiet desk
    (and does not pass only because an earlier login left an arrival behind)."""
    with write_session(env.ctx.engine) as s:
        row = arrivals.open_arrival_in(s, env.person_id)
        if row is not None and row.id is not None:
            arrivals.mark_served_in(s, env.rec, row.id)


def _walk_in(env: Env, actor: Any) -> object:
    _nobody_waiting(env)
    return desk.register_walk_in(
        env.ctx, actor, people.PersonInput(CPR, "Test Prøvesen"), ANSWERS, allow_similar=True
    )


def _new_intake(env: Env, actor: Any) -> object:
    _nobody_waiting(env)
    return desk.new_intake(env.ctx, actor, env.person_id, ANSWERS)


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
        lambda e, a: people.register_person(e.ctx, a, people.PersonInput(CPR, "Test Prøvesen")),
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
    Case("retention.audit_prune_plan", lambda e, a: retention.audit_prune_plan(e.ctx, a), ADMIN),
    Case("retention.prune_audit", lambda e, a: retention.prune_audit(e.ctx, a), ADMIN),
    Case(
        "backup.backup",
        lambda e, a: backup.backup(e.ctx, a, e.tmp / f"b-{a.login}.db"),
        ADMIN,
    ),
    # the desk
    Case("desk.find_cpr", lambda e, a: desk.find_cpr(e.ctx, a, CPR), EVERYONE),
    Case(
        "desk.similar",
        lambda e, a: desk.similar(e.ctx, a, "Test Prøvesen", dt.date(2002, 7, 6)),
        EVERYONE,
    ),
    Case(
        "desk.person_card",
        lambda e, a: desk.person_card(e.ctx, a, e.person_id),
        DESK_ROW | CASE_READ | ADMIN,  # not cai.besk.1 / cai.leder: not theirs
    ),
    Case("desk.register_walk_in", _walk_in, DESK),
    Case("desk.new_intake", _new_intake, DESK_ROW),
    Case("desk.preview", lambda e, a: desk.preview(e.ctx, a, e.person_id, ANSWERS), DESK_ROW),
    Case(
        "triage_view.triage_detail",
        lambda e, a: triage_view.triage_detail(e.ctx, a, e.intake_id),
        DESK_ROW,
    ),
    Case(
        "arrivals.record_arrival",
        lambda e, a: arrivals.record_arrival(e.ctx, a, e.person_id, "QUESTION"),
        RECEPTION,
    ),
    Case(
        "arrivals.mark_served",
        lambda e, a: arrivals.mark_served(e.ctx, a, _arrival_id(e)),
        RECEPTION,
    ),
    Case("arrivals.serve_person", _serve_person, RECEPTION),
    Case("arrivals.waiting_list", lambda e, a: arrivals.waiting_list(e.ctx, a), RECEPTION),
    Case(
        "consents.give_consent",
        lambda e, a: consents.give_consent(e.ctx, a, e.person_id, "CBU", "test"),
        DESK_ROW,
    ),
    Case(
        "consents.withdraw_consent",
        lambda e, a: consents.withdraw_consent(e.ctx, a, _consent_id(e)),
        DESK_ROW,
    ),
    *CASEWORK,
    # leaders and IT
    Case(
        "report.steering_report",
        lambda e, a: report.steering_report(e.ctx, a, report.Quarter(2026, 1)),
        LEADERS | ADMIN,
    ),
    Case(
        "export.run_export",
        lambda e, a: export.run_export(e.ctx, a, e.tmp / f"export-{a.login}"),
        ADMIN,
    ),
    Case(
        "importer.import_list",
        lambda e, a: importer.import_list(e.ctx, a, f"cpr;name\n{CPR};Test Prøvesen\n".encode()),
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
    person, _ = people.register_person(ctx, rec, people.PersonInput(CPR, "Test Prøvesen"))
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
        rec=rec,
        holder=holder,
        outsider=actor_for("cai.besk.1"),
    )


def _params() -> list[Any]:
    return [
        pytest.param(
            c,
            id=c.name,
            marks=[pytest.mark.xfail(strict=True, reason=c.known_bug)] if c.known_bug else [],
        )
        for c in CASES
    ]


@pytest.mark.parametrize("case", _params())
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
