"""`ungehus init`, `ungehus demo` and `ungehus run` (also the bare `ungehus`)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from ungehus_tui.cli.common import AsOption, DbOption, clean_errors, fail, settings_for

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
        from ungehus_tui.services import auth
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
        """Fill a database with plainly fictitious demo data (staff, young people, cases)."""
        from ungehus_tui.data.demo import fill_demo
        from ungehus_tui.store import init_store

        with clean_errors():
            ctx, _ = init_store(settings_for(db))
            stats = fill_demo(ctx, persons=persons, seed=seed, progress=console.is_terminal)
            _demo_passwords(ctx)
        console.print(
            "Demo data: " + ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in stats.items())
        )

    @app.command()
    def run(
        db: DbOption = None,
        demo: Annotated[
            bool, typer.Option("--demo", help="Fill an empty database with demo data first")
        ] = False,
        as_login: AsOption = None,
    ) -> None:
        """Start the terminal app."""
        _run(db=db, demo=demo, as_login=as_login)


def _run(*, db: str | None, demo: bool, as_login: str | None) -> None:
    """Sign in first, then the app. `--as LOGIN` skips the password only together with
    `--demo` (a demo database, for development and demos); otherwise it fills in the login."""
    from ungehus_tui.data.demo import fill_demo, has_people
    from ungehus_tui.services import auth
    from ungehus_tui.store import start_store

    with clean_errors():
        settings = settings_for(db)
        ctx = start_store(settings)
        if demo and not has_people(ctx):
            console.print("Filling the empty database with demo data ...")
            fill_demo(ctx, persons=2000, seed=2019, progress=console.is_terminal)
            _demo_passwords(ctx)
        if not auth.has_any_password(ctx):
            fail(
                "No staff member has a password yet. Create the first administrator with "
                "`ungehus staff reset-password it.admin` (or try `ungehus run --demo`)."
            )
    from ungehus_tui.app import make_app
    from ungehus_tui.app_lock import sign_in_first
    from ungehus_tui.services.errors import ServiceError

    try:
        if demo and as_login:
            app = make_app(ctx, as_login=as_login)
        else:
            actor = sign_in_first(ctx, as_login)
            if actor is None:
                return
            app = make_app(ctx, actor=actor)
    except ServiceError as exc:  # a clean line for a bad --as and the like
        fail(exc.message)
    app.run()


def _demo_passwords(ctx: object) -> None:
    """Demo databases only: staff without a password get the documented demo password."""
    from ungehus_tui.services import auth

    if auth.set_demo_passwords(ctx):  # type: ignore[arg-type]
        console.print(
            f"Demo sign-in: any staff login (e.g. rec.1) with password {auth.DEMO_PASSWORD!r}"
        )
