"""Fixtures of the screen tests: the counsellors' frozen clock and cases, and the desk's
fictitious young people, all driven through the real app (`make_app`)."""

from __future__ import annotations

import pytest

from tests.counsellor.conftest import frozen, make_case, make_meeting, scenario
from tests.reception.conftest import cpr_aged, teen
from ungehus_tui.services.desk import arrivals
from ungehus_tui.services.desk import walk_in as desk

__all__ = ["frozen", "make_case", "make_meeting", "scenario"]


@pytest.fixture
def desk_people(ctx, reception, frozen):  # type: ignore[no-untyped-def]
    """Freja (17, social case: CBU + CAI), Søren (20, job) and a question at the desk."""
    social = desk.Answers(situation="ingen", social_case=True)
    freja = desk.register_walk_in(ctx, reception, teen(cpr_aged(17)), social, ["CBU", "CAI"])
    desk.register_walk_in(
        ctx, reception, teen(cpr_aged(20, 40), "Søren Ærø Eksempelholm"), desk.Answers("job")
    )
    arrivals.record_arrival(ctx, reception, None, "QUESTION", "Spørger om SU")
    return freja
