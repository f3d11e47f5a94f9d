"""The keys panel (F1): the keys the signed-in role can use where they are, in Danish.

Textual's own widgets carry English binding texts ("Focus Next", "Cursor up", "Copy selected
text"). They are never shown: `KEYS_DA` gives every inherited action a Danish text (a test
checks it covers every binding of the widgets the app uses), and a binding whose action it
does not know and whose text is not ours is left out rather than shown in English. Our own
bindings show their Danish text and tooltip. Keys a role may not use are not listed: the
panel reads `screen.active_bindings`, which leaves out what `check_action` refuses.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import Static

# Textual's inherited actions, by action (the text Textual gives in parentheses).
KEYS_DA: dict[str, str] = {
    # App and Screen
    "quit": "Afslut Ungehus",
    "command_palette": "Kommandoer",
    "app.focus_next": "Næste felt",
    "app.focus_previous": "Forrige felt",
    "screen.copy_text": "Kopiér markeret tekst",
    # Input and TextArea
    "cursor_left": "Markøren til venstre",
    "cursor_right": "Markøren til højre",
    "cursor_up": "Op",
    "cursor_down": "Ned",
    "cursor_left(True)": "Markér til venstre",
    "cursor_right(True)": "Markér til højre",
    "cursor_up(True)": "Markér opad",
    "cursor_down(True)": "Markér nedad",
    "cursor_left_word": "Et ord til venstre",
    "cursor_right_word": "Et ord til højre",
    "cursor_left_word(True)": "Markér et ord til venstre",
    "cursor_right_word(True)": "Markér et ord til højre",
    "cursor_word_left": "Et ord til venstre",
    "cursor_word_right": "Et ord til højre",
    "cursor_word_left(True)": "Markér et ord til venstre",
    "cursor_word_right(True)": "Markér et ord til højre",
    "cursor_line_start": "Til linjens start",
    "cursor_line_end": "Til linjens slutning",
    "cursor_line_start(True)": "Markér til linjens start",
    "cursor_line_end(True)": "Markér til linjens slutning",
    "cursor_page_up": "En side op",
    "cursor_page_down": "En side ned",
    "home": "Til starten",
    "end": "Til slutningen",
    "home(True)": "Markér til starten",
    "end(True)": "Markér til slutningen",
    "delete_left": "Slet tegnet til venstre",
    "delete_right": "Slet tegnet til højre",
    "delete_left_word": "Slet ordet til venstre",
    "delete_right_word": "Slet ordet til højre",
    "delete_word_left": "Slet ordet til venstre",
    "delete_word_right": "Slet ordet til højre",
    "delete_left_all": "Slet alt til venstre",
    "delete_right_all": "Slet alt til højre",
    "delete_line": "Slet linjen",
    "delete_to_start_of_line": "Slet til linjens start",
    "delete_to_end_of_line_or_delete_line": "Slet til linjens slutning",
    "select_all": "Markér alt",
    "select_line": "Markér linjen",
    "copy": "Kopiér markeret tekst",
    "cut": "Klip markeret tekst",
    "paste": "Indsæt",
    "undo": "Fortryd",
    "redo": "Gentag",
    "submit": "Bekræft",
    # DataTable, OptionList, SelectionList, scrolling containers
    "select_cursor": "Vælg",
    "select": "Vælg",
    "first": "Første",
    "last": "Sidste",
    "page_up": "En side op",
    "page_down": "En side ned",
    "page_left": "En side til venstre",
    "page_right": "En side til højre",
    "scroll_up": "Rul op",
    "scroll_down": "Rul ned",
    "scroll_left": "Rul til venstre",
    "scroll_right": "Rul til højre",
    "scroll_home": "Til toppen",
    "scroll_end": "Til bunden",
    "scroll_top": "Til toppen",
    "scroll_bottom": "Til bunden",
    # Select, RadioSet, Checkbox, Button
    "show_overlay": "Vis valgmulighederne",
    "dismiss": "Luk listen",
    "next_button": "Næste valgmulighed",
    "previous_button": "Forrige valgmulighed",
    "toggle_button": "Vælg (slå til eller fra)",
    "press": "Tryk på knappen",
    # the command palette
    "escape": "Luk",
    "command_list('cursor_up')": "Forrige kommando",
    "command_list('first')": "Første kommando",
    "command_list('last')": "Sidste kommando",
    "command_list('page_down')": "En side ned",
    "command_list('page_up')": "En side op",
}
# The same action meaning something else in one widget (class name, action).
KEYS_DA_IN: dict[tuple[str, str], str] = {
    ("SelectionList", "select"): "Slå til eller fra",
    ("Input", "cursor_right"): "Markøren til højre (eller tag forslaget)",
}


def described(namespace: DOMNode, binding: Binding) -> Text | None:
    """The Danish text of a binding; None for an inherited one `KEYS_DA` does not know."""
    for cls in type(namespace).__mro__:
        if (cls.__name__, binding.action) in KEYS_DA_IN:
            return Text(KEYS_DA_IN[(cls.__name__, binding.action)])
    if binding.action in KEYS_DA:
        return Text(KEYS_DA[binding.action])
    if not _ours(namespace, binding):
        return None
    text = Text(binding.description)
    if binding.tooltip and binding.tooltip != binding.description:
        text.append(f" · {binding.tooltip}", style="dim")
    return text


def _ours(namespace: DOMNode, binding: Binding) -> bool:
    """A binding of Ungehus's own: every one has an id (for the keymap); Textual's have none."""
    return binding.id is not None


def key_rows(screen: Screen[object]) -> Iterable[tuple[str, str, Text]]:
    """(group, keys, text) for every key the screen's focus can use now, in Danish."""
    app = screen.app
    by_action: dict[tuple[int, str], tuple[str, list[str], Text]] = {}
    for namespace, binding, enabled, _tooltip in screen.active_bindings.values():
        if binding.system or not enabled:
            continue
        text = described(namespace, binding)
        if text is None:
            continue
        group = "Overalt" if namespace is app else ("Her" if namespace is screen else "I feltet")
        slot = by_action.setdefault((id(namespace), binding.action), (group, [], text))
        shown = app.get_key_display(binding)
        if shown not in slot[1]:
            slot[1].append(shown)
    order = {"Her": 0, "Overalt": 1, "I feltet": 2}
    for group, keys, text in sorted(by_action.values(), key=lambda row: order[row[0]]):
        yield group, " ".join(keys), text


class KeysPanel(VerticalScroll, can_focus=False):
    """The keys of where the user is, grouped: this screen, everywhere, the field."""

    DEFAULT_CSS = """
    KeysPanel {
        dock: right;
        width: 46;
        max-width: 60%;
        height: 1fr;
        border-left: vkey $foreground 30%;
        background: $surface;
        padding: 0 1;
    }
    KeysPanel > Static { width: 1fr; height: auto; }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="keys-table")

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.show_keys()

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, _screen: Screen[object]) -> None:
        self.call_after_refresh(self.show_keys)

    def show_keys(self) -> None:
        if not self.is_attached:
            return
        table = Table.grid(padding=(0, 1))
        table.add_column(justify="right", style="bold")
        table.add_column()
        table.add_row("", Text("Taster (F1 eller Esc lukker)", style="bold"))
        group = None
        for row_group, keys, text in key_rows(self.screen):
            if row_group != group:
                group = row_group
                table.add_row("", Text(f"\n{group}", style="underline"))
            table.add_row(Text(keys), text)
        self.query_one("#keys-table", Static).update(table)
