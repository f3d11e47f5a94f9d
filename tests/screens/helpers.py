"""What the screen tests share: the text on screen, and Textual's own English texts."""

from __future__ import annotations

import html
import inspect
import re
from collections import defaultdict
from functools import cache

from textual.app import App
from textual.binding import Binding

_TEXT = re.compile(r'<text class="[^"]*-r\d+" x="([\d.]+)" y="([\d.]+)"[^>]*>(.*?)</text>')
CHAR_WIDTH = 12.2  # Textual's SVG export: one cell is 12.2 units wide


def screen_text(app: App[object]) -> str:
    """Every line on the screen as plain text (from the same SVG a snapshot is made of;
    runs of blank cells are not written there, so each run is put at its column)."""
    lines: dict[float, dict[int, str]] = defaultdict(dict)
    for x, y, text in _TEXT.findall(app.export_screenshot()):
        lines[float(y)][round(float(x) / CHAR_WIDTH)] = html.unescape(text).replace("\xa0", " ")
    out = []
    for _, runs in sorted(lines.items()):
        line = ""
        for column, text in sorted(runs.items()):
            line = line.ljust(column) + text
        out.append(line.rstrip())
    return "\n".join(out)


@cache
def english_texts() -> frozenset[str]:
    """The texts Textual itself would show: every binding text of its widgets, screens and
    app, its system commands, the palette's placeholder and "no matches", the Ctrl+C
    notice, Select's prompt. Read from Textual, so a new Textual text is checked too."""
    import textual.widgets as widgets
    from textual.command import CommandPalette
    from textual.screen import ModalScreen, Screen
    from textual.widgets import Select
    from textual.widgets._select import SelectOverlay
    from textual.widgets._toggle_button import ToggleButton

    classes = [getattr(widgets, name) for name in widgets.__all__]
    classes += [App, Screen, ModalScreen, CommandPalette, SelectOverlay, ToggleButton]
    found: set[str] = set()
    for cls in classes:
        if not inspect.isclass(cls):
            continue
        for binding in getattr(cls, "BINDINGS", []):
            if isinstance(binding, Binding) and binding.description:
                found.add(binding.description)
            if isinstance(binding, Binding) and binding.tooltip:
                found.add(binding.tooltip)

    class Probe(App[None]):
        pass

    probe = Probe()
    for command in App.get_system_commands(probe, Screen()):
        found.update((command.title, command.help))
    found.update(("Keys", "Maximize", "Minimize", "Theme", "Quit", "Screenshot"))
    found.update(
        (
            inspect.signature(CommandPalette.__init__).parameters["placeholder"].default,
            inspect.signature(App.search_commands).parameters["placeholder"].default,
            "Search for themes…",
            "No matches found",
            "Do you want to quit?",
            "to quit the app",
            "palette",
            inspect.signature(Select.__init__).parameters["prompt"].default,
        )
    )
    return frozenset(found)


def english_on(text: str) -> list[str]:
    """Textual's English texts found in `text` (whole words, case as Textual writes them)."""
    return sorted(
        phrase
        for phrase in english_texts()
        if re.search(rf"(?<![\w]){re.escape(phrase)}(?![\w])", text)
    )
