from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import pytest
from typer.testing import CliRunner

from tests.dataio.conftest import World, at
from ungehus_tui.cli import app
from ungehus_tui.services.dataio.report import Quarter, percentile, steering_report
from ungehus_tui.services.dataio.report_html import render_html
from ungehus_tui.services.errors import PermissionDenied, ValidationFailed

D = dt.date


def build(w: World) -> None:
    p1 = w.person(D(2010, 5, 5), "Ida Demolund", at(D(2026, 10, 5)))  # 16
    w.intake(p1, at(D(2026, 10, 5)), lead="CBU", age=16)
    w.meeting(p1, at(D(2026, 10, 8)))  # 3 days; then nothing for 30+ days -> idle minor
    w.assign(p1, "cbu.vejl.1", at(D(2026, 10, 5)))

    p2 = w.person(D(2004, 2, 3), "Freja Prøvesen", at(D(2026, 10, 10)))  # 22
    w.intake(p2, at(D(2026, 10, 10)), lead="CAI")
    w.meeting(p2, at(D(2026, 10, 20)), status="BOOKED")  # 10 days

    p3 = w.person(D(2001, 6, 7), "Mads Eksempelgaard", at(D(2026, 11, 2)))  # 25
    w.intake(p3, at(D(2026, 11, 2)), lead="CAI", team=True)
    w.meeting(p3, at(D(2026, 11, 4), 13), kind="TEAM_MEETING")  # 2 days
    w.assign(p3, "cai.besk.1", at(D(2026, 11, 4), 9), kind="COORDINATOR")  # in time

    p4 = w.person(D(2005, 1, 1), "Ali Fiktivholm", at(D(2026, 11, 3)))  # 21
    w.intake(p4, at(D(2026, 11, 3)), lead="CHP", team=True)
    w.meeting(p4, at(D(2026, 11, 6)), kind="TEAM_MEETING")  # 3 days
    w.assign(p4, "chp.hpr.1", at(D(2026, 11, 9)), kind="COORDINATOR")  # too late

    p5 = w.person(D(2009, 12, 12), "Emil Testdal", at(D(2026, 9, 20)))  # last quarter
    w.intake(p5, at(D(2026, 9, 20)), lead="CBU", age=16)
    w.meeting(p5, at(D(2026, 11, 20)), kind="FOLLOW_UP", first=False, status="BOOKED")
    w.assign(p5, "cbu.vejl.1", at(D(2026, 9, 20)))

    w.person(D(2011, 1, 15), "Asta Skitsebæk", at(D(2026, 11, 5)), case_open=False)  # 15

    w.handover(p1, "EDUCATION_START", at(D(2026, 11, 8)))  # pending, 2 days
    w.handover(p2, "COLLEAGUE", at(D(2026, 10, 1)))  # pending, 40 days
    w.handover(
        p2, "JOB_START", at(D(2026, 10, 15)), status="ACCEPTED", responded=at(D(2026, 10, 20))
    )
    w.handover(
        p5, "EDUCATION_START", at(D(2026, 9, 1)), status="ACCEPTED", responded=at(D(2026, 9, 15))
    )  # last quarter
    w.handover(
        p3, "EDUCATION_START", at(D(2026, 10, 25)), status="ACCEPTED", responded=at(D(2026, 11, 1))
    )
    w.session.commit()


def test_figures_on_a_known_data_set(ctx, world, actor_for):
    build(world)  # the clock stands at 10-11-2026 10:00, inside 2026Q4
    r = steering_report(ctx, actor_for("cbu.leder"), Quarter.parse("2026Q4"))
    assert r.new_people == {
        "CBU": Counter({"15-17": 1}),
        "CAI": Counter({"18-24": 1, "25-29": 1}),
        "CHP": Counter({"18-24": 1}),
        "Ikke visiteret": Counter({"15-17": 1}),
    }
    assert r.new_total == 5
    assert sorted(r.waits) == [2, 3, 3, 10]
    assert r.median_wait == 3 and r.p90_wait == 10 and r.without_first_meeting == 1
    assert (r.team_cases, r.team_with_coordinator, r.coordinator_share) == (2, 1, 0.5)
    assert r.pending == {
        "EDUCATION_START": Counter({"0-5 dage": 1}),
        "COLLEAGUE": Counter({"over 30 dage": 1}),
    }
    assert r.idle_minors == Counter({"CBU": 1})
    assert r.outcomes == {"EDUCATION_START": Counter({"CAI": 1}), "JOB_START": Counter({"CAI": 1})}

    earlier = steering_report(ctx, actor_for("it.admin"), Quarter.parse("2026Q3"))
    assert earlier.new_total == 1 and earlier.outcomes == {"EDUCATION_START": Counter({"CAI": 1})}
    # at the end of Q3 the colleague handover offered 1 October was not yet offered
    assert earlier.pending == {}


def test_html_is_one_self_contained_page_with_svg(ctx, world, actor_for):
    build(world)
    r = steering_report(ctx, actor_for("it.admin"), Quarter.parse("2026Q4"))
    page = render_html(r)
    assert page.startswith("<!DOCTYPE html>") and 'lang="da"' in page
    assert page.count("<svg") >= 5
    assert "<script" not in page and not re.search(r'(src|href)="(http|//)', page)
    assert "4. kvartal 2026" in page and "50 %" in page
    for name in ("Ida Demolund", "Freja Prøvesen"):
        assert name not in page
    # text columns are left-aligned, figures right-aligned (the outcome table has two texts)
    outcomes = page[page.index("Udfald: i uddannelse eller job") :]
    row = re.search(r"<tbody><tr>(.*?)</tr>", outcomes)
    assert row is not None
    kinds = re.findall(r"<td( class=\"t\")?>", row.group(1))
    assert kinds == [' class="t"', ' class="t"', ""]


def test_permissions_and_quarter_format(ctx, actor_for):
    with pytest.raises(PermissionDenied):
        steering_report(ctx, actor_for("rec.1"), Quarter.parse("2026Q4"))
    with pytest.raises(ValidationFailed):
        Quarter.parse("2026-13")
    q = Quarter.parse("2027k1")
    assert (q.first_day, q.end_day) == (D(2027, 1, 1), D(2027, 4, 1))
    assert percentile([5, 1, 3], 90) == 5 and percentile([], 90) is None


def test_cli_writes_html(ctx, world, db_url, tmp_path):
    build(world)
    out = tmp_path / "rapport.html"
    result = CliRunner().invoke(
        app,
        ["report", "--quarter", "2026Q4", "--out", str(out), "--db", db_url, "--as", "cbu.leder"],
    )
    assert result.exit_code == 0, result.output
    assert "Nye unge pr. center" in result.output
    assert "<svg" in out.read_text(encoding="utf-8")
    bad = CliRunner().invoke(app, ["report", "--quarter", "Q4", "--db", db_url, "--as", "it.admin"])
    assert bad.exit_code == 1
