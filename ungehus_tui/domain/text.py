"""Text that is stored and shown on a terminal: control characters never get in, and never
get out raw.

In: `find_control` / `control_message` / `check_text` refuse a value holding a control
character (C0, DEL, C1), a bidi control or an invisible format character. Single-line fields
refuse tab and newline too; a multi-line note allows a newline (LF, or CR LF from a paste).

Out: `visible` turns every such character into an inert, visible stand-in, so a row written
by hand (SQL, another tool, an older version) cannot move the cursor, retitle the window, clear
the screen or reverse the text it is shown in. Rich/Textual markup is a separate matter: show
stored text as plain text (`rich.text.Text`, `rich.markup.escape`), never as markup.
"""

from __future__ import annotations

import re

# C0 and newline are kept apart so a multi-line note can allow LF. The rest: DEL and C1; the
# soft hyphen, Arabic letter mark and Mongolian vowel separator; zero-width characters and
# LRM/RLM; the line/paragraph separators and bidi embeddings/overrides (U+2028-202E); word
# joiner, invisible operators and bidi isolates (U+2060-206F); the BOM; the interlinear
# annotation marks; the invisible tag characters.
_REST = (
    r"\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f"
    r"\ufeff\ufff9-\ufffb\U000e0000-\U000e007f"
)
_CONTROL = re.compile(r"[\x00-\x1f" + _REST + "]")
_CONTROL_MULTILINE = re.compile(r"[\x00-\x09\x0b-\x1f" + _REST + "]")


def find_control(text: str, *, multiline: bool = False) -> str | None:
    """The first character that must not be stored, or None. With `multiline`, a newline
    (LF, or CR directly followed by LF) is allowed."""
    if multiline:
        text = text.replace("\r\n", "\n")
        match = _CONTROL_MULTILINE.search(text)
    else:
        match = _CONTROL.search(text)
    return match.group() if match else None


def codepoint(char: str) -> str:
    """'\\x1b' -> 'U+001B'."""
    return f"U+{ord(char):04X}"


def control_message(value: object, label: str, *, multiline: bool = False) -> str | None:
    """The Danish refusal for a value holding a control character, or None (non-text values
    are left to the field's own checks)."""
    if not isinstance(value, str):
        return None
    char = find_control(value, multiline=multiline)
    if char is None:
        return None
    return f"{label} indeholder et kontroltegn ({codepoint(char)}), som ikke kan gemmes"


class ControlCharacter(ValueError):
    """A value holds a character that must not be stored; `message` is Danish."""

    def __init__(self, message: str, char: str) -> None:
        super().__init__(message)
        self.message = message
        self.char = char


def check_text(value: object, label: str, *, multiline: bool = False) -> None:
    """Raise ControlCharacter when `value` (text) holds a character that must not be stored."""
    message = control_message(value, label, multiline=multiline)
    if message is not None:
        assert isinstance(value, str)
        char = find_control(value, multiline=multiline)
        assert char is not None
        raise ControlCharacter(message, char)


def _stand_in(char: str) -> str:
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ ... ␟ (Unicode control pictures)
    if code == 0x7F:
        return "\u2421"  # ␡
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def visible(text: str | None, *, multiline: bool = False) -> str:
    """Stored text made safe to show on a terminal: every control, bidi or invisible format
    character becomes a visible, inert stand-in (ESC -> '␛', DEL -> '␡', U+202E -> '\\u202e').
    With `multiline`, a newline stays a newline. None -> ''."""
    if not text:
        return ""
    pattern = _CONTROL_MULTILINE if multiline else _CONTROL
    if multiline:
        text = text.replace("\r\n", "\n")
    return pattern.sub(lambda m: _stand_in(m.group()), text)


_JSON_RAW = re.compile("[" + _REST + "]")  # C0 is escaped by json.dumps already


def _json_escape(char: str) -> str:
    code = ord(char)
    if code > 0xFFFF:  # a JSON escape outside the BMP is a surrogate pair
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def json_escaped(dumped: str) -> str:
    """`json.dumps(..., ensure_ascii=False)` output with DEL, C1, bidi and invisible format
    characters escaped too (json.dumps escapes only C0), so JSON printed on a terminal is as
    inert as the tables; the parsed data is unchanged."""
    return _JSON_RAW.sub(lambda m: _json_escape(m.group()), dumped)
