"""Issue 14: one Danish label table keyed by the enums; codes never show raw."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from ungehus_tui.domain import codes
from ungehus_tui.domain.labels import LABELS_DA, UNKNOWN_DA, label_da

ENUMS = [
    value
    for value in vars(codes).values()
    if isinstance(value, type) and issubclass(value, codes.StrEnum) and value is not codes.StrEnum
]


@pytest.mark.parametrize("enum", ENUMS, ids=lambda e: e.__name__)
def test_every_code_has_a_danish_label(enum):
    assert enum in LABELS_DA, f"{enum.__name__} has no labels"
    for member in enum:
        label = label_da(enum, member)
        assert label and label != UNKNOWN_DA
        assert label != member.value or member.value.islower(), f"{member!r} shown raw"


def test_same_value_in_two_enums_keeps_two_meanings():
    assert label_da(codes.HandoverKind, "EXTERNAL") == "Ekstern aktør"
    assert label_da(codes.ContactPersonKind, "EXTERNAL") == "Voksen uden for kommunen"


def test_unknown_code_is_not_shown_raw():
    assert label_da(codes.AccessRole, "SUPERUSER") == UNKNOWN_DA


def test_staff_list_shows_danish_roles(ctx, monkeypatch):
    from rich.console import Console

    from ungehus_tui.cli import app, staff

    monkeypatch.setattr(staff, "console", Console(width=200, highlight=False))
    runner = CliRunner()
    table = runner.invoke(app, ["staff", "list", "--db", str(ctx.settings.db)])
    assert table.exit_code == 0, table.output
    assert "Rådgiver/sagsbehandler" in table.output and "Beskæftigelsesrådgiver" in table.output
    for raw in ("COUNSELLOR", "BESKAEFTIGELSESRAADGIVER", "RECEPTION"):
        assert raw not in table.output
    as_json = runner.invoke(app, ["staff", "list", "--json", "--db", str(ctx.settings.db)])
    assert "COUNSELLOR" in {row["role"] for row in json.loads(as_json.output)}  # the contract


def test_refusal_names_the_role_in_danish(actor_for):
    from ungehus_tui.services.access.permissions import Action, require
    from ungehus_tui.services.errors import PermissionDenied

    with pytest.raises(PermissionDenied) as refused:
        require(actor_for("cai.vejl.1"), Action.RECORD_ARRIVAL)
    assert "rådgiver/sagsbehandler" in refused.value.message
    assert "COUNSELLOR" not in refused.value.message


def test_case_shows_task_and_arrival_kinds_in_danish(ctx, actor_for, reception):
    from tests.counsellor.conftest import new_case
    from ungehus_tui.data.engine import write_session
    from ungehus_tui.data.models import Task
    from ungehus_tui.domain import clock
    from ungehus_tui.services.casework import cases
    from ungehus_tui.services.desk import arrivals

    me = actor_for("cai.vejl.1")
    case = new_case(ctx, "cai.vejl.1", age=16)
    arrivals.record_arrival(ctx, reception, case.person_id, "QUESTION", None)
    with write_session(ctx.engine) as session:
        session.add(
            Task(
                person_id=case.person_id,
                kind="OUTREACH",
                staff_id=me.id,
                due=clock.today(),
                created_by=me.id,
            )
        )
    view = cases.case_timeline(ctx, actor_for("cai.vejl.1"), case.person_id)
    texts = " ".join(e.text_da for e in view.events)
    assert "Fremmøde ved skranken (spørgsmål)" in texts
    assert "situation ingen af delene" in texts
    assert "Opgave (opsøgende kontakt)" in texts
    assert view.open_tasks and view.open_tasks[0].label_da.startswith("Opsøgende kontakt, frist")
    for raw in ("question", "outreach", "OUTREACH"):
        assert raw not in texts + view.open_tasks[0].label_da
