"""Danish name folding for search: case, æ/ae, ø/oe/o, å/aa/a and accents fold together.

`fold` is the readable folded form of a name ('Søren Åberg-Lützen' -> 'soeren aaberg lutzen',
stored as `young_person.name_folded`). `search_key` goes one step further, to the one
spelling every way of writing a Danish letter without it shares: a run of a's becomes one
'a' (å, aa, a) and 'o' followed by any e's becomes 'o' (ø, oe, o). The same function makes
the words a name is indexed by (`index_tokens`) and the words the desk types, so the desk
finds 'Søren' by 'soren' and 'soeren', and a stored 'Soeren' by 'Søren' or 'soren'.

A prefix of a word keys to a prefix of the word's key (a cut run keys to the same letter),
so search as you type stays a prefix search.
"""

from __future__ import annotations

import re
import unicodedata

_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "ß": "ss", "ð": "d", "þ": "th"})
_NON_WORD = re.compile(r"[^a-z0-9]+")
_A_RUN = re.compile(r"a+")
_O_E_RUN = re.compile(r"oe+")


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


def _key_word(word: str) -> str:
    return _O_E_RUN.sub("o", _A_RUN.sub("a", word))


def search_key(text: str) -> str:
    """The search spelling of a name or a typed term: 'Søren Aase Ærø' -> 'soren ase aero';
    'soeren', 'soren' and 'Søren' all give 'soren'."""
    return " ".join(_key_word(word) for word in fold(text).split())


TOKEN_MAX_LEN = 80  # person_name_token.token
MAX_TOKENS = 24


def index_tokens(text: str) -> list[str]:
    """The words a name is found by, as stored in `person_name_token`: its words in
    `search_key` form, cut to TOKEN_MAX_LEN, distinct, in order, at most MAX_TOKENS. The
    desk's typed words go through `search_key` too, so both spellings meet."""
    out: list[str] = []
    for word in search_key(text).split():
        token = word[:TOKEN_MAX_LEN]
        if token not in out:
            out.append(token)
    return out[:MAX_TOKENS]
