"""Privacy mode for screens others can see (the desk's waiting list): initials only."""

from __future__ import annotations


def initials(name: str) -> str:
    """'Søren Ærø Hansen' -> 'S. Æ. H.'; empty for an empty name."""
    return " ".join(f"{word[0].upper()}." for word in name.split() if word[:1].isalpha())


def shown_name(name: str, *, privacy: bool) -> str:
    return initials(name) if privacy else name
