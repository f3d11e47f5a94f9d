"""Stored text never drives a terminal, part 1: every free-text field that reaches the
database through a service refuses control characters (C0, DEL, C1), bidi controls and
invisible format characters, with a Danish message naming the code point, and writes nothing.
One test per entry point at the service level, plus the desk form in the app, `staff add` on
the CLI, the organisation file and the list import."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlmodel import SQLModel
from textual.widgets import Input
from typer.testing import CliRunner

from tests.counsellor.conftest import FROZEN, new_case
from tests.cprgen import born, make_cpr
from ungehus_tui.cli import app as cli_app
from ungehus_tui.data.engine import read_session, write_session
from ungehus_tui.data.models import (
    AuditEvent,
    Meeting,
    MeetingParticipant,
    Room,
    Staff,
    Task,
    YoungPerson,
)
from ungehus_tui.data.org import OrgFileError, default_org_path, read_org
from ungehus_tui.domain import clock
from ungehus_tui.services.access import staff as staff_svc
from ungehus_tui.services.casework import consents, handovers, outcomes, plans
from ungehus_tui.services.dataio import importer
from ungehus_tui.services.desk import arrivals, intake, people
from ungehus_tui.services.desk import walk_in as desk
from ungehus_tui.services.errors import ValidationFailed

ESC_TITLE = "\x1b]0;pwned\x07"
# One of each kind: C0 (ESC, NUL, tab, newline), DEL, C1 (NEL, CSI), bidi (override, isolate,
# marks), invisible format (zero-width space/joiner, word joiner, BOM).
BAD = [
    ("\x1b", "U+001B"),
    ("\x00", "U+0000"),
    ("\t", "U+0009"),
    ("\n", "U+000A"),
    ("\x7f", "U+007F"),
    ("\x85", "U+0085"),
    ("\x9b", "U+009B"),
    ("\u202e", "U+202E"),
    ("\u2066", "U+2066"),
    ("\u200f", "U+200F"),
    ("\u061c", "U+061C"),
    ("\u200b", "U+200B"),
    ("\u200d", "U+200D"),
    ("\u2060", "U+2060"),
    ("\ufeff", "U+FEFF"),
]
IDS = [code for _, code in BAD]


def counts(ctx) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Rows per table: a refusal must leave every table as it was."""
    with read_session(ctx.engine) as session:
        return {
            t.name: session.execute(select(func.count()).select_from(t)).scalar_one()
            for t in SQLModel.metadata.sorted_tables
        }


def refused(ctx, call, field: str, code: str, label: str) -> None:  # type: ignore[no-untyped-def]
    before = counts(ctx)
    with pytest.raises(ValidationFailed) as err:
        call()
    message = err.value.errors[field]
    assert message == f"{label} indeholder et kontroltegn ({code}), som ikke kan gemmes"
    assert counts(ctx) == before, "a refused save wrote something"


ADULT = make_cpr(born(FROZEN.date(), 22), hyphen=False)
MINOR = make_cpr(born(FROZEN.date(), 16), hyphen=False)


@pytest.fixture
def frozen() -> dt.datetime:
    clock.set_now(FROZEN)
    return FROZEN


@pytest.mark.parametrize(("char", "code"), BAD, ids=IDS)
@pytest.mark.parametrize(
    ("field", "label"),
    [
        ("name", "Navn"),
        ("phone", "Telefonnummeret"),
        ("email", "E-mailadressen"),
        ("guardian_name", "Forælders/værges navn"),
        ("guardian_phone", "Forælders telefonnummer"),
    ],
)
def test_registration_refuses_each_person_field(
    ctx, reception, frozen, field, label, char, code
) -> None:  # type: ignore[no-untyped-def]
    good = {"cpr": MINOR, "name": "Ida Prøvesen", "guardian_name": "Bo Prøvesen"}
    good.update(phone="12345678", email="ida@eksempel.dk", guardian_phone="87654321")
    good[field] = f"{good[field][:3]}{char}{good[field][3:]}"
    data = people.PersonInput(**good)
    refused(ctx, lambda: people.register_person(ctx, reception, data), field, code, label)
    refused(
        ctx,
        lambda: desk.register_walk_in(ctx, reception, data, desk.Answers("ingen")),
        field,
        code,
        label,
    )


