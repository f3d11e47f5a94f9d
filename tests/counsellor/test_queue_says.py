"""Issue 13, 'The queue tells people what to do': a refused handover is work for the sender,
a leader's rows say whose they are, overdue is said in words, a 15-17 first contact stands out."""

from __future__ import annotations

import datetime as dt
import json

from typer.testing import CliRunner

from ungehus_tui.cli import app as cli_app
from ungehus_tui.domain import clock
from ungehus_tui.services.casework import handovers as ho
from ungehus_tui.services.casework import outcomes
from ungehus_tui.services.casework.queue import queue_for

from .conftest import FROZEN, holders


def _cli(settings, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli_app, [*args, "--db", settings.db])


def test_rejected_handover_stays_in_the_senders_queue_until_they_act(
    ctx, actor_for, make_case, make_meeting, settings
):
    me, other = actor_for("cai.vejl.1"), actor_for("cai.besk.1")
    case = make_case("cai.vejl.1", name="Ida Afvisesen")
    outcomes.record_outcome(
        ctx, me, make_meeting(case.person_id, FROZEN - dt.timedelta(days=1), [me.login]), "HELD"
    )
    h = ho.offer_handover(ctx, me, case.person_id, kind="COLLEAGUE", to_staff_id=other.id)
    ho.reject_handover(ctx, other, h.id, "Ingen kapacitet før sommer")
    assert holders(ctx, case.person_id) == [me.id]  # kædeansvar: the sender still holds
    rejected = queue_for(ctx, me, kinds=["HANDOVER_REJECTED"])
    assert [(i.person_name, i.detail_da) for i in rejected] == [
        ("Ida Afvisesen", "Overdragelse afvist: Ingen kapacitet før sommer")
    ]
    assert rejected[0].due == dt.date(2026, 3, 11)  # the next working day
    assert queue_for(ctx, other, kinds=["HANDOVER_REJECTED"]) == []
    # Acting on it (a new offer) closes the item.
    ho.offer_handover(
        ctx, me, case.person_id, kind="COLLEAGUE", to_staff_id=actor_for("cai.vejl.2").id
    )
    assert queue_for(ctx, me, kinds=["HANDOVER_REJECTED"]) == []


def test_rejected_handover_item_is_closed_by_queue_done(ctx, actor_for, make_case, settings):
    me, other = actor_for("cai.vejl.1"), actor_for("cai.vejl.2")
    case = make_case("cai.vejl.1")
    h = ho.offer_handover(ctx, me, case.person_id, kind="COLLEAGUE", to_staff_id=other.id)
    ho.reject_handover(ctx, other, h.id, "Nej")
    data = json.loads(
        _cli(settings, "queue", "--as", me.login, "--json", "--kind", "HANDOVER_REJECTED").stdout
    )
    assert [d["detail_da"] for d in data] == ["Overdragelse afvist: Nej"]
    bad = _cli(settings, "queue", "done", str(data[0]["task_id"]), "--as", other.login)
    assert bad.exit_code == 1 and "adgang" in bad.output
    done = _cli(settings, "queue", "done", str(data[0]["task_id"]), "--as", me.login)
    assert done.exit_code == 0, done.output
    assert queue_for(ctx, me, kinds=["HANDOVER_REJECTED"]) == []
    again = _cli(settings, "queue", "done", str(data[0]["task_id"]), "--as", me.login)
    assert again.exit_code == 1 and "Traceback" not in again.output


def test_every_row_of_a_leaders_queue_names_whose_it_is(
    ctx, actor_for, scenario, settings, monkeypatch
):
    from ungehus_tui.cli import queue as cli_queue

    monkeypatch.setattr(cli_queue.console, "width", 200)
    leader = actor_for("cai.leder")
    items = queue_for(ctx, leader)
    assert items and all(i.holder_name for i in items)
    by_name = {i.person_name: i for i in items}
    assert by_name["Bjørn Mødesen"].holder_name == "Demo Vejleder Ekko"  # a meeting, too
    assert by_name["Dan Tilbudsen"].holder_name == "Demo Vejleder Ekko"  # offered to vejl.1
    result = _cli(settings, "queue", "--as", "cai.leder", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert all(d["holder_name"] for d in data)
    assert {d["holder_name"] for d in data} >= {"Demo Vejleder Ekko"}
    table = _cli(settings, "queue", "--as", "cai.leder")
    assert "Hvis" in table.stdout and "Demo Vejleder Ekko" in table.stdout


def test_overdue_is_said_in_words_and_a_15_17_first_contact_stands_out(
    ctx, actor_for, scenario, settings, monkeypatch
):
    from ungehus_tui.cli import queue as cli_queue

    monkeypatch.setattr(cli_queue.console, "width", 200)
    clock.set_now(FROZEN + dt.timedelta(days=14))  # Alma's 5 working days have passed
    me = actor_for("cai.vejl.1")
    items = {i.person_name: i for i in queue_for(ctx, me)}
    alma, clara, gry = (
        items["Alma Førstesen"],
        items["Clara Udfaldsen"],
        items["Gry Ankersen"],
    )
    assert alma.overdue and alma.status_da == "overskredet"
    assert alma.education_duty and alma.priority == 2
    assert clara.overdue and not clara.education_duty and clara.priority == 1
    assert not gry.overdue and gry.status_da == "" and gry.priority == 0  # due today
    data = json.loads(_cli(settings, "queue", "--as", me.login, "--json").stdout)
    alma_json = next(d for d in data if d["name"] == "Alma Førstesen")
    assert alma_json["status_da"] == "overskredet" and alma_json["education_duty"] is True
    assert alma_json["priority"] == 2
    table = _cli(settings, "queue", "--as", me.login, "--kind", "AWAITING_FIRST_CONTACT")
    assert "overskredet" in table.stdout and "!! 15-17" in table.stdout
