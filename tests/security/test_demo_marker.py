"""Demo data never touches real data (issue 12).

`ungehus demo` fills only an empty database and marks it (`store_meta` row `demo`); on any
other database it refuses with one line, exit 1, and writes nothing: no row, no password.
`ungehus run --demo` refuses the same way; `run --demo --as LOGIN` skips the sign-in only on
a marked database (exit 2 elsewhere, the app never starts).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select
from sqlmodel import SQLModel
from typer.testing import CliRunner

from tests.cprgen import make_cpr
from ungehus_tui.cli import app
from ungehus_tui.data.engine import read_session
from ungehus_tui.data.models import StoreMeta
from ungehus_tui.data.org import default_org_path
from ungehus_tui.services.access import auth
from ungehus_tui.services.errors import PermissionDenied

PW = "sikker-kode-2026"


def cli(*args: str, stdin: str | None = None) -> Any:
    return CliRunner().invoke(app, list(args), input=stdin, catch_exceptions=False)


def snapshot(url: str) -> dict[str, Any]:
    """Every table's row count, every staff member's password hash, and store_meta."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            out: dict[str, Any] = {
                name: conn.execute(select(func.count()).select_from(t)).scalar()
                for name, t in SQLModel.metadata.tables.items()
            }
            staff = SQLModel.metadata.tables["staff"]
            out["passwords"] = sorted(
                conn.execute(select(staff.c.login, staff.c.password_hash, staff.c.name)).all()
            )
            meta = SQLModel.metadata.tables["store_meta"]
            out["meta"] = sorted(conn.execute(select(meta.c.key, meta.c.value)).all())
        return out
    finally:
        engine.dispose()


