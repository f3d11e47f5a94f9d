"""`ungehus import FILE`: register young people from a list."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from ungehus_tui.cli.common import (
    AsOption,
    DbOption,
    check_writable,
    clean_errors,
    cli_actor,
    fail,
    progress_bar,
    settings_for,
    shown,
)

console = Console(highlight=False)

IMPORT_HELP = """Register young people from a list (CSV or JSON lines).

--kind list (default): the plain list import below. --kind outreach: the same, then one
OUTREACH item in a CAI education counsellor's queue per 15-24-year-old not already in a CAI
counsellor's queue. --kind dropouts: a drop-out report (columns cpr, name, reported_on as
dd-mm-yyyy, optional institution) for 15-24-year-olds: each young person is registered or
matched and the responsible counsellor gets DROPOUT_CONTACT (due 5 working days after
reported_on) and ACTIVITY_OFFER (due 30 days after it); re-importing changes nothing.

Columns: cpr and name (or navn) required; phone, email, situation, guardian_name,
guardian_phone optional. Each row is validated as the desk validates; a young person already
registered is matched by CPR (empty phone/e-mail filled in), never duplicated. Re-importing
the same file changes nothing. Rejected rows go to the rejects file (default FILE.rejects.csv
next to FILE, mode 0600) with the reason in the column 'fejl'; so does a row with more
fields than the header. A list without a guardian column registers 15-17-year-olds anyway,
each with the task 'Forælder/værge mangler' for the counsellor who holds them.

The dialect is detected ('{' = jsonl; else the header's separator: ';' = excel-da, ',' =
rfc4180, also after a BOM as Excel's 'CSV UTF-8' writes it) unless given.

Exit codes: 0 every row is in; 1 some rows were rejected (see the counts and the rejects
file) or the import failed; 2 unusable file, nothing written (not UTF-8 text, missing
cpr/name column, a column named twice).
"""


class ListKind(StrEnum):
    LIST = "list"
    OUTREACH = "outreach"
    DROPOUTS = "dropouts"


class ListDialect(StrEnum):
    AUTO = "auto"
    EXCEL_DA = "excel-da"
    RFC4180 = "rfc4180"
    JSONL = "jsonl"


def default_rejects(path: Path) -> Path:
    ext = ".jsonl" if path.suffix.lower() == ".jsonl" else ".csv"
    return path.with_name(f"{path.stem}.rejects{ext}")


def register(app: typer.Typer) -> None:
    @app.command("import", help=IMPORT_HELP)
    def import_(
        file: Annotated[Path, typer.Argument(help="The list file", show_default=False)],
        rejects: Annotated[
            Path | None,
            typer.Option("--rejects", help="Where rejected rows go", show_default=False),
        ] = None,
        dialect: Annotated[
            ListDialect, typer.Option("--dialect", help="File dialect")
        ] = ListDialect.AUTO,
        kind: Annotated[ListKind, typer.Option("--kind", help="What the list is")] = ListKind.LIST,
        db: DbOption = None,
        as_login: AsOption = None,
    ) -> None:
        from ungehus_tui.services.dataio.importer import import_list, write_rejects
        from ungehus_tui.services.dataio.tabular import Dialect, UnusableFile
        from ungehus_tui.store import open_store

        try:
            raw = file.read_bytes()
        except OSError as exc:
            fail(f"Cannot read {file}: {exc.strerror}", code=2)
        chosen = None if dialect is ListDialect.AUTO else Dialect(dialect.value)
        target = rejects or default_rejects(file)
        # before any row is committed: the reasons must have somewhere to go
        check_writable(target, "rejects file", code=2)
        if kind is ListKind.DROPOUTS:
            _dropouts(file, raw, chosen, target, db, as_login)
            return
        with clean_errors():
            ctx = open_store(settings_for(db))
            actor = cli_actor(ctx, as_login)
            try:
                with progress_bar(console, "Importerer", None) as (bar, task):
                    result = import_list(
                        ctx,
                        actor,
                        raw,
                        dialect=chosen,
                        source=str(file),
                        progress=lambda done, total: bar.update(task, completed=done, total=total),
                    )
            except UnusableFile as exc:
                fail(f"Unusable file {file.name}: {exc}", code=2)
            if kind is ListKind.OUTREACH:
                from ungehus_tui.services.casework.outreach import add_outreach_items

                result.outreach = add_outreach_items(ctx, actor, result.person_ids)
        if result.rejected:
            try:
                write_rejects(target, result)
            except OSError as exc:  # checked above; the disk may still fill up meanwhile
                fail(
                    f"{result.registered + result.updated} rows were saved, but the "
                    f"{result.rejected} rejected rows could not be written to {target}: "
                    f"{exc.strerror}"
                )
        console.print(
            shown(
                f"{result.rows} rækker: {result.registered} nye, "
                f"{result.matched} fandtes i forvejen, "
                f"{result.updated} opdateret, {result.rejected} afvist"
                + (f" (se {target})" if result.rejected else "")
            )
        )
        if result.guardian_missing:
            console.print(
                f"{result.guardian_missing} under 18 uden forælder/værge: registreret med "
                "opgaven 'Forælder/værge mangler' til rådgiveren"
            )
        if kind is ListKind.OUTREACH:
            console.print(f"{result.outreach} opsøgende opgaver lagt i CAI's arbejdskøer")
        if result.rejected:
            raise typer.Exit(1)


def _dropouts(
    file: Path,
    raw: bytes,
    chosen: object,
    rejects: Path | None,
    db: str | None,
    as_login: str | None,
) -> None:
    from ungehus_tui.services.casework.outreach import import_dropouts
    from ungehus_tui.services.dataio.importer import write_rejects
    from ungehus_tui.services.dataio.tabular import UnusableFile
    from ungehus_tui.store import open_store

    with clean_errors():
        ctx = open_store(settings_for(db))
        actor = cli_actor(ctx, as_login)
        try:
            result = import_dropouts(ctx, actor, raw, dialect=chosen, source=str(file))  # type: ignore[arg-type]
        except UnusableFile as exc:
            fail(f"Unusable file {file.name}: {exc}", code=2)
    target = rejects or default_rejects(file)
    if result.rejected:
        write_rejects(target, result)  # type: ignore[arg-type]
    console.print(
        shown(
            f"{result.rows} frafald: {result.registered} nye, {result.matched} fandtes i "
            f"forvejen, {result.already} allerede i en kø, {result.rejected} afvist"
            + (f" (se {target})" if result.rejected else "")
        )
    )
    console.print(f"{result.items} opgaver lagt i arbejdskøerne (kontakt og tilbud om aktivitet)")
    if result.rejected:
        raise typer.Exit(1)
