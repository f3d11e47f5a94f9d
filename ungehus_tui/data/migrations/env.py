"""Alembic environment: always run with a connection handed in by `ungehus_tui.data.migrate`."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import ungehus_tui.data.models  # noqa: F401  (registers the tables)

target_metadata = SQLModel.metadata
config = context.config


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("Run migrations through ungehus_tui.data.migrate")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run()
