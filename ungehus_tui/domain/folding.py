"""Danish name folding for search: case, æ/ae, ø/oe, å/aa and accents fold together."""

from __future__ import annotations

import re
import unicodedata

_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "ß": "ss", "ð": "d", "þ": "th"})
_NON_WORD = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lower-case ASCII form of a name: 'Søren Åberg-Lützen' -> 'soeren aaberg lutzen'."""
    lowered = text.casefold().translate(_DANISH)
    decomposed = unicodedata.normalize("NFKD", lowered)
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    ascii_only = ascii_only.encode("ascii", "ignore").decode("ascii")
    return _NON_WORD.sub(" ", ascii_only).strip()


def tokens(text: str) -> list[str]:
    """Distinct folded words of a name, in order."""
    seen: list[str] = []
    for token in fold(text).split():
        if token not in seen:
            seen.append(token)
    return seen


_LOOSE = str.maketrans({"æ": "ae", "ø": "o", "å": "a"})


def index_tokens(text: str) -> list[str]:
    """The words a name is found by: the folded words plus a looser spelling of each, so a
    desk typing without Danish letters finds the name ('soren' -> 'Søren', 'asa' -> 'Åsa')."""
    out = tokens(text)
    for token in tokens(text.casefold().translate(_LOOSE)):
        if token not in out:
            out.append(token)
    return out
