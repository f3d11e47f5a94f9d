from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import select

from tests.counsellor.conftest import holders
from ungehus_tui.data.engine import read_session
from ungehus_tui.data.models import Assignment, Handover, Task, YoungPerson
from ungehus_tui.domain import clock
from ungehus_tui.services.casework import handover_watch as watch
from ungehus_tui.services.casework import handovers as ho
from ungehus_tui.services.casework.assignments import active_assignments
from ungehus_tui.services.casework.outcomes import ContactPersonInput, appoint_contact_person
from ungehus_tui.services.errors import Conflict, PermissionDenied, ValidationFailed


def test_colleague_offer_keeps_sender_holding_until_accepted(ctx, actor_for, make_case):
    a, b = actor_for("cai.vejl.1"), actor_for("cai.vejl.2")
    case = make_case("cai.vejl.1")
    h = ho.offer_handover(
        ctx, a, case.person_id, kind="COLLEAGUE", to_staff_id=b.id, reason="Fordeling"
    )
    assert h.status == "OFFERED"
    assert holders(ctx, case.person_id) == [a.id]
    ho.accept_handover(ctx, b, h.id)
    assert holders(ctx, case.person_id) == [b.id]
    with read_session(ctx.engine) as s:
        mine = [x for x in active_assignments(s, case.person_id) if x.staff_id == a.id]
    assert mine == []  # the sender's holding assignment ended


def test_coordinator_role_passes_with_the_hold(ctx, actor_for, make_case):
    case = make_case("cbu.bfr.1", team=["cai.vejl.1"], age=16)
    a, b = actor_for("cbu.bfr.1"), actor_for("cbu.bfr.2")
    h = ho.offer_handover(ctx, a, case.person_id, kind="COLLEAGUE", to_staff_id=b.id)
    ho.accept_handover(ctx, b, h.id)
    with read_session(ctx.engine) as s:
        held = [x for x in active_assignments(s, case.person_id) if x.holds]
    assert [(x.staff_id, x.kind) for x in held] == [(b.id, "COORDINATOR")]


def test_reject_needs_reason_and_sender_keeps_holding(ctx, actor_for, make_case):
    a, b = actor_for("cai.vejl.1"), actor_for("cai.vejl.2")
    case = make_case("cai.vejl.1")
    h = ho.offer_handover(ctx, a, case.person_id, kind="COLLEAGUE", to_staff_id=b.id)
    with pytest.raises(ValidationFailed) as err:
        ho.reject_handover(ctx, b, h.id, "  ")
    assert "begrundelse" in err.value.message
    with pytest.raises(PermissionDenied):
        ho.reject_handover(ctx, a, h.id, "nej")
    ho.reject_handover(ctx, b, h.id, "Fuld kalender")
    assert holders(ctx, case.person_id) == [a.id]
    with pytest.raises(Conflict):
        ho.accept_handover(ctx, b, h.id)


def test_only_holder_offers_one_at_a_time(ctx, actor_for, make_case):
    a, b, c = actor_for("cai.vejl.1"), actor_for("cai.vejl.2"), actor_for("cai.besk.1")
    case = make_case("cai.vejl.1", team=["cbu.bfr.1"])
    with pytest.raises(PermissionDenied):
        ho.offer_handover(
            ctx, actor_for("cbu.bfr.1"), case.person_id, kind="COLLEAGUE", to_staff_id=b.id
        )
    with pytest.raises(ValidationFailed):
        ho.offer_handover(ctx, a, case.person_id, kind="COLLEAGUE", to_staff_id=a.id)
    ho.offer_handover(ctx, a, case.person_id, kind="COLLEAGUE", to_staff_id=b.id)
    with pytest.raises(Conflict):
        ho.offer_handover(ctx, a, case.person_id, kind="COLLEAGUE", to_staff_id=c.id)


def test_withdraw_by_sender_only(ctx, actor_for, make_case):
    a, b = actor_for("cai.vejl.1"), actor_for("cai.vejl.2")
    case = make_case("cai.vejl.1")
    h = ho.offer_handover(ctx, a, case.person_id, kind="COLLEAGUE", to_staff_id=b.id)
    with pytest.raises(PermissionDenied):
        ho.withdraw_handover(ctx, b, h.id)
    assert ho.withdraw_handover(ctx, a, h.id).status == "WITHDRAWN"
    assert holders(ctx, case.person_id) == [a.id]


