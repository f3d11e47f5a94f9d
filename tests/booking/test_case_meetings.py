"""Issue 13, 'Follow-up': a counsellor books any later meeting from the case (follow-up
conversation, follow-up team meeting) with the case's current team, the same slot search,
rooms, no double booking and .ics files; outcomes are recorded for every meeting."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import select

from ungehus_tui.data.engine import read_session
from ungehus_tui.data.models import Assignment, Meeting, MeetingParticipant
from ungehus_tui.domain import clock
from ungehus_tui.services.casework import outcomes, teams
from ungehus_tui.services.context import actor_by_login
from ungehus_tui.services.desk import booking
from ungehus_tui.services.errors import Conflict, PermissionDenied, ServiceError


def _actor(ctx, login: str):  # type: ignore[no-untyped-def]
    with read_session(ctx.engine) as s:
        return actor_by_login(s, login)


def _holder(ctx, person_id: int) -> int | None:  # type: ignore[no-untyped-def]
    with read_session(ctx.engine) as s:
        row = s.exec(
            select(Assignment).where(
                Assignment.person_id == person_id,
                Assignment.holds,
                Assignment.ended_at == None,  # noqa: E711
            )
        ).one()
        return row.staff_id


def test_follow_up_and_team_meeting_booked_from_the_case(ctx, reception, make_intake, ids) -> None:
    intake = make_intake(20)  # one center: a first conversation
    first = booking.propose(ctx, reception, intake)
    booked = booking.book(ctx, reception, intake, first.slots[0])
    person_id = ids.person(intake)
    holder_id = _holder(ctx, person_id)
    holder = next(
        _actor(ctx, login)
        for login in ("cai.vejl.1", "cai.vejl.2", "cai.besk.1", "cai.besk.2")
        if _actor(ctx, login).id == holder_id
    )
    clock.set_now(clock.local(first.slots[0].end).replace(tzinfo=None) + dt.timedelta(hours=1))
    outcomes.record_outcome(ctx, holder, booked.meeting_id, "HELD")

    # A follow-up conversation: the holder and the young person.
    p = booking.propose_for_case(ctx, holder, person_id, "FOLLOW_UP")
    assert p.slots and p.intake_id is None and p.kind == "FOLLOW_UP"
    assert {s.staff[0].id for s in p.slots} == {holder.id}
    follow = booking.book_for_case(ctx, holder, person_id, "FOLLOW_UP", p.slots[0])
    assert follow.ics_files and all(f.exists() for f in follow.ics_files)
    with pytest.raises(Conflict):  # no double booking: the holder and the person are taken
        booking.book_for_case(ctx, holder, person_id, "FOLLOW_UP", p.slots[0])

    # The case gains a center: a follow-up team meeting has both professionals.
    chp = _actor(ctx, "chp.hpr.2")
    teams.add_center(ctx, holder, person_id, "CHP", chp.id)
    t = booking.propose_for_case(ctx, holder, person_id, "TEAM_MEETING")
    assert t.slots and all(
        [x.id for x in s.staff] == [holder.id, chp.id] for s in t.slots
    )  # the case's own professionals, not any colleague of the center
    assert all(s.start >= follow.end or s.end <= follow.start for s in t.slots)
    team = booking.book_for_case(ctx, holder, person_id, "TEAM_MEETING", t.slots[0])
    with read_session(ctx.engine) as s:
        meeting = s.get(Meeting, team.meeting_id)
        assert meeting is not None
        assert (meeting.kind, meeting.is_first, meeting.intake_id) == ("TEAM_MEETING", False, None)
        staff = s.exec(
            select(MeetingParticipant.staff_id).where(
                MeetingParticipant.meeting_id == team.meeting_id, MeetingParticipant.kind == "STAFF"
            )
        ).all()
        assert sorted(staff) == sorted([holder.id, chp.id])
    assert _holder(ctx, person_id) == holder_id  # the case is as it was
    assert len(team.ics_files) >= 2

    # Outcomes for every meeting: the follow-up is recorded as held.
    clock.set_now(clock.local(p.slots[0].end).replace(tzinfo=None) + dt.timedelta(minutes=5))
    outcomes.record_outcome(ctx, holder, follow.meeting_id, "HELD", "Godt møde")
    with read_session(ctx.engine) as s:
        done = s.get(Meeting, follow.meeting_id)
        assert done is not None and done.status == "HELD"


def test_only_people_on_the_case_book_its_meetings(ctx, reception, make_intake, ids) -> None:
    intake = make_intake(20)
    first = booking.propose(ctx, reception, intake)
    booking.book(ctx, reception, intake, first.slots[0])
    person_id = ids.person(intake)
    stranger = _actor(ctx, "chp.hpr.1")
    with pytest.raises(PermissionDenied):
        booking.propose_for_case(ctx, stranger, person_id, "FOLLOW_UP")
    with pytest.raises(ServiceError):  # only follow-up kinds from the case
        booking.propose_for_case(ctx, reception, person_id, "FIRST_CONVERSATION")
    closed = ids.person(make_intake(21))  # registered and triaged, no case opened
    with pytest.raises(ServiceError) as err:
        booking.propose_for_case(ctx, reception, closed, "FOLLOW_UP")
    assert "lukket" in err.value.message
