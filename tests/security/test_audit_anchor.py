"""An anchor kept outside the database (`audit head --json`, an export's manifest.json) makes
truncation, emptying and rewriting of the audit log visible; a missing head row fails even
plain verify; with `audit_key` the chain cannot be rewritten consistently from the database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from ungehus_tui.cli import app
from ungehus_tui.data.engine import write_session
from ungehus_tui.services.access import audit
from ungehus_tui.services.access.audit_query import verify_chain
from ungehus_tui.services.dataio.export import run_export
from ungehus_tui.settings import load_settings
from ungehus_tui.store import init_store, open_store

runner = CliRunner()


def _fill(ctx, actor, n: int = 10) -> None:  # type: ignore[no-untyped-def]
    with write_session(ctx.engine) as s:
        for i in range(n):
            audit.record(s, actor, "SEARCH", search_term=f"prøve {i}")


def _save_head(db_url: str, path: Path) -> dict[str, object]:
    out = runner.invoke(app, ["audit", "head", "--json", "--db", db_url])
    assert out.exit_code == 0, out.output
    path.write_text(out.output)
    return json.loads(out.output)  # type: ignore[no-any-return]


def _verify(db_url: str, anchor: Path | None = None):  # type: ignore[no-untyped-def]
    args = ["audit", "verify", "--db", db_url]
    if anchor is not None:
        args += ["--anchor", str(anchor)]
    return runner.invoke(app, args)


def _truncate_and_move_head_back(ctx, keep: int) -> None:  # type: ignore[no-untyped-def]
    """What someone with SQL access does to hide the last events: delete them and set the
    head to the last kept event, consistently."""
    with ctx.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_event WHERE id > :k"), {"k": keep})
        conn.execute(
            text(
                "UPDATE audit_head SET last_event_id = :k, "
                "last_hash = (SELECT hash FROM audit_event WHERE id = :k) WHERE id = 1"
            ),
            {"k": keep},
        )


def test_head_prints_count_and_hash(ctx, reception, db_url, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _fill(ctx, reception, 4)
    head = _save_head(db_url, tmp_path / "head.json")
    assert head["events"] == 4 and isinstance(head["hash"], str) and len(head["hash"]) == 64
    plain = runner.invoke(app, ["audit", "head", "--db", db_url])
    assert plain.exit_code == 0 and "4 events" in plain.output and head["hash"] in plain.output


def test_truncated_tail_with_head_moved_back_is_found_by_the_anchor(  # type: ignore[no-untyped-def]
    ctx, reception, db_url, tmp_path
) -> None:
    _fill(ctx, reception, 10)
    anchor = tmp_path / "head.json"
    _save_head(db_url, anchor)
    _truncate_and_move_head_back(ctx, 7)
    plain = _verify(db_url)
    assert plain.exit_code == 0, plain.output  # consistent: the chain alone cannot tell
    out = _verify(db_url, anchor)
    assert out.exit_code == 1
    assert "truncated" in out.output and "10" in out.output


def test_emptied_chain_is_found_by_the_anchor(ctx, reception, db_url, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _fill(ctx, reception, 5)
    anchor = tmp_path / "head.json"
    _save_head(db_url, anchor)
    with ctx.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_event"))
        conn.execute(text(f"UPDATE audit_head SET last_event_id = 0, last_hash = '{'0' * 64}'"))
    assert _verify(db_url).exit_code == 0  # looks like a fresh database
    out = _verify(db_url, anchor)
    assert out.exit_code == 1 and "emptied" in out.output


def test_rewritten_chain_is_found_by_the_anchor(ctx, reception, db_url, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _fill(ctx, reception, 6)
    anchor = tmp_path / "head.json"
    _save_head(db_url, anchor)
    _rewrite(ctx, event_id=3, term="noget andet")
    assert _verify(db_url).exit_code == 0  # recomputed consistently (no key)
    out = _verify(db_url, anchor)
    assert out.exit_code == 1 and "rewritten" in out.output and "event 6" in out.output


def _rewrite(ctx, event_id: int, term: str) -> None:  # type: ignore[no-untyped-def]
    """Change one event and recompute every hash after it with plain SHA-256, as anyone with
    the database (and this source code) can."""
    with ctx.engine.begin() as conn:
        conn.execute(
            text("UPDATE audit_event SET search_term = :t WHERE id = :i"),
            {"t": term, "i": event_id},
        )
        rows = conn.execute(text("SELECT id FROM audit_event ORDER BY id")).scalars().all()
    with write_session(ctx.engine) as s:
        prev = audit.GENESIS
        for eid in rows:
            event = s.get(audit.AuditEvent, eid)
            assert event is not None
            event.prev_hash = prev
            event.hash = audit.event_hash(event)  # without the key
            prev = event.hash
            s.add(event)
        head = s.get(audit.AuditHead, 1)
        assert head is not None
        head.last_hash = prev
        s.add(head)


def test_missing_head_row_fails_plain_verify(ctx, reception, db_url, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _fill(ctx, reception, 3)
    anchor = tmp_path / "head.json"
    _save_head(db_url, anchor)
    with ctx.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_head"))
    out = _verify(db_url)
    assert out.exit_code == 1 and "audit_head" in out.output
    assert _verify(db_url, anchor).exit_code == 1
    head = runner.invoke(app, ["audit", "head", "--db", db_url])
    assert head.exit_code == 1 and "Traceback" not in head.output


def test_an_intact_log_reaches_its_anchor(ctx, reception, db_url, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _fill(ctx, reception, 3)
    anchor = tmp_path / "head.json"
    _save_head(db_url, anchor)
    _fill(ctx, reception, 2)  # the log grows after the anchor: fine
    out = _verify(db_url, anchor)
    assert out.exit_code == 0, out.output
    assert "5 events" in out.output and "anchor" in out.output


@pytest.mark.parametrize("content", ["", "not json", "[1, 2]", '{"events": 3, "hash": "x"}'])
def test_a_bad_anchor_file_is_one_line(ctx, db_url, tmp_path, content) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "bad.json"
    path.write_text(content)
    out = _verify(db_url, path)
    assert out.exit_code == 1 and "Traceback" not in out.output
    assert len(out.output.strip().splitlines()) == 1
    missing = _verify(db_url, tmp_path / "nowhere.json")
    assert missing.exit_code == 1 and "Traceback" not in missing.output


def test_every_export_manifest_holds_the_head_and_anchors(  # type: ignore[no-untyped-def]
    ctx, reception, admin, db_url, tmp_path
) -> None:
    _fill(ctx, reception, 4)
    result = run_export(ctx, admin, tmp_path / "out")
    manifest = json.loads((result.folder / "manifest.json").read_text())
    head = manifest["audit_head"]
    assert head["events"] == 4 and len(head["hash"]) == 64  # the head when it was written
    assert _verify(db_url, result.folder / "manifest.json").exit_code == 0
    _truncate_and_move_head_back(ctx, 2)
    out = _verify(db_url, result.folder / "manifest.json")
    assert out.exit_code == 1 and "truncated" in out.output


KEY = "en-hemmelig-auditnøgle-0123456789"


def test_a_keyed_chain_cannot_be_rewritten_from_the_database(  # type: ignore[no-untyped-def]
    ctx, reception, db_url, tmp_path
) -> None:
    _fill(ctx, reception, 3)  # before the key: plain SHA-256
    keyed = init_store(load_settings(db=db_url, audit_key=KEY))[0]
    _fill(keyed, reception, 3)  # from event 4: HMAC with the key
    result = verify_chain(keyed.engine)
    assert result.ok and result.keyed_from == 4 and result.checked == 6
    # someone with only the database rewrites the chain without the key: found
    _rewrite(keyed, event_id=5, term="skjult")
    broken = verify_chain(keyed.engine)
    assert not broken.ok and broken.broken_id == 4
    keyed.engine.dispose()


def test_the_keyed_marker_cannot_be_deleted_or_moved(ctx, reception, db_url) -> None:  # type: ignore[no-untyped-def]
    keyed = init_store(load_settings(db=db_url, audit_key=KEY))[0]
    _fill(keyed, reception, 4)
    assert verify_chain(keyed.engine).ok
    with keyed.engine.begin() as conn:
        value = conn.execute(
            text("SELECT value FROM store_meta WHERE key = 'audit_keyed_from'")
        ).scalar_one()
        moved = json.dumps({**json.loads(value), "from": 99})
        conn.execute(
            text("UPDATE store_meta SET value = :v WHERE key = 'audit_keyed_from'"), {"v": moved}
        )
    assert "marker" in (verify_chain(keyed.engine).reason or "")
    with keyed.engine.begin() as conn:
        conn.execute(text("DELETE FROM store_meta WHERE key = 'audit_keyed_from'"))
    assert "marker" in (verify_chain(keyed.engine).reason or "")
    keyed.engine.dispose()


def test_a_keyed_log_needs_its_key(ctx, reception, db_url, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    keyed = init_store(load_settings(db=db_url, audit_key=KEY))[0]
    _fill(keyed, reception, 2)
    keyed.engine.dispose()
    # without the key: verify says so (exit 1), and nothing can be logged
    out = _verify(db_url)
    assert out.exit_code == 1 and "audit_key" in out.output
    plain = open_store(load_settings(db=db_url))
    from ungehus_tui.services.errors import ServiceError

    with pytest.raises(ServiceError, match="audit_key"):
        _fill(plain, reception, 1)
    wrong = open_store(load_settings(db=db_url, audit_key="en-anden-nøgle-0123456789"))
    with pytest.raises(ServiceError, match="audit_key"):
        _fill(wrong, reception, 1)
    monkeypatch.setenv("UNGEHUS_AUDIT_KEY", KEY)
    ok = _verify(db_url)
    assert ok.exit_code == 0 and "keyed with audit_key from event 1" in ok.output