@pytest.fixture
def app_runs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Records the login of every app that would start, instead of starting it."""
    from ungehus_tui.app import UngehusApp
    from ungehus_tui.startup import StartRefused

    started: list[str] = []

    def fake_run(self: UngehusApp, *args: object, **kwargs: object) -> None:
        """What the app's worker does behind the sign-in, done here: a refusal ends the app
        (nothing recorded); else the login it starts with (`sign-in`: the sign-in)."""
        if self.opener is not None:
            try:
                opened = self.opener()
            except StartRefused as refused:
                self.refusal = refused
                return
            opened.ctx.engine.dispose()
        started.append(self.actor.login if self.signed_in else "sign-in")

    monkeypatch.setattr(UngehusApp, "run", fake_run)
    return started


def _init(url: str) -> None:
    r = cli("init", "--db", url)
    assert r.exit_code == 0, r.output


def _with_person(url: str, ctx_for: Callable[[str], Any]) -> None:
    from ungehus_tui.services.context import actor_by_login
    from ungehus_tui.services.desk.people import PersonInput, register_person

    _init(url)
    ctx = ctx_for(url)
    with read_session(ctx.engine) as s:
        rec = actor_by_login(s, "rec.1")
    register_person(ctx, rec, PersonInput(make_cpr(dt.date(2008, 5, 17)), "Ægte Person"))


def _with_admin_password(url: str, ctx_for: Callable[[str], Any]) -> None:
    _init(url)
    r = cli("staff", "reset-password", "it.admin", "--password-stdin", "--db", url, stdin=PW)
    assert r.exit_code == 0, r.output


def _with_staff_added(url: str, ctx_for: Callable[[str], Any]) -> None:
    _with_admin_password(url, ctx_for)
    r = cli(
        "staff",
        "add",
        "ny.ansat",
        "--name",
        "Ny Ansat",
        "--role",
        "reception",
        "--db",
        url,
        "--as",
        "it.admin",
    )
    assert r.exit_code == 0, r.output


def _real_org_file(tmp: Path) -> Path:
    text = default_org_path().read_text(encoding="utf-8")
    org = tmp / "real-org.toml"
    org.write_text(text.replace('login = "rec.1"', 'login = "rigtig.reception"'), "utf-8")
    assert org.read_text("utf-8") != text
    return org


def _with_real_org(url: str, ctx_for: Callable[[str], Any], tmp: Path) -> None:
    mp = pytest.MonkeyPatch()
    mp.setenv("UNGEHUS_ORG_FILE", str(_real_org_file(tmp)))
    try:
        _init(url)
    finally:
        mp.undo()


@pytest.fixture
def ctx_for(tmp_path: Path):  # type: ignore[no-untyped-def]
    from ungehus_tui.settings import load_settings
    from ungehus_tui.store import open_store

    opened: list[Any] = []

    def make(url: str) -> Any:
        c = open_store(load_settings(db=url, data_dir=tmp_path / "data"))
        opened.append(c)
        return c

    yield make
    for c in opened:
        c.engine.dispose()


SETUPS = {
    "young person": lambda url, ctx_for, tmp: _with_person(url, ctx_for),
    "admin password": lambda url, ctx_for, tmp: _with_admin_password(url, ctx_for),
    "staff add": lambda url, ctx_for, tmp: _with_staff_added(url, ctx_for),
    "init with a real org file": _with_real_org,
}


@pytest.mark.parametrize("setup", SETUPS)
@pytest.mark.parametrize(
    ("command", "code"),
    [
        (("demo", "--persons", "20"), 1),
        (("run", "--demo"), 1),
        (("run", "--demo", "--as", "rec.1"), 2),
    ],
    ids=["demo", "run --demo", "run --demo --as"],
)
def test_demo_refuses_a_database_with_real_data(
    setup: str,
    command: tuple[str, ...],
    code: int,
    db_url: str,
    ctx_for: Callable[[str], Any],
    tmp_path: Path,
    app_runs: list[str],
) -> None:
    SETUPS[setup](db_url, ctx_for, tmp_path)
    before = snapshot(db_url)
    r = cli(*command, "--db", db_url)
    assert r.exit_code == code, r.output
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert "demo" in r.stderr
    assert app_runs == []
    assert snapshot(db_url) == before
    ctx = ctx_for(db_url)
    for login in ("rec.1", "cbu.vejl.1", "it.admin"):
        with pytest.raises(auth.SignInFailed):
            auth.sign_in(ctx, login, auth.DEMO_PASSWORD)


def test_demo_with_a_real_org_file_refuses_even_an_empty_database(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("UNGEHUS_ORG_FILE", str(_real_org_file(tmp_path)))
    r = cli("demo", "--persons", "5", "--db", db_url)
    assert r.exit_code == 1
    assert "organisation file" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_demo_fills_an_empty_database_and_marks_it(
    db_url: str, ctx_for: Callable[[str], Any]
) -> None:
    r = cli("demo", "--persons", "30", "--db", db_url)
    assert r.exit_code == 0, r.output
    ctx = ctx_for(db_url)
    with read_session(ctx.engine) as s:
        marker = s.get(StoreMeta, "demo")
    assert marker is not None and "30" in marker.value
    assert auth.sign_in(ctx, "rec.1", auth.DEMO_PASSWORD).login == "rec.1"
    # a second `demo` on it adds nothing
    before = snapshot(db_url)
    again = cli("demo", "--persons", "30", "--db", db_url)
    assert again.exit_code == 1
    assert "already holds demo data" in again.stderr
    assert snapshot(db_url) == before


def test_demo_after_a_plain_init_is_allowed(db_url: str) -> None:
    """`init` with the shipped file, nothing else: still empty for the demo."""
    _init(db_url)
    r = cli("demo", "--persons", "10", "--db", db_url)
    assert r.exit_code == 0, r.output
    assert snapshot(db_url)["young_person"] == 10


def test_run_demo_as_skips_sign_in_only_on_a_demo_database(
    db_url: str, new_db_url: Callable[[], str], app_runs: list[str]
) -> None:
    r = cli("demo", "--persons", "10", "--db", db_url)
    assert r.exit_code == 0, r.output
    r = cli("run", "--demo", "--as", "rec.1", "--db", db_url)
    assert r.exit_code == 0, r.output
    assert app_runs == ["rec.1"]
    # an empty database: filled and marked first, then the same
    fresh = new_db_url()
    r = cli("run", "--demo", "--as", "cai.vejl.1", "--db", fresh)
    assert r.exit_code == 0, r.output
    assert app_runs == ["rec.1", "cai.vejl.1"]
    assert snapshot(fresh)["meta"][0][0] == "demo"


def test_run_demo_opens_a_demo_database_without_filling_again(
    db_url: str, app_runs: list[str]
) -> None:
    """The README's `ungehus run --demo`, a second time: the sign-in, no second fill."""
    r = cli("demo", "--persons", "10", "--db", db_url)
    assert r.exit_code == 0, r.output
    before = snapshot(db_url)
    r = cli("run", "--demo", "--db", db_url)
    assert r.exit_code == 0, r.output
    assert app_runs == ["sign-in"]
    assert snapshot(db_url)["young_person"] == before["young_person"]


def test_demo_passwords_need_the_marker(ctx, admin) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        auth.set_demo_passwords(ctx)
    with pytest.raises(auth.SignInFailed):
        auth.sign_in(ctx, "rec.1", auth.DEMO_PASSWORD)
