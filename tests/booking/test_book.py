"""book(): one transaction with meeting, participants, case and audit; .ics and texts after."""

from __future__ import annotations

import dataclasses
import datetime as dt
import stat

import pytest
from icalendar import Calendar
from sqlmodel import select

from ungehus_tui.data.engine import read_session
from ungehus_tui.data.models import (
    Assignment,
    AuditEvent,
    Meeting,
    MeetingParticipant,
    YoungPerson,
)
from ungehus_tui.domain import clock
from ungehus_tui.services.desk import booking
from ungehus_tui.services.errors import Conflict, ServiceError, ValidationFailed


def _person(ctx, person_id: int) -> YoungPerson:  # type: ignore[no-untyped-def]
    with read_session(ctx.engine) as s:
        person = s.get(YoungPerson, person_id)
        assert person is not None
        return person


def test_book_a_team_meeting(ctx, reception, make_intake, ids) -> None:
    intake = make_intake(17, social_case=True)  # CBU (lead) + CAI, guardian
    p = booking.propose(ctx, reception, intake)
    slot = p.slots[0]
    b = booking.book(ctx, reception, intake, slot)
    person_id = ids.person(intake)
    with read_session(ctx.engine) as s:
        meeting = s.get(Meeting, b.meeting_id)
        assert meeting is not None
        assert (meeting.kind, meeting.is_first, meeting.status) == ("TEAM_MEETING", True, "BOOKED")
        assert clock.local(meeting.start) == slot.start and meeting.leader_id == slot.staff[0].id
        parts = s.exec(
            select(MeetingParticipant).where(MeetingParticipant.meeting_id == b.meeting_id)
        ).all()
        assert sorted(p.kind for p in parts) == ["GUARDIAN", "STAFF", "STAFF", "YOUNG_PERSON"]
        holder = s.exec(
            select(Assignment).where(Assignment.person_id == person_id, Assignment.holds)
        ).one()
        assert (holder.staff_id, holder.kind, holder.center_code) == (
            slot.staff[0].id,
            "COORDINATOR",
            "CBU",
        )
        actions = [e.action for e in s.exec(select(AuditEvent).order_by(AuditEvent.id)).all()]
        assert actions[-2:] == ["ASSIGN", "BOOK"]
    assert _person(ctx, person_id).case_open
    assert b.room_name == slot.room_name and len(b.participants) == 4
    assert "Tid: mandag den 2. marts 2026 kl. 08.30-09.30" in b.confirmation_da
    assert "Samtalerum 3" in b.confirmation_da and "Medbring" in b.confirmation_da
    assert slot.staff[1].name in b.confirmation_da


def test_ics_files_and_texts_hold_no_cpr(ctx, reception, make_intake, ids) -> None:
    intake = make_intake(16)
    slot = booking.propose(ctx, reception, intake).slots[0]
    b = booking.book(ctx, reception, intake, slot)
    cpr = _person(ctx, ids.person(intake)).cpr
    folder = ctx.settings.ics_folder
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert len(b.ics_files) == 3  # counsellor, young person, guardian
    uids = set()
    for path in b.ics_files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        raw = path.read_bytes()
        text = raw.decode()
        assert cpr not in text and f"{cpr[:6]}-{cpr[6:]}" not in text and cpr[6:] not in text
        event = Calendar.from_ical(raw).walk("VEVENT")[0]
        assert event["dtstart"].params["TZID"] == "Europe/Copenhagen"
        assert event.decoded("dtstart") == slot.start and event.decoded("dtend") == slot.end
        assert str(event["location"]).startswith(slot.room_name)
        assert str(event["organizer"]) == "mailto:ungehuset@eksempel.dk"
        assert "VTIMEZONE" in text
        uids.add(str(event["uid"]))
    assert len(uids) == 3 and all(f"moede-{b.meeting_id}-" in u for u in uids)
    assert cpr not in b.confirmation_da and cpr[6:] not in b.summary_da
    assert f"CPR {cpr[:6]}-XXXX" in b.summary_da


def test_slot_taken_meanwhile_is_a_conflict(ctx, reception, make_intake) -> None:
    first, second = make_intake(20), make_intake(21)
    slot_for_second = booking.propose(ctx, reception, second).slots[0]
    booking.book(ctx, reception, first, booking.propose(ctx, reception, first).slots[0])
    with pytest.raises(Conflict, match="Tiden er lige blevet optaget – vælg en anden"):
        booking.book(ctx, reception, second, slot_for_second)
    later = booking.propose(ctx, reception, first).slots[0]
    with pytest.raises(Conflict, match="allerede booket"):
        booking.book(ctx, reception, first, later)


