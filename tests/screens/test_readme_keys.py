"""Issue 14: the README's key tables match the app's bindings."""

from __future__ import annotations

from pathlib import Path

from tests.screens.readme_keys import key_tables

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_key_tables_match_the_app():
    text = README.read_text(encoding="utf-8")
    begin, end = "<!-- keys:begin -->\n", "<!-- keys:end -->"
    assert begin in text and end in text
    shown = text.split(begin, 1)[1].split(end, 1)[0]
    assert shown == key_tables(), "regenerate the README tables from tests/screens/readme_keys.py"