def test_danish_letters_and_accents_still_pass(ctx, reception, frozen) -> None:  # type: ignore[no-untyped-def]
    person, created = people.register_person(
        ctx, reception, people.PersonInput(ADULT, "Åse Ærø-Øberg Renée Müller")
    )
    assert created and person.name == "Åse Ærø-Øberg Renée Müller"


def _meeting(ctx, person_id: int, login: str, start: dt.datetime) -> int:  # type: ignore[no-untyped-def]
    with write_session(ctx.engine) as session:
        staff = session.execute(select(Staff).where(Staff.login == login)).scalar_one()
        room = session.execute(select(Room)).scalars().first()
        assert room is not None and room.id is not None
        begins = clock.at_local(start)
        m = Meeting(
            person_id=person_id,
            kind="FIRST_CONVERSATION",
            is_first=True,
            start=begins,
            end=begins + dt.timedelta(minutes=45),
            room_id=room.id,
            leader_id=staff.id,
            created_by=staff.id,
        )
        session.add(m)
        session.flush()
        assert m.id is not None
        session.add(
            MeetingParticipant(meeting_id=m.id, kind="STAFF", staff_id=staff.id, name=staff.name)
        )
        return m.id


@pytest.mark.parametrize(("char", "code"), BAD[::3], ids=IDS[::3])
def test_casework_texts_are_refused(ctx, actor_for, frozen, char, code) -> None:  # type: ignore[no-untyped-def]
    me, colleague = actor_for("cai.vejl.1"), actor_for("cai.vejl.2")
    rec = actor_for("rec.1")
    bad = f"Ok{char}tekst"
    case = new_case(ctx, "cai.vejl.1")
    pid = case.person_id
    meeting = _meeting(ctx, pid, "cai.vejl.1", FROZEN - dt.timedelta(hours=2))

    # outcome notes (a note may hold a newline, never another control character)
    if char != "\n":
        refused(
            ctx,
            lambda: outcomes.record_outcome(ctx, me, meeting, "HELD", bad),
            "note",
            code,
            "Notatet",
        )
    refused(
        ctx,
        lambda: outcomes.record_outcome(ctx, me, meeting, "HELD", stu_decision=bad),
        "stu_decision",
        code,
        "STU-beslutningen",
    )
    refused(
        ctx,
        lambda: outcomes.appoint_contact_person(
            ctx, me, pid, outcomes.ContactPersonInput(me.id, bad)
        ),
        "paid_by",
        code,
        "Hvem der betaler",
    )
    # plan goals and interventions
    if char != "\n":
        refused(
            ctx,
            lambda: plans.save_plan(ctx, me, pid, plans.PlanInput(bad, "")),
            "short_term_goals",
            code,
            "Målene på kort sigt",
        )
        refused(
            ctx,
            lambda: plans.save_plan(ctx, me, pid, plans.PlanInput("Mål", bad)),
            "long_term_goals",
            code,
            "Målene på langt sigt",
        )
    item = plans.InterventionInput("CAI", "EDUCATION", bad)
    refused(
        ctx,
        lambda: plans.save_plan(ctx, me, pid, plans.PlanInput("Mål", "", [item])),
        "interventions[0]",
        code,
        "Beskrivelsen af indsatsen",
    )
    # consent purpose, arrival question
    refused(
        ctx,
        lambda: consents.give_consent(ctx, me, pid, "CAI", bad),
        "purpose",
        code,
        "Formålet",
    )
    refused(
        ctx,
        lambda: arrivals.record_arrival(ctx, rec, None, "QUESTION", bad),
        "note",
        code,
        "Notatet",
    )
    # handovers: the offer's texts, and each answer
    for field, label, kwargs in (
        ("reason", "Begrundelsen", {"kind": "COLLEAGUE", "to_staff_id": colleague.id}),
        ("to_external", "Modtageren", {"kind": "EXTERNAL", "to_external_contact": "Bo"}),
        ("to_external_contact", "Kontaktpersonen", {"kind": "EXTERNAL", "to_external": "FGU"}),
    ):
        refused(
            ctx,
            lambda f=field, k=kwargs: handovers.offer_handover(ctx, me, pid, **k, **{f: bad}),
            field,
            code,
            label,
        )
    offer = handovers.offer_handover(ctx, me, pid, kind="COLLEAGUE", to_staff_id=colleague.id)
    refused(
        ctx,
        lambda: handovers.accept_handover(ctx, colleague, offer.id, bad),
        "note",
        code,
        "Notatet",
    )
    refused(
        ctx,
        lambda: handovers.reject_handover(ctx, colleague, offer.id, bad),
        "reason",
        code,
        "Begrundelsen",
    )
    refused(
        ctx,
        lambda: handovers.withdraw_handover(ctx, me, offer.id, bad),
        "reason",
        code,
        "Begrundelsen",
    )
    handovers.withdraw_handover(ctx, me, offer.id)
    ext = handovers.offer_handover(
        ctx, me, pid, kind="EXTERNAL", to_external="FGU", to_external_contact="Bo"
    )
    refused(
        ctx,
        lambda: handovers.acknowledge_external(ctx, me, ext.id, acknowledged_by=bad),
        "acknowledged_by",
        code,
        "Navnet på den der kvitterede",
    )
    refused(
        ctx,
        lambda: handovers.acknowledge_external(ctx, me, ext.id, acknowledged_by="Bo", note=bad),
        "note",
        code,
        "Notatet",
    )


