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
from ungehus_tui.data.engine import read_session
from ungehus_tui.data.models import AuditEvent, YoungPerson
from ungehus_tui.domain import clock
from ungehus_tui.services.people import PersonIn, register_person
from ungehus_tui.services.tabular import Dialect, read_rows

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
    register_person(ctx, actor_for("rec.1"), PersonIn(KNOWN, "Noah Testholm"))
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
