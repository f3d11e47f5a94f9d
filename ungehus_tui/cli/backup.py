"""`ungehus backup --out FILE` and `ungehus restore FILE --to PATH` (SQLite)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from ungehus_tui.cli.common import (
    AsOption,
    DbOption,
    clean_errors,
    cli_actor,
    settings_for,
    shown,
)

console = Console(highlight=False)


def register(app: typer.Typer) -> None:
    app.command("backup")(backup)
    app.command("restore")(restore)


def backup(
    out: Annotated[Path, typer.Option("--out", help="New backup file (created 0600)")],
    db: DbOption = None,
    as_login: AsOption = None,
) -> None:
    """Take a consistent copy while others keep working (SQLite online backup API).

    For PostgreSQL use pg_dump (the command says how)."""
    from ungehus_tui.services.dataio import backup as svc
    from ungehus_tui.store import open_store

    with clean_errors():
        ctx = open_store(settings_for(db))
        actor = cli_actor(ctx, as_login)
        path = svc.backup(ctx, actor, out)
    console.print(shown(f"Backup written: {path}"))


def restore(
    backup_file: Annotated[Path, typer.Argument(help="A file made by `ungehus backup`")],
    to: Annotated[Path, typer.Option("--to", help="New database file to create")],
) -> None:
    """Check a backup (integrity, audit chain) and copy it to a new database file.

    Stop the app, move the old database away, restore to its path, start again."""
    from ungehus_tui.services.dataio import backup as svc

    with clean_errors():
        chain = svc.restore(backup_file, to)
    console.print(shown(f"Restored to {to} ({chain.checked} audit events verified)."))
