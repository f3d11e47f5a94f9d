"""`ungehus serve` in a real browser: Debian's Chromium, driven by Playwright.

Few and quick (each starts a server, a browser and an app process per tab); marked
`browser` and in one xdist group (`--dist loadgroup` keeps them on one worker)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_the_page_requests_nothing_from_elsewhere(served, open_tab) -> None:  # type: ignore[no-untyped-def]
    """Every request the page makes (page, script, style sheets, fonts, the WebSocket) goes
    to the server's own origin, the sign-in is drawn and takes keys, and the browser reports
    no Content-Security-Policy violation (nothing was blocked either)."""
    server = served()
    tab = open_tab(server.url)
    tab.sign_in("rec.1", "not-the-password")
    tab.wait_for("Forkert brugernavn")
    origin = urlsplit(server.url)
    assert len(tab.requests) >= 5 and tab.websockets
    for url in [*tab.requests, *tab.websockets]:
        parts = urlsplit(url)
        assert parts.scheme in ("http", "ws") and parts.netloc == origin.netloc, url
    assert any(u.endswith(".ttf") for u in tab.requests), "the font comes from the server"
    assert not [m for m in tab.console if "Content Security Policy" in m], tab.console
    fonts = tab.page.evaluate("document.fonts.check('16px \"Roboto Mono\"')")
    assert fonts is True


PLAYWRIGHT_KEYS = {"enter": "Enter", "tab": "Tab", "f7": "F7", "ctrl+s": "Control+s"}


def cpr_of_a_17_year_old(serial: int) -> str:
    """A fictitious CPR of someone 17 (and 10 days) today, as the served app's clock sees it."""
    from tests.cprgen import born, make_cpr
    from ungehus_tui.domain import clock

    return make_cpr(born(clock.today(), 17, days=-10 - serial))


# What each of the walk-in's keys (`walkin_steps`, all but the last Enter) makes the app draw
# once it has handled the key: registration opens; each Tab and F7 moves the focus (the
# field it reaches is drawn again, its placeholder while empty); Ctrl+S saves and the slots
# are proposed.
DRAWN_AFTER = {
    ("enter",): ["Ny ung"],
    ("tab",): ["8 cifre", "Navn", "8 cifre"],
    ("f7",): ["Situation"],
    # Ctrl+S is a priority binding: it would save before the facts panel had handled 4 s c
    ("c",): ["X▌ CBU"],
    ("ctrl+s",): ["Koordinerende sagsbehandler"],
}


def walk_in_to_booking(tab, cpr: str, name: str, guardian: str) -> None:  # type: ignore[no-untyped-def]
    """The README's walk-in keys (`ungehus_tui.walkin`) typed into the browser, up to the
    booking screen with its slots. After a key that moves the focus it waits until the app
    has drawn the move: on the registration form Tab and F7 are ordinary bindings, so keys
    typed before the field has handled them land in that field (in the terminal too; the
    sign-in takes keys at any speed, see screens/keys.py)."""
    from ungehus_tui.walkin import walkin_steps

    tab.wait_for("Søg: CPR-nummer")
    steps = walkin_steps(cpr, name, guardian, phone="01234567", guardian_phone="07654321")
    expected = {key: list(drawn) for key, drawn in DRAWN_AFTER.items()}
    for step in steps[:-1]:  # all but the last Enter, which books
        mark = tab.mark()
        tab.keys(*(PLAYWRIGHT_KEYS.get(k, " " if k == "space" else k) for k in step.keys))
        if step.keys in expected:
            tab.wait_for(expected[step.keys].pop(0), since=mark)


def test_walk_in_to_a_booked_team_meeting_in_the_browser(served, open_tab, ctx) -> None:  # type: ignore[no-untyped-def]
    """Reception signs in in the browser and does the README's walk-in (the same keys as the
    terminal): the team meeting is in the database, and the audit log says it came from a
    served session at the browser's address."""
    from sqlmodel import col, select

    from ungehus_tui.data.engine import read_session
    from ungehus_tui.data.models import (
        AuditEvent,
        DeskArrival,
        Meeting,
        MeetingParticipant,
        YoungPerson,
    )

    server = served()
    tab = open_tab(server.url)
    tab.sign_in("rec.1")
    walk_in_to_booking(tab, cpr_of_a_17_year_old(0), "Freja Prøvesen", "Hanne Prøvesen")
    mark = tab.mark()
    tab.keys("Enter")
    tab.wait_for("Mødet er booket", since=mark)
    with read_session(ctx.engine) as s:
        person = s.exec(select(YoungPerson)).one()
        assert person.name == "Freja Prøvesen" and person.guardian_name == "Hanne Prøvesen"
        meeting = s.exec(select(Meeting).where(Meeting.person_id == person.id)).one()
        assert meeting.kind == "TEAM_MEETING" and meeting.status == "BOOKED"
        parts = s.exec(
            select(MeetingParticipant).where(MeetingParticipant.meeting_id == meeting.id)
        ).all()
        assert {p.center_code for p in parts if p.kind == "STAFF"} == {"CAI", "CBU"}
        assert {"YOUNG_PERSON", "GUARDIAN"} <= {p.kind for p in parts}
        arrival = s.exec(select(DeskArrival)).one()
        assert arrival.person_id == person.id and arrival.served_at is not None
        events = s.exec(
            select(AuditEvent).where(AuditEvent.staff_login == "rec.1").order_by(col(AuditEvent.id))
        ).all()
    assert events[0].action == "SIGN_IN" and len(events) >= 3
    assert {(e.channel, e.origin) for e in events} == {("serve", "127.0.0.1")}


def test_two_desks_book_the_same_slot_one_wins(served, open_tab, ctx) -> None:  # type: ignore[no-untyped-def]
    """Two tabs, two reception desks, two young people who need the same counsellors: both
    see the same first slot; the first Enter books it, the second desk is told the time was
    just taken, and the database has one meeting."""
    from sqlmodel import select

    from ungehus_tui.data.engine import read_session
    from ungehus_tui.data.models import Meeting, YoungPerson

    server = served()
    first, second = open_tab(server.url), open_tab(server.url)
    first.sign_in("rec.1")
    second.sign_in("rec.2")
    walk_in_to_booking(first, cpr_of_a_17_year_old(0), "Freja Prøvesen", "Hanne Prøvesen")
    walk_in_to_booking(second, cpr_of_a_17_year_old(1), "Ida Prøvesen", "Bo Prøvesen")
    marks = first.mark(), second.mark()
    first.keys("Enter")
    first.wait_for("Mødet er booket", since=marks[0])
    second.keys("Enter")
    second.wait_for("Tiden er lige blevet optaget", since=marks[1])
    with read_session(ctx.engine) as s:
        meetings = s.exec(select(Meeting)).all()
        booked_for = {s.get(YoungPerson, m.person_id).name for m in meetings}  # type: ignore[union-attr]
    assert len(meetings) == 1 and booked_for == {"Freja Prøvesen"}