def test_external_needs_contact_and_closes_only_on_acknowledgement(ctx, actor_for, make_case):
    a = actor_for("cai.vejl.1")
    case = make_case("cai.vejl.1")
    appoint_contact_person(
        ctx, a, case.person_id, ContactPersonInput(actor_for("cai.besk.1").id, "CAI")
    )
    with pytest.raises(ValidationFailed) as err:
        ho.offer_handover(ctx, a, case.person_id, kind="EDUCATION_START", to_external="FGU")
    assert "to_external_contact" in err.value.errors
    h = ho.offer_handover(
        ctx,
        a,
        case.person_id,
        kind="EDUCATION_START",
        to_external="FGU Vestsjælland",
        to_external_contact="Demo Studievejleder",
    )
    assert holders(ctx, case.person_id) == [a.id]
    with pytest.raises(PermissionDenied):  # nobody on staff accepts an outside offer
        ho.accept_handover(ctx, actor_for("cai.vejl.2"), h.id)
    ho.acknowledge_external(ctx, a, h.id, acknowledged_by="Demo Studievejleder")
    with read_session(ctx.engine) as s:
        person = s.get(YoungPerson, case.person_id)
        assert person is not None and not person.case_open
        active = active_assignments(s, case.person_id)
        assert [(x.staff_id, x.holds, x.external_actor) for x in active if x.holds] == [
            (None, True, "FGU Vestsjælland (kontakt: Demo Studievejleder)")
        ]
        cp = s.exec(
            select(Assignment).where(
                Assignment.person_id == case.person_id, Assignment.kind == "CONTACT_PERSON"
            )
        ).one()
        # The contact person goes on until an anchoring judgement is recorded (issue 13).
        assert cp.ended_at is None
        task = s.exec(select(Task).where(Task.person_id == case.person_id)).one()
        assert task.kind == "CONTACT_PERSON_END"
        assert task.staff_id == actor_for("cai.besk.1").id
        assert s.get(Handover, h.id).status == "ACCEPTED"  # type: ignore[union-attr]


def test_external_refusal_recorded_by_sender(ctx, actor_for, make_case):
    a = actor_for("cai.vejl.1")
    case = make_case("cai.vejl.1")
    h = ho.offer_handover(
        ctx,
        a,
        case.person_id,
        kind="JOB_START",
        to_external="Demo Tømrerfirma",
        to_external_contact="Mester Demo",
    )
    ho.reject_handover(ctx, a, h.id, "Ingen plads alligevel")
    assert holders(ctx, case.person_id) == [a.id]


def test_stale_watchdog_counts_working_days(ctx, actor_for, make_case):
    a, b = actor_for("cai.vejl.1"), actor_for("cai.vejl.2")
    case = make_case("cai.vejl.1")
    ho.offer_handover(ctx, a, case.person_id, kind="COLLEAGUE", to_staff_id=b.id)
    assert watch.stale_handovers(ctx, a) == []
    clock.set_now(dt.datetime(2026, 3, 17, 9, 0))  # 5 working days later
    stale = watch.stale_handovers(ctx, a)
    assert [(p.person_id, p.working_days) for p in stale] == [(case.person_id, 5)]
    assert watch.stale_handovers(ctx, b, working_days=6) == []


def test_turning_18_offers_cbu_to_cai_once(ctx, actor_for, make_case):
    clock.set_now(dt.datetime(2026, 3, 10, 10, 0))
    birth = dt.date(2008, 3, 12)  # 18 on Thursday
    case = make_case("cbu.bfr.1", birth=birth)
    assert watch.turning_18_handovers(ctx, None) == []
    clock.set_now(dt.datetime(2026, 3, 12, 8, 0))
    created = watch.turning_18_handovers(ctx, None)
    assert len(created) == 1
    assert watch.turning_18_handovers(ctx, None) == []  # idempotent
    with read_session(ctx.engine) as s:
        h = s.get(Handover, created[0])
        assert h is not None and h.kind == "TURNING_18"
        assert h.from_staff_id == actor_for("cbu.bfr.1").id
    receiver = [x for x in ("cai.vejl.1", "cai.vejl.2") if actor_for(x).id == h.to_staff_id]
    assert receiver  # no jobcenter case: an education counsellor in CAI
    assert holders(ctx, case.person_id) == [actor_for("cbu.bfr.1").id]
    ho.accept_handover(ctx, actor_for(receiver[0]), h.id)
    assert holders(ctx, case.person_id) == [actor_for(receiver[0]).id]
    assert watch.turning_18_handovers(ctx, None) == []  # held in CAI now


@pytest.mark.parametrize(
    ("flag", "center", "logins"),
    [
        ("early_pension", "CHP", ("chp.hpr.1", "chp.hpr.2")),
        ("specialised_needs", "CHP", ("chp.hpr.1", "chp.hpr.2")),
        ("jobcenter_case", "CAI", ("cai.besk.1", "cai.besk.2")),
    ],
)
def test_turning_18_offer_follows_the_latest_intake(
    ctx, actor_for, make_case, flag, center, logins
):
    # org. a: at 18 the responsibility goes to CAI, or to CHP for a young person on early
    # pension or with specialised needs.
    from sqlalchemy import update

    from ungehus_tui.data.engine import write_session
    from ungehus_tui.data.models import Intake

    clock.set_now(dt.datetime(2026, 3, 10, 10, 0))
    case = make_case("cbu.bfr.1", birth=dt.date(2008, 3, 12))
    with write_session(ctx.engine) as s:
        s.execute(update(Intake).where(Intake.person_id == case.person_id).values({flag: True}))
    clock.set_now(dt.datetime(2026, 3, 12, 8, 0))
    [created] = watch.turning_18_handovers(ctx, None)
    with read_session(ctx.engine) as s:
        h = s.get(Handover, created)
        assert h is not None and h.to_center_code == center
        assert f"fra CBU til {center}" in h.reason
    assert h.to_staff_id in {actor_for(x).id for x in logins}
