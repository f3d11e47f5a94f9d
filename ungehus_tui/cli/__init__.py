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
):
    module.register(app)


def _paragraph(text: str) -> str:
    """One paragraph as one line (a list keeps one line per item)."""
    lines = text.splitlines()
    if all(line.lstrip().startswith(("- ", "* ")) for line in lines if line.strip()):
        return "\n".join(line.strip() for line in lines)
    return " ".join(text.split())


def _unwrapped_help(typer_app: typer.Typer) -> None:
    """Help texts wrap at the terminal's width, not where the docstring's source line ended:
    Typer keeps a docstring's line breaks (in `--help` and in the command list), so each
    paragraph is made one line here and the terminal wraps it."""
    import inspect

    for info in typer_app.registered_commands:
        doc = info.help or (inspect.getdoc(info.callback) if info.callback else None)
        if doc:
            paragraphs = [_paragraph(p) for p in doc.split("\n\n")]
            info.help = "\n\n".join(paragraphs)
            info.short_help = info.short_help or paragraphs[0]
    for group in typer_app.registered_groups:
        if group.typer_instance is not None:
            _unwrapped_help(group.typer_instance)


_unwrapped_help(app)


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
