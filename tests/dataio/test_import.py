from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select
from typer.testing import CliRunner

from tests.dataio.conftest import T0, cpr_for
from ungehus_tui.cli import app
from ungehus_tui.data.engine import read_session, write_session
from ungehus_tui.data.models import Assignment, AuditEvent, Task, YoungPerson
from ungehus_tui.domain import clock
from ungehus_tui.domain.codes import TaskKind
from ungehus_tui.services.casework.queue import queue_for
from ungehus_tui.services.dataio.tabular import Dialect, detect_dialect, read_rows
from ungehus_tui.services.desk.people import PersonInput, register_person

runner = CliRunner()

ADULT = cpr_for(dt.date(2004, 2, 3), 101)  # 22 on T0
ADULT2 = cpr_for(dt.date(2001, 6, 7), 102)  # 25
MINOR = cpr_for(dt.date(2010, 8, 9), 103)  # 16
MINOR2 = cpr_for(dt.date(2010, 8, 9), 104)
OLD = "0101954123"  # 31
KNOWN = cpr_for(dt.date(2003, 4, 5), 105)


def outreach_list() -> str:
    rows = [
        "cpr;navn;telefon;email;situation;guardian_name",
        f"{ADULT[:6]}-{ADULT[6:]};Freja Prøvesen;12345678;freja@eksempel.dk;ingen;",
        f"{ADULT2};Mads Eksempelgaard;;;job;",
        f"{MINOR};Ida Demolund;;;grundskole;",  # under 18 without guardian
        f"{MINOR2};Emil Demolund;;;grundskole;Hanne Demolund",
        f"{OLD};Jens Fiktivsen;;;ingen;",  # 31
        "12345;Asta Skitsebæk;;;ingen;",  # bad CPR
        f"{KNOWN};Noah Testholm;87654321;;ingen;",  # already registered, no phone
        f"{cpr_for(dt.date(2002, 1, 1), 106)};Oscar Øvelsesen;;ikke-en-mail;ingen;",
        f"{cpr_for(dt.date(2002, 1, 1), 107)};Alma Udkastdal;;;fængsel;",
        f"{ADULT2};Mads Eksempelgaard;;;job;",  # the same person twice
    ]
    return "\ufeff" + "\r\n".join(rows) + "\r\n"


def invoke(db_url: str, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["import", *args, "--db", db_url, "--as", "it.admin"])


def count(ctx) -> int:  # type: ignore[no-untyped-def]
    with read_session(ctx.engine) as session:
        return session.execute(select(func.count()).select_from(YoungPerson)).scalar_one()


def test_import_with_bad_rows_rejects_file_and_idempotence(ctx, actor_for, db_url, tmp_path):
    clock.set_now(T0)
    register_person(ctx, actor_for("rec.1"), PersonInput(KNOWN, "Noah Testholm"))
    path = tmp_path / "opsoegning.csv"
    path.write_text(outreach_list(), encoding="utf-8")

    result = invoke(db_url, str(path))
    assert result.exit_code == 1, result.output
    assert "10 rækker: 3 nye, 1 fandtes i forvejen, 1 opdateret, 5 afvist" in result.output
    rejects = tmp_path / "opsoegning.rejects.csv"
    assert oct(rejects.stat().st_mode & 0o777) == "0o600"
    dialect, header, rows = read_rows(rejects.read_bytes(), None)
    assert dialect is Dialect.EXCEL_DA and header[-1] == "fejl"
    reasons = {r["navn"]: r["fejl"] for r in rows}
    assert set(reasons) == {
        "Ida Demolund",
        "Jens Fiktivsen",
        "Asta Skitsebæk",
        "Oscar Øvelsesen",
        "Alma Udkastdal",
    }
    assert "Forælder/værge" in reasons["Ida Demolund"]
    assert "31 år" in reasons["Jens Fiktivsen"]
    assert "10 cifre" in reasons["Asta Skitsebæk"]
    assert "E-mail" in reasons["Oscar Øvelsesen"]
    assert "Situation" in reasons["Alma Udkastdal"]
    for r in rows:  # the reason never repeats the CPR
        assert r["cpr"][:6] not in r["fejl"]
    assert count(ctx) == 4
    with read_session(ctx.engine) as session:
        known = session.execute(select(YoungPerson).where(YoungPerson.cpr == KNOWN)).scalar_one()
        assert known.phone == "87654321" and known.case_open is False
        stamps = sorted(session.execute(select(YoungPerson.updated_at)).scalars())
        assert (
            session.execute(select(func.count()).where(AuditEvent.action == "IMPORT")).scalar_one()
            == 1
        )

    again = invoke(db_url, str(path), "--rejects", str(tmp_path / "r2.csv"))
    assert again.exit_code == 1
    assert "0 nye, 5 fandtes i forvejen, 0 opdateret, 5 afvist" in again.output
    assert count(ctx) == 4
    with read_session(ctx.engine) as session:
        assert sorted(session.execute(select(YoungPerson.updated_at)).scalars()) == stamps


