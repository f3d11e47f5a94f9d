from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.dataio.conftest import T0, World, at
from ungehus_tui.data import migrate
from ungehus_tui.data.engine import read_session
from ungehus_tui.data.models import AuditEvent, ExportWatermark, YoungPerson
from ungehus_tui.domain import clock
from ungehus_tui.services.dataio import retention
from ungehus_tui.services.dataio.export import pseudonym, run_export, watermark
from ungehus_tui.services.dataio.tabular import Dialect, neutralise
from ungehus_tui.services.errors import PermissionDenied, ServiceError

LATER = T0 + dt.timedelta(hours=1)


def build(world: World) -> list[YoungPerson]:
    day = T0.date() - dt.timedelta(days=3)
    people = []
    for i, (birth, name) in enumerate(
        [
            (dt.date(2006, 3, 1), "=Søren Prøvesen"),
            (dt.date(2010, 5, 5), "Ida Eksempelgaard"),
            (dt.date(2001, 1, 2), "Ali Fiktivholm"),
        ]
    ):
        p = world.person(birth, name, at(day, 9 + i))
        world.intake(p, at(day, 9 + i), lead="CAI")
        world.meeting(p, at(day + dt.timedelta(days=1)))
        world.assign(p, "cai.vejl.1", at(day, 9 + i))
        people.append(p)
    world.handover(people[0], "EDUCATION_START", at(day, 12))
    world.extras(people[1], at(day, 13))
    world.session.commit()
    return people


def read_csv(path: Path, dialect: Dialect) -> list[list[str]]:
    raw = path.read_bytes()
    if dialect is Dialect.EXCEL_DA:
        assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    delim = ";" if dialect is Dialect.EXCEL_DA else ","
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delim))


def test_round_trip_excel_da(ctx, world, actor_for, tmp_path):
    people = build(world)
    clock.set_now(LATER)
    out = tmp_path / "out"
    result = run_export(ctx, actor_for("it.admin"), out)

    folder = out / "latest"
    assert folder.resolve() == result.folder.resolve()
    assert oct(result.folder.stat().st_mode & 0o777) == "0o700"
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["schema_version"] == migrate.HEAD_REVISION
    assert manifest["since"] is None
    names = {f["name"] for f in manifest["files"]}
    assert {
        "young_people.csv",
        "intakes.csv",
        "decisions.csv",
        "meetings.csv",
        "meeting_participants.csv",
        "assignments.csv",
        "handovers.csv",
        "consents.csv",
        "education_plans.csv",
        "plan_interventions.csv",
        "tasks.csv",
    } <= names
    for entry in manifest["files"]:
        path = folder / entry["name"]
        assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"]
        assert oct(path.stat().st_mode & 0o777) == "0o600"
        assert len(read_csv(path, Dialect.EXCEL_DA)) == entry["rows"] + 1
    by_name = {f["name"]: f["rows"] for f in manifest["files"]}
    assert by_name["young_people.csv"] == 3
    assert by_name["meeting_participants.csv"] == 3
    assert by_name["plan_interventions.csv"] == 1

    rows = read_csv(folder / "young_people.csv", Dialect.EXCEL_DA)
    assert rows[0] == [
        "pseudonym",
        "birth_year",
        "case_open",
        "anonymised_at",
        "created_at",
        "updated_at",
    ]
    key = ctx.settings.pseudonym_key
    assert [r[0] for r in rows[1:]] == [pseudonym(key, p.id) for p in people]
    assert rows[1][1] == "2006" and rows[1][2] == "1"
    assert rows[1][4] == "07-11-2026 09:00"  # local time, dd-mm-yyyy HH:MM
    intakes = read_csv(folder / "intakes.csv", Dialect.EXCEL_DA)
    assert intakes[1][intakes[0].index("intake_date")] == "07-11-2026"
    assert intakes[1][intakes[0].index("lead_center")] == "CAI"

    everything = b"".join(p.read_bytes() for p in folder.iterdir())
    for p in people:  # no CPR (with or without hyphen), no names, no free text
        assert p.cpr.encode() not in everything
        assert f"{p.cpr[:6]}-{p.cpr[6:]}".encode() not in everything
        assert p.name.encode() not in everything
    for secret in ("Hemmelig", "Kontakt Prøvesen"):
        assert secret.encode() not in everything
    assert watermark(ctx) == clock.at_local(LATER) - dt.timedelta(
        seconds=ctx.settings.export_lag_seconds
    )


