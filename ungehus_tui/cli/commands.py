"""The whole `ungehus` command line: each command group lives in its own module here and
registers itself on `app` (`ungehus_tui.cli.main` runs it)."""

from __future__ import annotations

import typer

from ungehus_tui.cli import (
    audit,
    backup,
    contact_person,
    core,
    export,
    importing,
    queue,
    report,
    retention,
    serve,
    staff,
    triage,
)
from ungehus_tui.cli.help_text import unwrap_help

app = typer.Typer(
    name="ungehus",
    help="Ungehus: intake, triage and booking for Ungehuset (Slagelse Kommune).",
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for module in (
    core,
    staff,
    triage,
    export,
    importing,
    report,
    queue,
    contact_person,
    audit,
    backup,
    retention,
    serve,
):
    module.register(app)

unwrap_help(app)