def test_all_good_exits_0_and_jsonl(ctx, db_url, tmp_path):
    clock.set_now(T0)
    path = tmp_path / "liste.jsonl"
    path.write_text(
        f'{{"cpr": "{ADULT}", "name": "Freja Prøvesen", "phone": "+45 12345678"}}\n'
        f'{{"cpr": "{ADULT2}", "name": "Mads Eksempelgaard", "situation": "job"}}\n',
        encoding="utf-8",
    )
    result = invoke(db_url, str(path))
    assert result.exit_code == 0, result.output
    assert "2 nye" in result.output and count(ctx) == 2
    assert not (tmp_path / "liste.rejects.jsonl").exists()


def test_unusable_files_exit_2(ctx, db_url, tmp_path):
    missing = tmp_path / "a.csv"
    missing.write_text("cpr,telefon\n0101014123,12345678\n", encoding="utf-8")
    result = invoke(db_url, str(missing))
    assert result.exit_code == 2 and "name" in result.output
    binary = tmp_path / "b.csv"
    binary.write_bytes(b"\x00\x01\x02PK")
    assert invoke(db_url, str(binary)).exit_code == 2
    latin = tmp_path / "c.csv"
    latin.write_bytes("cpr;navn\n0101014123;Søren\n".encode("latin-1"))
    result = invoke(db_url, str(latin))
    assert result.exit_code == 2 and "UTF-8" in result.output
    assert invoke(db_url, str(tmp_path / "nope.csv")).exit_code == 2
    assert count(ctx) == 0


def test_only_admin_imports(ctx, db_url, tmp_path):
    path = tmp_path / "l.csv"
    path.write_text(f"cpr,name\n{ADULT},Freja Prøvesen\n", encoding="utf-8")
    result = runner.invoke(app, ["import", str(path), "--db", db_url, "--as", "rec.1"])
    assert result.exit_code == 1 and "importere lister" in result.output


def test_parallel_imports_lose_nothing_and_fail_nothing(ctx, db_url, tmp_path):
    """Three processes import overlapping lists into the same database at once."""
    today = dt.date.today()
    people = [
        (cpr_for(today.replace(year=today.year - 19 - i % 7, day=1), i), f"Test Person{i:03d}")
        for i in range(360)
    ]
    slices = [people[0:240], people[120:360], people[0:240]]
    files = []
    for n, chunk in enumerate(slices):
        path = tmp_path / f"list{n}.csv"
        path.write_text("cpr,name\n" + "".join(f"{c},{m}\n" for c, m in chunk), encoding="utf-8")
        files.append(path)
    root = Path(__file__).resolve().parents[2]
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "ungehus_tui",
                "import",
                str(f),
                "--db",
                db_url,
                "--as",
                "it.admin",
            ],
            cwd=root,
            env=dict(os.environ),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for f in files
    ]
    outcomes = [(p.wait(), p.stdout.read(), p.stderr.read()) for p in procs]  # type: ignore[union-attr]
    assert [o[0] for o in outcomes] == [0, 0, 0], outcomes
    assert count(ctx) == 360
    new = sum(int(o[1].split(": ")[1].split(" nye")[0]) for o in outcomes)
    assert new == 360


