"""Shared CLI pieces: the --db option, settings, clean one-line errors."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.text import Text

from ungehus_tui.domain.text import json_escaped, visible
from ungehus_tui.services.context import Actor
from ungehus_tui.services.errors import ServiceError

if TYPE_CHECKING:  # `ungehus run` draws its first screen before loading any of these
    from ungehus_tui.services.context import Ctx
    from ungehus_tui.settings import Settings

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Database: a file path or an SQLAlchemy URL (default: UNGEHUS_DB or the data folder)",
        show_default=False,
    ),
]
AsOption = Annotated[
    str | None,
    typer.Option("--as", help="Act as this staff login", show_default=False),
]

err_console = Console(stderr=True, highlight=False)


@contextmanager
def progress_bar(console: Console, description: str, total: float | None) -> Iterator[Any]:
    """A transient Rich progress bar and its task on a terminal; Rich's `disable` keeps it
    silent otherwise (cron, pipes). Yields `(progress, task_id)`."""
    from rich.progress import Progress

    with Progress(console=console, transient=True, disable=not console.is_terminal) as bar:
        yield bar, bar.add_task(description, total=total)


def shown(value: object) -> Text:
    """Stored text for a Rich table cell or print: control characters visible
    (`domain.text.visible`), markup inert (a Text is never parsed as markup)."""
    return Text(visible(None if value is None else str(value)))


def json_text(data: object) -> str:
    """JSON for stdout: non-ASCII letters as they are, every control character escaped."""
    import json

    return json_escaped(json.dumps(data, ensure_ascii=False))


def _notice(message: str) -> None:
    from rich.markup import escape

    err_console.print(f"[yellow]Notice:[/] {escape(message)}", markup=True, soft_wrap=True)


def settings_for(db: str | None) -> Settings:
    """The settings of a command; `--db ""` is refused (it would silently mean the default)."""
    from ungehus_tui.data import engine
    from ungehus_tui.settings import load_settings

    engine.notice = _notice  # store notices (a file tightened to 0600) go to stderr
    if db is not None and not db.strip():
        fail("--db is empty: give a database file path or a URL")
    return load_settings(db=db)


def error_line(message: str) -> None:
    """The one line of an error on stderr: scrubbed, control characters made visible."""
    from rich.markup import escape

    from ungehus_tui.logsafe import scrub

    text = escape(visible(scrub(message)))
    err_console.print(f"[bold red]Error:[/] {text}", markup=True, soft_wrap=True)


def fail(message: str, code: int = 1) -> NoReturn:
    error_line(message)
    raise typer.Exit(code)


@contextmanager
def clean_errors() -> Iterator[None]:
    """Turn expected failures into one clear line and a non-zero exit."""
    from ungehus_tui.data.engine import StoreError
    from ungehus_tui.data.org import OrgFileError
    from ungehus_tui.settings import SettingsError

    try:
        yield
    except (StoreError, OrgFileError, SettingsError) as exc:
        fail(str(exc))
    except ServiceError as exc:
        fail(exc.message)
    except OSError as exc:  # a folder or file that cannot be made, read or written
        where = f" ({exc.filename})" if exc.filename else ""
        fail(f"{exc.strerror or type(exc).__name__}{where}")


def check_writable(path: Path, what: str, code: int = 1) -> None:
    """Fail (one line) unless `path` can be written: checked before any work, so nothing is
    done, or committed, whose output then cannot be written. Probes by opening the file
    (created 0600 and removed again when it did not exist)."""
    import os

    if path.is_dir():
        fail(f"The {what} {path} is a folder; give a file name", code)
    if not path.parent.is_dir():
        fail(f"The folder of the {what} does not exist: {path.parent}", code)
    existed = path.exists()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    except OSError as exc:
        fail(f"Cannot write the {what} {path}: {exc.strerror}", code)
    os.close(fd)
    if not existed:
        path.unlink(missing_ok=True)


def guarded(fn: Callable[[], None]) -> None:
    with clean_errors():
        fn()


def is_tty() -> bool:
    return sys.stdout.isatty()


def cli_actor(ctx: Ctx, as_login: str | None) -> Actor:
    """The staff member a CLI command acts as: --as, else UNGEHUS_CLI_LOGIN. An unknown or
    disabled login is refused (one line, exit 1). The actor carries channel `cli` and the
    OS user @ host, which the audit log records beside the login (the CLI trust model: whoever
    can run it against the database can name any login; the log says who ran it)."""
    from sqlalchemy import select
    from sqlmodel import col

    from ungehus_tui.data.engine import read_session
    from ungehus_tui.data.models import Staff

    login = as_login or ctx.settings.cli_login
    if not login:
        fail("Name the staff member acting: --as LOGIN (or set UNGEHUS_CLI_LOGIN)")
    with read_session(ctx.engine) as session:
        staff = session.execute(select(Staff).where(col(Staff.login) == login)).scalars().first()
        if staff is None:
            fail(f"Unknown staff login: {login}")
        if not staff.active:
            fail(f"The staff login {login} is disabled; it cannot act")
        return Actor.of(staff).acting_from("cli")
