"""`ungehus contact-person appoint|end|reestablish|extend`: the contact person (org. f)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer
from rich.console import Console

from ungehus_tui.cli.common import AsOption, DbOption, clean_errors, cli_actor, settings_for, shown

console = Console(highlight=False)
contact_app = typer.Typer(
    help="The contact person: appoint, end by an anchoring judgement, re-establish, agree "
    "to go on after 25.",
    no_args_is_help=True,
)
PersonArg = Annotated[int, typer.Argument(help="The young person's id", show_default=False)]
PaidBy = Annotated[str, typer.Option("--paid-by", help="Who pays (agreed in the team)")]
Staff = Annotated[
    str | None, typer.Option("--staff", help="A staff login as contact person", show_default=False)
]
Kind = Annotated[
    str,
    typer.Option(
        "--kind", help="MUNICIPAL, ENTERPRISE (municipal enterprise) or EXTERNAL (adult outside)"
    ),
]
Name = Annotated[str | None, typer.Option("--name", help="Name (not on staff)")]
Org = Annotated[str | None, typer.Option("--org", help="Organisation (not on staff)")]
Phone = Annotated[str | None, typer.Option("--phone", help="Phone (not on staff)")]
Competent = Annotated[
    bool,
    typer.Option("--competence-confirmed", help="The common competence requirements are met"),
]
Until = Annotated[
    str | None,
    typer.Option("--until", help="Agreement to go on after 25: end date (dd-mm-yyyy)"),
]


def register(app: typer.Typer) -> None:
    app.add_typer(contact_app, name="contact-person")


def _day(text: str | None) -> dt.date | None:
    from ungehus_tui.cli.common import fail

    if not text:
        return None
    try:
        if len(text) == 10 and text[2] == "-":
            return dt.datetime.strptime(text, "%d-%m-%Y").date()
        return dt.date.fromisoformat(text)
    except ValueError:
        fail(f"Not a date (dd-mm-yyyy): {text[:20]}")


def _contact(ctx, staff, paid_by, kind, name, org, phone, competent, until):
    from ungehus_tui.data.engine import read_session
    from ungehus_tui.services.casework.outcomes import ContactPersonInput
    from ungehus_tui.services.context import actor_by_login

    staff_id = None
    if staff:  # an unknown or disabled login is a ServiceError: one clear line
        with read_session(ctx.engine) as session:
            staff_id = actor_by_login(session, staff).id
    return ContactPersonInput(
        staff_id, paid_by, kind.upper(), name, org, phone, competent, _day(until)
    )


@contact_app.command("appoint")
def appoint(
    person_id: PersonArg,
    paid_by: PaidBy,
    staff: Staff = None,
    kind: Kind = "MUNICIPAL",
    name: Name = None,
    org: Org = None,
    phone: Phone = None,
    competent: Competent = False,
    until: Until = None,
    db: DbOption = None,
    as_login: AsOption = None,
) -> None:
    """Appoint a contact person: a staff member (--staff) or someone named (--name, --org,
    --phone, --competence-confirmed)."""
    from ungehus_tui.services.casework.outcomes import appoint_contact_person
    from ungehus_tui.store import open_store

    with clean_errors():
        ctx = open_store(settings_for(db))
        actor = cli_actor(ctx, as_login)
        cp = _contact(ctx, staff, paid_by, kind, name, org, phone, competent, until)
        appoint_contact_person(ctx, actor, person_id, cp)
    console.print("Kontaktperson udpeget")


@contact_app.command("end")
def end(
    person_id: PersonArg,
    judgement: Annotated[
        str, typer.Option("--judgement", help="Why the young person is anchored (required)")
    ],
    db: DbOption = None,
    as_login: AsOption = None,
) -> None:
    """End the contact person by a recorded anchoring judgement (education or steady job)."""
    from ungehus_tui.services.casework.outcomes import end_contact_person
    from ungehus_tui.store import open_store

    with clean_errors():
        ctx = open_store(settings_for(db))
        actor = cli_actor(ctx, as_login)
        end_contact_person(ctx, actor, person_id, judgement)
    console.print("Kontaktpersonforløbet er afsluttet (forankret)")


@contact_app.command("reestablish")
def reestablish(
    person_id: PersonArg,
    reason: Annotated[str, typer.Option("--reason", help="DROP_OUT or UNEMPLOYED")],
    paid_by: PaidBy,
    staff: Staff = None,
    kind: Kind = "MUNICIPAL",
    name: Name = None,
    org: Org = None,
    phone: Phone = None,
    competent: Competent = False,
    db: DbOption = None,
    as_login: AsOption = None,
) -> None:
    """Re-establish a contact person on drop-out or unemployment before 25 (a closed case is
    reopened with you as holder)."""
    from ungehus_tui.services.casework.outcomes import reestablish_contact_person
    from ungehus_tui.store import open_store

    with clean_errors():
        ctx = open_store(settings_for(db))
        actor = cli_actor(ctx, as_login)
        cp = _contact(ctx, staff, paid_by, kind, name, org, phone, competent, None)
        reestablish_contact_person(ctx, actor, person_id, cp, reason.upper())
    console.print("Kontaktperson genetableret")


@contact_app.command("extend")
def extend(
    person_id: PersonArg,
    until: Annotated[str, typer.Option("--until", help="The agreement's end date (dd-mm-yyyy)")],
    note: Annotated[str | None, typer.Option("--note", help="The agreement")] = None,
    db: DbOption = None,
    as_login: AsOption = None,
) -> None:
    """Record the agreement that the contact person goes on after 25, with its end date."""
    from ungehus_tui.services.casework.outcomes import agree_continuation
    from ungehus_tui.store import open_store

    day = _day(until)
    assert day is not None
    with clean_errors():
        ctx = open_store(settings_for(db))
        actor = cli_actor(ctx, as_login)
        row = agree_continuation(ctx, actor, person_id, day, note)
    console.print(shown(f"Aftale registreret: kontaktperson til {row.agreed_until:%d-%m-%Y}"))