def test_coordinator_and_leader_chosen_by_the_desk(ctx, reception, make_intake, ids) -> None:
    intake = make_intake(16, social_case=True)
    slot = booking.propose(ctx, reception, intake).slots[0]
    cai = slot.staff[1]
    with pytest.raises(ValidationFailed):
        booking.book(ctx, reception, intake, slot, leader_id=ids.staff("rec.2"))
    b = booking.book(ctx, reception, intake, slot, coordinator_id=cai.id)
    with read_session(ctx.engine) as s:
        holder = s.exec(
            select(Assignment).where(Assignment.person_id == ids.person(intake), Assignment.holds)
        ).one()
        meeting = s.get(Meeting, b.meeting_id)
        assert meeting is not None
    assert (holder.staff_id, holder.kind) == (cai.id, "COORDINATOR")
    assert meeting.leader_id == cai.id  # the leader follows the coordinator


def test_past_and_off_hours_slots_are_refused(ctx, reception, make_intake) -> None:
    intake = make_intake(20)
    slot = booking.propose(ctx, reception, intake).slots[0]
    evening = dataclasses.replace(
        slot,
        start=slot.start + dt.timedelta(hours=10),
        end=slot.end + dt.timedelta(hours=10),
    )
    with pytest.raises(ServiceError, match="åbningstiden"):
        booking.book(ctx, reception, intake, evening)
    clock.set_now(slot.start + dt.timedelta(minutes=1))
    with pytest.raises(ServiceError, match="passeret"):
        booking.book(ctx, reception, intake, slot)
    with read_session(ctx.engine) as s:
        assert s.exec(select(Meeting)).all() == []


def _waiting(ctx, reception) -> list[int | None]:  # type: ignore[no-untyped-def]
    from ungehus_tui.services.desk import arrivals

    return [w.person_id for w in arrivals.waiting_list(ctx, reception)]


def test_book_serves_the_open_arrival_in_its_transaction(ctx, reception, make_intake, ids):  # type: ignore[no-untyped-def]
    """The desk books for the young person in front of it: their arrival leaves the waiting
    list with the booking, audited (it was a second call from the booking screen)."""
    from ungehus_tui.services.desk import arrivals

    intake = make_intake(20)
    person_id = ids.person(intake)
    arrivals.record_arrival(ctx, reception, person_id, "NEW")
    assert _waiting(ctx, reception) == [person_id]
    slot = booking.propose(ctx, reception, intake).slots[0]
    b = booking.book(ctx, reception, intake, slot, serve_arrival=True)
    assert _waiting(ctx, reception) == []
    with read_session(ctx.engine) as s:
        events = s.exec(select(AuditEvent).order_by(AuditEvent.id)).all()
        assert [e.action for e in events][-2:] == ["BOOK", "ARRIVAL_SERVED"]
        assert events[-1].person_id == person_id
    assert b.meeting_id


def test_a_failed_booking_leaves_the_arrival_waiting(ctx, reception, make_intake, ids):  # type: ignore[no-untyped-def]
    from ungehus_tui.services.desk import arrivals

    first, second = make_intake(20), make_intake(21)
    arrivals.record_arrival(ctx, reception, ids.person(second), "NEW")
    slot_for_second = booking.propose(ctx, reception, second).slots[0]
    booking.book(ctx, reception, first, booking.propose(ctx, reception, first).slots[0])
    with pytest.raises(Conflict):
        booking.book(ctx, reception, second, slot_for_second, serve_arrival=True)
    assert _waiting(ctx, reception) == [ids.person(second)]


def test_book_without_serve_arrival_leaves_the_waiting_list_alone(ctx, reception, make_intake, ids):  # type: ignore[no-untyped-def]
    from ungehus_tui.services.desk import arrivals

    intake = make_intake(20)
    arrivals.record_arrival(ctx, reception, ids.person(intake), "NEW")
    booking.book(ctx, reception, intake, booking.propose(ctx, reception, intake).slots[0])
    assert _waiting(ctx, reception) == [ids.person(intake)]
