"""`audit show`: --json, Danish action names in the terminal (every action the services log
has one), and every search that found the person (by name or CPR), CPRs masked."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from ungehus_tui.cli import app
from ungehus_tui.cli import audit as audit_cli
from ungehus_tui.services.access.audit_query import ACTION_NAMES_DA
from ungehus_tui.services.desk import people
from ungehus_tui.services.desk import walk_in as desk

CPR = "0101054321"  # fictitious, born 2005
OTHER = "0202064322"
SRC = Path(__file__).resolve().parents[2] / "ungehus_tui"


def _show(db_url: str, *extra: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(
        app, ["audit", "show", "--person", CPR, "--db", db_url, "--as", "it.admin", *extra]
    )


def test_every_logged_action_has_a_danish_name() -> None:
    found: set[str] = set()
    call = re.compile(r"record\(\s*session,\s*[\w.]+,\s*\"([A-Z_]+)\"", re.S)
    for path in SRC.rglob("*.py"):
        found |= set(call.findall(path.read_text(encoding="utf-8")))
    found.add("AUDIT_PRUNE")  # recorded through audit.PRUNE_ACTION
    assert {"SEARCH", "VIEW_PERSON", "AUDIT_SHOW", "SIGN_IN_FAILED", "BOOK"} <= found
    assert found - set(ACTION_NAMES_DA) == set()


def test_searches_that_found_the_person_by_name_or_cpr(  # type: ignore[no-untyped-def]
    ctx, reception, db_url, monkeypatch
) -> None:
    monkeypatch.setattr(audit_cli.console, "width", 220)
    people.register_person(ctx, reception, people.PersonInput(CPR, "Freja Prøvesen"))
    people.register_person(ctx, reception, people.PersonInput(OTHER, "Mads Eksempel"))
    people.audit_search(ctx, reception, "frej")  # found her by name
    people.audit_search(ctx, reception, "prøvesen fr")  # by two name words
    people.audit_search(ctx, reception, "010105 4321")  # her CPR with a space
    people.audit_search(ctx, reception, "mads")  # someone else: not hers
    people.audit_search(ctx, reception, "0202")  # another prefix: not hers
    out = _show(db_url, "--json")
    assert out.exit_code == 0, out.output
    events = json.loads(out.output)
    searches = [e["search_term"] for e in events if e["action"] == "SEARCH"]
    assert searches == ["frej", "prøvesen fr", "010105-XXXX"]
    assert "4321" not in out.output  # never the full CPR, even in JSON
    first = events[0]
    assert first["action"] == "REGISTER" and first["action_da"] == "registreret"
    assert first["staff_login"] == "rec.1" and first["at"].endswith("+00:00")
    assert {"channel", "origin", "purpose", "staff_name"} <= set(first)
    table = _show(db_url)
    assert table.exit_code == 0, table.output
    assert "søgning" in table.output and "registreret" in table.output
    assert "auditlog læst (indsigt)" in table.output  # the first listing, itself logged
    assert "SEARCH" not in table.output and "REGISTER" not in table.output
    assert "4321" not in table.output


def test_hostile_terms_are_not_rich_markup(ctx, reception, db_url, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(audit_cli.console, "width", 220)
    person, _ = people.register_person(ctx, reception, people.PersonInput(CPR, "Freja Prøvesen"))
    assert person.id is not None
    desk.person_card(ctx, reception, person.id, search_term="[bold]frej")
    out = _show(db_url)
    assert out.exit_code == 0, out.output
    assert "[bold]frej" in out.output
