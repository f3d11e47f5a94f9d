"""The steering report as one self-contained, printable HTML page (Danish).

Inline CSS and hand-written inline SVG bar charts: no script, no external file, so a leader
can mail it on and it opens anywhere.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from html import escape

from ungehus_tui.domain import clock
from ungehus_tui.domain.codes import HandoverKind
from ungehus_tui.domain.labels import CENTER_NAMES_DA, labels_of
from ungehus_tui.services.dataio.report import AGE_BUCKETS, BANDS, OVER, Report

KIND_DA = labels_of(HandoverKind)
WAIT_BINS = ((0, 2, "0-2"), (3, 5, "3-5"), (6, 10, "6-10"), (11, 20, "11-20"), (21, 10**6, "21+"))

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1d2733;
max-width:820px;margin:2em auto;padding:0 1em;line-height:1.4}
h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.15em;margin-top:1.8em;
border-bottom:2px solid #1f5f8b;padding-bottom:.2em}
.meta{color:#5a6773;margin-top:0}table{border-collapse:collapse;margin:.6em 0;width:100%}
th,td{border:1px solid #c9d2da;padding:.3em .5em;text-align:right}
th.t,td.t{text-align:left}th{background:#eef3f7}
.key{display:flex;gap:2em;flex-wrap:wrap}.key div{font-size:1.5em;font-weight:600}
.key span{display:block;font-size:.55em;font-weight:400;color:#5a6773}
.note{color:#5a6773;font-size:.85em}svg{max-width:100%;height:auto}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}section{break-inside:avoid}}
"""


def num(value: float | int | None, digits: int = 1) -> str:
    """Danish number: decimal comma; '–' for none."""
    if value is None:
        return "–"
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    return f"{value:.{digits}f}".replace(".", ",")


def pct(value: float | None) -> str:
    return "–" if value is None else f"{num(round(value * 100, 1))} %"


def center_name(code: str) -> str:
    return CENTER_NAMES_DA.get(code, code)


def bar_chart(title: str, items: list[tuple[str, float]], unit: str = "") -> str:
    """A horizontal bar chart as inline SVG, with a title for screen readers."""
    label_w, bar_w, row_h = 300, 330, 26  # room for the longest center name at 13px
    height = max(1, len(items)) * row_h + 10
    top = max((v for _, v in items), default=0) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{label_w + bar_w + 70}" '
        f'height="{height}" viewBox="0 0 {label_w + bar_w + 70} {height}">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, value) in enumerate(items):
        y = 5 + i * row_h
        width = round(bar_w * value / top) if value else 0
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 17}" font-size="13" text-anchor="end" '
            f'fill="#1d2733">{escape(label)}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{width}" height="{row_h - 8}" '
            f'fill="#1f5f8b" rx="2"/>'
            f'<text x="{label_w + width + 6}" y="{y + 17}" font-size="13" '
            f'fill="#1d2733">{escape(num(value) + unit)}</text>'
        )
    if not items:
        parts.append('<text x="0" y="20" font-size="13" fill="#5a6773">Ingen data</text>')
    parts.append("</svg>")
    return "".join(parts)


def _table(header: list[str], rows: list[list[str]], text_columns: int = 1) -> str:
    """A table whose first `text_columns` columns are text (left-aligned), the rest figures."""

    def cells(tag: str, values: list[str]) -> str:
        return "".join(
            f'<{tag} class="t">{escape(v)}</{tag}>'
            if i < text_columns
            else f"<{tag}>{escape(v)}</{tag}>"
            for i, v in enumerate(values)
        )

    body = "".join(f"<tr>{cells('td', row)}</tr>" for row in rows)
    return f"<table><thead><tr>{cells('th', header)}</tr></thead><tbody>{body}</tbody></table>"


def _section(title: str, *content: str) -> str:
    return f"<section><h2>{escape(title)}</h2>{''.join(content)}</section>"


def render_html(report: Report, generated: dt.datetime | None = None) -> str:
    body = [
        _heading(report, generated or clock.now()),
        _new_people(report),
        _waits(report),
        _coordinator(report),
        _pending(report),
        _idle(report),
        _outcomes(report),
        _deadline_section(report),
    ]
    return (
        '<!DOCTYPE html><html lang="da"><head><meta charset="utf-8">'
        f"<title>Styregrupperapport {escape(report.quarter.label)}</title>"
        f"<style>{CSS}</style></head><body>{''.join(body)}</body></html>\n"
    )


def _heading(report: Report, generated: dt.datetime) -> str:
    ref = clock.local(report.reference)
    return (
        f"<h1>Ungehuset – styregrupperapport, {escape(report.quarter.label)}</h1>"
        f'<p class="meta">Opgjort pr. {ref:%d-%m-%Y %H:%M}; '
        f"dannet {clock.local(generated):%d-%m-%Y %H:%M}. "
        "Tallene er samlede tal uden personoplysninger.</p>"
        '<div class="key">'
        f"<div>{num(report.new_total)}<span>nye unge</span></div>"
        f"<div>{num(report.median_wait)}<span>dage til første møde (median)</span></div>"
        f"<div>{pct(report.coordinator_share)}<span>teamsager med koordinerende "
        "sagsbehandler</span></div>"
        f"<div>{num(report.pending_total)}<span>verserende overdragelser</span></div>"
        "</div>"
    )


