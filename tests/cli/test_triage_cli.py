"""`ungehus triage`: the JSON machine contract and the Danish Rich view."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tests.cprgen import make_cpr
from ungehus_tui.cli import app
from ungehus_tui.domain.triage import BOOL_FACTS, Facts, decide, facts_from_json

runner = CliRunner()
CPR = make_cpr(dt.date(2008, 3, 14))  # 16 on 2024-08-01
OUTPUT_KEYS = {
    "eligible", "age", "reason", "contacts", "centers", "lead_center",
    "contact_role", "team_meeting", "rules", "warnings", "education_duty",
}  # fmt: skip


def run_json(text: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["triage", "--json"], input=text)


def test_json_contract_output() -> None:
    obj = {"cpr": CPR, "on": "2024-08-01", "situation": "ingen", "social_case": True}
    result = run_json(json.dumps(obj))
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    assert set(out) == OUTPUT_KEYS
    assert out == {
        "eligible": True,
        "age": 16,
        "reason": None,
        "contacts": [
            {"center": "CBU", "role": "BOERNE_FAMILIERAADGIVER", "rule": "R1"},
            {"center": "CAI", "role": "UDDANNELSESVEJLEDER", "rule": "R3"},
        ],
        "centers": ["CAI", "CBU"],
        "lead_center": "CBU",
        "contact_role": "BOERNE_FAMILIERAADGIVER",
        "team_meeting": True,
        "rules": ["R1", "R3", "T1", "L1"],
        "warnings": [],
        "education_duty": True,
    }
    assert result.stdout.count("\n") == 1  # one object, one line
    assert result.stderr == ""


def test_json_refusal_has_reason_and_no_contacts() -> None:
    cpr = make_cpr(dt.date(1990, 1, 1), mod11=False)
    result = run_json(json.dumps({"cpr": cpr, "on": "2024-08-01", "situation": "job"}))
    out = json.loads(result.stdout)
    assert result.exit_code == 0
    assert out["eligible"] is False and out["rules"] == ["AGE-MAX"]
    assert out["reason"] and out["contacts"] == [] and out["lead_center"] is None
    assert out["warnings"] == ["CPR_MOD11"]


def test_json_on_defaults_to_today() -> None:
    result = run_json(json.dumps({"cpr": CPR, "situation": "ingen"}))
    assert result.exit_code == 0
    expected = decide(Facts(cpr=CPR, on=dt.date.today(), situation="ingen")).to_contract()
    assert json.loads(result.stdout) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "not json",
        "[]",
        '"0102054123"',
        "42",
        "null",
        '{"cpr": "0102054123", "situation": "ingen"} {}',
        '{"cpr": "@", "situation": "ingen", "grade": NaN}',
        '{"cpr": "@", "situation": "ingen", "situation": "job"}',
        '{"cpr": "@", "situation": "ingen", "social_case": "true"}',
        '{"cpr": "@", "situation": "skole"}',
        '{"cpr": "@", "situation": "ingen", "on": "2001-01-01"}',
        '{"cpr": "3102054123", "situation": "ingen"}',
        '{"cpr": "@", "situation": "ingen", "extra": 1}',
        "[" * 100000,
    ],
)
def test_json_invalid_input_exits_2_with_nothing_on_stdout(text: str) -> None:
    result = run_json(text.replace('"@"', json.dumps(CPR)))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("Error: ")
    assert CPR.replace("-", "")[6:] not in result.stderr
    assert "3102054123" not in result.stderr


def test_json_mode_refuses_other_options() -> None:
    result = runner.invoke(app, ["triage", "--json", "--cpr", CPR], input="{}")
    assert result.exit_code == 2
    assert result.stdout == ""


def test_rich_view_explains_in_danish_with_masked_cpr() -> None:
    args = ["triage", "--cpr", CPR, "--on", "2024-08-01", "--situation", "grundskole"]
    result = runner.invoke(app, [*args, "--grade", "9", "--social-case", "--housing-or-finance"])
    assert result.exit_code == 0, result.stderr
    out = " ".join(result.stdout.split())
    assert "140308-XXXX" in out
    assert CPR[7:] not in result.stdout
    for text in ("R1 (org. a, org. f)", "R2 (org. e)", "R8 (org. a)", "T1", "L1"):
        assert text in out
    assert "Ledende center: Center for Børn og Unge" in out
    assert "teammøde" in out
    assert "pligt til at være i uddannelse" in out
    assert "regelsæt slagelse-2019.2" in out


def test_rich_view_of_a_refusal_and_mod11_warning() -> None:
    cpr = make_cpr(dt.date(2012, 1, 1), mod11=False)
    args = ["triage", "--cpr", cpr, "--on", "2024-08-01", "--situation", "grundskole"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0
    out = " ".join(result.stdout.split())
    assert "Ikke Ungehusets målgruppe" in out
    assert "AGE-MIN (org. d)" in out
    assert "modulus 11" in out


@pytest.mark.parametrize(
    "args",
    [
        ["--situation", "ingen"],
        ["--cpr", CPR],
        ["--cpr", CPR, "--situation", "skole"],
        ["--cpr", CPR, "--situation", "ingen", "--on", "1.8.2024"],
        ["--cpr", "12345", "--situation", "ingen"],
        ["--cpr", CPR, "--situation", "job", "--grade", "9"],
    ],
)
def test_rich_view_invalid_input_exits_2(args: list[str]) -> None:
    result = runner.invoke(app, ["triage", *args])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert CPR[7:] not in result.stderr


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=5,
)
good_values = {
    "cpr": st.sampled_from([CPR, CPR.replace("-", ""), make_cpr(dt.date(1999, 2, 3), mod11=False)]),
    "on": st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2050, 1, 1)).map(str),
    "situation": st.sampled_from(["grundskole", "ungdomsuddannelse", "job", "ingen", "andet"]),
    "grade": st.none() | st.integers(0, 10),
    **{name: st.booleans() for name in BOOL_FACTS},
}
objects = st.fixed_dictionaries(
    {}, optional={k: v | json_values for k, v in good_values.items()}
) | st.dictionaries(st.text(max_size=6), json_values, max_size=4)


@given(objects)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_json_object_gives_a_decision_or_exit_2(obj: dict[str, object]) -> None:
    result = run_json(json.dumps(obj))
    assert result.exit_code in (0, 2), result.exception
    if result.exit_code == 2:
        assert result.stdout == "" and result.stderr
        return
    out = json.loads(result.stdout)
    assert set(out) == OUTPUT_KEYS
    assert out == decide(facts_from_json(obj, today=dt.date.today())).to_contract()


def run_jsonl(text: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["triage", "--jsonl"], input=text)


def test_jsonl_one_line_out_per_line_in_with_errors_by_line_number() -> None:
    good = {"cpr": CPR, "on": "2024-08-01", "situation": "ingen", "social_case": True}
    young = {"cpr": CPR, "on": "2024-08-01", "situation": "grundskole", "grade": 9}
    lines = [
        json.dumps(good),
        "not json",
        json.dumps({**good, "situation": "skole"}),
        "",
        json.dumps(young),
        '{"cpr": "@", "situation": "ingen", "situation": "job"}'.replace('"@"', json.dumps(CPR)),
    ]
    result = run_jsonl("\n".join(lines) + "\n")
    assert result.exit_code == 2
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == len(lines)
    expected = decide(facts_from_json(good, today=dt.date.today())).to_contract()
    assert out[0] == expected
    assert out[4] == decide(facts_from_json(young, today=dt.date.today())).to_contract()
    assert [o.get("line") for o in out] == [None, 2, 3, 4, None, 6]
    assert all(set(o) == {"line", "error"} for o in out if "line" in o)
    assert "situation must be one of" in out[2]["error"]
    errors = result.stderr.splitlines()
    assert all(e.startswith("Error: line ") for e in errors)
    assert [e.split(":")[1].strip() for e in errors] == ["line 2", "line 3", "line 4", "line 6"]
    assert CPR.replace("-", "")[6:] not in result.stderr


def test_jsonl_all_good_exits_0_and_matches_json_mode() -> None:
    objs = [
        {
            "cpr": CPR,
            "on": "2024-08-01",
            "situation": s,
            **({"grade": 8} if s == "grundskole" else {}),
        }
        for s in ("grundskole", "ungdomsuddannelse", "job", "ingen", "andet")
    ]
    result = run_jsonl("".join(json.dumps(o) + "\r\n" for o in objs))
    assert result.exit_code == 0 and result.stderr == ""
    singles = [json.loads(run_json(json.dumps(o)).stdout) for o in objs]
    assert [json.loads(line) for line in result.stdout.splitlines()] == singles


def test_jsonl_bad_bytes_and_empty_input() -> None:
    result = runner.invoke(app, ["triage", "--jsonl"], input=b"\xff\xfe\n")
    assert result.exit_code == 2
    assert json.loads(result.stdout) == {"line": 1, "error": "not UTF-8 text"}
    empty = run_jsonl("")
    assert empty.exit_code == 0 and empty.stdout == ""


@pytest.mark.parametrize("extra", [["--json"], ["--cpr", CPR], ["--social-case"]])
def test_jsonl_refuses_other_options(extra: list[str]) -> None:
    result = runner.invoke(app, ["triage", "--jsonl", *extra], input="{}\n")
    assert result.exit_code == 2
    assert result.stdout == ""


def test_triage_command_loads_nothing_of_the_store() -> None:
    """`ungehus triage` (the console script's path) imports no SQLAlchemy, SQLModel or table."""
    import subprocess
    import sys

    line = json.dumps({"cpr": CPR, "on": "2024-08-01", "situation": "ingen"})
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "ungehus_tui", "triage", "--jsonl"],
        input=line + "\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout)["eligible"] is True
    imported = {row.split("|")[-1].strip() for row in done.stderr.splitlines() if "|" in row}
    assert "ungehus_tui.cli.triage" in imported
    store = ("sqlalchemy", "sqlmodel", "ungehus_tui.data", "ungehus_tui.services", "alembic")
    assert sorted(m for m in imported if m.startswith(store)) == []
