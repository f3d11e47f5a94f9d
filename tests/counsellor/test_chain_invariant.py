"""The no-holder invariant under random sequences of handover operations and birthdays.

A hypothesis RuleBasedStateMachine drives offers, accepts, rejects, withdrawals, outside
acknowledgements, strangers meddling and the clock moving forward (turning 18 creates offers);
after every step: an open case has exactly one holder, a closed case no staff holder, and a
young person with a pending offer is still held by its sender.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from sqlmodel import select

from tests.counsellor.conftest import FROZEN, new_case
from ungehus_tui.data.engine import read_session
from ungehus_tui.data.models import Handover, YoungPerson
from ungehus_tui.domain import clock
from ungehus_tui.services.casework import handover_watch as watch
from ungehus_tui.services.casework import handovers as ho
from ungehus_tui.services.casework.assignments import active_assignments
from ungehus_tui.services.context import Actor, Ctx, actor_by_login
from ungehus_tui.services.errors import ServiceError
from ungehus_tui.settings import load_settings
from ungehus_tui.store import init_store, open_store

LOGINS = ("cbu.bfr.1", "cbu.bfr.2", "cbu.vejl.1", "cai.vejl.1", "cai.vejl.2", "cai.besk.1")
PEOPLE = 3


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("chain")
    path = folder / "template.db"
    clock.set_now(FROZEN)
    ctx, _ = init_store(load_settings(db=str(path), data_dir=folder))
    soon_18 = FROZEN.date().replace(year=FROZEN.year - 18) + dt.timedelta(days=3)
    new_case(ctx, "cbu.bfr.1", birth=soon_18)
    new_case(ctx, "cai.vejl.1", team=["cbu.bfr.2"])
    new_case(ctx, "cbu.vejl.1", age=16)
    ctx.engine.dispose()
    clock.set_now(None)
    return path


@pytest.mark.sqlite_only
def test_no_young_person_is_ever_left_without_exactly_one_holder(
    template: Path, tmp_path: Path
) -> None:
    counter = iter(range(10_000))

    class Chain(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            clock.set_now(FROZEN)
            db = tmp_path / f"run{next(counter)}.db"
            shutil.copy(template, db)
            self.ctx: Ctx = open_store(load_settings(db=str(db), data_dir=tmp_path))
            with read_session(self.ctx.engine) as s:
                self.staff = {login: actor_by_login(s, login) for login in LOGINS}
                self.people = list(s.exec(select(YoungPerson.id).order_by(YoungPerson.id)))
            self.by_id = {a.id: a for a in self.staff.values()}

        def teardown(self) -> None:
            self.ctx.engine.dispose()

        def _holder(self, person: int) -> Actor | None:
            with read_session(self.ctx.engine) as s:
                held = [a.staff_id for a in active_assignments(s, person) if a.holds]
            return self.by_id.get(held[0]) if held and held[0] else None

        def _pending(self, person: int) -> Handover | None:
            with read_session(self.ctx.engine) as s:
                return s.exec(
                    select(Handover).where(
                        Handover.person_id == person, Handover.status == "OFFERED"
                    )
                ).one_or_none()

        def _try(self, fn, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
            try:
                fn(self.ctx, *args, **kwargs)
            except ServiceError:
                pass  # a refusal is fine; the invariants below say nothing changed wrongly

        @rule(p=st.integers(0, PEOPLE - 1), to=st.sampled_from(LOGINS))
        def offer_colleague(self, p: int, to: str) -> None:
            person = self.people[p]
            holder = self._holder(person) or self.staff[to]
            self._try(
                ho.offer_handover, holder, person, kind="COLLEAGUE", to_staff_id=self.staff[to].id
            )

        @rule(
            p=st.integers(0, PEOPLE - 1),
            kind=st.sampled_from(("EXTERNAL", "EDUCATION_START", "JOB_START")),
        )
        def offer_outside(self, p: int, kind: str) -> None:
            person = self.people[p]
            holder = self._holder(person) or self.staff["cai.vejl.1"]
            self._try(
                ho.offer_handover,
                holder,
                person,
                kind=kind,
                to_external="FGU Demo",
                to_external_contact="Demo Vejleder",
            )

        @rule(p=st.integers(0, PEOPLE - 1))
        def accept(self, p: int) -> None:
            h = self._pending(self.people[p])
            if h is not None and h.to_staff_id:
                self._try(ho.accept_handover, self.by_id[h.to_staff_id], h.id)

        @rule(p=st.integers(0, PEOPLE - 1), reason=st.sampled_from(("", "Ingen tid")))
        def reject(self, p: int, reason: str) -> None:
            h = self._pending(self.people[p])
            if h is not None:
                who = h.to_staff_id or h.from_staff_id
                self._try(ho.reject_handover, self.by_id[who], h.id, reason)

        @rule(p=st.integers(0, PEOPLE - 1))
        def withdraw(self, p: int) -> None:
            h = self._pending(self.people[p])
            if h is not None and h.from_staff_id:
                self._try(ho.withdraw_handover, self.by_id[h.from_staff_id], h.id)

        @rule(p=st.integers(0, PEOPLE - 1))
        def acknowledge(self, p: int) -> None:
            h = self._pending(self.people[p])
            if h is not None and h.from_staff_id:
                self._try(
                    ho.acknowledge_external,
                    self.by_id[h.from_staff_id],
                    h.id,
                    acknowledged_by="Demo Vejleder",
                )

        @rule(
            p=st.integers(0, PEOPLE - 1),
            who=st.sampled_from(LOGINS),
            op=st.sampled_from(("accept", "withdraw", "acknowledge")),
        )
        def stranger_meddles(self, p: int, who: str, op: str) -> None:
            h = self._pending(self.people[p])
            if h is None:
                return
            actor = self.staff[who]
            if op == "accept":
                self._try(ho.accept_handover, actor, h.id)
            elif op == "withdraw":
                self._try(ho.withdraw_handover, actor, h.id)
            else:
                self._try(ho.acknowledge_external, actor, h.id, acknowledged_by="X")

        @rule(days=st.integers(1, 4))
        def birthday(self, days: int) -> None:
            clock.set_now(clock.now() + dt.timedelta(days=days))
            watch.turning_18_handovers(self.ctx, None)

        @invariant()
        def exactly_one_holder(self) -> None:
            with read_session(self.ctx.engine) as s:
                for person in self.people:
                    row = s.get(YoungPerson, person)
                    assert row is not None
                    held = [a for a in active_assignments(s, person) if a.holds]
                    if row.case_open:
                        assert len(held) == 1 and held[0].staff_id is not None
                    else:
                        assert all(a.staff_id is None for a in held)
                    pending = s.exec(
                        select(Handover).where(
                            Handover.person_id == person, Handover.status == "OFFERED"
                        )
                    ).all()
                    assert len(pending) <= 1
                    if pending:
                        assert row.case_open and held[0].staff_id == pending[0].from_staff_id

    run_state_machine_as_test(
        Chain,
        settings=settings(
            max_examples=8,
            stateful_step_count=14,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        ),
    )
