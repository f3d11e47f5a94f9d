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
    return (
        f"Not a demo database: {reason}. Demo data only goes into a new, empty database "
        "(give one with --db); nothing was changed"
    )


def _demo_state(settings: Settings) -> DemoState:
    """The database's demo state, read before anything is written (no migration, no org)."""
    from ungehus_tui.data.org import read_org
    from ungehus_tui.demo.seed import demo_state
    from ungehus_tui.store import engine_for, friendly_errors

    org = read_org(settings.org_file)
    engine = engine_for(settings)
    try:
        with friendly_errors():
            return demo_state(engine, org)
    finally:
        engine.dispose()


def _run(*, db: str | None, demo: bool, as_login: str | None) -> None:
    """Sign in first, then the app. `--as LOGIN` skips the password only together with
    `--demo` and only on a database carrying the demo marker (exit 2 elsewhere); without
    `--demo` it fills in the login. `--demo` fills an empty database with demo data first and
    refuses (exit 1) a database that is neither empty nor a demo one."""
    from ungehus_tui.demo.seed import fill_demo
    from ungehus_tui.services.access import auth
    from ungehus_tui.store import start_store

    with clean_errors():
        settings = settings_for(db)
        state = _demo_state(settings) if demo else None
        if state is not None and state.kind == "other":
            if as_login:
                fail(
                    f"--demo --as skips the sign-in only on a demo database ({state.reason}); "
                    "the app was not started",
                    code=2,
                )
            fail(_refusal(state.reason))
        ctx = start_store(settings)
        if state is not None and state.kind == "empty":
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
            from ungehus_tui.data.engine import read_session
            from ungehus_tui.data.meta import is_demo_store

            with clean_errors(), read_session(ctx.engine) as session:
                marked = is_demo_store(session)
            if not marked:  # checked again on the store the app gets
                fail("--demo --as skips the sign-in only on a demo database", code=2)
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
    from ungehus_tui.services.access import auth

    if auth.set_demo_passwords(ctx):  # type: ignore[arg-type]
        console.print(
            f"Demo sign-in: any staff login (e.g. rec.1) with password {auth.DEMO_PASSWORD!r}"
        )
