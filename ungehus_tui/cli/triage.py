"""`ungehus triage`: the triage engine without a database.

`--json` is the machine contract of DOMAIN.md: one JSON object on stdin, one on stdout;
invalid input gives a message on stderr, exit code 2 and nothing on stdout. IT scripts
against it, so its keys do not change within a rule-set version.
`--jsonl` is the same contract for many young people in one process: each line of stdin is
one JSON object and gives exactly one line on stdout, in order: the decision object, or for
an invalid line `{"line": N, "error": "..."}` (N counts from 1) with the same message on
stderr as `Error: line N: ...`. Every line is answered; the exit code is 2 when any line was
invalid, else 0.
The command imports no store: `ungehus triage` runs `triage_app()` (see `cli/__init__.py`).
Without `--json` the facts come as options and the decision is shown as a Rich panel in
Danish, one line per rule that fired with its seed section; the CPR only masked.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterable
from typing import Annotated, NoReturn, TextIO

import typer
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ungehus_tui.domain import clock
from ungehus_tui.domain import cpr as cprmod
from ungehus_tui.domain.codes import Situation
from ungehus_tui.domain.labels import CENTER_NAMES_DA, ROLE_NAMES_DA
from ungehus_tui.domain.triage import (
    RULE_SEED,
    RULE_TEXT_DA,
    Decision,
    Facts,
    TriageInputError,
    decide,
    facts_from_json,
    parse_date,
)
from ungehus_tui.domain.triage_text import (
    EDUCATION_DUTY_DA,
    FIRST_CONVERSATION_DA,
    TEAM_MEETING_DA,
    WARNING_TEXT_DA,
)

INVALID_INPUT = 2
console = Console(highlight=False)


def _invalid(message: str) -> NoReturn:
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(INVALID_INPUT)


def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not valid JSON")


def _no_duplicates(pairs: list[tuple[str, object]]) -> dict[str, object]:
    out: dict[str, object] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError("duplicate key in JSON object")
        out[key] = value
    return out


_DECODER = json.JSONDecoder(parse_constant=_reject_constant, object_pairs_hook=_no_duplicates)
_ENCODER = json.JSONEncoder(ensure_ascii=False)


def read_contract_input(text: str) -> object:
    """Parse stdin strictly: no NaN/Infinity, no duplicate keys (`json.loads` with these
    hooks, its decoder built once)."""
    return _DECODER.decode(text)


def _decision_of(text: str, today: dt.date) -> dict[str, object]:
    """One contract input text to its decision object (`TriageInputError` with the message)."""
    try:
        obj = read_contract_input(text)
    except (ValueError, RecursionError):
        raise TriageInputError("not one valid JSON object") from None
    return decide(facts_from_json(obj, today=today)).to_contract()


def run_jsonl(lines: Iterable[bytes], out: TextIO, err: TextIO) -> int:
    """The contract line by line: one output line per input line; the exit code."""
    today = clock.today()
    bad = 0
    for number, raw in enumerate(lines, start=1):
        try:
            answer = _decision_of(raw.decode("utf-8"), today)
        except UnicodeDecodeError:
            answer = {"line": number, "error": "not UTF-8 text"}
        except TriageInputError as exc:
            answer = {"line": number, "error": str(exc)}
        if "error" in answer:
            bad += 1
            err.write(f"Error: line {number}: {answer['error']}\n")
        out.write(_ENCODER.encode(answer) + "\n")
    return INVALID_INPUT if bad else 0


def run_json() -> None:
    """The machine contract: stdin -> one decision object on stdout, or exit 2."""
    try:
        text = sys.stdin.read()
    except (UnicodeDecodeError, ValueError):
        _invalid("stdin is not UTF-8 text")
    try:
        obj = read_contract_input(text)
    except (ValueError, RecursionError):
        _invalid("stdin is not one valid JSON object")
    try:
        decision = decide(facts_from_json(obj, today=clock.today()))
    except TriageInputError as exc:
        _invalid(str(exc))
    typer.echo(json.dumps(decision.to_contract(), ensure_ascii=False))


def render(decision: Decision, masked_cpr: str, on_text: str) -> Panel:
    """The decision explained in Danish, rule by rule, with the seed sections."""
    head = Text()
    head.append(f"CPR {masked_cpr}   Alder {decision.age} år den {on_text}\n")
    if not decision.eligible:
        head.append("Ikke Ungehusets målgruppe. ", style="bold red")
        head.append(decision.reason or "")
    else:
        head.append("I Ungehusets målgruppe (15-29 år).", style="bold green")
    parts: list[object] = [head]
    if decision.contacts:
        table = Table("Center", "Kontaktrolle", "Regel", expand=True)
        for c in decision.contacts:
            table.add_row(CENTER_NAMES_DA[c.center], ROLE_NAMES_DA[c.role], c.rule)
        parts.append(table)
    rules = Text()
    for rule in decision.rules:
        rules.append(f"{rule} ", style="bold")
        rules.append(f"({RULE_SEED[rule]}): ", style="dim")
        rules.append(RULE_TEXT_DA[rule] + "\n")
    parts.append(rules)
    if decision.eligible:
        summary = Text()
        lead = decision.lead_center or ""
        role = decision.contact_role or ""
        summary.append("Ledende center: ", style="bold")
        summary.append(f"{CENTER_NAMES_DA[lead]} ({ROLE_NAMES_DA[role]})\n")
        summary.append(TEAM_MEETING_DA if decision.team_meeting else FIRST_CONVERSATION_DA)
        if decision.education_duty:
            summary.append("\n" + EDUCATION_DUTY_DA)
        parts.append(summary)
    for warning in decision.warnings:
        parts.append(Text(f"Advarsel: {WARNING_TEXT_DA.get(warning, warning)}", style="yellow"))
    return Panel(
        Group(*parts),  # type: ignore[arg-type]
        title="Visitation",
        subtitle=f"regelsæt {decision.ruleset_version}",
        border_style="green" if decision.eligible else "red",
    )


def triage_app() -> typer.Typer:
    """An `ungehus` app with only the triage command (what `ungehus triage` runs)."""
    app = typer.Typer(
        name="ungehus", add_completion=False, pretty_exceptions_enable=False, no_args_is_help=True
    )

    @app.callback()
    def _root() -> None:
        """Ungehus: intake, triage and booking for Ungehuset (Slagelse Kommune)."""

    register(app)
    return app


def register(app: typer.Typer) -> None:
    @app.command()
    def triage(
        as_json: Annotated[
            bool,
            typer.Option(
                "--json", help="Machine contract: one JSON object on stdin, one on stdout"
            ),
        ] = False,
        as_jsonl: Annotated[
            bool,
            typer.Option(
                "--jsonl",
                help="The contract per line: one JSON object per line on stdin, one decision "
                '(or {"line": N, "error": ...}) per line on stdout',
            ),
        ] = False,
        cpr: Annotated[str | None, typer.Option(help="CPR number, with or without hyphen")] = None,
        on: Annotated[
            str | None, typer.Option(help="Intake date YYYY-MM-DD (default: today)")
        ] = None,
        situation: Annotated[
            str | None, typer.Option(help="One of: " + ", ".join(Situation))
        ] = None,
        grade: Annotated[int | None, typer.Option(help="Grade, if in grundskole")] = None,
        completed_youth_education: Annotated[
            bool, typer.Option("--completed-youth-education", help="Has a youth education")
        ] = False,
        social_case: Annotated[
            bool, typer.Option("--social-case", help="Social case with child and family services")
        ] = False,
        jobcenter_case: Annotated[
            bool, typer.Option("--jobcenter-case", help="Has a case in the jobcenter")
        ] = False,
        early_pension: Annotated[
            bool, typer.Option("--early-pension", help="On early pension (førtidspension)")
        ] = False,
        specialised_needs: Annotated[
            bool, typer.Option("--specialised-needs", help="Handicap or psychiatric needs")
        ] = False,
        housing_or_finance: Annotated[
            bool, typer.Option("--housing-or-finance", help="Needs help with housing or money")
        ] = False,
        retention_only: Annotated[
            bool, typer.Option("--retention-only", help="Only problem: staying in education/job")
        ] = False,
    ) -> None:
        """Triage one young person by the rules (no database). --json or --jsonl for scripts."""
        flags = {
            "completed_youth_education": completed_youth_education,
            "social_case": social_case,
            "jobcenter_case": jobcenter_case,
            "early_pension": early_pension,
            "specialised_needs": specialised_needs,
            "housing_or_finance": housing_or_finance,
            "retention_only": retention_only,
        }
        if as_json or as_jsonl:
            given = [cpr, on, situation, grade]
            if any(v is not None for v in given) or any(flags.values()) or as_json == as_jsonl:
                _invalid("--json or --jsonl reads the facts from stdin; give no other options")
            if as_json:
                run_json()
                return
            code = run_jsonl(sys.stdin.buffer, sys.stdout, sys.stderr)
            sys.stdout.flush()
            raise typer.Exit(code)
        if cpr is None:
            _invalid("--cpr is required (or use --json)")
        if situation is None:
            _invalid("--situation is required: " + ", ".join(Situation))
        try:
            day = clock.today() if on is None else parse_date(on)
            facts = Facts(cpr=cpr, on=day, situation=situation, grade=grade, **flags)
            decision = decide(facts)
        except TriageInputError as exc:
            _invalid(str(exc))
        console.print(render(decision, cprmod.mask(cpr), day.strftime("%d-%m-%Y")))
