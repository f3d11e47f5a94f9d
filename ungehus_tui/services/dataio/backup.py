"""Backups of an SQLite store with SQLite's online backup API (`sqlite3.Connection.backup`).

The copy is taken in one step under a read transaction, so it is a consistent snapshot even
while desks keep writing (WAL lets them go on). The file is created 0600 and refused if it
exists. Restore (`restore`) checks a backup (integrity_check and the audit chain) and copies
it into a new database file with the same API. PostgreSQL: use pg_dump / pg_restore.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from ungehus_tui.data.engine import is_sqlite, write_session
from ungehus_tui.services.access import audit
from ungehus_tui.services.access.audit_query import VerifyResult, verify_chain
from ungehus_tui.services.access.permissions import Action, require
from ungehus_tui.services.context import Actor, Ctx
from ungehus_tui.services.errors import ServiceError

PG_HINT = (
    "PostgreSQL: tag backup med pg_dump -Fc -f ungehus.dump DBNAVN og læg tilbage med "
    "pg_restore -d DBNAVN ungehus.dump"
)


def _sqlite_path(url: str) -> Path:
    if not is_sqlite(url):
        raise ServiceError(PG_HINT)
    database = make_url(url).database
    if not database or database == ":memory:":
        raise ServiceError("En database i hukommelsen kan ikke tages backup af")
    return Path(database)


def _create_private(path: Path) -> None:
    if path.exists():
        raise ServiceError(f"Filen findes allerede: {path.name}")
    if not path.parent.is_dir():
        raise ServiceError(f"Mappen findes ikke: {path.parent}")
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)


def _copy(src_path: Path, dst_path: Path) -> None:
    src = sqlite3.connect(src_path, timeout=30)
    dst = sqlite3.connect(dst_path)
    try:
        src.backup(dst)  # pages=-1: all in one step, one consistent snapshot
        dst.execute("PRAGMA journal_mode = DELETE")
        dst.commit()
    finally:
        dst.close()
        src.close()
    os.chmod(dst_path, 0o600)


def backup(ctx: Ctx, actor: Actor, out: Path) -> Path:
    """Write a consistent copy of the store to `out` (new file, mode 0600); audited."""
    require(actor, Action.BACKUP)
    src = _sqlite_path(str(ctx.engine.url))
    out = out.expanduser().resolve()
    if out == src.resolve():
        raise ServiceError("Backupfilen må ikke være selve databasen")
    _create_private(out)
    with write_session(ctx.engine) as session:
        audit.record(session, actor, "BACKUP", detail=f"file={out.name}")
    try:
        _copy(src, out)
    except BaseException:
        out.unlink(missing_ok=True)
        raise
    return out


def check_backup(path: Path) -> tuple[str, VerifyResult]:
    """(integrity_check result, audit chain result) of a backup file, read only."""
    if not path.is_file():
        raise ServiceError(f"Filen findes ikke: {path.name}")
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        integrity = str(conn.execute("PRAGMA integrity_check").fetchone()[0])
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.DatabaseError:
        raise ServiceError("Filen er ikke en SQLite-database") from None
    finally:
        conn.close()
    if not {"alembic_version", "audit_event", "audit_head"} <= tables:  # empty or foreign
        raise ServiceError("Filen er ikke en backup af en Ungehus-database")
    engine = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    try:
        return integrity, verify_chain(engine)
    finally:
        engine.dispose()


def restore(backup_file: Path, target: Path) -> VerifyResult:
    """Copy a checked backup into a NEW database file `target` (0600).

    Stop the app first; move the broken database away, then restore to its path.
    """
    target = target.expanduser().resolve()
    integrity, chain = check_backup(backup_file)
    if integrity != "ok":
        raise ServiceError("Backupfilen er beskadiget (integrity_check fejlede)")
    if not chain.ok:
        raise ServiceError(f"Loggen i backupfilen er brudt ved hændelse {chain.broken_id}")
    _create_private(target)
    try:
        _copy(backup_file, target)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return chain
