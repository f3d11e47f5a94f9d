"""The `ungehus` command line (Typer). Each command group lives in its own module here and
registers itself on `app`; `main()` is the console script."""

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


def main() -> None:
    """The console script. Last resort: an exception no command turned into a message ends as
    one scrubbed line and exit 1, never a traceback (which could show data in its frames)."""
    import sys

    from ungehus_tui import logsafe

    logsafe.install()
    try:
        app()
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.stderr.write("Interrupted.\n")
        raise SystemExit(130) from None
    except BaseException as exc:  # the one place that must catch everything
        sys.stderr.write(_last_resort(exc) + "\n")
        raise SystemExit(1) from None


def _last_resort(exc: BaseException) -> str:
    """The exception's type only: its text may hold a name or a SQL statement's parameters
    (scrub masks CPR numbers, not names)."""
    from ungehus_tui.logsafe import scrub

    return scrub(f"Error: unexpected {type(exc).__name__}; nothing was shown or changed halfway")