def audit_count(ctx) -> int:  # type: ignore[no-untyped-def]
    with read_session(ctx.engine) as session:
        return session.execute(select(func.count()).select_from(AuditEvent)).scalar_one()


def test_bom_with_commas_is_detected(ctx, db_url, tmp_path):
    """Excel's "CSV UTF-8" outside Denmark: a BOM, then commas."""
    assert detect_dialect(b"\xef\xbb\xbfcpr,name,phone\r\n") is Dialect.RFC4180
    assert detect_dialect(b"\xef\xbb\xbfcpr;navn;telefon\r\n") is Dialect.EXCEL_DA
    assert detect_dialect(b"\xef\xbb\xbf{") is Dialect.JSONL
    clock.set_now(T0)
    path = tmp_path / "excel-utf8.csv"
    rows = ["cpr,name,phone", f"{ADULT},Freja Prøvesen,12345678", f"{ADULT2},Mads Eksempel,"]
    path.write_text("\ufeff" + "\r\n".join(rows) + "\r\n", encoding="utf-8")
    result = invoke(db_url, str(path))
    assert result.exit_code == 0, result.output
    assert "2 rækker: 2 nye" in result.output and count(ctx) == 2
    with read_session(ctx.engine) as session:
        freja = session.execute(select(YoungPerson).where(YoungPerson.cpr == ADULT)).scalar_one()
        assert freja.name == "Freja Prøvesen" and freja.phone == "12345678"


def test_duplicate_header_names_refuse_the_whole_file(ctx, db_url, tmp_path):
    clock.set_now(T0)
    lists = {
        "same.csv": f"cpr;navn;navn\r\n{ADULT};Freja Prøvesen;Anden Person\r\n",
        "case.csv": f"cpr,name,NAME\r\n{ADULT},Freja Prøvesen,x\r\n",
        "alias.csv": f"cpr;navn;name\r\n{ADULT};Freja Prøvesen;Anden Person\r\n",
        "keys.jsonl": f'{{"cpr": "{ADULT}", "name": "Freja Prøvesen", "name": "Anden"}}\n',
    }
    before = audit_count(ctx)
    for name, text in lists.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        result = invoke(db_url, str(path))
        assert result.exit_code == 2, (name, result.output)
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in result.output, result.output
        assert "name" in lines[0].lower() and ("twice" in lines[0] or "duplicate" in lines[0])
        assert not list(tmp_path.glob("*.rejects.*")), name
    assert count(ctx) == 0 and audit_count(ctx) == before  # nothing written
    # empty (unnamed) trailing columns are not duplicates
    ok = tmp_path / "trailing.csv"
    ok.write_text(f"cpr;navn;;\r\n{ADULT};Freja Prøvesen;;\r\n", encoding="utf-8")
    assert invoke(db_url, str(ok)).exit_code == 0 and count(ctx) == 1


def test_row_with_extra_fields_is_rejected_with_a_reason(ctx, db_url, tmp_path):
    clock.set_now(T0)
    path = tmp_path / "skaev.csv"
    rows = [
        "cpr;navn;telefon",
        f"{ADULT};Freja Prøvesen;12345678",
        f"{ADULT2};Mads; Eksempel;87654321",  # an unquoted ';' in the name shifts the phone
        f"{KNOWN};Noah Testholm;;",  # an empty trailing field carries nothing: fine
    ]
    path.write_text("\ufeff" + "\r\n".join(rows) + "\r\n", encoding="utf-8")
    result = invoke(db_url, str(path))
    assert result.exit_code == 1, result.output
    assert "3 rækker: 2 nye, 0 fandtes i forvejen, 0 opdateret, 1 afvist" in result.output
    _, header, rejected = read_rows((tmp_path / "skaev.rejects.csv").read_bytes(), None)
    assert header == ["cpr", "navn", "telefon", "fejl"]
    assert [r["navn"] for r in rejected] == ["Mads"]
    assert "1 felt(er) mere" in rejected[0]["fejl"] and ADULT2[:6] not in rejected[0]["fejl"]
    with read_session(ctx.engine) as session:
        assert session.execute(select(YoungPerson).where(YoungPerson.cpr == ADULT2)).first() is None


