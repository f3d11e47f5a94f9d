from __future__ import annotations

from sqlalchemy import text
from typer.testing import CliRunner

from ungehus_tui.cli import app
from ungehus_tui.data.engine import write_session
from ungehus_tui.services.access import audit
from ungehus_tui.services.access.audit_query import person_events, verify_chain
from ungehus_tui.services.desk import people

CPR = "0101054321"  # fictitious, born 2005


def _fill(ctx, actor, n: int = 20) -> int:  # type: ignore[no-untyped-def]
    person, _ = people.register_person(ctx, actor, people.PersonInput(CPR, "Test Prøvesen"))
    assert person.id is not None
    with write_session(ctx.engine) as s:
        for i in range(n):
            audit.record(s, actor, "SEARCH", search_term=f"prøve {i}")
    return person.id


def test_intact_chain_verifies(ctx, reception, db_url) -> None:  # type: ignore[no-untyped-def]
    _fill(ctx, reception)
    result = verify_chain(ctx.engine, batch=7)
    assert result.ok and result.checked == 21
    out = CliRunner().invoke(app, ["audit", "verify", "--db", db_url])
    assert out.exit_code == 0, out.output
    assert "21 events" in out.output


def test_changed_row_is_named(ctx, reception, db_url) -> None:  # type: ignore[no-untyped-def]
    _fill(ctx, reception)
    with ctx.engine.begin() as conn:
        conn.execute(text("UPDATE audit_event SET search_term = 'ændret' WHERE id = 7"))
    result = verify_chain(ctx.engine)
    assert result.broken_id == 7 and result.checked == 6
    out = CliRunner().invoke(app, ["audit", "verify", "--db", db_url])
    assert out.exit_code == 1
    assert "event 7" in out.output


def test_rehashed_row_breaks_the_next_link(ctx, reception) -> None:  # type: ignore[no-untyped-def]
    _fill(ctx, reception)
    with ctx.engine.begin() as conn:
        conn.execute(text("UPDATE audit_event SET hash = :h WHERE id = 5"), {"h": "a" * 64})
    assert verify_chain(ctx.engine).broken_id == 5


def test_deleted_rows_are_found(ctx, reception) -> None:  # type: ignore[no-untyped-def]
    _fill(ctx, reception)
    with ctx.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_event WHERE id = 9"))
    assert verify_chain(ctx.engine).broken_id == 9
    with ctx.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_event WHERE id >= 9"))
    result = verify_chain(ctx.engine)
    assert result.broken_id == 9 and "end" in (result.reason or "")


def test_show_person_lists_look_ups_and_is_audited(  # type: ignore[no-untyped-def]
    ctx, reception, admin, db_url, monkeypatch
) -> None:
    from ungehus_tui.cli import audit as audit_cli

    monkeypatch.setattr(audit_cli.console, "width", 200)
    pid = _fill(ctx, reception, n=2)
    people.audit_search(ctx, reception, "010105-4321")
    people.record_view(ctx, reception, pid, purpose="visitation")
    assert people.reveal_cpr(ctx, reception, pid, "udfylde blanket") == "010105-4321"
    events = person_events(ctx, admin, CPR, "indsigt")
    actions = [e.action for e in events]
    assert actions == ["REGISTER", "SEARCH", "VIEW_PERSON", "REVEAL_CPR"]
    assert events[1].search_term == "010105-XXXX"
    out = CliRunner().invoke(
        app, ["audit", "show", "--person", "010105-4321", "--db", db_url, "--as", "it.admin"]
    )
    assert out.exit_code == 0, out.output
    assert "fuldt CPR-nummer vist" in out.output and "udfylde blanket" in out.output
    assert "4321" not in out.output
    assert person_events(ctx, admin, CPR, "indsigt")[-1].action == "AUDIT_SHOW"
    assert verify_chain(ctx.engine).ok


def test_show_needs_admin(ctx, reception, db_url) -> None:  # type: ignore[no-untyped-def]
    _fill(ctx, reception, n=1)
    out = CliRunner().invoke(
        app, ["audit", "show", "--person", CPR, "--db", db_url, "--as", "rec.1"]
    )
    assert out.exit_code == 1
