"""No command prints a Python traceback, ever (issue 12).

A table of invocations that used to crash (or could): each runs as a real process
(`python -m ungehus_tui ...`, the user's environment stripped of UNGEHUS_ variables) and must
end with exactly one line on stderr, no "Traceback", exit 1 or 2. Read-only commands on a
missing database file do not create it. Database files more open than 0600 are tightened with
one notice. The entry point's last-resort guard turns any unexpected exception into one line.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.cprgen import make_cpr
from ungehus_tui.logsafe import CPR_LIKE

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class World:
    """The files the invocations point at (made once per module)."""

    tmp: Path
    db: Path  # an initialised SQLite database, mode 0600
    env: dict[str, str] = field(default_factory=dict)

    def run(
        self, args: list[str], env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "ungehus_tui", *args],
            capture_output=True,
            text=True,
            env={**self.env, **(env or {})},
            cwd=self.tmp,
            stdin=subprocess.DEVNULL,
            timeout=120,
            check=False,
        )


def _clean_env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("UNGEHUS_")}
    env.update(
        UNGEHUS_CONFIG=str(tmp / "no-config.toml"),
        UNGEHUS_DATA_DIR=str(tmp / "data"),
        UNGEHUS_ICS_DIR=str(tmp / "ics"),
        UNGEHUS_PSEUDONYM_KEY="test-pseudonym-key",
        XDG_CONFIG_HOME=str(tmp / "xdg-config"),
        XDG_DATA_HOME=str(tmp / "xdg-data"),
        COLUMNS="200",
        TERM="dumb",
        PYTHONPATH=str(ROOT),
    )
    return env


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    tmp = tmp_path_factory.mktemp("notb")
    w = World(tmp=tmp, db=tmp / "u.db", env=_clean_env(tmp))
    done = w.run(["init", "--db", str(w.db)])
    assert done.returncode == 0, done.stderr
    (tmp / "empty.db").write_bytes(b"")
    with sqlite3.connect(tmp / "foreign.db") as conn:
        conn.execute("CREATE TABLE kunder (navn TEXT)")
    (tmp / "not-a-db.txt").write_text("hello, not a database\n" * 3, encoding="utf-8")
    (tmp / "a-file").write_text("x", encoding="utf-8")
    (tmp / "bad.toml").write_text("idle_lock_minutes = [\n", encoding="utf-8")
    good = make_cpr(dt.date(2005, 1, 1), hyphen=False)
    (tmp / "list.csv").write_text(
        f"cpr,name\n{good},Ung Prøvesen\nnot-a-cpr,Afvist Prøvesen\n", encoding="utf-8"
    )
    return w


AS_ADMIN = ["--db", "{db}", "--as", "it.admin"]
# (id, args, extra environment, a path that must not exist afterwards)
CASES: list[tuple[str, list[str], dict[str, str], str | None]] = [
    ("bogus url", ["init", "--db", "bogus://x"], {}, None),
    ("mysql url", ["init", "--db", "mysql://u:p@localhost/ungehus"], {}, None),
    ("pg url bad port", ["init", "--db", "postgresql+psycopg://u@h:notaport/d"], {}, None),
    ("pg url no driver", ["staff", "list", "--db", "postgresql://u@h:port/d"], {}, None),
    ("db empty", ["staff", "list", "--db", ""], {}, None),
    ("db memory", ["init", "--db", ":memory:"], {}, ":memory:"),
    ("db sqlite memory url", ["init", "--db", "sqlite://"], {}, None),
    ("db folder", ["staff", "list", "--db", "{tmp}"], {}, None),
    ("db not sqlite", ["staff", "list", "--db", "{tmp}/not-a-db.txt"], {}, None),
    ("staff list missing", ["staff", "list", "--db", "{tmp}/m1.db"], {}, "{tmp}/m1.db"),
    ("audit verify missing", ["audit", "verify", "--db", "{tmp}/m2.db"], {}, "{tmp}/m2.db"),
    ("queue missing", ["queue", "--db", "{tmp}/m3.db", "--as", "rec.1"], {}, "{tmp}/m3.db"),
    (
        "audit show missing",
        ["audit", "show", "--person", "0101051234", "--db", "{tmp}/m4.db", "--as", "it.admin"],
        {},
        "{tmp}/m4.db",
    ),
    (
        "report missing",
        ["report", "--quarter", "2026Q1", "--db", "{tmp}/m5.db", "--as", "it.admin"],
        {},
        "{tmp}/m5.db",
    ),
    (
        "export missing db",
        ["export", "--out", "{tmp}/ex", "--db", "{tmp}/m6.db", "--as", "it.admin"],
        {},
        "{tmp}/m6.db",
    ),
    (
        "default db missing",
        ["staff", "list"],
        {},
        "{tmp}/data/ungehus.db",
    ),
    ("restore empty", ["restore", "{tmp}/empty.db", "--to", "{tmp}/r1.db"], {}, "{tmp}/r1.db"),
    (
        "restore foreign",
        ["restore", "{tmp}/foreign.db", "--to", "{tmp}/r2.db"],
        {},
        "{tmp}/r2.db",
    ),
    (
        "report 0000Q1",
        ["report", "--quarter", "0000Q1", "--db", "{db}", "--as", "it.admin"],
        {},
        None,
    ),
    (
        "report 9999Q4",
        ["report", "--quarter", "9999Q4", "--db", "{db}", "--as", "it.admin"],
        {},
        None,
    ),
    (
        "report out missing folder",
        ["report", "--quarter", "2026Q1", "--out", "{tmp}/nope/r.html", *AS_ADMIN],
        {},
        "{tmp}/nope",
    ),
    (
        "report out folder",
        ["report", "--quarter", "2026Q1", "--out", "{tmp}", "--db", "{db}", "--as", "it.admin"],
        {},
        None,
    ),
    (
        "import rejects unwritable",
        ["import", "{tmp}/list.csv", "--rejects", "{tmp}/a-file/rejects.csv", *AS_ADMIN],
        {},
        None,
    ),
    (
        "import rejects folder",
        ["import", "{tmp}/list.csv", "--rejects", "{tmp}", "--db", "{db}", "--as", "it.admin"],
        {},
        None,
    ),
    (
        "backup out missing folder",
        ["backup", "--out", "{tmp}/nope/b.db", "--db", "{db}", "--as", "it.admin"],
        {},
        "{tmp}/nope",
    ),
    (
        "retention months abc",
        ["retention", "--db", "{db}", "--as", "it.admin"],
        {"UNGEHUS_RETENTION_MONTHS": "abc"},
        None,
    ),
    (
        "config malformed",
        ["staff", "list", "--db", "{db}"],
        {"UNGEHUS_CONFIG": "{tmp}/bad.toml"},
        None,
    ),
    ("bad timezone", ["staff", "list", "--db", "{db}"], {"UNGEHUS_TIMEZONE": "Mars/Base"}, None),
    ("bad busy timeout", ["staff", "list", "--db", "{db}"], {"UNGEHUS_BUSY_TIMEOUT_MS": "x"}, None),
    ("bad org file", ["init", "--db", "{tmp}/o.db"], {"UNGEHUS_ORG_FILE": "{tmp}/bad.toml"}, None),
]


def _fill(text: str, w: World) -> str:
    return text.replace("{tmp}", str(w.tmp)).replace("{db}", str(w.db))


def _people(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT count(*) FROM young_person").fetchone()[0])


@pytest.mark.parametrize(
    ("args", "env", "absent"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_one_line_no_traceback(
    world: World, args: list[str], env: dict[str, str], absent: str | None
) -> None:
    people_before = _people(world.db)
    done = world.run([_fill(a, world) for a in args], {k: _fill(v, world) for k, v in env.items()})
    assert done.returncode in (1, 2), (done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr + done.stdout
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("Error: "), lines[0]
    if absent is not None:
        assert not Path(_fill(absent, world)).exists()
    assert _people(world.db) == people_before  # nothing committed (the import's good row)
    assert stat.S_IMODE(world.db.stat().st_mode) == 0o600


def test_import_reasons_are_not_lost(world: World) -> None:
    """The rejects path is checked before anything is committed; a good path then works."""
    before = _people(world.db)
    target = world.tmp / "ok.rejects.csv"
    args = ["import", str(world.tmp / "list.csv"), "--rejects", str(target)]
    done = world.run([*args, "--db", str(world.db), "--as", "it.admin"])
    assert done.returncode == 1, done.stderr  # one row rejected
    assert _people(world.db) == before + 1
    assert "not-a-cpr" in target.read_text(encoding="utf-8")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


@pytest.mark.sqlite_only
def test_open_database_file_is_tightened_with_one_notice(world: World) -> None:
    db = world.tmp / "open.db"
    assert world.run(["init", "--db", str(db)]).returncode == 0
    os.chmod(db, 0o644)
    wal = Path(f"{db}-wal")
    if wal.exists():
        os.chmod(wal, 0o666)
    first = world.run(["staff", "list", "--db", str(db)])
    assert first.returncode == 0, first.stderr
    notices = first.stderr.strip().splitlines()
    assert len(notices) == 1 and "600" in notices[0] and "open.db" in notices[0]
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    if wal.exists():
        assert stat.S_IMODE(wal.stat().st_mode) == 0o600
    again = world.run(["staff", "list", "--db", str(db)])
    assert again.returncode == 0 and again.stderr == ""


def test_in_process_open_store_tightens_and_says_it_once(tmp_path: Path) -> None:
    from ungehus_tui.data import engine as engine_mod
    from ungehus_tui.settings import load_settings
    from ungehus_tui.store import init_store, open_store

    db = tmp_path / "x.db"
    settings = load_settings(db=str(db), data_dir=tmp_path / "data")
    init_store(settings)[0].engine.dispose()
    said: list[str] = []
    old = engine_mod.notice
    engine_mod.notice = said.append
    try:
        for _ in range(2):
            os.chmod(db, 0o640)
            open_store(settings).engine.dispose()
            assert stat.S_IMODE(db.stat().st_mode) == 0o600
    finally:
        engine_mod.notice = old
    assert len(said) == 1


@pytest.mark.parametrize(
    "boom",
    [
        lambda: (_ for _ in ()).throw(RuntimeError("Navn Navnesen 010105-1234 brød alt")),
        lambda: (_ for _ in ()).throw(KeyError("0101051234")),
    ],
    ids=["RuntimeError", "KeyError"],
)
def test_last_resort_guard_is_one_scrubbed_line(
    boom: Callable[[], None],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    """A bug no command foresaw: one line, exit 1, no traceback, no name, no CPR."""
    from ungehus_tui import cli

    monkeypatch.setattr("ungehus_tui.settings.load_settings", lambda **kw: boom())
    monkeypatch.setattr(sys, "argv", ["ungehus", "staff", "list", "--db", str(tmp_path / "x.db")])
    with pytest.raises(SystemExit) as ended:
        cli.main()
    assert ended.value.code == 1
    out = capsys.readouterr()
    assert len(out.err.strip().splitlines()) == 1, out.err
    assert "Traceback" not in out.err + out.out
    assert "Navnesen" not in out.err and not CPR_LIKE.search(out.err.replace("-XXXX", ""))
    assert "unexpected" in out.err
