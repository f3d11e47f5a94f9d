"""`ungehus queue` (a counsellor's work queue) and `ungehus handovers check|stale`."""

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
    json_text,
    settings_for,
    shown,
)

console = Console(highlight=False)
handovers_app = typer.Typer(
    help="Chain responsibility: turning-18 offers, stale handovers.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.command("queue")(queue)
    app.add_typer(handovers_app, name="handovers")


def queue(
    db: DbOption = None,
    as_login: AsOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON list on stdout")] = False,
    kind: Annotated[
        list[str] | None,
        typer.Option("--kind", help="Only this kind (repeatable), e.g. OUTREACH"),
    ] = None,
) -> None:
    """The work queue of a staff member, sorted by due date (masked CPR numbers)."""
    from ungehus_tui.services.queue import counts, is_center_queue, kind_names, queue_for
    from ungehus_tui.store import open_store

    with clean_errors():
        ctx = open_store(settings_for(db))
        actor = cli_actor(ctx, as_login)
        items = queue_for(ctx, actor, kinds=[k.upper() for k in kind] if kind else None)
    if as_json:
        typer.echo(json_text([i.as_json() for i in items]))
        return
    names = kind_names(actor)
    title = f"Arbejdskø: {actor.name}"
    if is_center_queue(actor):
        title = f"Centerets arbejdskø ({actor.center_code}): {actor.name}"
    table = Table("Frist", "Type", "Navn", "CPR", "Detaljer", title=shown(title))
    for i in items:
        due = f"[red]{i.due:%d-%m-%Y}[/]" if i.overdue else f"{i.due:%d-%m-%Y}"
        table.add_row(
            due, names[i.kind], shown(i.person_name), shown(i.cpr_masked), shown(i.detail_da)
        )
    console.print(table)
    summary = ", ".join(f"{names[k]}: {n}" for k, n in counts(items).items() if n)
    console.print(f"{len(items)} punkter" + (f" ({summary})" if summary else ""))


@handovers_app.command("check")
def check(
    db: DbOption = None,
    as_login: AsOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object on stdout")] = False,
) -> None:
    """Offer every 18-year-old still held in CBU to CAI (idempotent; run it nightly) and list
    stale handovers. Without --as it runs as the system."""
    from ungehus_tui.services import handover_watch
    from ungehus_tui.store import open_store

    with clean_errors():
        ctx = open_store(settings_for(db))
        actor = cli_actor(ctx, as_login) if as_login else None
        created = handover_watch.turning_18_handovers(ctx, actor)
        from ungehus_tui.data.engine import read_session

        with read_session(ctx.engine) as session:
            pending = handover_watch.pending_handovers_in(session, actor)
    limit = ctx.settings.handover_stale_working_days
    stale = [p for p in pending if p.working_days >= limit]
    if as_json:
        typer.echo(
            json_text(
                {
                    "turning_18_offers": len(created),
                    "stale": [
                        {
                            "handover_id": p.id,
                            "kind": p.kind,
                            "name": p.person_name,
                            "from": p.from_name,
                            "to": p.to_name,
                            "offered": p.offered_on.isoformat(),
                            "working_days": p.working_days,
                        }
                        for p in stale
                    ],
                },
            )
        )
        return
    console.print(f"Nye tilbud ved 18 år (CBU → CAI): {len(created)}")
    _print_stale(stale, limit)


@handovers_app.command("stale")
def stale(
    db: DbOption = None,
    as_login: AsOption = None,
    days: Annotated[int | None, typer.Option(help="Working days (default from settings)")] = None,
) -> None:
    """Handovers pending for at least N working days (the watchdog)."""
    from ungehus_tui.services import handover_watch
    from ungehus_tui.store import open_store

    with clean_errors():
        ctx = open_store(settings_for(db))
        actor = cli_actor(ctx, as_login)
        rows = handover_watch.stale_handovers(ctx, actor, days)
    _print_stale(rows, days if days is not None else ctx.settings.handover_stale_working_days)


def _print_stale(rows: list, limit: int) -> None:
    table = Table(
        "Tilbudt",
        "Arbejdsdage",
        "Navn",
        "Fra",
        "Til",
        "Type",
        title=f"Overdragelser der har ventet mindst {limit} arbejdsdage",
    )
    for p in rows:
        table.add_row(
            f"{p.offered_on:%d-%m-%Y}",
            str(p.working_days),
            shown(p.person_name),
            shown(p.from_name),
            shown(p.to_name),
            shown(p.kind),
        )
    console.print(table)
