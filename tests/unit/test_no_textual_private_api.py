"""No Textual private API in the app (issue 17): a name with a leading underscore that Textual
defines (a method or an attribute it sets) and the app does not define itself must not be
reached for, so a Textual upgrade cannot break the app behind its back."""

from __future__ import annotations

import re
from pathlib import Path

import textual

PACKAGE = Path(__file__).resolve().parents[2] / "ungehus_tui"
DEFINED = (
    re.compile(r"def (_[a-z]\w*)"),
    re.compile(r"self\.(_[a-z]\w*)\s*[:=]"),
    re.compile(r"^\s+(_[a-z]\w*)\s*[:=]", re.M),
)
USED = re.compile(r"\.(_[a-z]\w*)")


def _defined(root: Path) -> set[str]:
    names: set[str] = set()
    for path in root.rglob("*.py"):
        text = path.read_text(encoding="utf-8", errors="ignore")
        for pattern in DEFINED:
            names.update(pattern.findall(text))
    return names


def private_uses(package: Path) -> dict[str, set[str]]:
    textual_private = _defined(Path(textual.__file__).parent)
    ours = _defined(package)
    found: dict[str, set[str]] = {}
    for path in package.rglob("*.py"):
        for name in USED.findall(path.read_text(encoding="utf-8")):
            if name in textual_private and name not in ours:
                found.setdefault(name, set()).add(path.relative_to(package).as_posix())
    return found


def test_the_app_uses_no_textual_private_api() -> None:
    assert private_uses(PACKAGE) == {}


def test_the_scan_finds_a_private_call(tmp_path: Path) -> None:
    (tmp_path / "bad.py").write_text("def f(app):\n    app._init_mode('x')\n", encoding="utf-8")
    assert private_uses(tmp_path) == {"_init_mode": {"bad.py"}}
