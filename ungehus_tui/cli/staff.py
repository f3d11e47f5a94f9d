"""`ungehus staff ...`: staff as IT keeps them."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from ungehus_tui.cli.common import (
    AsOption,
    DbOption,
    clean_errors,
    cli_actor,
    json_text,
    settings_for,
    shown,
)

console = Console(highlight=False)
staff_app = typer.Typer(help="List and manage staff.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(staff_app, name="staff")


@staff_app.command("list")
def list_staff(
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON list on stdout")] = False,
) -> None:
    """Login, name, role and center of every staff member."""
    from sqlmodel import select

    from ungehus_tui.data.engine import read_session
    from ungehus_tui.data.models import Staff
    from ungehus_tui.domain.codes import AccessRole, ContactRole
    from ungehus_tui.domain.labels import label_da
    from ungehus_tui.store import open_store

    with clean_errors():
        ctx = open_store(settings_for(db))
        with read_session(ctx.engine) as session:
            rows = session.exec(select(Staff).order_by(Staff.login)).all()
    data = [
        {
            "login": s.login,
            "name": s.name,
            "role": s.role,
            "contact_role": s.contact_role,
            "center": s.center_code,
            "active": s.active,
        }
        for s in rows
    ]
    if as_json:
        typer.echo(json_text(data))
        return
    table = Table("Login", "Navn", "Rolle", "Kontaktrolle", "Center", "Aktiv")
    for d in data:
        table.add_row(
            shown(d["login"]),
            shown(d["name"]),
            label_da(AccessRole, str(d["role"])),
            label_da(ContactRole, str(d["contact_role"])) if d["contact_role"] else "",
            shown(d["center"]),
            "ja" if d["active"] else "nej",
        )
    console.print(table)


def _read_password(stdin: bool) -> str:
    """From stdin (first line) or an interactive prompt with confirmation, never echoed."""
    import sys

    if stdin:
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    return typer.prompt("Ny adgangskode", hide_input=True, confirmation_prompt=True)


@staff_app.command("add")
def add(
    login: Annotated[str, typer.Argument(help="Login (lower case, e.g. cai.vejl.3)")],
    name: Annotated[str, typer.Option("--name", help="Full name")],
    role: Annotated[str, typer.Option("--role", help="RECEPTION, COUNSELLOR, LEADER or ADMIN")],
    center: Annotated[str | None, typer.Option("--center", help="Center code, e.g. CAI")] = None,
    contact_role: Annotated[
        str | None, typer.Option("--contact-role", help="e.g. UDDANNELSESVEJLEDER")
    ] = None,
    email: Annotated[str | None, typer.Option("--email")] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read a first password from stdin")
    ] = False,
    db: DbOption = None,
    as_login: AsOption = None,
) -> None:
    """Add a staff member (needs an ADMIN as --as). Without a password they cannot sign in
    until `staff reset-password`; a set password must be changed at first sign-in."""
    from ungehus_tui.services.access import staff as svc
    from ungehus_tui.store import open_store

    with clean_errors():
        ctx = open_store(settings_for(db))
        actor = cli_actor(ctx, as_login)
        password = _read_password(True) if password_stdin else None
        svc.add_staff(
            ctx,
            actor,
            login=login,
            name=name,
            role=role.upper(),
            center=center.upper() if center else None,
            contact_role=contact_role.upper() if contact_role else None,
            email=email,
            password=password,
        )
    console.print(shown(f"Staff member {login} added."))


@staff_app.command("disable")
def disable(
    login: Annotated[str, typer.Argument(help="Login to disable")],
    db: DbOption = None,
    as_login: AsOption = None,
) -> None:
    """Disable a login: no sign-in, no CLI use (needs an ADMIN as --as)."""
    from ungehus_tui.services.access import staff as svc
    from ungehus_tui.store import open_store

    with clean_errors():
        ctx = open_store(settings_for(db))
        svc.disable_staff(ctx, cli_actor(ctx, as_login), login)
    console.print(shown(f"Staff member {login} disabled."))


@staff_app.command("reset-password")
def reset_password(
    login: Annotated[str, typer.Argument(help="Login whose password is set")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from stdin")
    ] = False,
    db: DbOption = None,
    as_login: AsOption = None,
) -> None:
    """Set a password and unlock the login (needs an ADMIN as --as).

    First run: while no administrator has a password, an ADMIN login's password can be set
    without --as (this is how the first administrator is created)."""
    from ungehus_tui.data.engine import read_session
    from ungehus_tui.services.access import auth
    from ungehus_tui.store import open_store

    with clean_errors():
        ctx = open_store(settings_for(db))
        with read_session(ctx.engine) as session:
            bootstrap = auth.needs_bootstrap(session)
        actor = None if bootstrap and not as_login else cli_actor(ctx, as_login)
        password = _read_password(password_stdin)
        auth.set_password(ctx, actor, login, password, must_change=actor is not None)
    console.print(shown(f"Password set for {login}."))
