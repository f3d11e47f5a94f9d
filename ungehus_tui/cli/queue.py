"""`ungehus queue` (a counsellor's work queue) and `ungehus handovers check|stale`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

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
from ungehus_tui.services.context import Actor

if TYPE_CHECKING:
    from ungehus_tui.services.casework.queue import QueueItem

console = Console(highlight=False)
handovers_app = typer.Typer(
    help="Chain responsibility: turning-18 offers, stale handovers.", no_args_is_help=True
)


queue_app = typer.Typer(
    help="The work queue of a staff member; `queue done TASK` records a task as done.",
    invoke_without_command=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(queue_app, name="queue")
    app.add_typer(handovers_app, name="handovers")


@queue_app.callback(invoke_without_command=True)
def queue(
    context: typer.Context,
    db: DbOption = None,
    as_login: AsOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON list on stdout")] = False,
    kind: Annotated[
        list[str] | None,
        typer.Option("--kind", help="Only this kind (repeatable), e.g. OUTREACH"),
    ] = None,
) -> None:
    """The work queue of a staff member, sorted by due date (masked CPR numbers). Overdue
    items say 'overskredet'; a 15-17-year-old's first contact is marked '!! 15-17'. A leader's
    queue is the center's, with a column naming whose each item is."""
    if context.invoked_subcommand is not None:
        return
    from ungehus_tui.services.casework.queue import is_center_queue, kind_names, queue_for
    from ungehus_tui.store import open_store

    with clean_errors():
        ctx = open_store(settings_for(db))
        actor = cli_actor(ctx, as_login)
        items = queue_for(ctx, actor, kinds=[k.upper() for k in kind] if kind else None)
    if as_json:
        typer.echo(json_text([i.as_json() for i in items]))
        return
    names = kind_names(actor)
    console.print(_queue_table(actor, items, names, center=is_center_queue(actor)))
    console.print(_queue_summary(items, names))


def _queue_table(
    actor: Actor, items: list[QueueItem], names: dict[str, str], *, center: bool
) -> Table:
    """One row per item; a center's queue has a column naming whose each item is."""
    title = f"Arbejdskø: {actor.name}"
    if center:
        title = f"Centerets arbejdskø ({actor.center_code}): {actor.name}"
    columns = ["Frist", "Type", *(["Hvis"] if center else []), "Navn", "CPR", "Detaljer"]
    table = Table(*columns, title=shown(title))
    for i in items:
        due = f"{i.due:%d-%m-%Y}" + (f" {i.status_da}" if i.overdue else "")
        what = names[i.kind] + (" !! 15-17" if i.education_duty else "")
        style = "bold red" if i.priority == 2 else ("red" if i.overdue else None)
        whose = [shown(i.holder_name or "")] if center else []
        table.add_row(
            due,
            what,
            *whose,
            shown(i.person_name),
            shown(i.cpr_masked),
            shown(i.detail_da),
            style=style,
        )
    return table


def _queue_summary(items: list[QueueItem], names: dict[str, str]) -> str:
    """'N punkter (per kind); M overskredet'."""
    from ungehus_tui.services.casework.queue import counts

    summary = ", ".join(f"{names[k]}: {n}" for k, n in counts(items).items() if n)
    overdue = sum(1 for i in items if i.overdue)
    return (
        f"{len(items)} punkter"
        + (f" ({summary})" if summary else "")
        + (f"; {overdue} overskredet" if overdue else "")
    )


@queue_app.command("done")
def done(
    task_id: Annotated[int, typer.Argument(help="The task's id (task_id in queue --json)")],
    note: Annotated[
        str | None,
        typer.Option("--note", help="What was done (required for an activity offer)"),
    ] = None,
    db: DbOption = None,
    as_login: AsOption = None,
) -> None:
    """Record a task in the queue as done: a drop-out contact, an activity offer (say which
    with --note), outreach, a refused handover acted on, a revised plan ..."""
    from ungehus_tui.services.casework.outcomes import complete_task
    from ungehus_tui.store import open_store

    with clean_errors():
        ctx = open_store(settings_for(db))
        actor = cli_actor(ctx, as_login)
        task = complete_task(ctx, actor, task_id, note)
    console.print(shown(f"Opgave {task.id} udført ({task.kind})"))


@handovers_app.command("check")
def check(
    db: DbOption = None,
    as_login: AsOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object on stdout")] = False,
) -> None:
    """Offer every 18-year-old still held in CBU to CAI (idempotent; run it nightly) and list
    stale handovers. Without --as it runs as the system."""
    from ungehus_tui.services.casework import handover_watch
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
    from ungehus_tui.services.casework import handover_watch
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
