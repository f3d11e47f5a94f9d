from __future__ import annotations

from ungehus_tui.domain.privacy import initials, shown_name


def test_initials() -> None:
    assert initials("Søren Ærø Prøvesen") == "S. Æ. P."
    assert initials("  ") == ""
    assert shown_name("Ida Demolund", privacy=True) == "I. D."
    assert shown_name("Ida Demolund", privacy=False) == "Ida Demolund"
