"""`ungehus export`: the nightly export for IT (cron / systemd timer)."""

from __future__ import annotations

import os
import sys
import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from ungehus_tui.cli.common import (
    AsOption,
    DbOption,
    clean_errors,
    cli_actor,
    fail,
    progress_bar,
    settings_for,
    shown,
)

console = Console(highlight=False)
PAUSE_ENV = "UNGEHUS_EXPORT_TEST_PAUSE"  # test hook: seconds to sleep after each file

EXPORT_HELP = """Export changed rows to one file per entity plus manifest.json (for IT / BI).

Each run writes a new folder OUT/<YYYY-MM-DDTHHMMSS>/ and points OUT/latest at it, atomically.
Incremental by default: rows changed since the last successful export (watermark in the
database). Young people appear as a keyed pseudonym; CPR and names only with --include-cpr.

Exit codes: 0 exported; 1 failed, nothing changed (no pseudonym key, no permission, database
error); 2 bad usage; 3 another export into the same OUT is running.
"""


class Format(StrEnum):
    CSV = "csv"
    JSONL = "jsonl"


class CsvDialect(StrEnum):
    EXCEL_DA = "excel-da"
    RFC4180 = "rfc4180"


def register(app: typer.Typer) -> None:
    @app.command("export", help=EXPORT_HELP)
    def export(
        out: Annotated[
            Path, typer.Option("--out", help="Folder for the export folders", show_default=False)
        ],
        full: Annotated[bool, typer.Option("--full", help="Every row, not only changes")] = False,
        fmt: Annotated[Format, typer.Option("--format", help="File format")] = Format.CSV,
        dialect: Annotated[
            CsvDialect, typer.Option("--dialect", help="CSV dialect (ignored for jsonl)")
        ] = CsvDialect.EXCEL_DA,
        include_cpr: Annotated[
            bool,
            typer.Option("--include-cpr", help="Add CPR and names (needs the right; audited)"),
        ] = False,
        db: DbOption = None,
        as_login: AsOption = None,
    ) -> None:
        from ungehus_tui.services.dataio.export import run_export
        from ungehus_tui.services.dataio.export_entities import entities
        from ungehus_tui.services.dataio.tabular import Dialect
        from ungehus_tui.services.errors import Conflict
        from ungehus_tui.store import open_store

        chosen = Dialect.JSONL if fmt is Format.JSONL else Dialect(dialect.value)
        pause = float(os.environ.get(PAUSE_ENV) or 0)
        with clean_errors():
            ctx = open_store(settings_for(db))
            actor = cli_actor(ctx, as_login)
            with progress_bar(console, "Eksporterer", len(entities())) as (bar, task):

                def on_file(name: str, rows: int) -> None:
                    bar.update(task, advance=1, description=f"Eksporterer ({name}: {rows})")
                    if pause:
                        print(f"paused after {name}", file=sys.stderr, flush=True)
                        time.sleep(pause)

                try:
                    result = run_export(
                        ctx,
                        actor,
                        out,
                        full=full,
                        dialect=chosen,
                        include_cpr=include_cpr,
                        on_file=on_file,
                    )
                except Conflict as exc:
                    fail(exc.message, code=3)
        if console.is_terminal:
            console.print(
                shown(
                    f"Eksporteret {result.rows} rækker i {len(result.files)} filer "
                    f"til {result.folder}"
                )
            )