def test_minor_without_guardian_column_is_registered_with_work_for_the_counsellor(
    ctx, actor_for, db_url, tmp_path
):
    """The import contract requires only cpr and name: a 15-17-year-old on a list without a
    guardian column is registered, and the counsellor who holds them sees the task."""
    clock.set_now(T0)
    path = tmp_path / "uu.csv"
    path.write_text(f"cpr;navn\r\n{MINOR};Ida Demolund\r\n{ADULT};Freja Prøvesen\r\n", "utf-8")
    result = invoke(db_url, str(path))
    assert result.exit_code == 0, result.output
    assert "2 nye" in result.output and "1 under 18 uden forælder/værge" in result.output
    with read_session(ctx.engine) as session:
        ida = session.execute(select(YoungPerson).where(YoungPerson.cpr == MINOR)).scalar_one()
        tasks = session.execute(select(Task).where(Task.person_id == ida.id)).scalars().all()
        assert [(t.kind, t.done_at, t.staff_id) for t in tasks] == [
            (TaskKind.GUARDIAN_MISSING, None, None)
        ]
        assert "Forælder/værge mangler" in (tasks[0].note or "")
        assert tasks[0].due > T0.date()
        freja = session.execute(select(YoungPerson).where(YoungPerson.cpr == ADULT)).scalar_one()
        assert session.execute(select(Task).where(Task.person_id == freja.id)).first() is None

    again = invoke(db_url, str(path))  # re-importing adds no second task
    assert again.exit_code == 0 and "0 nye, 2 fandtes i forvejen" in again.output
    with read_session(ctx.engine) as session:
        n = session.execute(select(func.count()).select_from(Task)).scalar_one()
        assert n == 1

    vejl = actor_for("cbu.vejl.1")
    assert not [i for i in queue_for(ctx, vejl) if i.kind == "GUARDIAN_MISSING"]
    with write_session(ctx.engine) as session:  # the desk's triage gave Ida a holder
        session.add(
            Assignment(
                person_id=ida.id,
                staff_id=vejl.id,
                center_code=vejl.center_code,
                kind="HOLDER",
                holds=True,
                created_by=vejl.id,
            )
        )
    items = [i for i in queue_for(ctx, vejl) if i.kind == "GUARDIAN_MISSING"]
    assert [(i.person_id, i.task_id) for i in items] == [(ida.id, tasks[0].id)]
    assert "Forælder/værge mangler" in items[0].detail_da
    other = actor_for("cai.vejl.1")  # not holding Ida: not their work
    assert not [i for i in queue_for(ctx, other) if i.kind == "GUARDIAN_MISSING"]
    with write_session(ctx.engine) as session:  # a guardian recorded: the work is done
        person = session.get(YoungPerson, ida.id)
        assert person is not None
        person.guardian_name = "Hanne Demolund"
        session.add(person)
    assert not [i for i in queue_for(ctx, vejl) if i.kind == "GUARDIAN_MISSING"]


def test_minor_with_an_empty_guardian_column_is_still_rejected(ctx, db_url, tmp_path):
    """A list that has the guardian column must fill it for under-18s (as the desk does)."""
    clock.set_now(T0)
    path = tmp_path / "g.csv"
    path.write_text(f"cpr;navn;værge\r\n{MINOR};Ida Demolund;\r\n", encoding="utf-8")
    result = invoke(db_url, str(path))
    assert result.exit_code == 1 and count(ctx) == 0
