"""`ungehus audit verify|show`: the audit chain and a subject access listing."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from ungehus_tui.cli.common import (
    AsOption,
    DbOption,
    clean_errors,
    cli_actor,
    settings_for,
    shown,
)
from ungehus_tui.domain.clock import local

console = Console(highlight=False)
audit_app = typer.Typer(help="Check and read the audit log.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(audit_app, name="audit")


@audit_app.command("verify")
def verify(db: DbOption = None) -> None:
    """Walk the hash chain; exit 0 when intact, 1 naming the first broken event."""
    from ungehus_tui.services.audit_query import verify_chain
    from ungehus_tui.store import open_store

    with clean_errors():
        ctx = open_store(settings_for(db))
        result = verify_chain(ctx.engine)
    if result.ok:
        console.print(f"Audit log intact: {result.checked} events verified.")
        return
    typer.echo(
        f"Audit log BROKEN at event {result.broken_id}: {result.reason} "
        f"({result.checked} events before it verified).",
        err=True,
    )
    raise typer.Exit(1)


@audit_app.command("show")
def show(
    person: Annotated[str, typer.Option("--person", help="The young person's CPR number")],
    purpose: Annotated[
        str, typer.Option(help="Why the log is read (logged)")
    ] = "indsigtsanmodning",
    db: DbOption = None,
    as_login: AsOption = None,
) -> None:
    """Every logged use of one young person (for a subject access request); itself logged."""
    from ungehus_tui.services.audit_query import person_events
    from ungehus_tui.store import open_store

    with clean_errors():
        ctx = open_store(settings_for(db))
        actor = cli_actor(ctx, as_login)
        events = person_events(ctx, actor, person, purpose)
    table = Table("Tidspunkt", "Medarbejder", "Handling", "Formål / søgning")
    for e in events:
        who = f"{e.staff_name} ({e.staff_login})" if e.staff_name else e.staff_login
        what = e.purpose or ""
        if e.search_term:
            what = f"{what} søgning: {e.search_term}".strip()
        table.add_row(
            local(e.at).strftime("%d-%m-%Y %H:%M"), shown(who), shown(e.action), shown(what)
        )
    console.print(table)
    console.print(f"{len(events)} hændelser.")
