"""No block in ungehus_tui above radon's grade C (cyclomatic complexity over 20), the Alembic
revisions excepted (#17): a long function is split per entity or per step."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

from radon.complexity import cc_rank, cc_visit

import ungehus_tui

PACKAGE = Path(ungehus_tui.__file__).parent
MIGRATIONS = PACKAGE / "data" / "migrations"


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if MIGRATIONS not in p.parents)


def _blocks(blocks: list[Any]) -> list[Any]:
    """Every function, class, method, closure and inner class, nested ones included (a class
    counts as its methods' average plus one, as `radon cc` shows it)."""
    out = []
    for block in blocks:
        out.append(block)
        inner = ("methods", "closures", "inner_classes")
        out += _blocks([b for name in inner for b in getattr(block, name, [])])
    return out


def _too_complex(source: str) -> list[str]:
    lines = [
        f"{b.lineno}: {b.fullname} {cc_rank(b.complexity)} ({b.complexity})"
        for b in _blocks(cc_visit(source))
        if cc_rank(b.complexity) >= "D"
    ]
    return list(dict.fromkeys(lines))  # cc_visit lists a method on its own and in its class


def test_the_check_sees_a_complex_function() -> None:
    body = [f"    if x == {i}:\n        return {i}\n" for i in range(21)] + ["    return -1\n"]
    assert _too_complex("def f(x):\n" + "".join(body)) == ["1: f D (22)"]
    method = "class C:\n    def m(self, x):\n" + textwrap.indent("".join(body), "    ")
    assert _too_complex(method) == ["1: C D (23)", "2: C.m D (22)"]
    closure = "def outer():\n    def inner(x):\n" + textwrap.indent("".join(body), "    ")
    assert _too_complex(closure) == ["2: inner D (22)"]
    assert _too_complex("def g(x):\n    return x\n") == []


def test_no_block_of_grade_d_or_worse() -> None:
    modules = _modules()
    assert len(modules) > 50
    found = [
        f"{path.relative_to(PACKAGE.parent)}:{line}"
        for path in modules
        for line in _too_complex(path.read_text(encoding="utf-8"))
    ]
    assert found == [], "split these (radon grade D or worse):\n" + "\n".join(found)
