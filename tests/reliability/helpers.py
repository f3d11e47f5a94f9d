"""Shared bits of the reliability tests: subprocesses run from the repository root."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent


def child_env() -> dict[str, str]:
    """The test's (isolated) environment, with the repository importable."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env["PYTHONUNBUFFERED"] = "1"
    return env


PYTHON = sys.executable

# Text a desk, a paste or a bad list could hand a service.
NASTY = [
    "",
    " ",
    "\x00",
    "Anna\x00Prøvesen",
    "\t\n\r",
    "\x1b[31mrød\x1b[0m",
    "\u202eesneøvrP annA",  # RTL override
    "\u200f\u200eAnna Prøvesen",  # RTL/LTR marks
    "Anna 👩‍👩‍👧 Prøvesen",
    "Robert'); DROP TABLE young_person;--",
    "' OR 1=1 --",
    '" OR ""="',
    "%_%",
    "\\",
    "\ud800",  # a lone surrogate: not encodable as UTF-8
    "Anna \udcff Prøvesen",
    "ﬀ",
    "١٢٣٤٥٦-٧٨٩٠",  # Arabic-Indic digits
    "０１０１０１-０１０１",  # full-width digits
    "x" * 201,
    "Æ" * 100_000,
    "A" * 200_000,
    "+45 12 34 56 78",
    "a@b.dk",
    "@@",
]
