"""Create or upgrade the schema with Alembic; refuse databases from a newer schema."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from ungehus_tui.data.engine import StoreError
from ungehus_tui.data.store_facts import HEAD_REVISION as HEAD_REVISION

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")


def stored_revision(engine: Engine) -> str | None:
    """The revision the database says it has (None: no `alembic_version` table or row),
    read with one query and without Alembic."""
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DBAPIError as exc:
        if "alembic_version" in str(exc.orig):  # no such table / relation does not exist
            return None
        raise


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def check_known(engine: Engine) -> str | None:
    """The database's revision, after checking this version of the app knows it."""
    from alembic.script import ScriptDirectory

    rev = current_revision(engine)
    if rev is not None:
        script = ScriptDirectory.from_config(alembic_config())
        known = {r.revision for r in script.walk_revisions()}
        if rev not in known:
            raise StoreError(
                f"The database has schema revision {rev}, newer than this version of "
                "Ungehus knows; upgrade Ungehus first"
            )
    return rev


def upgrade(engine: Engine, revision: str = "head") -> bool:
    """Upgrade to `revision`; True when anything changed."""
    from alembic import command

    before = check_known(engine)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    return current_revision(engine) != before


def is_current(engine: Engine) -> bool:
    return check_known(engine) == head_revision()
