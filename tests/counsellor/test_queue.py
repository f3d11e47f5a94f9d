from __future__ import annotations

import datetime as dt
import json

from typer.testing import CliRunner

from ungehus_tui.cli import app as cli_app
from ungehus_tui.services.casework.queue import QueueKind, counts, queue_for


def test_queue_has_every_kind_sorted_by_due(ctx, actor_for, scenario):
    items = queue_for(ctx, actor_for("cai.vejl.1"))
    got = {(i.person_name, i.kind, i.due) for i in items}
    assert got == {
        ("Alma Førstesen", "AWAITING_FIRST_CONTACT", dt.date(2026, 3, 17)),  # 15-17: 5 wd
        ("Bjørn Mødesen", "UPCOMING_MEETING", dt.date(2026, 3, 12)),
        ("Clara Udfaldsen", "OUTCOME_MISSING", dt.date(2026, 3, 9)),
        ("Dan Tilbudsen", "HANDOVER_OFFERED_TO_ME", dt.date(2026, 3, 17)),
        ("Emma Afsendersen", "HANDOVER_PENDING_FROM_ME", dt.date(2026, 3, 17)),
        ("Frede Udebliversen", "OUTREACH", dt.date(2026, 3, 17)),
        ("Gry Ankersen", "CONTACT_PERSON_END", dt.date(2026, 3, 24)),
    }
    assert [i.due for i in items] == sorted(i.due for i in items)
    # GUARDIAN_MISSING comes from the list import (tests/dataio/test_import.py)
    seven = {k.value for k in list(QueueKind)[:7]}
    assert counts(items) == {k.value: int(k.value in seven) for k in QueueKind}
    assert all(i.cpr_masked.endswith("-XXXX") for i in items)
    only = queue_for(ctx, actor_for("cai.vejl.1"), kinds=["OUTREACH"])
    assert [i.person_name for i in only] == ["Frede Udebliversen"]
    # Adults get the house's 10 working days for first contact.
    adult = queue_for(ctx, actor_for("cai.besk.1"), kinds=["AWAITING_FIRST_CONTACT"])
    assert adult == []  # besk.1's only case is closed; the offered one is not theirs yet


def test_cli_queue_json(ctx, scenario, settings):
    result = CliRunner().invoke(
        cli_app, ["queue", "--db", settings.db, "--as", "cai.vejl.1", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [d["due"] for d in data] == sorted(d["due"] for d in data)
    pending = [d for d in data if d["kind"] == "HANDOVER_PENDING_FROM_ME"]
    assert pending[0]["name"] == "Emma Afsendersen"
    assert "XXXX" in pending[0]["cpr_masked"]
    table = CliRunner().invoke(cli_app, ["queue", "--db", settings.db, "--as", "cai.vejl.1"])
    assert table.exit_code == 0 and "Afventer modtager" in table.stdout
    bad = CliRunner().invoke(cli_app, ["queue", "--db", settings.db, "--as", "rec.1"])
    assert bad.exit_code == 1 and "arbejdskø" in bad.output


def test_leader_sees_the_centers_queue_with_whose_it_is(ctx, actor_for, scenario):
    """A leader's queue is everyone's in their center (read-only oversight): the same items,
    each saying whose it is; an offer between two of the center's own staff is one line,
    'offered to the center'. Another center's leader sees none of it."""
    from ungehus_tui.services.casework.queue import kind_names

    leader = actor_for("cai.leder")
    items = queue_for(ctx, leader)
    got = {(i.person_name, i.kind) for i in items}
    assert got == {
        ("Alma Førstesen", "AWAITING_FIRST_CONTACT"),
        ("Bjørn Mødesen", "UPCOMING_MEETING"),
        ("Clara Udfaldsen", "OUTCOME_MISSING"),
        ("Dan Tilbudsen", "HANDOVER_OFFERED_TO_ME"),
        ("Emma Afsendersen", "HANDOVER_OFFERED_TO_ME"),  # vejl.1 -> besk.1, both CAI
        ("Frede Udebliversen", "OUTREACH"),
        ("Gry Ankersen", "CONTACT_PERSON_END"),
    }
    by_name = {i.person_name: i.detail_da for i in items}
    assert by_name["Alma Førstesen"].startswith("Demo Vejleder Ekko · Tildelt")
    assert by_name["Frede Udebliversen"].startswith("Demo Vejleder Ekko · ")
    assert "til Demo Vejleder Ekko" in by_name["Dan Tilbudsen"]
    assert kind_names(leader)["HANDOVER_OFFERED_TO_ME"] == "Tilbudt centeret"
    assert kind_names(actor_for("cai.vejl.1"))["HANDOVER_OFFERED_TO_ME"] == "Tilbudt mig"
    assert queue_for(ctx, actor_for("cbu.leder")) == []


def test_first_contact_counts_from_the_local_day_of_the_assignment(ctx, actor_for, make_case):
    """The assignment's time is stored in UTC: one made at 00:30 local time is still the day
    before in UTC; its first contact is due as for one made at noon that local day."""
    from ungehus_tui.domain import clock

    clock.set_now(dt.datetime(2026, 3, 10, 0, 30))  # Tuesday 00:30 here, Monday 23:30 UTC
    early = make_case("cai.vejl.1", age=16, name="Tidlig Midnatsen")
    clock.set_now(dt.datetime(2026, 3, 10, 12, 0))
    noon = make_case("cai.vejl.1", age=16, name="Middag Dagsen")
    due = {
        i.person_id: i.due
        for i in queue_for(ctx, actor_for("cai.vejl.1"), kinds=["AWAITING_FIRST_CONTACT"])
    }
    assert due[early.person_id] == due[noon.person_id] == dt.date(2026, 3, 17)
