"""`ungehus audit verify|head|show`: the audit chain, its head (an external anchor) and a
subject access listing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from ungehus_tui.cli.common import (
    AsOption,
    DbOption,
    clean_errors,
    cli_actor,
    fail,
    json_text,
    settings_for,
    shown,
)
from ungehus_tui.domain.clock import local

console = Console(highlight=False)
audit_app = typer.Typer(help="Check and read the audit log.", no_args_is_help=True)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table")]


def register(app: typer.Typer) -> None:
    app.add_typer(audit_app, name="audit")


def _read_anchor(path: Path):
    from ungehus_tui.services.access.audit import parse_anchor

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or "not readable as UTF-8 text"
        fail(f"Cannot read the anchor file {path}: {reason}")
    try:
        return parse_anchor(text)
    except ValueError as exc:
        fail(f"{path}: {exc}")


@audit_app.command("verify")
def verify(
    db: DbOption = None,
    anchor: Annotated[
        Path | None,
        typer.Option(
            "--anchor",
            help="A head saved outside the database (`audit head --json` output, or an "
            "export's manifest.json): the log must still reach it, with the same hash",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Walk the hash chain; exit 0 when intact, 1 naming the first broken event."""
    from ungehus_tui.services.access.audit_query import verify_chain
    from ungehus_tui.store import open_store

    head = _read_anchor(anchor) if anchor is not None else None
    with clean_errors():
        ctx = open_store(settings_for(db))
        result = verify_chain(ctx.engine, anchor=head)
    if result.ok:
        notes = []
        if result.start:
            notes.append(f"from the pruning checkpoint at event {result.start}")
        if result.keyed_from is not None:
            notes.append(f"keyed with audit_key from event {result.keyed_from}")
        if head is not None:
            notes.append(f"reaches the anchor ({head.events} events)")
        extra = f" ({'; '.join(notes)})" if notes else ""
        console.print(f"Audit log intact: {result.checked} events verified{extra}.")
        return
    where = f" at event {result.broken_id}" if result.broken_id is not None else ""
    typer.echo(
        f"Audit log BROKEN{where}: {result.reason} ({result.checked} events before it verified).",
        err=True,
    )
    raise typer.Exit(1)


@audit_app.command("head")
def head(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Print the chain's head (events appended, last hash): save it outside the database and
    check later with `audit verify --anchor FILE`."""
    from ungehus_tui.services.access import audit
    from ungehus_tui.store import open_store

    with clean_errors():
        ctx = open_store(settings_for(db))
        with ctx.engine.connect() as conn:
            found = audit.read_head(conn)
    if found is None:
        fail("The audit log has no head row (audit_head): run `ungehus audit verify`")
    if as_json:
        typer.echo(json.dumps(found.as_json()))
        return
    console.print(f"Audit head: {found.events} events, hash {found.hash}")


@audit_app.command("show")
def show(
    person: Annotated[str, typer.Option("--person", help="The young person's CPR number")],
    purpose: Annotated[
        str, typer.Option(help="Why the log is read (logged)")
    ] = "indsigtsanmodning",
    db: DbOption = None,
    as_login: AsOption = None,
    as_json: JsonOption = False,
) -> None:
    """Every logged use of one young person (for a subject access request), the searches
    that found them included; itself logged."""
    from ungehus_tui.services.access.audit_query import person_events
    from ungehus_tui.store import open_store

    with clean_errors():
        ctx = open_store(settings_for(db))
        actor = cli_actor(ctx, as_login)
        events = person_events(ctx, actor, person, purpose)
    if as_json:
        typer.echo(json_text([e.as_json() for e in events]))
        return
    table = Table("Tidspunkt", "Medarbejder", "Handling", "Formål / søgning", "Fra")
    for e in events:
        who = f"{e.staff_name} ({e.staff_login})" if e.staff_name else e.staff_login
        what = e.purpose or ""
        if e.search_term:
            what = f"{what} søgning: {e.search_term}".strip()
        where = " ".join(x for x in (e.channel, e.origin) if x)
        cells = (local(e.at).strftime("%d-%m-%Y %H:%M"), who, e.action_da, what, where)
        table.add_row(*(shown(c) for c in cells))  # visible and never Rich markup
    console.print(table)
    console.print(f"{len(events)} hændelser.")
