"""`retention_months` below 6 (0, negative, not a number) is refused: one line, nothing
changed (issue 12; `0` once anonymised 747 of 2,000 people)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from tests.cprgen import make_cpr
from ungehus_tui.cli import app
from ungehus_tui.data.engine import read_session
from ungehus_tui.data.models import AuditEvent, YoungPerson
from ungehus_tui.domain import clock
from ungehus_tui.services.dataio import retention
from ungehus_tui.services.desk import people
from ungehus_tui.services.errors import ValidationFailed


@pytest.fixture
def one_year_quiet(ctx, reception) -> int:  # type: ignore[no-untyped-def]
    """A young person registered a year ago, nothing since (36 months keep them; 0 not)."""
    clock.set_now(dt.datetime.now() - dt.timedelta(days=365))
    person, _ = people.register_person(
        ctx, reception, people.PersonInput(make_cpr(dt.date(2005, 3, 4)), "Stille Prøvesen")
    )
    clock.set_now(None)
    assert person.id is not None
    return person.id


def _state(ctx: Any) -> tuple[list[tuple[str, str]], int]:
    with read_session(ctx.engine) as s:
        rows = s.execute(select(YoungPerson.name, YoungPerson.cpr)).all()
        events = s.execute(select(func.count()).select_from(AuditEvent)).scalar()
    return sorted((str(n), str(c)) for n, c in rows), int(events or 0)


@pytest.mark.parametrize("months", ["0", "-1", "5", "abc", "6.5"])
@pytest.mark.parametrize("apply", [True, False], ids=["apply", "dry-run"])
def test_retention_refuses_months_below_six(
    months: str,
    apply: bool,
    ctx: Any,
    one_year_quiet: int,
    db_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = _state(ctx)
    monkeypatch.setenv("UNGEHUS_RETENTION_MONTHS", months)
    args = ["retention", *(["--apply"] if apply else []), "--db", db_url, "--as", "it.admin"]
    result = CliRunner().invoke(app, args, catch_exceptions=False)
    assert result.exit_code == 1, result.output
    assert result.stderr.count("\n") == 1 and "retention_months" in result.stderr
    assert "Traceback" not in result.output
    assert _state(ctx) == before


def test_retention_refuses_months_below_six_from_the_config_file(
    ctx: Any, one_year_quiet: int, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    config.write_text("retention_months = 0\n", encoding="utf-8")
    monkeypatch.setenv("UNGEHUS_CONFIG", str(config))
    before = _state(ctx)
    args = ["retention", "--apply", "--db", db_url, "--as", "it.admin"]
    result = CliRunner().invoke(app, args, catch_exceptions=False)
    assert result.exit_code == 1
    assert str(config) in result.stderr and "retention_months" in result.stderr
    assert _state(ctx) == before


def test_the_service_refuses_months_below_six_too(ctx, admin, one_year_quiet) -> None:  # type: ignore[no-untyped-def]
    """Settings changed after validation (or built another way) do not get past the service."""
    before = _state(ctx)
    ctx.settings.retention_months = 0
    with pytest.raises(ValidationFailed, match="mindst 6"):
        retention.apply(ctx, admin)
    with pytest.raises(ValidationFailed):
        retention.candidates(ctx, admin)
    assert _state(ctx) == before
    ctx.settings.retention_months = 6
    assert [c.person_id for c in retention.apply(ctx, admin)] == [one_year_quiet]


def test_six_months_and_more_still_work(ctx, one_year_quiet, db_url, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("UNGEHUS_RETENTION_MONTHS", "6")
    args = ["retention", "--db", db_url, "--as", "it.admin"]
    result = CliRunner().invoke(app, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "1 young people without activity for 6 months" in result.output
