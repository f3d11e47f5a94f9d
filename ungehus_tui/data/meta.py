"""Facts about the store itself (`store_meta`): the demo marker, read by the services that
must refuse a demo-only shortcut on a real database."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlmodel import Session, col

from ungehus_tui.data.models import StoreMeta
from ungehus_tui.data.store_facts import DEMO_MARKER as DEMO_MARKER


def is_demo_store(conn: Connection | Session) -> bool:
    """True when the database carries the demo marker."""
    stmt = select(col(StoreMeta.key)).where(col(StoreMeta.key) == DEMO_MARKER)
    return conn.execute(stmt).first() is not None