@pytest.mark.parametrize(("char", "code"), BAD[::3], ids=IDS[::3])
def test_override_reason_and_task_note_are_refused(ctx, actor_for, frozen, char, code) -> None:  # type: ignore[no-untyped-def]
    rec, me = actor_for("rec.1"), actor_for("cai.vejl.1")
    walk = desk.register_walk_in(
        ctx, rec, people.PersonInput(ADULT, "Anna Prøvesen"), desk.Answers("ingen")
    )
    refused(
        ctx,
        lambda: intake.override_decision(
            ctx, rec, walk.decision_id, lead_center=None, reason=f"Fordi{char}"
        ),
        "reason",
        code,
        "Begrundelsen",
    )
    case = new_case(ctx, "cai.vejl.1")
    meeting = _meeting(ctx, case.person_id, "cai.vejl.1", FROZEN - dt.timedelta(hours=2))
    outcomes.record_outcome(ctx, me, meeting, "NO_SHOW")
    with read_session(ctx.engine) as session:
        task = session.execute(select(Task).where(Task.person_id == case.person_id)).scalar_one()
    refused(
        ctx,
        lambda: outcomes.complete_task(ctx, me, task.id, f"Ringet{char}op"),
        "note",
        code,
        "Notatet",
    )


def test_multiline_note_keeps_its_newlines(ctx, actor_for, frozen) -> None:  # type: ignore[no-untyped-def]
    me = actor_for("cai.vejl.1")
    case = new_case(ctx, "cai.vejl.1")
    meeting = _meeting(ctx, case.person_id, "cai.vejl.1", FROZEN - dt.timedelta(hours=2))
    row = outcomes.record_outcome(ctx, me, meeting, "HELD", "Første linje\r\nAnden linje")
    assert row.outcome_note == "Første linje\r\nAnden linje"


@pytest.mark.parametrize(("char", "code"), BAD, ids=IDS)
def test_staff_service_refuses_name_and_email(ctx, admin, char, code) -> None:  # type: ignore[no-untyped-def]
    refused(
        ctx,
        lambda: staff_svc.add_staff(
            ctx, admin, login="rec.9", name=f"Ny{char}Kollega", role="RECEPTION"
        ),
        "name",
        code,
        "Navn",
    )
    refused(
        ctx,
        lambda: staff_svc.add_staff(
            ctx, admin, login="rec.9", name="Ny Kollega", role="RECEPTION", email=f"a{char}@b.dk"
        ),
        "email",
        code,
        "E-mailadressen",
    )


