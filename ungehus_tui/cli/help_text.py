"""Help texts that wrap at the terminal's width (issue 14)."""

from __future__ import annotations

import typer


def _paragraph(text: str) -> str:
    """One paragraph as one line (a list keeps one line per item)."""
    lines = text.splitlines()
    if all(line.lstrip().startswith(("- ", "* ")) for line in lines if line.strip()):
        return "\n".join(line.strip() for line in lines)
    return " ".join(text.split())


def unwrap_help(typer_app: typer.Typer) -> typer.Typer:
    """Help texts wrap at the terminal's width, not where the docstring's source line ended:
    Typer keeps a docstring's line breaks (in `--help` and in the command list), so each
    paragraph is made one line here and the terminal wraps it."""
    import inspect

    for info in typer_app.registered_commands:
        doc = info.help or (inspect.getdoc(info.callback) if info.callback else None)
        if doc:
            paragraphs = [_paragraph(p) for p in doc.split("\n\n")]
            info.help = "\n\n".join(paragraphs)
            info.short_help = info.short_help or paragraphs[0]
    for group in typer_app.registered_groups:
        if group.typer_instance is not None:
            unwrap_help(group.typer_instance)
    return typer_app
