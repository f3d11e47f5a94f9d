"""Guard: no SVG snapshot in the repository shows a full CPR number (only DDMMYY-XXXX)."""

from __future__ import annotations

import html
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEXT = re.compile(r"<text[^>]*>(.*?)</text>", re.S)
FULL_CPR = re.compile(r"(?<!\d)\d{6}-?\d{4}(?!\d)")


def _visible_text(svg: str) -> str:
    return "".join(html.unescape(t) for t in TEXT.findall(svg)).replace("\xa0", " ")


def test_no_snapshot_shows_a_full_cpr() -> None:
    offenders = []
    for svg in ROOT.glob("tests/**/__snapshots__/**/*.svg"):
        for line in _visible_text(svg.read_text(encoding="utf-8")).splitlines() or [""]:
            if FULL_CPR.search(line):
                offenders.append(svg.relative_to(ROOT).as_posix())
                break
    assert offenders == []


def test_guard_catches_a_full_cpr() -> None:
    svg = '<svg><text x="1">CPR&#160;010105-4321</text><text>010105-XXXX</text></svg>'
    assert FULL_CPR.search(_visible_text(svg))
    assert not FULL_CPR.search(_visible_text("<svg><text>010105-XXXX</text></svg>"))
