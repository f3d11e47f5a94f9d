"""`export_ratio` and `export_peak_mib`: `ungehus export --full` (every entity the export
writes: young people, intakes and the rest) over `sqlite3 -csv` of the same tables, both
writing to files; and the export process's peak RSS at two database sizes (memory flat)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.common import CACHE, PYTHON, ROOT, Metric, child_env, median

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


def _export(db: Path) -> tuple[float, float]:
    out = Path(tempfile.mkdtemp(prefix="export-", dir=CACHE))
    try:
        cmd = [PYTHON, "-m", "ungehus_tui", "export", "--db", str(db), "--out", str(out)]
        return _timed([*cmd, "--full", "--as", "it.admin"])
    finally:
        shutil.rmtree(out, ignore_errors=True)


def _sqlite_csv(db: Path) -> float:
    out = Path(tempfile.mkdtemp(prefix="csv-", dir=CACHE))
    try:
        args: list[str] = []
        for table in TABLES:
            args += [f".output {out / table}.csv", f"SELECT * FROM {table};"]
        return _timed(["sqlite3", "-csv", "-header", str(db), *args])[0]
    finally:
        shutil.rmtree(out, ignore_errors=True)


def measure(db: Path, ensure_db: Callable[[int], Path], quick: bool) -> Metric:
    runs = 1 if quick else 3
    _sqlite_csv(db)  # warm the file cache
    exports = [_export(db) for _ in range(runs)]
    floors = [_sqlite_csv(db) for _ in range(runs)]
    small_peak = _export(ensure_db(SMALL))[1]
    seconds = median([e[0] for e in exports])
    peak = max(e[1] for e in exports)
    return Metric(
        round(seconds / median(floors), 2),
        goal="<= 3",
        floor=f"sqlite3 -csv {median(floors):.2f} s",
        detail={
            "export_s": round(seconds, 2),
            "peak_mib": round(peak, 1),
            f"peak_mib_at_{SMALL}": round(small_peak, 1),
            "tables": len(TABLES),
        },
    )