def test_include_cpr_needs_the_right_and_is_audited(ctx, world, actor_for, tmp_path):
    people = build(world)
    clock.set_now(LATER)
    with pytest.raises(PermissionDenied):
        run_export(ctx, actor_for("cbu.leder"), tmp_path / "x", include_cpr=True)
    result = run_export(ctx, actor_for("it.admin"), tmp_path / "out", include_cpr=True)
    rows = read_csv(result.folder / "young_people.csv", Dialect.EXCEL_DA)
    assert rows[1][rows[0].index("cpr")] == f"{people[0].cpr[:6]}-{people[0].cpr[6:]}"
    assert rows[1][rows[0].index("name")] == "'=Søren Prøvesen"  # formula neutralised
    with read_session(ctx.engine) as session:
        actions = session.execute(select(AuditEvent.action)).scalars().all()
    assert "EXPORT_CPR" in actions and "EXPORT" in actions
    assert watermark(ctx) is None  # the CPR export keeps its own watermark


def test_a_contact_persons_name_and_phone_are_not_exported(ctx, world, actor_for, tmp_path):
    """A contact person outside the municipality (org. f) is a non-staff person: the name
    (and an external actor's) goes out only with --include-cpr, the phone never."""
    people = build(world)
    contact = world.assign(people[2], "cai.vejl.1", at(T0.date(), 8), kind="CONTACT_PERSON")
    contact.staff_id = None
    contact.contact_name = "Hanne Fiktivsen"
    contact.contact_org = "Fiktiv Idrætsforening"
    contact.contact_phone = "12345678"
    contact.external_actor = "Bo Eksempelsen"
    world.session.add(contact)
    world.session.commit()
    clock.set_now(LATER)
    plain = run_export(ctx, actor_for("it.admin"), tmp_path / "plain")
    raw = (plain.folder / "assignments.csv").read_text(encoding="utf-8-sig")
    header = read_csv(plain.folder / "assignments.csv", Dialect.EXCEL_DA)[0]
    assert "contact_org" in header and "Fiktiv Idrætsforening" in raw  # an organisation
    for absent in ("contact_name", "contact_phone", "external_actor"):
        assert absent not in header
    assert "Hanne" not in raw and "12345678" not in raw and "Bo Eksempelsen" not in raw
    full = run_export(ctx, actor_for("it.admin"), tmp_path / "full", include_cpr=True)
    rows = read_csv(full.folder / "assignments.csv", Dialect.EXCEL_DA)
    named = [r for r in rows[1:] if r[rows[0].index("contact_name")] == "Hanne Fiktivsen"]
    assert len(named) == 1 and named[0][rows[0].index("external_actor")] == "Bo Eksempelsen"
    assert "contact_phone" not in rows[0]
    assert "12345678" not in (full.folder / "assignments.csv").read_text(encoding="utf-8-sig")


def test_incremental_second_export_is_header_only(ctx, world, actor_for, tmp_path):
    people = build(world)
    clock.set_now(LATER)
    admin = actor_for("it.admin")
    out = tmp_path / "out"
    first = run_export(ctx, admin, out)
    assert first.rows > 0
    second = run_export(ctx, admin, out)
    assert second.since == first.until and second.rows == 0
    for f in second.files:
        assert len(read_csv(second.folder / f.name, Dialect.EXCEL_DA)) == 1  # header only
    assert first.folder.exists() and (out / "latest").resolve() == second.folder.resolve()

    clock.set_now(LATER + dt.timedelta(minutes=10))
    with world.session.begin():
        p = world.session.get(YoungPerson, people[1].id)
        p.phone = "12345678"
        p.updated_at = clock.now()
    clock.set_now(LATER + dt.timedelta(minutes=20))
    third = run_export(ctx, admin, out, dialect=Dialect.JSONL)
    counts = {f.name: f.rows for f in third.files}
    assert counts["young_people.jsonl"] == 1 and third.rows == 1
    line = json.loads((third.folder / "young_people.jsonl").read_text())
    assert line["pseudonym"] == pseudonym(ctx.settings.pseudonym_key, people[1].id)
    assert line["case_open"] is True and line["updated_at"].endswith("+00:00")
    assert line["birth_year"] == 2010 and "cpr" not in line


