from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ungehus_tui.cli import app
from ungehus_tui.services.dataio import backup
from ungehus_tui.services.errors import ServiceError

pytestmark = pytest.mark.sqlite_only

WRITER = """
import sys
from ungehus_tui.settings import load_settings
from ungehus_tui.store import open_store
from ungehus_tui.data.engine import read_session, write_session
from ungehus_tui.services.access import audit
from ungehus_tui.services.context import actor_by_login
ctx = open_store(load_settings(db=sys.argv[1]))
with read_session(ctx.engine) as s:
    actor = actor_by_login(s, "rec.1")
print("ready", flush=True)
i = 0
while True:
    with write_session(ctx.engine) as s:
        audit.record(s, actor, "SEARCH", search_term=f"løkke {i}")
    i += 1
"""


def test_backup_while_another_process_writes(ctx, db_url, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db_file = db_url.removeprefix("sqlite:///")
    env = {**os.environ, "PYTHONPATH": str(Path.cwd())}
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, db_file], stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
        outs = []
        for n in range(3):
            out = tmp_path / f"backup-{n}.db"
            result = CliRunner().invoke(
                app, ["backup", "--out", str(out), "--db", db_url, "--as", "it.admin"]
            )
            assert result.exit_code == 0, result.output
            outs.append(out)
    finally:
        writer.kill()
        writer.wait()
    for out in outs:
        assert stat.S_IMODE(out.stat().st_mode) == 0o600
        integrity, chain = backup.check_backup(out)
        assert integrity == "ok" and chain.ok
        restored = tmp_path / f"restored-{out.name}"
        result = CliRunner().invoke(app, ["restore", str(out), "--to", str(restored)])
        assert result.exit_code == 0, result.output
        assert stat.S_IMODE(restored.stat().st_mode) == 0o600
        verify = CliRunner().invoke(app, ["audit", "verify", "--db", str(restored)])
        assert verify.exit_code == 0, verify.output
        with sqlite3.connect(restored) as a, sqlite3.connect(out) as b:
            q = "SELECT id, hash FROM audit_event ORDER BY id"
            assert a.execute(q).fetchall() == b.execute(q).fetchall()
            assert a.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # the later backups hold the writer's events (it really wrote meanwhile)
    with sqlite3.connect(outs[-1]) as b:
        assert b.execute("SELECT count(*) FROM audit_event WHERE action='SEARCH'").fetchone()[0] > 0


def test_backup_refuses_existing_file_and_non_admin(ctx, db_url, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "b.db"
    out.write_text("x")
    r = CliRunner().invoke(app, ["backup", "--out", str(out), "--db", db_url, "--as", "it.admin"])
    assert r.exit_code == 1 and "findes allerede" in r.output
    r = CliRunner().invoke(
        app, ["backup", "--out", str(tmp_path / "c.db"), "--db", db_url, "--as", "rec.1"]
    )
    assert r.exit_code == 1


def test_restore_refuses_a_tampered_backup(ctx, admin, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = backup.backup(ctx, admin, tmp_path / "b.db")
    with sqlite3.connect(out) as conn:
        conn.execute("UPDATE audit_event SET detail = 'x' WHERE id = 1")
    with pytest.raises(ServiceError, match="brudt ved hændelse 1"):
        backup.restore(out, tmp_path / "r.db")
    assert not (tmp_path / "r.db").exists()


def test_postgres_url_points_to_pg_dump() -> None:
    with pytest.raises(ServiceError, match="pg_dump"):
        backup._sqlite_path("postgresql+psycopg://u@h/db")
