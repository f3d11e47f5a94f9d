"""Issue 14, forms people can read: the phone rule as said, the modulus-11 warning in full,
the arrival dialog records what is highlighted, F4 opens where Enter saves, labels stay when
filled, a leader never reaches the registration form, 80x24 shows name and birth date, and
Ctrl+Q on the lock screen leaves the locked user's session alone."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import select
from textual.widgets import DataTable, Input

from tests.cprgen import make_cpr
from tests.reception.conftest import settle
from tests.screens.helpers import screen_text
from ungehus_tui.app import make_app
from ungehus_tui.data.engine import read_session
from ungehus_tui.data.models import DeskArrival
from ungehus_tui.domain import clock
from ungehus_tui.domain.triage_text import WARNING_TEXT_DA
from ungehus_tui.screens.arrival import ArrivalDialog
from ungehus_tui.screens.desk import DeskScreen
from ungehus_tui.screens.registration import RegistrationScreen
from ungehus_tui.services.desk import people
from ungehus_tui.services.errors import ValidationFailed


async def _press(app, pilot, *keys: str) -> None:  # type: ignore[no-untyped-def]
    for key in keys:
        await pilot.press(key)
        await settle(app, pilot, 1)
    await settle(app, pilot)


def _teen_cpr() -> str:
    return make_cpr(clock.today().replace(year=clock.today().year - 17) - dt.timedelta(days=9))


@pytest.mark.parametrize(
    "typed,stored",
    [("12345678", "12345678"), ("+45 12 34 56 78", "+4512345678"), ("1234 5678", "12345678")],
)
def test_phone_numbers_as_the_message_says_accepted(frozen, typed, stored):
    _, clean = people.validate_person(
        people.PersonInput(_teen_cpr(), "Ane Prøve", typed, None, "Mor")
    )
    assert clean.phone == stored


@pytest.mark.parametrize(
    "typed", ["1234567", "123456789", "+46 12345678", "0045 12345678", "+4512"]
)
def test_phone_numbers_the_message_rules_out_are_refused(frozen, typed):
    with pytest.raises(ValidationFailed) as refused:
        people.validate_person(people.PersonInput(_teen_cpr(), "Ane Prøve", typed, None, "Mor"))
    assert refused.value.errors["phone"] == "Telefonnummeret skal være 8 cifre, evt. med +45 foran"


async def test_the_mod11_warning_in_full_on_the_form_and_in_the_triage_view(ctx, frozen):
    cpr = make_cpr(clock.today().replace(year=clock.today().year - 20), mod11=False)
    app = make_app(ctx, as_login="rec.1")
    full = WARNING_TEXT_DA["CPR_MOD11"]
    async with app.run_test(size=(120, 36)) as pilot:
        await _press(app, pilot, *cpr, "enter")
        assert isinstance(app.screen, RegistrationScreen)
        form = " ".join(screen_text(app).split())
        assert "Tjek nummeret med den unge." in form and "kan mangle kontrolciffer" in form
        await _press(app, pilot, *"Bo Prøve", "f7", "3", "ctrl+s")  # saved; booking opens
        await _press(app, pilot, "v")  # the triage view from booking
        view = " ".join(screen_text(app).split())
        assert full.split(":")[0] in view and "Tjek nummeret med den unge." in view


async def test_arrival_dialog_records_the_highlighted_reason(ctx, frozen, desk_people):
    app = make_app(ctx, as_login="rec.1")
    async with app.run_test(size=(120, 36)) as pilot:
        await _press(app, pilot, "f4")
        assert isinstance(app.screen, ArrivalDialog)
        assert app.screen.focused is app.screen.query_one("#note", Input)  # Enter saves here
        await _press(app, pilot, "down", *"Skal tale med CAI", "enter")  # Spørgsmål -> Ny
        assert isinstance(app.screen, DeskScreen)
    with read_session(ctx.engine) as session:
        latest = session.exec(select(DeskArrival).order_by(DeskArrival.id.desc())).first()  # type: ignore[union-attr]
        assert latest is not None and latest.reason == "NEW"


async def test_dialog_fields_keep_their_label_when_filled(ctx, scenario):
    app = make_app(ctx, as_login="cai.vejl.1")
    async with app.run_test(size=(120, 36)) as pilot:
        await _press(app, pilot, "3", "enter", "h")
        app.screen.query_one("#external", Input).value = "FGU Vestsjælland"
        app.screen.query_one("#reason", Input).value = "Starter på FGU"
        await _press(app, pilot)
        text = screen_text(app)
        for label in ("Ekstern modtager (skole, arbejdsgiver, FGU)", "Begrundelse"):
            assert label in text


async def test_a_leader_never_reaches_the_registration_form(ctx, frozen):
    app = make_app(ctx, as_login="cbu.leder")
    async with app.run_test(size=(120, 36)) as pilot:
        await _press(app, pilot, "f2", *_teen_cpr(), "enter")
        assert isinstance(app.screen, DeskScreen)
        await _press(app, pilot, "ctrl+n")
        assert isinstance(app.screen, DeskScreen)
        assert "Ny ung" not in screen_text(app)  # not in the footer either


async def test_80x24_desk_shows_name_and_birth_date_first(ctx, frozen, desk_people):
    app = make_app(ctx, as_login="rec.1")
    async with app.run_test(size=(80, 24)) as pilot:
        await _press(app, pilot, *"eksempelholm")
        table = app.screen.query_one("#results", DataTable)
        assert [str(c.label) for c in table.columns.values()][:2] == ["Navn", "Født"]
        row = next(line for line in screen_text(app).splitlines() if "Eksempelholm" in line)
        assert "Søren Ærø Eksempelholm" in row and row.count("-") >= 2  # and the birth date
        assert "Venter i skranken" in screen_text(app)  # the waiting list under the search


async def test_ctrl_q_on_the_lock_screen_keeps_the_session(ctx, frozen, monkeypatch):
    app = make_app(ctx, as_login="rec.1")
    quits: list[object] = []
    monkeypatch.setattr(app, "exit", lambda *a, **k: quits.append(a))
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await _press(app, pilot, *"freja", "ctrl+l", "ctrl+q")
        assert quits == [] and app.locked
        assert "Skærmen er låst" in screen_text(app)
