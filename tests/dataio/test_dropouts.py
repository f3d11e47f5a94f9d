"""Issue 13, 'The 15-17 duty and outreach as queue work': `import --kind dropouts` queues the
two deadlines for the responsible CAI counsellor, `import --kind outreach` one OUTREACH item
per young person not already in a CAI counsellor's queue, the report counts the deadlines."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from sqlalchemy import select
from typer.testing import CliRunner

from tests.dataio.conftest import T0, cpr_for
from ungehus_tui.cli import app
from ungehus_tui.data.engine import read_session
from ungehus_tui.data.models import Task, YoungPerson
from ungehus_tui.domain import clock
from ungehus_tui.services.casework import outcomes
from ungehus_tui.services.casework.queue import queue_for
from ungehus_tui.services.dataio.report import Quarter, steering_report
from ungehus_tui.services.errors import ValidationFailed

runner = CliRunner()
MINOR = cpr_for(dt.date(2010, 8, 9), 201)  # 15 on 1 April 2026
ADULT = cpr_for(dt.date(2004, 2, 3), 202)  # 22
TOO_OLD = cpr_for(dt.date(2000, 1, 1), 203)  # 26: not for drop-out follow-up


def invoke(db_url: str, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["import", *args, "--db", db_url, "--as", "it.admin"])


def tasks(ctx, kind: str) -> list[Task]:  # type: ignore[no-untyped-def]
    with read_session(ctx.engine) as session:
        return list(
            session.execute(select(Task).where(Task.kind == kind).order_by(Task.id)).scalars()
        )


def write(tmp_path: Path, name: str, lines: list[str]) -> Path:
    path = tmp_path / name
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def test_dropouts_queue_two_deadlines_for_the_responsible_counsellor(
    ctx, actor_for, db_url, tmp_path
):
    clock.set_now(dt.datetime(2026, 4, 8, 10, 0))
    path = write(
        tmp_path,
        "frafald.csv",
        [
            "cpr;name;reported_on;institution",
            f"{MINOR};Ida Frafaldsen;01-04-2026;EUC Vest",  # the day before Easter
            f"{ADULT};Bo Frafaldsen;2026-04-07;",
            f"{TOO_OLD};Åge Forsent;01-04-2026;",
            f"{cpr_for(dt.date(2004, 2, 3), 204)};Eva Fremtid;09-04-2026;",
            f"{cpr_for(dt.date(2004, 2, 3), 205)};Lis Datoløs;1. april;",
        ],
    )
    result = invoke(db_url, "--kind", "dropouts", str(path))
    assert result.exit_code == 1, result.output  # three rows rejected
    assert "5 frafald: 2 nye" in result.output and "3 afvist" in result.output
    assert "4 opgaver" in result.output
    rejects = (tmp_path / "frafald.rejects.csv").read_text(encoding="utf-8")
    assert "15-24-årige" in rejects and "fremtiden" in rejects and "dd-mm-åååå" in rejects
    contact, offer = tasks(ctx, "DROPOUT_CONTACT"), tasks(ctx, "ACTIVITY_OFFER")
    vejl1, vejl2 = actor_for("cai.vejl.1"), actor_for("cai.vejl.2")
    # Easter 2026: 2, 3 and 6 April are holidays; 5 working days after 1 April is 13 April.
    assert [(t.due, t.staff_id) for t in contact] == [
        (dt.date(2026, 4, 13), vejl1.id),
        (dt.date(2026, 4, 14), vejl2.id),  # the education counsellor with fewest open items
    ]
    assert [t.due for t in offer] == [dt.date(2026, 5, 1), dt.date(2026, 5, 7)]
    assert "EUC Vest" in (contact[0].note or "")
    mine = queue_for(ctx, vejl1, kinds=["DROPOUT_CONTACT", "ACTIVITY_OFFER"])
    assert [(i.kind, i.education_duty) for i in mine] == [
        ("DROPOUT_CONTACT", True),
        ("ACTIVITY_OFFER", False),
    ]
    adult = queue_for(ctx, vejl2, kinds=["DROPOUT_CONTACT"])
    assert [i.education_duty for i in adult] == [False]
    # The same report again changes nothing.
    again = invoke(db_url, "--kind", "dropouts", str(path))
    assert "2 allerede i en kø" in again.output and "0 opgaver" in again.output
    assert len(tasks(ctx, "DROPOUT_CONTACT")) == 2
    # Recording the contact and the offer closes them (the offer says which activity).
    outcomes.complete_task(ctx, vejl1, contact[0].id, "Ringet op")  # type: ignore[arg-type]
    try:
        outcomes.complete_task(ctx, vejl1, offer[0].id)  # type: ignore[arg-type]
    except ValidationFailed as exc:
        assert "aktivitet" in exc.message
    else:  # pragma: no cover
        raise AssertionError("an activity offer needs to say which activity")
    done = runner.invoke(
        app,
        ["queue", "done", str(offer[0].id), "--note", "Praktik i FGU", "--db", db_url],
        env={"UNGEHUS_CLI_LOGIN": "cai.vejl.1"},
    )
    assert done.exit_code == 0, done.output
    assert queue_for(ctx, vejl1, kinds=["DROPOUT_CONTACT", "ACTIVITY_OFFER"]) == []


def test_a_dropout_already_held_in_cai_stays_with_its_counsellor(ctx, actor_for, db_url, tmp_path):
    from tests.counsellor.conftest import new_case

    clock.set_now(T0)
    case = new_case(ctx, "cai.vejl.2", age=16)
    with read_session(ctx.engine) as session:
        cpr = session.get(YoungPerson, case.person_id).cpr  # type: ignore[union-attr]
    path = write(tmp_path, "f.csv", ["cpr,name,reported_on", f"{cpr},{case.name},09-11-2026"])
    assert invoke(db_url, "--kind", "dropouts", str(path)).exit_code == 0
    assert {t.staff_id for t in tasks(ctx, "DROPOUT_CONTACT")} == {actor_for("cai.vejl.2").id}


def test_missing_reported_on_column_is_an_unusable_file(ctx, db_url, tmp_path):
    path = write(tmp_path, "f.csv", ["cpr;name", f"{MINOR};Ida"])
    result = invoke(db_url, "--kind", "dropouts", str(path))
    assert result.exit_code == 2 and "reported_on" in result.output
    assert tasks(ctx, "DROPOUT_CONTACT") == []


def test_outreach_list_queues_one_item_per_young_person_not_in_a_cai_queue(
    ctx, actor_for, db_url, tmp_path
):
    from tests.counsellor.conftest import new_case

    clock.set_now(T0)
    held = new_case(ctx, "cai.besk.1", age=20)
    with read_session(ctx.engine) as session:
        held_cpr = session.get(YoungPerson, held.person_id).cpr  # type: ignore[union-attr]
    lines = [
        "cpr;navn",
        f"{held_cpr};{held.name}",  # in cai.besk.1's queue already
        f"{ADULT};Bo Opsøgesen",  # 22: outreach
        f"{cpr_for(dt.date(2000, 1, 1), 206)};Kaj Voksen",  # 26: outreach is for 15-24
    ]
    path = write(tmp_path, "liste.csv", lines)
    plain = invoke(db_url, str(path))  # the default stays the plain list import
    assert plain.exit_code == 0, plain.output
    assert tasks(ctx, "OUTREACH") == []
    result = invoke(db_url, "--kind", "outreach", str(path))
    assert result.exit_code == 0, result.output
    assert "1 opsøgende opgaver" in result.output
    (item,) = tasks(ctx, "OUTREACH")
    assert item.staff_id == actor_for("cai.vejl.1").id and item.due == dt.date(2026, 11, 17)
    again = invoke(db_url, "--kind", "outreach", str(path))
    assert "0 opsøgende opgaver" in again.output and len(tasks(ctx, "OUTREACH")) == 1
    data = json.loads(
        runner.invoke(
            app, ["queue", "--json", "--kind", "OUTREACH", "--db", db_url, "--as", "cai.vejl.1"]
        ).stdout
    )
    assert [d["name"] for d in data] == ["Bo Opsøgesen"]


def test_the_report_counts_dropout_deadlines_met_and_missed(ctx, actor_for, db_url, tmp_path):
    clock.set_now(dt.datetime(2026, 4, 8, 10, 0))
    path = write(
        tmp_path,
        "f.csv",
        ["cpr;name;reported_on", f"{MINOR};Ida Frafaldsen;01-04-2026", f"{ADULT};Bo;07-04-2026"],
    )
    assert invoke(db_url, "--kind", "dropouts", str(path)).exit_code == 0
    contact = tasks(ctx, "DROPOUT_CONTACT")
    vejl1, vejl2 = actor_for("cai.vejl.1"), actor_for("cai.vejl.2")
    outcomes.complete_task(ctx, vejl1, contact[0].id)  # type: ignore[arg-type] # in time
    clock.set_now(dt.datetime(2026, 5, 5, 10, 0))
    outcomes.complete_task(ctx, vejl2, contact[1].id)  # type: ignore[arg-type] # late
    report = steering_report(ctx, actor_for("cai.leder"), Quarter(2026, 2))
    assert dict(report.deadlines["DROPOUT_CONTACT"]) == {"MET": 1, "MISSED": 1, "OPEN": 0}
    # Ida's offer (due 1 May) was never recorded: missed; Bo's (due 7 May) is still open.
    assert dict(report.deadlines["ACTIVITY_OFFER"]) == {"MET": 0, "MISSED": 1, "OPEN": 1}
    shown = runner.invoke(
        app, ["report", "--quarter", "2026Q2", "--db", db_url, "--as", "cai.leder"]
    )
    assert shown.exit_code == 0 and "uddannelsespligtens frister" in shown.output
