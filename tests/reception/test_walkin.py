"""Acceptance (issue 4): a new 17-year-old with a social case, out of school, from the empty
search field to a booked team meeting by keyboard alone: the meeting in the database and
the .ics invitations on disk."""

from __future__ import annotations

from sqlmodel import select

from tests.reception.conftest import cpr_aged, settle
from ungehus_tui.app import make_app
from ungehus_tui.data.engine import read_session
from ungehus_tui.data.models import DeskArrival, Meeting, MeetingParticipant, YoungPerson
from ungehus_tui.walkin import control_keys, walkin_steps


async def test_walk_in_to_booked_team_meeting(ctx, frozen):
    cpr = cpr_aged(17)
    kwargs = {"phone": "01234567", "guardian_phone": "07654321"}
    steps = walkin_steps(cpr, "Freja Prøvesen", "Hanne Prøvesen", **kwargs)
    app = make_app(ctx)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        for step in steps:
            await pilot.press(*step.keys)
            await settle(app, pilot)
        assert type(app.screen).__name__ == "ConfirmationScreen", steps
    with read_session(ctx.engine) as s:
        person = s.exec(select(YoungPerson)).one()
        assert person.name == "Freja Prøvesen" and person.guardian_name == "Hanne Prøvesen"
        meeting = s.exec(select(Meeting).where(Meeting.person_id == person.id)).one()
        assert meeting.kind == "TEAM_MEETING" and meeting.status == "BOOKED"
        parts = s.exec(
            select(MeetingParticipant).where(MeetingParticipant.meeting_id == meeting.id)
        ).all()
        kinds = sorted(p.kind for p in parts)
        assert kinds.count("STAFF") == 2 and "YOUNG_PERSON" in kinds and "GUARDIAN" in kinds
        assert {p.center_code for p in parts if p.kind == "STAFF"} == {"CAI", "CBU"}
        arrival = s.exec(select(DeskArrival)).one()
        assert arrival.person_id == person.id and arrival.served_at is not None
    ics = sorted(ctx.settings.ics_folder.glob("*.ics"))
    assert len(ics) >= 1
    assert len(control_keys(cpr, "x", "y", **kwargs)) == 10
