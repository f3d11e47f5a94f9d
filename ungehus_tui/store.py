"""Opening the store for a command or the app: settings -> engine -> checked schema."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import inspect
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlmodel import Session

from ungehus_tui.data import migrate
from ungehus_tui.data.engine import StoreError, make_engine, resolve_url
from ungehus_tui.data.models import AuditHead
from ungehus_tui.data.org import load_org, read_org
from ungehus_tui.domain import clock
from ungehus_tui.services.access import audit
from ungehus_tui.services.access.audit import GENESIS
from ungehus_tui.services.context import Ctx
from ungehus_tui.settings import Settings


def engine_for(settings: Settings, *, create: bool = True) -> Engine:
    """The engine; without `create` neither the data folder nor an SQLite file is made (a
    missing file is a StoreError)."""
    clock.set_zone(settings.timezone)
    url = resolve_url(settings.db, settings.data_dir, create=create)
    engine = make_engine(url, busy_timeout_ms=settings.busy_timeout_ms, create=create)
    audit.use_key(engine, settings.audit_key)
    return engine


def _friendly(exc: Exception) -> StoreError:
    text = str(getattr(exc, "orig", exc)).splitlines()[0]
    if "readonly" in text or "read-only" in text:
        return StoreError("The database file is read-only")
    if "not a database" in text or "file is encrypted" in text:
        return StoreError("The file is not an SQLite database")
    if "unable to open" in text:
        return StoreError("Cannot open the database file")
    if "Connection refused" in text or "could not connect" in text or "connection failed" in text:
        return StoreError("Cannot connect to the database server")
    return StoreError(f"Database error: {text}")


@contextmanager
def friendly_errors() -> Iterator[None]:
    """Database driver errors as one clear StoreError line."""
    try:
        yield
    except (OperationalError, DBAPIError) as exc:
        raise _friendly(exc) from None


def init_store(settings: Settings) -> tuple[Ctx, bool]:
    """Create or upgrade the schema and load the organisation; (ctx, changed)."""
    org = read_org(settings.org_file)
    engine = engine_for(settings)
    try:
        changed = migrate.upgrade(engine)
        with Session(engine) as session:
            if session.get(AuditHead, 1) is None:
                session.add(AuditHead(id=1, last_event_id=0, last_hash=GENESIS))
                changed = True
            changed = load_org(session, org) > 0 or changed
            session.commit()
    except (OperationalError, DBAPIError) as exc:
        raise _friendly(exc) from None
    return Ctx(engine=engine, settings=settings), changed


def start_store(settings: Settings) -> Ctx:
    """What starting the app needs: the store opened, created or upgraded first only when the
    schema is not the current one (one query instead of Alembic on every start), and the
    organisation file loaded (cheap reads; it writes only what changed in the file)."""
    org = read_org(settings.org_file)
    engine = engine_for(settings)
    try:
        current = migrate.stored_revision(engine) == migrate.HEAD_REVISION
    except (OperationalError, DBAPIError) as exc:
        raise _friendly(exc) from None
    if not current:
        engine.dispose()
        return init_store(settings)[0]
    try:
        with Session(engine) as session:
            load_org(session, org)
            session.commit()
    except (OperationalError, DBAPIError) as exc:
        raise _friendly(exc) from None
    return Ctx(engine=engine, settings=settings)


def open_store(settings: Settings) -> Ctx:
    """Open an initialised database; refuses a missing, empty, outdated or newer one and
    never creates a database file (every command but init, demo and run uses this)."""
    engine = engine_for(settings, create=False)
    try:
        if migrate.stored_revision(engine) == migrate.HEAD_REVISION:
            return Ctx(engine=engine, settings=settings)  # current: no need to load Alembic
        rev = migrate.check_known(engine)
        if rev is None:
            if inspect(engine).get_table_names():
                raise StoreError("The database was not made by Ungehus (no schema version)")
            raise StoreError("The database is empty: run `ungehus init` first")
        if rev != migrate.head_revision():
            raise StoreError("The database schema is older than this version: run `ungehus init`")
    except (OperationalError, DBAPIError) as exc:
        raise _friendly(exc) from None
    return Ctx(engine=engine, settings=settings)
