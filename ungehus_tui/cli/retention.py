"""`ungehus retention [--apply]`: anonymise young people past the deletion deadline."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from ungehus_tui.cli.common import AsOption, DbOption, clean_errors, cli_actor, settings_for
from ungehus_tui.domain.clock import local

if TYPE_CHECKING:
    from ungehus_tui.services.dataio.retention import AuditPrune

console = Console(highlight=False)


def register(app: typer.Typer) -> None:
    app.command("retention")(retention)


def retention(
    apply: Annotated[
        bool, typer.Option("--apply", help="Anonymise (default: only list, a dry run)")
    ] = False,
    db: DbOption = None,
    as_login: AsOption = None,
) -> None:
    """List (dry run) or anonymise young people with no activity for retention_months."""
    from ungehus_tui.services.dataio import retention as svc
    from ungehus_tui.store import open_store

    with clean_errors():
        ctx = open_store(settings_for(db))
        actor = cli_actor(ctx, as_login)
        months = ctx.settings.retention_months
        found = svc.apply(ctx, actor) if apply else svc.candidates(ctx, actor)
        pruned = svc.prune_audit(ctx, actor) if apply else svc.audit_prune_plan(ctx, actor)
    for c in found:
        console.print(f"  id {c.person_id}: sidste aktivitet {local(c.last_activity):%d-%m-%Y}")
    verb = "anonymised" if apply else "would be anonymised (dry run; --apply to do it)"
    console.print(f"{len(found)} young people without activity for {months} months {verb}.")
    _print_audit_prune(pruned, applied=apply)


def _print_audit_prune(pruned: AuditPrune, *, applied: bool) -> None:
    """The audit log's part of retention: events older than audit_retention_months."""
    verb = "pruned" if applied else "would be pruned (dry run)"
    before = f"{local(pruned.cutoff):%d-%m-%Y}"
    line = f"{pruned.events} audit events older than {pruned.months} months ({before}) {verb}"
    if applied and pruned.through_id:
        line += f"; the chain now verifies from checkpoint event {pruned.through_id}"
    console.print(line + ".")
