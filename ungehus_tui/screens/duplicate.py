"""Before anything is created: a young person with the same birth date and a similar name
exists. Both side by side; the desk continues or opens the existing one."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Static

from ungehus_tui.domain.text import visible
from ungehus_tui.screens.base import Dialog
from ungehus_tui.services.desk.people import PersonHit
from ungehus_tui.widgets.footer import KeysFooter
from ungehus_tui.widgets.safe import marked


@dataclass(frozen=True)
class Typed:
    name: str
    cpr_masked: str
    born: str
    age: int


@dataclass(frozen=True)
class Proceed:
    """It is another young person: create the typed one anyway."""


@dataclass(frozen=True)
class OpenExisting:
    """It is the same young person: open the existing one."""

    person_id: int


class DuplicateDialog(Dialog[Proceed | OpenExisting]):
    """Returns Proceed, OpenExisting(person_id), or None (back to the form)."""

    DEFAULT_CSS = """
    DuplicateDialog #dialog { width: 100; }
    DuplicateDialog .side { width: 1fr; border: round $primary; padding: 0 1; height: auto; }
    DuplicateDialog #existing-side { border: round $warning; }
    """

    BINDINGS = [
        Binding(
            "f",
            "proceed",
            "Fortsæt",
            id="duplicate.continue",
            tooltip="Det er en anden ung: opret alligevel",
        ),
        Binding(
            "enter,e",
            "open_existing",
            "Åbn eksisterende",
            id="duplicate.open",
            tooltip="Det er den samme ung: åbn den eksisterende",
        ),
        Binding("escape", "back", "Tilbage", id="duplicate.back", tooltip="Tilbage til formularen"),
    ]

    def __init__(self, typed: Typed, similar: list[PersonHit]) -> None:
        super().__init__()
        self.typed = typed
        self.similar = similar

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(
                "Findes den unge allerede? Samme fødselsdato og lignende navn.",
                classes="dialog-title",
            )
            with Horizontal():
                yield Static(
                    marked(
                        "[b]Du er ved at oprette[/b]\n$name\n$cpr\nFødt $born · $age år",
                        name=self.typed.name,
                        cpr=self.typed.cpr_masked,
                        born=self.typed.born,
                        age=self.typed.age,
                    ),
                    classes="side",
                    id="typed-side",
                )
                existing = "\n\n".join(
                    f"{visible(h.name)}\n{h.cpr_masked}\nFødt {h.birth_date:%d-%m-%Y} · {h.age} år"
                    for h in self.similar
                )
                yield Static(
                    Content.assemble(("Findes allerede", "bold"), "\n", existing),
                    classes="side",
                    id="existing-side",
                )
            yield Static(
                "Enter/E: åbn den eksisterende · F: fortsæt og opret · Esc: tilbage (intet er "
                "oprettet endnu)",
                classes="hint",
            )
        yield KeysFooter()

    def action_proceed(self) -> None:
        self.dismiss(Proceed())

    def action_open_existing(self) -> None:
        self.dismiss(OpenExisting(self.similar[0].id))

    def action_back(self) -> None:
        self.dismiss(None)
