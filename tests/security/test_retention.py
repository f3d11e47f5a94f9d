from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from typer.testing import CliRunner

from ungehus_tui.cli import app
from ungehus_tui.data.engine import read_session, write_session
from ungehus_tui.data.models import (
    Assignment,
    AuditEvent,
    Intake,
    PersonNameToken,
    YoungPerson,
)
from ungehus_tui.domain import clock
from ungehus_tui.services.access.audit_query import verify_chain
from ungehus_tui.services.dataio import retention
from ungehus_tui.services.desk import people

# fictitious; 7th digit 4 with year 00-36 -> 2000s
OLD_QUIET = "0203044111"  # registered 2021, nothing since -> anonymised
OLD_BUSY = "0304044222"  # registered 2021, intake 2025 -> kept
OLD_HELD = "0405044333"  # registered 2021, open case -> kept (kædeansvar)
NEW = "0506044444"  # registered 2025 -> kept


def _known_data_set(ctx, reception) -> dict[str, int]:  # type: ignore[no-untyped-def]
    ids: dict[str, int] = {}
    clock.set_now(dt.datetime(2021, 5, 3, 10, 0))
    for cpr, name in (
        (OLD_QUIET, "Stille Prøvesen"),
        (OLD_BUSY, "Travl Eksempelgaard"),
        (OLD_HELD, "Holdt Demolund"),
    ):
        p, _ = people.register_person(
            ctx,
            reception,
            people.PersonInput(cpr, name, phone="0011 2233", guardian_name="Forælder Test"),
        )
        assert p.id is not None
        ids[cpr] = p.id
    with write_session(ctx.engine) as s:
        s.add(
            Assignment(
                person_id=ids[OLD_HELD],
                staff_id=reception.id,
                kind="HOLDER",
                holds=True,
                created_by=reception.id,
            )
        )
    clock.set_now(dt.datetime(2025, 2, 3, 10, 0))
    with write_session(ctx.engine) as s:
        s.add(
            Intake(
                person_id=ids[OLD_BUSY],
                intake_date=dt.date(2025, 2, 3),
                situation="ingen",
                created_by=reception.id,
            )
        )
    p, _ = people.register_person(ctx, reception, people.PersonInput(NEW, "Ny Testesen"))
    assert p.id is not None
    ids[NEW] = p.id
    clock.set_now(dt.datetime(2026, 3, 2, 9, 0))
    return ids


def test_dry_run_lists_and_apply_anonymises(ctx, reception, admin, db_url) -> None:  # type: ignore[no-untyped-def]
    ids = _known_data_set(ctx, reception)
    assert ctx.settings.retention_months == 36
    found = retention.candidates(ctx, admin)
    assert [c.person_id for c in found] == [ids[OLD_QUIET]]
    with read_session(ctx.engine) as s:  # dry run changed nothing
        assert s.get(YoungPerson, ids[OLD_QUIET]).name == "Stille Prøvesen"  # type: ignore[union-attr]
        years_before = sorted(p.birth_date.year for p in s.execute(select(YoungPerson)).scalars())
    result = CliRunner().invoke(app, ["retention", "--apply", "--db", db_url, "--as", "it.admin"])
    assert result.exit_code == 0, result.output
    assert "1 young people" in result.output
    with read_session(ctx.engine) as s:
        gone = s.get(YoungPerson, ids[OLD_QUIET])
        assert gone is not None
        assert gone.cpr == f"ANON{ids[OLD_QUIET]:06d}" and gone.name == "Anonymiseret"
        assert gone.phone is None and gone.guardian_name is None
        assert gone.anonymised_at is not None
        assert gone.birth_date == dt.date(2004, 7, 1)
        assert not s.execute(
            select(PersonNameToken).where(PersonNameToken.person_id == ids[OLD_QUIET])
        ).first()
        for cpr in (OLD_BUSY, OLD_HELD, NEW):
            assert s.get(YoungPerson, ids[cpr]).cpr == cpr  # type: ignore[union-attr]
        # statistics survive: same number of young people per birth year
        years_after = sorted(p.birth_date.year for p in s.execute(select(YoungPerson)).scalars())
        assert years_after == years_before
        anon_events = s.execute(
            select(func.count()).where(AuditEvent.action == "RETENTION_ANONYMISE")
        ).scalar()
        assert anon_events == 1
    assert people.search(ctx, reception, "stille") == []
    assert retention.candidates(ctx, admin) == []  # nothing left; idempotent
    assert verify_chain(ctx.engine).ok


def test_retention_is_admin_only(ctx, reception, db_url) -> None:  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(app, ["retention", "--db", db_url, "--as", "rec.1"])
    assert result.exit_code == 1