def _new_people(report: Report) -> str:
    centers = sorted(report.new_people)
    new_rows = [
        [center_name(c)]
        + [num(report.new_people[c][b]) for b in BANDS]
        + [num(sum(report.new_people[c].values()))]
        for c in centers
    ]
    totals = Counter[str]()
    for c in centers:
        totals.update(report.new_people[c])
    new_rows.append(["I alt"] + [num(totals[b]) for b in BANDS] + [num(report.new_total)])
    return _section(
        "Nye unge pr. center og aldersgruppe",
        _table(["Center", *BANDS, "I alt"], new_rows),
        bar_chart(
            "Nye unge pr. center",
            [(center_name(c), float(sum(report.new_people[c].values()))) for c in centers],
        ),
        '<p class="note">Center: ledende center i den unges første visitation. Alder på '
        "registreringsdagen.</p>",
    )


def _waits(report: Report) -> str:
    wait_bins = [
        (f"{label} dage", float(sum(1 for w in report.waits if lo <= w <= hi)))
        for lo, hi, label in WAIT_BINS
    ]
    wait_rows = [
        [center_name(c), num(len(ws)), num(_median(ws)), num(_p90(ws))]
        for c, ws in sorted(report.waits_by_center.items())
    ]
    return _section(
        "Dage fra registrering til første møde",
        '<div class="key">'
        f"<div>{num(report.median_wait)}<span>median</span></div>"
        f"<div>{num(report.p90_wait)}<span>90. percentil</span></div>"
        f"<div>{num(len(report.waits))}<span>med første møde</span></div>"
        f"<div>{num(report.without_first_meeting)}<span>uden første møde endnu</span></div>"
        "</div>",
        bar_chart("Fordeling af dage til første møde", wait_bins),
        _table(["Center", "Unge", "Median", "90. percentil"], wait_rows),
    )


def _coordinator(report: Report) -> str:
    return _section(
        "Koordinerende sagsbehandler senest ved første teammøde",
        f"<p>{num(report.team_with_coordinator)} af {num(report.team_cases)} teamsager "
        f"({pct(report.coordinator_share)}) havde en koordinerende sagsbehandler senest "
        "på dagen for det første teammøde i kvartalet.</p>",
        bar_chart(
            "Andel teamsager med koordinerende sagsbehandler",
            [("Med koordinator", round((report.coordinator_share or 0) * 100, 1))],
            " %",
        ),
    )


def _pending(report: Report) -> str:
    bucket_names = [b[2] for b in AGE_BUCKETS] + [OVER]
    pending_rows = [
        [KIND_DA.get(k, k)]
        + [num(report.pending[k][b]) for b in bucket_names]
        + [num(sum(report.pending[k].values()))]
        for k in sorted(report.pending)
    ]
    pending_totals = [
        (b, float(sum(report.pending[k][b] for k in report.pending))) for b in bucket_names
    ]
    return _section(
        "Verserende overdragelser efter alder",
        _table(["Type", *bucket_names, "I alt"], pending_rows),
        bar_chart("Verserende overdragelser efter alder", pending_totals),
    )


def _idle(report: Report) -> str:
    idle = sorted(report.idle_minors.items())
    return _section(
        "15-17-årige uden aktivitet",
        _table(["Center (holder)", "Unge"], [[center_name(c), num(n)] for c, n in idle]),
        bar_chart("15-17-årige uden aktivitet", [(center_name(c), float(n)) for c, n in idle]),
        '<p class="note">Åben sag, 15-17 år, situationen ved seneste visitation er '
        "»ingen«, og intet afholdt eller booket møde fra 30 dage før opgørelsen.</p>",
    )


def _outcomes(report: Report) -> str:
    outcome_rows = [
        [KIND_DA.get(k, k), center_name(c), num(n)]
        for k in sorted(report.outcomes)
        for c, n in sorted(report.outcomes[k].items())
    ]
    outcome_totals = [
        (KIND_DA.get(k, k), float(sum(report.outcomes[k].values())))
        for k in sorted(report.outcomes)
    ]
    return _section(
        "Udfald: i uddannelse eller job",
        _table(["Udfald", "Center", "Unge"], outcome_rows, text_columns=2),
        bar_chart("Udfald i kvartalet", outcome_totals),
        '<p class="note">Overdragelser til uddannelse eller job, hvor modtagerens '
        "kvittering er registreret i kvartalet.</p>",
    )


DEADLINE_DA = {
    "DROPOUT_CONTACT": "Kontakt inden 5 arbejdsdage",
    "ACTIVITY_OFFER": "Tilbud om aktivitet inden 30 dage",
}
DEADLINE_STATES = (("MET", "Overholdt"), ("MISSED", "Overskredet"), ("OPEN", "Frist ikke nået"))


def deadline_rows(report: Report) -> list[list[str]]:
    """Education-duty deadlines with a due day in the quarter: met, missed, still open."""
    return [
        [DEADLINE_DA.get(k, k), *(num(report.deadlines[k][s]) for s, _ in DEADLINE_STATES)]
        for k in DEADLINE_DA
        if k in report.deadlines
    ]


def _deadline_section(report: Report) -> str:
    return _section(
        "Frafald: uddannelsespligtens frister",
        _table(["Frist", *(name for _, name in DEADLINE_STATES)], deadline_rows(report)),
        '<p class="note">Frafald meldt til Ungehuset: kontakt inden 5 arbejdsdage og tilbud '
        "om ny aktivitet inden 30 dage; frister der falder i kvartalet.</p>",
    )


def _median(values: list[int]) -> float | None:
    import statistics

    return statistics.median(values) if values else None


def _p90(values: list[int]) -> int | None:
    from ungehus_tui.services.dataio.report import percentile

    return percentile(values, 90)
