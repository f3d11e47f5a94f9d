"""propose(): the earliest slots that fit the triage decision, the calendar and the rooms."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import select

from ungehus_tui.data.engine import write_session
from ungehus_tui.data.models import ClosedDay, Room
from ungehus_tui.domain import clock
from ungehus_tui.services.context import Ctx
from ungehus_tui.services.desk import booking
from ungehus_tui.services.desk.intake import current_decision, override_decision
from ungehus_tui.services.errors import PermissionDenied, ServiceError

MON = dt.date(2026, 3, 2)


def at(day: dt.date, h: int, m: int = 0) -> dt.datetime:
    return clock.combine(day, dt.time(h, m))


def test_first_conversation_for_a_20_year_old(ctx, reception, make_intake) -> None:
    intake = make_intake(20)  # R6: CAI education counsellor, one center
    p = booking.propose(ctx, reception, intake)
    assert (p.kind, p.minutes, p.deadline, p.message) == ("FIRST_CONVERSATION", 45, None, None)
    first = p.slots[0]
    assert (first.start, first.end) == (at(MON, 8, 30), at(MON, 9, 15))
    assert first.room_name == "Samtalerum 1"  # smallest room for 2 people
    assert [(s.center, s.contact_role) for s in first.staff] == [("CAI", "UDDANNELSESVEJLEDER")]
    assert p.coordinator is None and p.leader == first.staff[0]
    assert len(p.slots) == 12 and all(s.start.tzinfo is not None for s in p.slots)


def test_team_meeting_for_a_16_year_old_with_guardian(ctx, reception, make_intake) -> None:
    intake = make_intake(16, social_case=True)  # R1 CBU + R3 CAI -> team, CBU leads (L1)
    p = booking.propose(ctx, reception, intake)
    assert (p.kind, p.minutes) == ("TEAM_MEETING", 60)
    assert p.deadline == dt.date(2026, 3, 9)  # 5 working days after Monday 2 March
    first = p.slots[0]
    assert [s.center for s in first.staff] == ["CBU", "CAI"]
    assert first.staff[0].contact_role == "BOERNE_FAMILIERAADGIVER"
    assert first.room_name == "Samtalerum 3"  # 2 staff + young person + guardian = 4 seats
    assert p.coordinator == first.staff[0] and p.leader == p.coordinator


def test_skips_past_weekends_holidays_closed_days_and_hours(ctx, reception, make_intake) -> None:
    intake = make_intake(22)
    with write_session(ctx.engine) as s:
        s.add(ClosedDay(day=dt.date(2026, 4, 7), reason="Personaledag"))
    clock.set_now(dt.datetime(2026, 4, 1, 14, 10))  # Wednesday before Easter
    p = booking.propose(ctx, reception, intake, limit=20)
    starts = [s.start for s in p.slots]
    assert starts[0] == at(dt.date(2026, 4, 1), 14, 30)  # not in the past, ends by 15:30
    assert starts[1] == at(dt.date(2026, 4, 8), 8, 30)  # Easter, weekend, closed day skipped
    for slot in p.slots:
        assert slot.start.time() >= dt.time(8, 30) and slot.end.time() <= dt.time(15, 30)
        assert (slot.start.minute - 30) % 30 == 0


def test_from_day_jumps_to_a_date(ctx, reception, make_intake) -> None:
    p = booking.propose(ctx, reception, make_intake(22), from_day=dt.date(2026, 3, 6))
    assert p.slots[0].start == at(dt.date(2026, 3, 6), 8, 30)  # Friday
    assert all(s.start.date() >= dt.date(2026, 3, 6) for s in p.slots)


def test_fewest_upcoming_meetings_wins_and_colleague_fills_in(
    ctx, reception, make_intake, ids, block
) -> None:
    ekko, foxtrot = ids.staff("cai.vejl.1"), ids.staff("cai.vejl.2")
    room = ids.room("Mødelokale Storebælt")
    for day in (10, 11):  # Ekko has two upcoming meetings, Foxtrot none
        block(
            at(dt.date(2026, 3, day), 9),
            at(dt.date(2026, 3, day), 10),
            room_id=room,
            staff_ids=(ekko,),
        )
    p = booking.propose(ctx, reception, make_intake(20))
    assert p.slots[0].staff[0].id == foxtrot
    block(at(MON, 8, 30), at(MON, 9, 30), room_id=room, staff_ids=(foxtrot,))
    p = booking.propose(ctx, reception, make_intake(21))
    assert [s.staff[0].id for s in p.slots[:4]] == [ekko, ekko, foxtrot, foxtrot]


def test_room_seats(ctx, reception, make_intake, ids, block) -> None:
    intake = make_intake(16, social_case=True)  # needs 4 seats
    block(at(MON, 8), at(MON, 17), room_id=ids.room("Samtalerum 3"))
    p = booking.propose(ctx, reception, intake)
    assert p.slots[0].room_name == "Mødelokale Trelleborg"  # 6 seats; never a 3-seat room
    with write_session(ctx.engine) as s:
        for room in s.exec(select(Room)).all():
            room.seats = 3
            s.add(room)
    p = booking.propose(ctx, reception, intake)
    assert p.slots == () and p.message == "Intet lokale har plads til 4 personer"


def test_deadline_message_when_the_next_5_working_days_are_full(
    ctx, reception, make_intake, ids, block
) -> None:
    intake = make_intake(16)  # R3 only: CAI first conversation, duty of education
    day = MON
    while day <= dt.date(2026, 3, 9):
        for room in ids.rooms():
            block(at(day, 8), at(day, 17), room_id=room)
        day += dt.timedelta(days=1)
    p = booking.propose(ctx, reception, intake)
    assert p.deadline == dt.date(2026, 3, 9)
    assert p.slots[0].start == at(dt.date(2026, 3, 10), 8, 30)  # still offered
    assert p.message is not None and "kan ikke overholdes" in p.message
    assert "mandag den 9. marts 2026" in p.message


def test_nothing_fits_within_the_horizon(ctx, reception, make_intake, ids, block) -> None:
    short = Ctx(ctx.engine, ctx.settings.model_copy(update={"booking_horizon_days": 2}))
    intake = make_intake(22)
    for day in (MON, MON + dt.timedelta(days=1), MON + dt.timedelta(days=2)):
        for room in ids.rooms():
            block(at(day, 8), at(day, 17), room_id=room)
    p = booking.propose(short, reception, intake)
    assert p.slots == ()
    assert p.message is not None and p.message.startswith("Der er ingen ledig tid de næste 2 dage")


def test_ineligible_decision_cannot_be_booked(ctx, reception, make_intake, actor_for) -> None:
    intake = make_intake(20)
    from ungehus_tui.data.engine import read_session

    with read_session(ctx.engine) as s:
        decision_id = current_decision(s, intake).id
    assert decision_id is not None
    override_decision(
        ctx, reception, decision_id, lead_center=None, reason="Ikke Ungehusets", contacts=[]
    )
    with pytest.raises(ServiceError, match="kan ikke bookes"):
        booking.propose(ctx, reception, intake)


def test_a_leader_cannot_book(ctx, make_intake, actor_for) -> None:
    leader = actor_for("cbu.leder")
    intake = make_intake(20)
    with pytest.raises(PermissionDenied):
        booking.propose(ctx, leader, intake)
    slot = booking.propose(ctx, actor_for("rec.1"), intake).slots[0]
    with pytest.raises(PermissionDenied):
        booking.book(ctx, leader, intake, slot)
