"""Issue 14: `ungehus --help` texts wrap cleanly: at the terminal's width, never where a
docstring's source line happened to end."""

from __future__ import annotations

from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from ungehus_tui.cli import app


def _commands() -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []

    def walk(prefix: str, command: Any) -> None:  # Typer's own click: duck-typed
        found.append((prefix, command))
        if isinstance(getattr(command, "commands", None), dict):
            for name, sub in command.commands.items():
                walk(f"{prefix} {name}".strip(), sub)

    walk("", typer.main.get_command(app))
    return found


@pytest.mark.parametrize("name,command", _commands(), ids=lambda v: str(v) or "ungehus")
def test_no_hard_line_break_inside_a_paragraph(name, command):
    for text in (command.help or "", command.short_help or ""):
        for paragraph in text.split("\n\n"):
            lines = [line for line in paragraph.splitlines() if line.strip()]
            is_list = all(line.lstrip().startswith(("- ", "* ")) for line in lines)
            assert len(lines) <= 1 or is_list, f"`ungehus {name}`: {paragraph!r}"


@pytest.mark.parametrize("width", [70, 200])
def test_rendered_help_wraps_at_the_terminal_width(width):
    runner = CliRunner()
    result = runner.invoke(
        app, ["export", "--help"], env={"COLUMNS": str(width)}, terminal_width=width
    )
    text = " ".join(result.output.split())
    assert "(watermark in the database)" in text
    if width == 200:  # the whole paragraph on one line
        assert any(
            "atomically. Incremental by default" in line for line in result.output.splitlines()
        )
