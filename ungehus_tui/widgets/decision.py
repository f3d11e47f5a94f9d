"""How a triage decision reads at the desk (used by registration's live preview)."""

from __future__ import annotations

from rich.text import Text

from ungehus_tui.domain.labels import CENTER_NAMES_DA, ROLE_NAMES_DA, UNKNOWN_DA
from ungehus_tui.domain.triage import Decision


def preview_text(decision: Decision | None, problem: str | None = None) -> Text:
    out = Text()
    out.append("Visitation (forhåndsvisning)\n", style="bold")
    if problem:
        out.append(problem, style="italic")
        return out
    if decision is None:
        out.append("Skriv CPR-nummer og vælg situation (1-5)", style="italic")
        return out
    if not decision.eligible:
        out.append(decision.reason or "Ikke Ungehusets målgruppe", style="bold red")
        return out
    for c in decision.contacts:
        lead = " (ledende)" if c.center == decision.lead_center else ""
        out.append(f"• {c.center}{lead}: ", style="bold")
        out.append(f"{ROLE_NAMES_DA.get(c.role, UNKNOWN_DA)} · {c.rule}\n")
    kind = (
        "Teammøde (tværfagligt team, koordinerende sagsbehandler)"
        if decision.team_meeting
        else f"Første samtale i {CENTER_NAMES_DA.get(decision.lead_center or '', '')}"
    )
    out.append(f"→ {kind}", style="bold")
    if decision.education_duty:
        out.append("\n15-17 år: uddannelsespligt", style="dim")
    return out
