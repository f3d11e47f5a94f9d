"""`ungehus init`, `ungehus demo` and `ungehus run` (also the bare `ungehus`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from ungehus_tui.cli.common import AsOption, DbOption, clean_errors, fail, settings_for

if TYPE_CHECKING:
    from ungehus_tui.demo.seed import DemoState
    from ungehus_tui.settings import Settings

console = Console(highlight=False)


def register(app: typer.Typer) -> None:
    @app.callback(invoke_without_command=True)
    def _root(ctx: typer.Context, db: DbOption = None) -> None:
        """Without a command: start the app (same as `ungehus run`)."""
        from ungehus_tui.services.context import set_process_source

        set_process_source("tui" if ctx.invoked_subcommand in (None, "run") else "cli")
        if ctx.invoked_subcommand is None:
            _run(db=db, demo=False, as_login=None)

    @app.command()
    def init(db: DbOption = None) -> None:
        """Create or upgrade the database and load the organisation file. Idempotent."""
        from ungehus_tui.services.access import auth
        from ungehus_tui.store import init_store

        with clean_errors():
            ctx, changed = init_store(settings_for(db))
            first_run = not auth.has_any_password(ctx)
        console.print("Database initialised." if changed else "Database already up to date.")
        if first_run:
            console.print(
                "No administrator has a password yet. Create the first one with:\n"
                "  ungehus staff reset-password it.admin"
            )

    @app.command()
    def demo(
        db: DbOption = None,
        persons: Annotated[int, typer.Option(help="How many young people", min=0)] = 2000,
        seed: Annotated[int, typer.Option(help="Random seed (same seed, same data)")] = 2019,
    ) -> None:
        """Fill a new, empty database with plainly fictitious demo data (staff, young people,
        cases) and mark it as a demo database. Refuses any other database (exit 1)."""
        from ungehus_tui.demo.seed import fill_demo
        from ungehus_tui.store import init_store

        with clean_errors():
            settings = settings_for(db)
            state = _demo_state(settings)
            if state.kind == "demo":
                fail(
                    "The database already holds demo data; open it with `ungehus run --demo`, "
                    "or give a new database with --db"
                )
            if state.kind == "other":
                fail(_refusal(state.reason))
            ctx, _ = init_store(settings)
            stats = fill_demo(ctx, persons=persons, seed=seed, progress=console.is_terminal)
            _demo_passwords(ctx)
        console.print(
            "Demo data: " + ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in stats.items())
        )

    @app.command()
    def run(
        db: DbOption = None,
        demo: Annotated[
            bool,
            typer.Option(
                "--demo",
                help="A demo database: fill an empty one with demo data first (refuses any "
                "other database); with --as, skip the sign-in",
            ),
        ] = False,
        as_login: AsOption = None,
    ) -> None:
        """Start the terminal app."""
        _run(db=db, demo=demo, as_login=as_login)


def _refusal(reason: str) -> str:
    from ungehus_tui.startup import refusal

    return refusal(reason)


def _demo_state(settings: Settings) -> DemoState:
    """The database's demo state, read before anything is written (no migration, no org)."""
    from ungehus_tui.startup import demo_state

    return demo_state(settings)


def _run(*, db: str | None, demo: bool, as_login: str | None) -> None:
    """One app from the first screen on: the sign-in (or, `--demo --as LOGIN`, the desk) is
    drawn at once; the settings and the store load behind it (`startup.open_for_app`:
    `--demo` fills an empty database first and refuses one that is neither empty nor a demo
    one; nobody with a password: refused). Without `--demo`, `--as` only fills in the login;
    `--demo --as LOGIN` skips the sign-in only on a database carrying the demo marker (exit
    2 elsewhere). A refusal: one line and its exit code, after the app has closed."""
    if db is not None and not db.strip():
        fail("--db is empty: give a database file path or a URL")
    from ungehus_tui.cli.launch import RunArgs, start

    code, refusal = start(RunArgs(db, demo, as_login))
    if refusal is not None:
        fail(refusal, code)
    if code:
        raise typer.Exit(code)


def _demo_passwords(ctx: object) -> None:
    """Demo databases only: staff without a password get the documented demo password."""
    from ungehus_tui.services.access import auth

    if auth.set_demo_passwords(ctx):  # type: ignore[arg-type]
        console.print(
            f"Demo sign-in: any staff login (e.g. rec.1) with password {auth.DEMO_PASSWORD!r}"
        )
