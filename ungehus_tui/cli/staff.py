"""`ungehus staff ...`: staff as IT keeps them."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlmodel import select

from ungehus_tui.cli.common import DbOption, clean_errors, settings_for

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
    from ungehus_tui.data.engine import read_session
    from ungehus_tui.data.models import Staff
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
        typer.echo(json.dumps(data, ensure_ascii=False))
        return
    table = Table("Login", "Navn", "Rolle", "Kontaktrolle", "Center", "Aktiv")
    for d in data:
        table.add_row(
            d["login"],
            d["name"],
            d["role"],
            d["contact_role"] or "",
            d["center"] or "",
            "ja" if d["active"] else "nej",
        )
    console.print(table)
