"""`ungehus serve`: the app in a browser, one app process per tab (`ungehus serve-session`)."""

from __future__ import annotations

import ipaddress
import os
import socket
from typing import Annotated

import typer
from rich.console import Console

from ungehus_tui.cli.common import DbOption, clean_errors, fail, settings_for

console = Console(highlight=False)

DEFAULT_MAX_SESSIONS = 20
PUBLIC_NOTICE = (
    "Public: Ungehus speaks plain HTTP; terminate TLS in front of it (a reverse proxy such as "
    "nginx or Caddy) before anyone outside this machine uses it."
)


def register(app: typer.Typer) -> None:
    @app.command()
    def serve(
        db: DbOption = None,
        host: Annotated[
            str, typer.Option(help="Address to listen on (loopback unless --public)")
        ] = "127.0.0.1",
        port: Annotated[str, typer.Option(help="Port to listen on")] = "8080",
        public: Annotated[
            bool,
            typer.Option(
                "--public",
                help="Allow an address other machines reach (TLS must be terminated in front)",
            ),
        ] = False,
        max_sessions: Annotated[
            int, typer.Option(help="Most browser tabs (app processes) open at once")
        ] = DEFAULT_MAX_SESSIONS,
    ) -> None:
        """Serve the app to browsers: each tab runs its own app, always from the sign-in."""
        import asyncio

        from ungehus_tui.serve.server import ServeError, UngehusServer, serve

        number = int(port) if port.strip().isdigit() else 0
        if not 1 <= number <= 65535:
            fail(f"--port {port} is not a port (1-65535)", code=2)
        if max_sessions < 1:
            fail("--max-sessions must be at least 1", code=2)
        loopback = _check_host(host, number)
        if not loopback and not public:
            fail(
                f"{host} can be reached from other machines: add --public (and terminate TLS "
                "in front of Ungehus), or serve on 127.0.0.1 behind a reverse proxy",
                code=2,
            )
        db_url = _checked_database(db)
        server = UngehusServer(db_url=db_url, max_sessions=max_sessions)

        def ready(url: str) -> None:
            if not loopback:
                console.print(PUBLIC_NOTICE, soft_wrap=True)
            console.print(
                f"Ungehus serves {url} (at most {max_sessions} sessions); Ctrl+C stops it",
                soft_wrap=True,
            )

        try:
            asyncio.run(serve(server, host, number, ready=ready))
        except ServeError as exc:
            fail(str(exc))

    @app.command("serve-session", hidden=True)
    def serve_session() -> None:
        """One browser tab's app; started by `ungehus serve`, not for a terminal."""
        from ungehus_tui.serve.server import CLIENT_ENV

        client = os.environ.get(CLIENT_ENV)
        if not client:
            fail("serve-session is started by `ungehus serve` for a browser tab", code=2)
        _session(client)


def _end_with_the_server() -> None:
    """A served app must not outlive its server (its input would simply stop, and the app
    run on, signed in): on Linux the kernel sends SIGTERM when the server goes (the app
    exits cleanly on it); already orphaned: exit at once."""
    import ctypes
    import signal
    import sys

    if sys.platform.startswith("linux"):
        pr_set_pdeathsig = 1
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(pr_set_pdeathsig, int(signal.SIGTERM), 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() == 1:
        raise typer.Exit(1)


def _check_host(host: str, port: int) -> bool:
    """Whether every address `host` names is a loopback address; a host that names nothing
    is one line and exit 2."""
    if not host.strip():
        fail("--host is empty: give an address such as 127.0.0.1", code=2)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        fail(f"--host {host!r} is not an address or a host name this machine knows", code=2)
    addresses = {info[4][0] for info in infos}
    return all(ipaddress.ip_address(str(a).split("%")[0]).is_loopback for a in addresses)


def _checked_database(db: str | None) -> str:
    """The database URL for the sessions: it must exist, be initialised by this version and
    have a staff member with a password (nothing is created or changed)."""
    from ungehus_tui.data.engine import resolve_url
    from ungehus_tui.services.access import auth
    from ungehus_tui.store import open_store

    with clean_errors():
        settings = settings_for(db)
        url = resolve_url(settings.db, settings.data_dir, create=False)
        ctx = open_store(settings)
        try:
            has_password = auth.has_any_password(ctx)
        finally:
            ctx.engine.dispose()
    if not has_password:
        fail(
            "No staff member has a password yet. Create the first administrator with "
            "`ungehus staff reset-password it.admin`."
        )
    return url


def _session(client: str) -> None:
    """One app from the sign-in on, as `ungehus run` without `--as` or `--demo`; the audit
    log records channel `serve` and the browser's address (the actor the sign-in makes, and
    a failed sign-in, carry them)."""
    from ungehus_tui.app import starting_app

    _end_with_the_server()
    # The settings (UNGEHUS_DB from `ungehus serve`) and the store load behind the sign-in;
    # a refusal ends the app with one line.
    app = starting_app(None, channel="serve", origin=client)
    app.run()
    if app.refusal is not None:
        fail(app.refusal.message, app.refusal.code)
    if app.return_code:
        raise typer.Exit(app.return_code)
