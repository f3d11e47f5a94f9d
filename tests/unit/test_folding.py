"""The search spelling of names: every way of writing æ, ø and å without them keys alike, at
index time and at query time, and a typed prefix keys to a prefix (search as you type)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ungehus_tui.domain.folding import MAX_TOKENS, TOKEN_MAX_LEN, index_tokens, search_key

relaxed = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=400)

# Names: Danish and plain letters (upper and lower case), the digraphs themselves, accents,
# and the separators names have.
_PIECES = st.sampled_from(
    [*"abcdefghijklmnopqrstuvwxyzæøåÆØÅéüöäABEOS", "aa", "oe", "ae", "Aa", "OE", " ", "-"]
)
names = st.lists(_PIECES, min_size=1, max_size=30).map("".join)

# Each Danish letter and the spellings a desk types for it.
VARIANTS = {"æ": ("ae",), "ø": ("oe", "o"), "å": ("aa", "a")}


def _variants(name: str, choice: st.DataObject) -> str:
    out = []
    for ch in name:
        lower = ch.lower()
        if lower in VARIANTS:
            spelled = choice.draw(st.sampled_from((ch, *VARIANTS[lower])))
            out.append(spelled.upper() if ch.isupper() and spelled != ch else spelled)
        else:
            out.append(ch)
    return "".join(out)


@relaxed
@given(names, st.data())
def test_every_spelling_of_the_danish_letters_keys_alike(name: str, data: st.DataObject) -> None:
    variant = _variants(name, data)
    assert search_key(name) == search_key(variant), (name, variant)
    assert index_tokens(name) == index_tokens(variant)


words = st.lists(
    st.sampled_from([*"abdegikloprstuvyæøåÆØÅéöAEOS", "aa", "oe", "ae"]), min_size=1
).map("".join)


@relaxed
@given(words, st.data())
def test_a_typed_prefix_keys_to_a_prefix_of_the_word(word: str, data: st.DataObject) -> None:
    cut = data.draw(st.integers(min_value=1, max_value=len(word)))
    assert search_key(word).startswith(search_key(word[:cut])), (word, cut)


@relaxed
@given(st.text(max_size=400))
def test_index_tokens_fit_the_table(text: str) -> None:
    tokens = index_tokens(text)
    assert len(tokens) <= MAX_TOKENS
    assert len(set(tokens)) == len(tokens)  # the primary key is (person_id, token)
    assert all(0 < len(t) <= TOKEN_MAX_LEN and t.isascii() for t in tokens)


def test_examples_from_the_desk() -> None:
    for typed in ("soren", "soeren", "Søren", "SØREN", "Soeren", "SOREN"):
        assert search_key(typed) == "soren", typed
    for typed in ("ase", "aase", "Åse", "AASE", "Aase"):
        assert search_key(typed) == "ase", typed
    for typed in ("aerø", "aero", "Ærø", "AERØ", "aeroe"):
        assert search_key(typed) == "aero", typed
    assert index_tokens("Søren Åse Ærø-Høeg") == ["soren", "ase", "aero", "hog"]
    assert index_tokens("Søren Soeren soren") == ["soren"]
