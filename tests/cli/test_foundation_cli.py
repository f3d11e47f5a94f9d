"""The foundation commands as IT and a new user run them."""

from __future__ import annotations

import json
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ungehus_tui.cli import app

runner = CliRunner()


def test_help_lists_the_commands() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("init", "demo", "run", "staff", "triage"):
        assert command in result.output


@pytest.mark.parametrize("command", [["init"], ["demo"], ["run"], ["staff", "list"]])
def test_every_command_has_help_and_db(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "--db" in result.output


def test_init_twice_changes_nothing(db_url: str) -> None:
    first = runner.invoke(app, ["init", "--db", db_url])
    assert first.exit_code == 0, first.output
    assert "initialised" in first.output
    second = runner.invoke(app, ["init", "--db", db_url])
    assert second.exit_code == 0
    assert "already up to date" in second.output


def test_staff_list_json(db_url: str) -> None:
    runner.invoke(app, ["init", "--db", db_url])
    result = runner.invoke(app, ["staff", "list", "--json", "--db", db_url])
    assert result.exit_code == 0
    staff = json.loads(result.stdout)
    logins = {s["login"] for s in staff}
    assert {"rec.1", "cbu.vejl.1", "it.admin"} <= logins
    assert all({"login", "name", "role", "center"} <= set(s) for s in staff)


def test_demo_fills_database(db_url: str) -> None:
    result = runner.invoke(app, ["demo", "--db", db_url, "--persons", "120"])
    assert result.exit_code == 0, result.output
    assert "120 young people" in result.output


@pytest.mark.sqlite_only
def test_demo_300_file_acceptance(tmp_path: Path) -> None:
    """Issue 2's 'done when': WAL, 0600, alembic_version, 300 young people, init idempotent."""
    db = tmp_path / "x.db"
    done = subprocess.run(
        [sys.executable, "-m", "ungehus_tui", "demo", "--db", str(db), "--persons", "300"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("SELECT count(*) FROM alembic_version").fetchone()[0] == 1
        assert conn.execute("SELECT count(*) FROM young_person").fetchone()[0] == 300
        before = conn.execute("SELECT count(*), max(updated_at) FROM staff").fetchone()
    again = runner.invoke(app, ["init", "--db", str(db)])
    assert again.exit_code == 0 and "already up to date" in again.output
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*), max(updated_at) FROM staff").fetchone() == before


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda p: str(p / "no" / "such" / "dir.db"), "Folder does not exist"),
        (
            lambda p: (p / "n.db").write_text("hello, not a database") and str(p / "n.db"),
            "Not an SQLite database",
        ),
    ],
)
def test_bad_db_gives_one_clear_line(tmp_path: Path, setup, message: str) -> None:
    target = setup(tmp_path)
    result = runner.invoke(app, ["init", "--db", target])
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output


def test_broken_org_file_names_file_line_field(tmp_path: Path, db_url: str, monkeypatch) -> None:
    org = tmp_path / "org.toml"
    org.write_text(
        '[municipality]\nname = "X"\n\n[[centers]]\ncode = "CBU"\nname = "C"\n\n'
        '[[rooms]]\nname = "R"\nseats = 0\n\n[office_hours]\nmon = ["08:00", "16:00"]\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("UNGEHUS_ORG_FILE", str(org))
    result = runner.invoke(app, ["init", "--db", db_url])
    assert result.exit_code == 1
    assert f"{org}:10" in result.output and "rooms.0.seats" in result.output


def test_settings_come_from_config_file_and_environment(tmp_path: Path, monkeypatch) -> None:
    from ungehus_tui.settings import load_settings

    config = tmp_path / "config.toml"
    config.write_text("idle_lock_minutes = 9\nteam_meeting_minutes = 75\n", encoding="utf-8")
    monkeypatch.setenv("UNGEHUS_CONFIG", str(config))
    monkeypatch.setenv("UNGEHUS_TEAM_MEETING_MINUTES", "90")
    settings = load_settings()
    assert settings.idle_lock_minutes == 9
    assert settings.team_meeting_minutes == 90
