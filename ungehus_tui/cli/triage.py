"""`ungehus triage`: the triage engine without a database.

`--json` is the machine contract of DOMAIN.md: one JSON object on stdin, one on stdout;
invalid input gives a message on stderr, exit code 2 and nothing on stdout. IT scripts
against it, so its keys do not change within a rule-set version.
Without `--json` the facts come as options and the decision is shown as a Rich panel in
Danish, one line per rule that fired with its seed section; the CPR only masked.
"""

from __future__ import annotations

import json
import sys
from typing import Annotated, NoReturn

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


def read_contract_input(text: str) -> object:
    """Parse stdin strictly: no NaN/Infinity, no duplicate keys."""
    return json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_no_duplicates)


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


def register(app: typer.Typer) -> None:
    @app.command()
    def triage(
        as_json: Annotated[
            bool,
            typer.Option(
                "--json", help="Machine contract: one JSON object on stdin, one on stdout"
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
        """Triage one young person by the rules (no database). --json for scripts."""
        flags = {
            "completed_youth_education": completed_youth_education,
            "social_case": social_case,
            "jobcenter_case": jobcenter_case,
            "early_pension": early_pension,
            "specialised_needs": specialised_needs,
            "housing_or_finance": housing_or_finance,
            "retention_only": retention_only,
        }
        if as_json:
            given = [cpr, on, situation, grade]
            if any(v is not None for v in given) or any(flags.values()):
                _invalid("--json reads the facts from stdin; give no other options")
            run_json()
            return
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
