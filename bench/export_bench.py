"""`export_ratio` and `export_peak_mib`: `ungehus export --full` (every entity the export
writes: young people, intakes and the rest) over `sqlite3 -csv` of the same tables (on
PostgreSQL: `psql` with `\\copy (SELECT * FROM table) TO file CSV HEADER`), both writing to
files; and the export process's peak RSS at two database sizes (memory flat)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.common import CACHE, PYTHON, ROOT, Metric, child_env, median
from bench.target import Target

TABLES = (
    "young_person",
    "intake",
    "triage_decision",
    "meeting",
    "meeting_participant",
    "assignment",
    "handover",
    "consent",
    "education_plan",
    "plan_intervention",
    "task",
    "staff",
)
SMALL = 20_000


def _timed(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one child process."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        cwd=ROOT,
        env=child_env(UNGEHUS_PSEUDONYM_KEY="bench-pseudonym-key-0123456789"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{cmd[2:4]} failed: {err.strip()[-500:]}")
    return elapsed, usage.ru_maxrss / 1024


def _export(target: Target) -> tuple[float, float]:
    out = Path(tempfile.mkdtemp(prefix="export-", dir=CACHE))
    try:
        cmd = [PYTHON, "-m", "ungehus_tui", "export", "--db", target.url, "--out", str(out)]
        return _timed([*cmd, "--full", "--as", "it.admin"])
    finally:
        shutil.rmtree(out, ignore_errors=True)


def _floor(target: Target) -> float:
    """`sqlite3 -csv` (or `psql` with `\\copy ... CSV`) of every table into its file."""
    out = Path(tempfile.mkdtemp(prefix="csv-", dir=CACHE))
    try:
        args: list[str] = []
        if target.path is None:
            for table in TABLES:
                args += ["-c", f"\\copy (SELECT * FROM {table}) TO '{out / table}.csv' CSV HEADER"]
            return _timed(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", target.libpq(), *args])[0]
        for table in TABLES:
            args += [f".output {out / table}.csv", f"SELECT * FROM {table};"]
        return _timed(["sqlite3", "-csv", "-header", str(target.path), *args])[0]
    finally:
        shutil.rmtree(out, ignore_errors=True)


def measure(target: Target, demo: Callable[[int], Target], quick: bool) -> Metric:
    runs = 1 if quick else 3
    CACHE.mkdir(parents=True, exist_ok=True)  # a fresh checkout on PostgreSQL has none yet
    _floor(target)  # warm the file cache
    exports = [_export(target) for _ in range(runs)]
    floors = [_floor(target) for _ in range(runs)]
    small_peak = _export(demo(SMALL))[1]
    seconds = median([e[0] for e in exports])
    peak = max(e[1] for e in exports)
    floor = "psql \\copy ... CSV" if target.is_pg else "sqlite3 -csv"
    return Metric(
        round(seconds / median(floors), 2),
        goal="<= 2" if target.is_pg else "<= 3.5",
        floor=f"{floor} {median(floors):.2f} s",
        detail={
            "export_s": round(seconds, 2),
            "peak_mib": round(peak, 1),
            f"peak_mib_at_{SMALL}": round(small_peak, 1),
            "tables": len(TABLES),
        },
    )
