"""`ungehus report --quarter 2026Q4 [--out FILE.html]`: the quarterly steering report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from ungehus_tui.cli.common import (
    AsOption,
    DbOption,
    check_writable,
    clean_errors,
    cli_actor,
    settings_for,
    shown,
)

console = Console(highlight=False)

REPORT_HELP = """The quarterly steering report: new young people per center and age band, days
to the first meeting, coordinating caseworkers in team cases, pending handovers, 15-17-year-olds
without an activity, outcomes, and the drop-out deadlines met and missed. Aggregated
figures only (leaders and IT).

With --out, also writes one self-contained HTML page (inline SVG charts, printable).

Exit codes: 0 shown/written; 1 failed (bad quarter, no permission, database error).
"""


def register(app: typer.Typer) -> None:
    @app.command("report", help=REPORT_HELP)
    def report(
        quarter: Annotated[
            str, typer.Option("--quarter", help="The quarter, e.g. 2026Q4", show_default=False)
        ],
        out: Annotated[
            Path | None,
            typer.Option("--out", help="Write the HTML page here", show_default=False),
        ] = None,
        db: DbOption = None,
        as_login: AsOption = None,
    ) -> None:
        from ungehus_tui.services.dataio.report import Quarter, steering_report
        from ungehus_tui.services.dataio.report_html import render_html
        from ungehus_tui.store import open_store

        with clean_errors():
            q = Quarter.parse(quarter)
            if out is not None:
                check_writable(out, "report file")
            ctx = open_store(settings_for(db))
            actor = cli_actor(ctx, as_login)
            data = steering_report(ctx, actor, q)
        show(data)
        if out is not None:
            with clean_errors():
                out.write_text(render_html(data), encoding="utf-8")
            console.print(shown(f"HTML-rapport skrevet til {out}"))


def show(data) -> None:
    from ungehus_tui.services.dataio.report import AGE_BUCKETS, BANDS, OVER
    from ungehus_tui.services.dataio.report_html import KIND_DA, center_name, num, pct

    console.rule(f"Styregrupperapport – {data.quarter.label}")
    t = Table("Center", *BANDS, "I alt", title="Nye unge pr. center og aldersgruppe")
    for c in sorted(data.new_people):
        row = data.new_people[c]
        t.add_row(shown(center_name(c)), *(num(row[b]) for b in BANDS), num(sum(row.values())))
    t.add_row("I alt", *("" for _ in BANDS), num(data.new_total), style="bold")
    console.print(t)
    t = Table("Mål", "Værdi", title="Dage fra registrering til første møde")
    t.add_row("Median", num(data.median_wait))
    t.add_row("90. percentil", num(data.p90_wait))
    t.add_row("Unge med første møde", num(len(data.waits)))
    t.add_row("Uden første møde endnu", num(data.without_first_meeting))
    console.print(t)
    console.print(
        f"Teamsager med koordinerende sagsbehandler senest ved første teammøde: "
        f"{num(data.team_with_coordinator)} af {num(data.team_cases)} "
        f"({pct(data.coordinator_share)})"
    )
    names = [b[2] for b in AGE_BUCKETS] + [OVER]
    t = Table("Type", *names, "I alt", title="Verserende overdragelser efter alder")
    for k in sorted(data.pending):
        row = data.pending[k]
        t.add_row(shown(KIND_DA.get(k, k)), *(num(row[b]) for b in names), num(sum(row.values())))
    console.print(t)
    from ungehus_tui.services.dataio.report_html import DEADLINE_STATES, deadline_rows

    title = "Frafald: uddannelsespligtens frister"
    t = Table("Frist", *(name for _, name in DEADLINE_STATES), title=title)
    for row in deadline_rows(data):
        t.add_row(*row)
    console.print(t)
    t = Table("Center (holder)", "Unge", title="15-17-årige uden aktivitet")
    for c, n in sorted(data.idle_minors.items()):
        t.add_row(shown(center_name(c)), num(n))
    console.print(t)
    if not data.outcomes:
        console.print("Udfald: ingen kvitterede overdragelser til uddannelse eller job i kvartalet")
        return
    t = Table("Udfald", "Center", "Unge", title="Udfald: i uddannelse eller job")
    for k in sorted(data.outcomes):
        for c, n in sorted(data.outcomes[k].items()):
            t.add_row(shown(KIND_DA.get(k, k)), shown(center_name(c)), num(n))
    console.print(t)
