"""Shared pieces of the benchmark: where things are, a measured value or an honest null."""

from __future__ import annotations

import os
import statistics
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
CACHE = BENCH / ".cache"
PYTHON = sys.executable


@dataclass
class Metric:
    """One figure of the run. `value` None means not measured; `reason` says why."""

    value: float | int | None
    unit: str = ""
    goal: str = ""
    floor: str = ""
    reason: str = ""
    detail: dict[str, object] = field(default_factory=dict)

    @classmethod
    def missing(cls, reason: str, goal: str = "") -> Metric:
        return cls(None, goal=goal, reason=reason)


def byte_compile() -> None:
    """The app's modules compiled to bytecode (`__pycache__`), as an installed app has them:
    pip compiles a package when it installs it, and Python caches what it compiles on a first
    launch, so every launch but the first reads bytecode. Where `PYTHONDONTWRITEBYTECODE` is
    set (this machine kind sets it) nothing launched from the checkout would ever be cached,
    and each launch would compile the app again (~15% of the bare app's first frame), a cost
    no installed copy pays; the bare app's Textual is compiled too."""
    import compileall

    compileall.compile_dir(ROOT / "ungehus_tui", quiet=1)


def child_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env.setdefault("UNGEHUS_CONFIG", str(CACHE / "no-config.toml"))
    env.update(extra)
    return env


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100), linear interpolation (as numpy's default)."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    pos = (len(ordered) - 1) * q / 100
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def median(values: list[float]) -> float:
    return statistics.median(values)


def upgrade_schema(url: str) -> bool:
    """Bring a kept demo database (the SQLite cache, PostgreSQL's --keep) to the schema of
    the code being measured, so a migration (e.g. one that rebuilds the search tokens) is
    not left to, and timed in, the first benchmark that opens it. True when it changed."""
    from ungehus_tui.data import migrate
    from ungehus_tui.data.engine import make_engine

    engine = make_engine(url)
    try:
        if migrate.stored_revision(engine) == migrate.HEAD_REVISION:
            return False
        return migrate.upgrade(engine)
    finally:
        engine.dispose()
