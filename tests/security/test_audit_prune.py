"""Audit retention: `retention --apply` prunes events older than audit_retention_months (their
search terms with them), recording a checkpoint from which the rest of the chain verifies;
tampering after pruning, and with the checkpoint, is still detected."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from ungehus_tui.cli import app
from ungehus_tui.data.engine import write_session
from ungehus_tui.domain import clock
from ungehus_tui.services.access import audit
from ungehus_tui.services.access.audit_query import verify_chain
from ungehus_tui.services.dataio import retention
from ungehus_tui.settings import SettingsError, load_settings

runner = CliRunner()
NOW = dt.datetime(2026, 3, 12, 10, 0)
OLD = NOW - dt.timedelta(days=30 * 30)  # 30 months ago: past the default 24
RECENT = NOW - dt.timedelta(days=30 * 20)  # 20 months ago: kept


def _fill(ctx, actor, at: dt.datetime, terms: list[str]) -> None:  # type: ignore[no-untyped-def]
    clock.set_now(at)
    with write_session(ctx.engine) as s:
        for term in terms:
            audit.record(s, actor, "SEARCH", search_term=term)
    clock.set_now(NOW)


def _terms(ctx) -> list[str]:  # type: ignore[no-untyped-def]
    with ctx.engine.connect() as conn:
        rows = conn.execute(text("SELECT search_term FROM audit_event ORDER BY id")).scalars()
        return [t for t in rows if t]


@pytest.fixture
def pruned(ctx, reception, admin, db_url):  # type: ignore[no-untyped-def]
    """5 old events, 3 recent, then `retention --apply`: events 1-5 pruned."""
    _fill(ctx, reception, OLD, [f"gammel {i}" for i in range(5)])
    _fill(ctx, reception, RECENT, ["nyere 1", "nyere 2", "010105-4321"])
    dry = runner.invoke(app, ["retention", "--db", db_url, "--as", "it.admin"])
    assert dry.exit_code == 0, dry.output
    assert "5 audit events older than 24 months" in dry.output and "dry run" in dry.output
    assert len(_terms(ctx)) == 8  # the dry run prunes nothing
    out = runner.invoke(app, ["retention", "--apply", "--db", db_url, "--as", "it.admin"])
    assert out.exit_code == 0, out.output
    assert "5 audit events older than 24 months" in out.output and "pruned" in out.output
    return ctx


def test_prune_then_verify_from_the_checkpoint(pruned, db_url) -> None:  # type: ignore[no-untyped-def]
    # older than the window: gone, search terms with them; within it: as logged
    assert _terms(pruned) == ["nyere 1", "nyere 2", "010105-4321"]
    result = verify_chain(pruned.engine)
    assert result.ok and result.start == 5, result
    out = runner.invoke(app, ["audit", "verify", "--db", db_url])
    assert out.exit_code == 0, out.output
    assert "checkpoint at event 5" in out.output
    with pruned.engine.connect() as conn:
        meta = conn.execute(
            text("SELECT value FROM store_meta WHERE key = 'audit_checkpoint'")
        ).scalar_one()
        actions = conn.execute(text("SELECT action FROM audit_event ORDER BY id")).scalars().all()
    point = json.loads(meta)
    assert point["event_id"] == 5 and len(point["hash"]) == 64 and point["at"]
    assert "AUDIT_PRUNE" in actions
    # the log goes on after pruning
    runner.invoke(app, ["retention", "--db", db_url, "--as", "it.admin"])
    assert verify_chain(pruned.engine).ok


def test_tampering_after_pruning_is_found(pruned) -> None:  # type: ignore[no-untyped-def]
    with pruned.engine.begin() as conn:
        conn.execute(text("UPDATE audit_event SET search_term = 'skjult' WHERE id = 7"))
    result = verify_chain(pruned.engine)
    assert result.broken_id == 7


def test_a_deleted_checkpoint_is_found(pruned) -> None:  # type: ignore[no-untyped-def]
    with pruned.engine.begin() as conn:
        conn.execute(text("DELETE FROM store_meta WHERE key = 'audit_checkpoint'"))
    result = verify_chain(pruned.engine)
    assert not result.ok and "checkpoint" in (result.reason or "")


def test_a_changed_checkpoint_hash_is_found(pruned) -> None:  # type: ignore[no-untyped-def]
    with pruned.engine.begin() as conn:
        conn.execute(
            text("UPDATE store_meta SET value = :v WHERE key = 'audit_checkpoint'"),
            {"v": json.dumps({"event_id": 5, "hash": "a" * 64, "at": ""})},
        )
    assert verify_chain(pruned.engine).broken_id == 6


def test_a_checkpoint_moved_forward_to_hide_events_is_found(pruned) -> None:  # type: ignore[no-untyped-def]
    """Delete the next events and move the checkpoint over them, consistently."""
    with pruned.engine.begin() as conn:
        digest = conn.execute(text("SELECT hash FROM audit_event WHERE id = 7")).scalar_one()
        conn.execute(text("DELETE FROM audit_event WHERE id <= 7"))
        conn.execute(
            text("UPDATE store_meta SET value = :v WHERE key = 'audit_checkpoint'"),
            {"v": json.dumps({"event_id": 7, "hash": digest, "at": ""})},
        )
    result = verify_chain(pruned.engine)
    assert not result.ok and "AUDIT_PRUNE" in (result.reason or "")


def test_an_anchor_older_than_the_checkpoint_cannot_pass(ctx, reception, admin) -> None:  # type: ignore[no-untyped-def]
    _fill(ctx, reception, OLD, ["a"])
    with ctx.engine.connect() as conn:
        old_head = audit.read_head(conn)
    _fill(ctx, reception, OLD, ["b"])
    with ctx.engine.connect() as conn:
        at_checkpoint = audit.read_head(conn)
    _fill(ctx, reception, RECENT, ["c"])
    assert retention.prune_audit(ctx, admin).through_id == 2
    assert old_head is not None and at_checkpoint is not None
    result = verify_chain(ctx.engine, anchor=old_head)
    assert not result.ok and "pruned" in (result.reason or "")
    assert verify_chain(ctx.engine, anchor=at_checkpoint).ok  # the checkpoint's own hash
    with ctx.engine.connect() as conn:
        new_head = audit.read_head(conn)
    assert verify_chain(ctx.engine, anchor=new_head).ok


def test_the_newest_event_is_never_pruned(ctx, reception, admin) -> None:  # type: ignore[no-untyped-def]
    _fill(ctx, reception, OLD, ["a", "b"])
    done = retention.prune_audit(ctx, admin)
    assert done.events == 1 and done.through_id == 1
    assert verify_chain(ctx.engine).ok


def test_audit_retention_is_at_least_six_months() -> None:
    assert load_settings().audit_retention_months == 24
    with pytest.raises(SettingsError, match="audit_retention_months"):
        load_settings(audit_retention_months=5)


def test_pruning_needs_the_retention_right(ctx, reception) -> None:  # type: ignore[no-untyped-def]
    from ungehus_tui.services.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        retention.prune_audit(ctx, reception)
