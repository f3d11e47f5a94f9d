"""Stored text on screen: control characters shown visibly and inertly
(`domain.text.visible`: ESC as '␛', U+202E as '\\u202e') and markup in the data never applied.

- `cell(value)`: a DataTable cell or a Select/SelectionList prompt (a Rich Text is never
  parsed as markup).
- `plain(value)`: a Static/Label of stored text alone.
- `marked(template, **values)`: our markup with stored values put in as `$name` variables,
  which Textual inserts as plain text: `marked("[b]$name[/b] · $cpr", name=..., cpr=...)`.
"""

from __future__ import annotations

from rich.text import Text
from textual.content import Content

from ungehus_tui.domain.text import visible


def _str(value: object, multiline: bool = False) -> str:
    return visible(None if value is None else str(value), multiline=multiline)


def cell(value: object) -> Text:
    return Text(_str(value))


def plain(value: object, *, multiline: bool = False) -> Content:
    """With `multiline`, newlines stay line breaks (text we joined, a multi-line note)."""
    return Content(_str(value, multiline))


def marked(template: str, **values: object) -> Content:
    return Content.from_markup(template, **{k: _str(v) for k, v in values.items()})
