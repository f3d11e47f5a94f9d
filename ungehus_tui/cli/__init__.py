"""The `ungehus` command line (Typer). Each command group lives in its own module here and
registers itself on the app of `commands.py`; `main()` is the console script.

This package itself imports nothing heavy: `ungehus triage` runs a Typer app holding only the
triage command, so it loads nothing of the store (no SQLAlchemy, SQLModel or pydantic);
every other command loads the whole app. `ungehus_tui.cli.app` is that whole app (loaded on
first use).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import typer

    app: typer.Typer


def __getattr__(name: str) -> Any:
    if name == "app":
        from ungehus_tui.cli.commands import app

        return app
    raise AttributeError(name)


def _command_app(argv: list[str]) -> typer.Typer:
    """The triage-only app for `ungehus triage ...`, else the whole one."""
    if argv[:1] == ["triage"]:
        from ungehus_tui.cli.help_text import unwrap_help
        from ungehus_tui.cli.triage import triage_app

        return unwrap_help(triage_app())
    from ungehus_tui.cli.commands import app

    return app


def main() -> None:
    """The console script. Last resort: an exception no command turned into a message ends as
    one scrubbed line and exit 1, never a traceback (which could show data in its frames)."""
    import sys

    from ungehus_tui import logsafe

    logsafe.install()
    try:
        from ungehus_tui.cli.launch import quick_run

        if quick_run(sys.argv[1:]):  # `ungehus run`: the app before Typer is loaded
            return
        _command_app(sys.argv[1:])()
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
