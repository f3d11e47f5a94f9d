"""CLI events record channel `cli` and the OS user @ host beside the `--as` login; the app's
events channel `tui`; both are hashed (old events without them still verify); a disabled
login cannot act with `--as`."""

from __future__ import annotations

import getpass
import socket

import pytest
from sqlalchemy import text
from sqlmodel import select
from typer.testing import CliRunner

from ungehus_tui.cli import app
from ungehus_tui.data.engine import read_session, write_session
from ungehus_tui.data.models import AuditEvent, Staff
from ungehus_tui.services.access import audit
from ungehus_tui.services.access.audit_query import verify_chain
from ungehus_tui.services.context import local_origin

CPR = "0101054321"  # fictitious


def _count(ctx) -> int:  # type: ignore[no-untyped-def]
    with ctx.engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM audit_event")).scalar_one())


def _last(ctx) -> AuditEvent:  # type: ignore[no-untyped-def]
    with read_session(ctx.engine) as s:
        return s.exec(select(AuditEvent).order_by(AuditEvent.id.desc())).first()  # type: ignore[union-attr,return-value]


def test_cli_events_record_channel_and_os_user(ctx, db_url) -> None:  # type: ignore[no-untyped-def]
    out = CliRunner().invoke(app, ["retention", "--db", db_url, "--as", "it.admin"])
    assert out.exit_code == 0, out.output
    event = _last(ctx)
    assert event.action == "RETENTION_LIST" and event.staff_login == "it.admin"
    assert event.channel == "cli"
    assert event.origin == f"{getpass.getuser()}@{socket.gethostname()}"
    # the channel and origin are part of the hash: changing them breaks the chain
    with ctx.engine.begin() as conn:
        conn.execute(
            text("UPDATE audit_event SET origin = 'someone@else' WHERE id = :i"), {"i": event.id}
        )
    assert verify_chain(ctx.engine).broken_id == event.id


def test_origin_never_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_user() -> str:
        raise KeyError("getpwuid(): uid not found")

    def no_host() -> str:
        raise OSError("no host")

    monkeypatch.setattr(getpass, "getuser", no_user)
    monkeypatch.setattr(socket, "gethostname", no_host)
    assert local_origin().endswith("@unknown-host") and local_origin().startswith("uid")


def test_events_before_channel_existed_still_verify(ctx, reception) -> None:  # type: ignore[no-untyped-def]
    """Events written before revision 0002 have channel and origin NULL and were hashed
    without them: they verify unchanged, and new events chain on."""
    with write_session(ctx.engine) as s:
        for i in range(3):
            e = audit.record(s, reception, "SEARCH", search_term=f"gammel {i}")
            e.channel = e.origin = None  # as an old version wrote it
            e.hash = audit.event_hash(e)
            head = s.get(audit.AuditHead, 1)
            assert head is not None
            head.last_hash = e.hash
            s.add_all([e, head])
            s.flush()
    with write_session(ctx.engine) as s:
        audit.record(s, reception.acting_from("cli", "it@host"), "SEARCH", search_term="ny")
    result = verify_chain(ctx.engine)
    assert result.ok and result.checked == 4
    fields = (reception.id, "rec.1", "SEARCH", None, "gammel 0", None, None, audit.GENESIS)
    assert audit.hash_fields(1, _at(ctx, 1), *fields) == _hash_of(ctx, 1)  # the old payload


def _at(ctx, eid: int):  # type: ignore[no-untyped-def]
    with read_session(ctx.engine) as s:
        event = s.get(AuditEvent, eid)
        assert event is not None
        return event.at


def _hash_of(ctx, eid: int) -> str:  # type: ignore[no-untyped-def]
    with read_session(ctx.engine) as s:
        event = s.get(AuditEvent, eid)
        assert event is not None
        return event.hash


@pytest.mark.parametrize(
    "command",
    [
        ["queue"],
        ["audit", "show", "--person", CPR],
        ["retention"],
        ["staff", "disable", "rec.1"],
    ],
)
def test_a_disabled_login_cannot_act(ctx, admin, db_url, command) -> None:  # type: ignore[no-untyped-def]
    with write_session(ctx.engine) as s:
        row = s.exec(select(Staff).where(Staff.login == "it.admin")).one()
        row.active = False
        s.add(row)
    before = _count(ctx)
    out = CliRunner().invoke(app, [*command, "--db", db_url, "--as", "it.admin"])
    assert out.exit_code == 1, out.output
    assert "disabled" in out.output
    assert len(out.output.strip().splitlines()) == 1 and "Traceback" not in out.output
    assert _count(ctx) == before  # nothing logged, nothing done