def test_full_and_rfc4180(ctx, world, actor_for, tmp_path):
    build(world)
    clock.set_now(LATER)
    admin = actor_for("it.admin")
    run_export(ctx, admin, tmp_path / "out")
    full = run_export(ctx, admin, tmp_path / "out", full=True, dialect=Dialect.RFC4180)
    rows = read_csv(full.folder / "intakes.csv", Dialect.RFC4180)
    assert len(rows) == 4
    assert rows[1][rows[0].index("intake_date")] == "2026-11-07"
    assert not (full.folder / "intakes.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_no_pseudonym_key_refuses_with_help_for_it(ctx, actor_for, tmp_path):
    bare = ctx.__class__(
        engine=ctx.engine, settings=ctx.settings.model_copy(update={"pseudonym_key": None})
    )
    with pytest.raises(ServiceError) as err:
        run_export(bare, actor_for("it.admin"), tmp_path / "out")
    assert "UNGEHUS_PSEUDONYM_KEY" in err.value.message
    assert not (tmp_path / "out").exists()


def test_only_admin_exports(ctx, actor_for, tmp_path):
    with pytest.raises(PermissionDenied):
        run_export(ctx, actor_for("rec.1"), tmp_path / "out")


def test_neutralise():
    assert [neutralise(s) for s in ("=1+1", "+45", "-2", "@x", "\tx", "ok")] == [
        "'=1+1",
        "'+45",
        "'-2",
        "'@x",
        "'\tx",
        "ok",
    ]


def _cli(db_url: str, out: Path, env_extra: dict[str, str]) -> subprocess.Popen[str]:
    env = {**os.environ, **env_extra}
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ungehus_tui",
            "export",
            "--db",
            db_url,
            "--as",
            "it.admin",
            "--out",
            str(out),
        ],
        env=env,
        stderr=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )


def test_killed_run_changes_nothing(ctx, world, actor_for, tmp_path, db_url):
    build(world)
    clock.set_now(LATER)
    out = tmp_path / "out"
    first = run_export(ctx, actor_for("it.admin"), out)
    mark = watermark(ctx)
    # a change after the first export, then a run killed after its first file
    with world.session.begin():
        p = world.session.execute(select(YoungPerson)).scalars().first()
        p.updated_at = dt.datetime.now(dt.UTC)
    proc = _cli(db_url, out, {"UNGEHUS_EXPORT_TEST_PAUSE": "60", "UNGEHUS_EXPORT_LAG_SECONDS": "0"})
    assert proc.stderr is not None
    line = proc.stderr.readline()
    assert line.startswith("paused after "), line  # a first file made (the heaviest first)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    visible = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    assert visible == sorted([first.folder.name, "latest"])
    assert (out / "latest").resolve() == first.folder.resolve()
    assert watermark(ctx) == mark
    assert list(out.glob(".tmp-*"))  # the half-written folder, hidden

    proc = _cli(db_url, out, {"UNGEHUS_EXPORT_LAG_SECONDS": "0"})
    assert proc.wait() == 0, proc.stderr.read() if proc.stderr else ""
    assert not list(out.glob(".tmp-*"))
    latest = (out / "latest").resolve()
    assert latest != first.folder.resolve()
    manifest = json.loads((latest / "manifest.json").read_text())
    assert {f["name"]: f["rows"] for f in manifest["files"]}["young_people.csv"] == 1
    with read_session(ctx.engine) as session:
        assert session.execute(select(func.count()).select_from(ExportWatermark)).scalar() == 1


def test_cli_export_to_a_folder_it_cannot_make_is_one_line(ctx, world, db_url, tmp_path):
    """A bad --out (here under a plain file) was a Python traceback; now one line, exit 1."""
    build(world)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    proc = _cli(db_url, blocker / "exports", {"UNGEHUS_PSEUDONYM_KEY": "k" * 32})
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 1, err
    assert "Traceback" not in err and err.startswith("Error: Not a directory")
    assert str(blocker) in err and err.count("\n") == 1