def test_staff_add_cli_refuses_a_control_character(ctx, db_url) -> None:  # type: ignore[no-untyped-def]
    before = counts(ctx)
    result = CliRunner().invoke(
        cli_app,
        [
            *("staff", "add", "rec.9", "--name", f"Evil{ESC_TITLE}", "--role", "RECEPTION"),
            *("--db", db_url, "--as", "it.admin"),
        ],
    )
    assert result.exit_code == 1
    assert "Navn indeholder et kontroltegn (U+001B), som ikke kan gemmes" in result.output
    assert "\x1b" not in result.output and "Traceback" not in result.output
    assert counts(ctx) == before


def test_org_file_refuses_a_staff_name_with_a_control_character(tmp_path: Path) -> None:
    text = default_org_path().read_text(encoding="utf-8")
    start = text.index('name = "', text.index("[[staff]]"))
    end = text.index('"', start + len('name = "'))
    bad = text[:start] + 'name = "Evil\\u001b]0;pwned\\u0007"' + text[end + 1 :]
    path = tmp_path / "org.toml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(OrgFileError) as err:
        read_org(path)
    message = str(err.value)
    assert "control character (U+001B)" in message and "staff.0.name" in message
    assert "\x1b" not in message


def test_import_rejects_the_row_with_the_reason(ctx, actor_for, frozen) -> None:  # type: ignore[no-untyped-def]
    other = make_cpr(born(FROZEN.date(), 24), hyphen=False)
    # The title sequence holds a ';' (the separator): quoted, as Excel writes such a cell.
    raw = f'cpr;navn\n{ADULT};"Evil{ESC_TITLE}Prøvesen"\n{other};Ida\u202eProvesen\n'
    result = importer.import_list(ctx, actor_for("it.admin"), raw.encode())
    assert result.registered == 0 and result.rejected == 2
    reasons = [reason for _, reason in result.rejects]
    assert reasons == [
        "Navn: Navn indeholder et kontroltegn (U+001B), som ikke kan gemmes",
        "Navn: Navn indeholder et kontroltegn (U+202E), som ikke kan gemmes",
    ]
    with read_session(ctx.engine) as session:
        assert session.execute(select(func.count()).select_from(YoungPerson)).scalar_one() == 0


async def test_desk_form_refuses_a_name_with_a_control_character(ctx, frozen) -> None:  # type: ignore[no-untyped-def]
    from ungehus_tui.app import make_app

    before = counts(ctx)
    app = make_app(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(app, pilot)
        await pilot.press(*ADULT, "enter")
        await _settle(app, pilot)
        assert type(app.screen).__name__ == "RegistrationScreen"
        name = app.screen.query_one("#name", Input)
        name.value = f"Evil{ESC_TITLE}Prøvesen"
        await pilot.press("f7", "3", "ctrl+s")
        await _settle(app, pilot)
        shown = " ".join(str(n.message) for n in app._notifications) + _statics(app)
        assert "Navn indeholder et kontroltegn (U+001B), som ikke kan gemmes" in shown
    after = counts(ctx)
    # The CPR typed in the search is logged (a settled search); nothing else is written.
    assert {k: v for k, v in after.items() if k != "audit_event"} == {
        k: v for k, v in before.items() if k != "audit_event"
    }
    with read_session(ctx.engine) as session:
        actions = (
            session.execute(
                select(AuditEvent.action).where(AuditEvent.id > before["audit_event"])  # type: ignore[operator]
            )
            .scalars()
            .all()
        )
    assert actions and set(actions) == {"SEARCH"}


def _statics(app) -> str:  # type: ignore[no-untyped-def]
    from textual.widgets import Static

    return " ".join(str(w.render()) for w in app.screen.query(Static))


async def _settle(app, pilot) -> None:  # type: ignore[no-untyped-def]
    from tests.reception.conftest import settle

    await settle(app, pilot)
