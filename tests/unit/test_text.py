"""domain.text: which characters may be stored, and how stored text is shown on a terminal."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ungehus_tui.domain.text import (
    ControlCharacter,
    check_text,
    control_message,
    find_control,
    visible,
)

BANNED_RANGES = [
    (0x00, 0x1F),  # C0
    (0x7F, 0x7F),  # DEL
    (0x80, 0x9F),  # C1
    (0x202A, 0x202E),  # bidi embeddings and overrides
    (0x2066, 0x2069),  # bidi isolates
    (0x200E, 0x200F),  # LRM, RLM
    (0x061C, 0x061C),  # Arabic letter mark
    (0x200B, 0x200D),  # zero-width space, non-joiner, joiner
    (0x2060, 0x2060),  # word joiner
    (0xFEFF, 0xFEFF),  # BOM / zero-width no-break space
]
BANNED = st.one_of(*(st.integers(lo, hi).map(chr) for lo, hi in BANNED_RANGES))
# Ordinary text: letters, marks, digits, punctuation, symbols and the plain space.
ORDINARY = st.text(
    st.characters(categories=("L", "M", "N", "P", "S"), codec="utf-8") | st.just(" "),
    max_size=40,
)


@given(before=ORDINARY, char=BANNED, after=ORDINARY)
def test_every_banned_character_is_found_and_made_visible(before, char, after) -> None:
    text = before + char + after
    assert find_control(text) == char
    shown = visible(text)
    assert char not in shown
    assert find_control(shown) is None  # nothing left that could act on a terminal
    assert shown.startswith(before) and shown.endswith(after)
    message = control_message(text, "Navn")
    assert message == f"Navn indeholder et kontroltegn (U+{ord(char):04X}), som ikke kan gemmes"
    with pytest.raises(ControlCharacter) as err:
        check_text(text, "Navn")
    assert err.value.message == message and err.value.char == char


@given(text=ORDINARY)
def test_ordinary_text_passes_unchanged(text) -> None:
    assert find_control(text) is None
    assert control_message(text, "Navn") is None
    check_text(text, "Navn")
    assert visible(text) == text


@given(text=st.text(max_size=60))
def test_visible_never_leaves_a_control_or_format_character(text) -> None:
    shown = visible(text)
    assert find_control(shown) is None
    assert not any(unicodedata.category(ch) == "Cc" for ch in shown)
    assert "\x1b" not in shown


def test_danish_names_pass_unchanged() -> None:
    for name in ("Søren Ærø Åberg", "ÆØÅ æøå", "Renée Müller", "Zoë O'Brien-Lützen"):
        assert find_control(name) is None and visible(name) == name


def test_the_stand_ins() -> None:
    assert visible("\x1b]0;pwned\x07") == "␛]0;pwned␇"
    assert visible("\x1b[2J") == "␛[2J"
    assert visible("a\x00b\x7fc") == "a␀b␡c"
    assert visible("\x85\x9b") == "\\x85\\x9b"
    assert visible("\u202eabc\u2066") == "\\u202eabc\\u2066"
    assert visible("x\ufeff\u200b") == "x\\ufeff\\u200b"
    assert visible(None) == "" and visible("") == ""


def test_multiline_allows_newlines_only() -> None:
    assert find_control("a\nb", multiline=True) is None
    assert find_control("a\r\nb", multiline=True) is None
    assert find_control("a\rb", multiline=True) == "\r"
    assert find_control("a\tb", multiline=True) == "\t"
    assert find_control("a\nb") == "\n"
    assert visible("a\nb\x1b", multiline=True) == "a\nb␛"
    assert visible("a\nb") == "a␊b"


def test_non_text_is_left_to_the_field_checks() -> None:
    assert control_message(None, "Navn") is None
    assert control_message(42, "Navn") is None