def test_include_cpr_excel_da_writes_the_cpr_with_a_hyphen(ctx, world, actor_for, tmp_path):
    """Excel reads 10 digits as a number and drops the leading zero (0101054001 -> 101054001);
    `DDMMYY-SSSS` stays text. The other dialects keep the stored 10 digits."""
    zero = world.person(dt.date(2006, 1, 1), "Nul Foranholm", at(T0.date(), 9))
    assert zero.cpr.startswith("0")
    world.session.commit()
    clock.set_now(LATER)
    admin = actor_for("it.admin")
    excel = run_export(ctx, admin, tmp_path / "x", include_cpr=True)
    rows = read_csv(excel.folder / "young_people.csv", Dialect.EXCEL_DA)
    hyphened = f"{zero.cpr[:6]}-{zero.cpr[6:]}"
    assert rows[1][rows[0].index("cpr")] == hyphened
    assert zero.cpr.encode() not in (excel.folder / "young_people.csv").read_bytes()
    plain = run_export(
        ctx, admin, tmp_path / "r", include_cpr=True, full=True, dialect=Dialect.RFC4180
    )
    rows = read_csv(plain.folder / "young_people.csv", Dialect.RFC4180)
    assert rows[1][rows[0].index("cpr")] == zero.cpr
    lines = run_export(
        ctx, admin, tmp_path / "j", include_cpr=True, full=True, dialect=Dialect.JSONL
    )
    assert json.loads((lines.folder / "young_people.jsonl").read_text())["cpr"] == zero.cpr


def test_pseudonym_survives_anonymisation(ctx, world, actor_for, tmp_path):
    """Export, anonymise through the retention service, export again: the same pseudonym,
    `anonymised_at` set, the intakes still under that pseudonym (BI can link them)."""
    quiet = world.person(dt.date(2004, 3, 1), "Stille Prøvesen", at(T0.date(), 9), case_open=False)
    busy = world.person(dt.date(2005, 4, 2), "Travl Eksempel", at(T0.date(), 9), case_open=False)
    world.intake(quiet, at(T0.date(), 9), lead="CAI")
    world.intake(busy, at(T0.date(), 9), lead="CAI")
    world.session.commit()
    clock.set_now(LATER)
    admin = actor_for("it.admin")
    out = tmp_path / "out"
    before = run_export(ctx, admin, out, dialect=Dialect.JSONL)

    def lines(folder: Path, name: str) -> list[dict[str, object]]:
        return [json.loads(x) for x in (folder / f"{name}.jsonl").read_text().splitlines()]

    first = {r["pseudonym"]: r for r in lines(before.folder, "young_people")}
    assert len(first) == 2 and all(r["anonymised_at"] is None for r in first.values())
    intake_owner = {r["id"]: r["pseudonym"] for r in lines(before.folder, "intakes")}

    later = LATER + dt.timedelta(days=31 * (ctx.settings.retention_months + 1))
    clock.set_now(later)
    with world.session.begin():  # the busy one was active lately: retention keeps it
        p = world.session.get(YoungPerson, busy.id)
        p.updated_at = clock.now() - dt.timedelta(days=1)
    done = retention.apply(ctx, admin)
    assert [c.person_id for c in done] == [quiet.id]

    clock.set_now(later + dt.timedelta(hours=1))
    after = run_export(ctx, admin, out, dialect=Dialect.JSONL)  # incremental
    changed = lines(after.folder, "young_people")
    anonymised = next(r for r in changed if r["anonymised_at"] is not None)
    assert anonymised["pseudonym"] in first  # the same pseudonym as before
    assert anonymised["birth_year"] == 2004
    with read_session(ctx.engine) as session:
        stored = session.get(YoungPerson, quiet.id)
        assert stored is not None and stored.anonymised_at is not None
    assert anonymised["pseudonym"] == pseudonym(ctx.settings.pseudonym_key, quiet.id)

    full = run_export(ctx, admin, tmp_path / "full", full=True, dialect=Dialect.JSONL)
    people_now = {r["pseudonym"]: r for r in lines(full.folder, "young_people")}
    assert people_now.keys() == first.keys()
    for intake in lines(full.folder, "intakes"):
        assert intake["pseudonym"] == intake_owner[intake["id"]]  # still linked
    assert {i["pseudonym"] for i in lines(full.folder, "intakes")} == set(first)
