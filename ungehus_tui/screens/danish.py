"""Textual's own texts in Danish, mixed into the app (`DanishApp`):

- the command palette: its placeholder, the system commands (Taster, Maksimér/Gendan, Tema,
  Afslut) instead of Textual's Keys/Maximize/Theme/Quit, and a last line that searches the
  desk for what was typed (so Textual's "No matches found" never shows);
- the keys panel (F1, Esc closes it): `widgets.keys_panel.KeysPanel`, Danish texts for every
  key, only the role's keys;
- the Ctrl+C notice ("Vil du afslutte?" instead of "Do you want to quit?");
- the footer's palette key ("Kommandoer" instead of "palette").
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import ClassVar

from rich.text import Text
from textual.actions import SkipAction
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.screen import Screen
from textual.theme import ThemeProvider

from ungehus_tui.widgets.keys_panel import KeysPanel

PALETTE_PLACEHOLDER_DA = "Søg efter en kommando …"
THEMES_PLACEHOLDER_DA = "Søg efter et tema …"
QUIT_TITLE_DA = "Vil du afslutte?"

DANISH_BINDINGS: list[BindingType] = [
    Binding(
        "ctrl+p",
        "command_palette",
        "Kommandoer",
        id="palette",
        tooltip="Søg efter en kommando",
        show=False,
        priority=True,
    ),
    Binding("f1", "toggle_keys", "Hjælp", id="keys", tooltip="Vis eller skjul tasterne"),
    Binding(
        "escape",
        "hide_keys",
        "Luk tasterne",
        id="keys.close",
        tooltip="Luk oversigten over taster",
        show=False,
        priority=True,
    ),
    Binding(
        "ctrl+c",
        "help_quit",
        show=False,
        system=True,
        id="help_quit",
        tooltip="Siger, hvilken tast der afslutter (Ctrl+C kopierer)",
    ),
]


class DeskSearchProvider(Provider):
    """The palette's last line for any text typed: search the desk for it."""

    async def search(self, query: str) -> Hits:
        term = " ".join(query.split())
        search = getattr(self.app, "search_desk", None)
        if term and callable(search):
            yield Hit(
                0.01,  # below every real command
                Text.assemble("Søg efter en ung: ", (term, "bold")),
                partial(search, term),
                text=f"Søg efter en ung: {term}",
                help="Skranken: CPR-nummer, fødselsdato eller navn",
            )


class DanishThemes(ThemeProvider):
    """Textual's theme list, with a line for a name no theme has (not "No matches found")."""

    async def search(self, query: str) -> Hits:
        found = False
        async for hit in super().search(query):
            found = True
            yield hit
        if not found:
            yield Hit(
                0.01, "Intet tema hedder sådan: vis alle temaer", self.app.action_change_theme
            )

    async def discover(self) -> Hits:
        for name, command in self.commands:
            yield DiscoveryHit(name, command)


class DanishApp(App[None]):
    """Mix in before the app's other bases: Danish for every text Textual shows itself."""

    COMMANDS = App.COMMANDS | {DeskSearchProvider}
    BINDINGS: ClassVar[list[BindingType]] = DANISH_BINDINGS

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        if screen.query(KeysPanel):
            yield SystemCommand(
                "Taster", "Skjul oversigten over taster (F1)", self.action_hide_keys
            )
        else:
            yield SystemCommand(
                "Taster", "Vis de taster, du kan bruge her (F1)", self.action_show_keys
            )
        if screen.maximized is not None:
            yield SystemCommand("Gendan", "Vis skærmen som før", screen.action_minimize)
        elif screen.focused is not None and screen.focused.allow_maximize:
            yield SystemCommand("Maksimér", "Vis feltet på hele skærmen", screen.action_maximize)
        yield SystemCommand("Tema", "Skift farvetema", self.action_change_theme)
        yield SystemCommand("Afslut", "Luk Ungehus", self.action_quit)

    def action_command_palette(self) -> None:
        if self.use_command_palette and not isinstance(self.screen, CommandPalette):
            self.push_screen(
                CommandPalette(placeholder=PALETTE_PLACEHOLDER_DA, id="--command-palette")
            )

    def action_change_theme(self) -> None:
        self.push_screen(
            CommandPalette(providers=[DanishThemes], placeholder=THEMES_PLACEHOLDER_DA)
        )

    def action_help_quit(self) -> None:
        for key, active in self.active_bindings.items():
            if active.binding.action in ("quit", "app.quit"):
                shown = self.get_key_display(active.binding)
                self.notify(f"Tryk {shown or key} for at afslutte Ungehus", title=QUIT_TITLE_DA)
                return

    # --- the keys panel ---------------------------------------------------------------

    def action_toggle_keys(self) -> None:
        if self.screen.query(KeysPanel):
            self.action_hide_keys()
        else:
            self.action_show_keys()

    def action_show_keys(self) -> None:
        if not self.screen.query(KeysPanel):
            self.screen.mount(KeysPanel())

    def action_hide_keys(self) -> None:
        panels = self.screen.query(KeysPanel)
        if not panels:
            raise SkipAction()  # Esc with no panel: the screen's own Esc
        panels.remove()

    # Textual's names for the same (its palette command and `app.show_help_panel`).
    def action_show_help_panel(self) -> None:
        self.action_show_keys()

    def action_hide_help_panel(self) -> None:
        panels = self.screen.query(KeysPanel)
        panels.remove()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "hide_keys" and not self.screen.query(KeysPanel):
            return False  # Esc goes to the screen (and "Luk tasterne" is not listed)
        return super().check_action(action, parameters)
