"""The README's key tables, made from the app's own bindings (`key_tables()`); the test
`test_readme_keys.py` checks the README holds exactly these, so they cannot drift apart."""

from __future__ import annotations

from textual.binding import Binding


def _screens() -> list[tuple[str, list[object]]]:
    from ungehus_tui.app import UngehusApp
    from ungehus_tui.app_lock import LOCK_BINDINGS
    from ungehus_tui.screens.arrival import ArrivalDialog
    from ungehus_tui.screens.base import FormDialog
    from ungehus_tui.screens.booking import BookingScreen
    from ungehus_tui.screens.case import CaseScreen
    from ungehus_tui.screens.confirm_dialog import ConfirmDialog
    from ungehus_tui.screens.confirmation import ConfirmationScreen
    from ungehus_tui.screens.danish import DANISH_BINDINGS
    from ungehus_tui.screens.desk import DeskScreen
    from ungehus_tui.screens.person import PersonScreen
    from ungehus_tui.screens.queue import QueueScreen
    from ungehus_tui.screens.registration import RegistrationScreen
    from ungehus_tui.screens.triage import TriageScreen
    from ungehus_tui.widgets.facts import FactsPanel

    app = [*UngehusApp.BINDINGS, *DANISH_BINDINGS, *LOCK_BINDINGS]
    return [
        ("Everywhere (the app)", app),
        ("Desk", DeskScreen.BINDINGS),
        ("Young person", PersonScreen.BINDINGS),
        ("Registration", RegistrationScreen.BINDINGS),
        ("Triage facts (F7)", FactsPanel.BINDINGS),
        ("Triage view", TriageScreen.BINDINGS),
        ("Booking", BookingScreen.BINDINGS),
        ("Confirmation", ConfirmationScreen.BINDINGS),
        ("Queue", QueueScreen.BINDINGS),
        ("Case", CaseScreen.BINDINGS),
        ("Dialogs", FormDialog.BINDINGS),
        ("Question at the desk (F4, A)", ArrivalDialog.BINDINGS),
        ("Yes/no questions", ConfirmDialog.BINDINGS),
    ]


def _key(binding: Binding) -> str:
    return ", ".join(f"`{k.strip()}`" for k in binding.key.split(","))


def key_tables() -> str:
    out: list[str] = []
    for title, bindings in _screens():
        seen: set[str | None] = set()
        out += [
            f"**{title}**",
            "",
            "| key | shown as | what it does | id |",
            "| --- | --- | --- | --- |",
        ]
        for b in bindings:
            if not isinstance(b, Binding) or b.system or b.id in seen:
                continue
            seen.add(b.id)
            out.append(f"| {_key(b)} | {b.description} | {b.tooltip} | `{b.id}` |")
        out.append("")
    return "\n".join(out).rstrip() + "\n"
