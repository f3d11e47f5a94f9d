"""The Ungehus benchmark at 100,000 young people. Not part of the test run.

    python bench/run.py [--quick] [--json] [--db PATH] [--persons N]

Builds (or reuses, under bench/.cache/) a demo database with `python -m ungehus_tui demo`,
then measures each figure against a floor measured in the same run where one exists.
With --json the last line of the output is one JSON object with exactly the metric keys.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import CACHE, PYTHON, ROOT, Metric, child_env

KEYS = (
    "startup_ratio",
    "search_p99_ms",
    "export_ratio",
    "export_peak_mib",
    "queue_open_ms",
    "intake_keys",
    "booking_double_bookings",
    "concurrent_lost_writes",
    "persons",
)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def machine() -> dict[str, object]:
    model = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "load_avg_1m": round(os.getloadavg()[0], 1),
    }


def ensure_db(persons: int) -> Path:
    """The cached demo database of `persons` young people (built once, then reused)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    db = CACHE / f"bench-{persons}.db"
    if db.exists():
        return db
    building = CACHE / f"build-{persons}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{building}{suffix}").unlink(missing_ok=True)
    log(f"Building a demo database of {persons:,} young people (once) ...")
    started = time.perf_counter()
    subprocess.run(
        [PYTHON, "-m", "ungehus_tui", "demo", "--db", str(building), "--persons", str(persons)],
        check=True,
        cwd=ROOT,
        env=child_env(),
        stdout=subprocess.DEVNULL,
    )
    with sqlite3.connect(building) as conn:  # fold the WAL in: one file to copy and reuse
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    building.rename(db)
    log(f"  built in {time.perf_counter() - started:.0f} s")
    return db


def work_copy(db: Path, name: str) -> Path:
    """A scratch copy for benchmarks that write (the cached database stays as built)."""
    target = CACHE / f"work-{name}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    with sqlite3.connect(db) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    os.chmod(target, 0o600)
    return target


def count_persons(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT count(*) FROM young_person").fetchone()[0])


def _guard(name: str, fn) -> Metric:  # type: ignore[no-untyped-def]
    log(f"- {name} ...")
    started = time.perf_counter()
    try:
        metric = fn()
    except Exception as exc:
        metric = Metric.missing(f"failed: {type(exc).__name__}: {str(exc)[:300]}")
    log(f"  {metric.value} {metric.unit} {metric.reason} ({time.perf_counter() - started:.0f} s)")
    return metric


def run(args: argparse.Namespace) -> tuple[dict[str, Metric], dict[str, object]]:
    from bench import features, search, startup, writes

    if shutil.which("sqlite3") is None:
        sys.exit("bench/run.py needs the sqlite3 command line tool: apt-get install -y sqlite3")
    db = Path(args.db).resolve() if args.db else ensure_db(args.persons)
    quick = args.quick
    results: dict[str, Metric] = {}
    results["startup_ratio"] = _guard(
        "startup_ratio", lambda: startup.measure(db, runs=3 if quick else 7)
    )
    results["search_p99_ms"] = _guard("search_p99_ms", lambda: search.measure(db, 1000))
    export = _guard("export", lambda: features.export(work_copy(db, "export"), ensure_db, quick))
    results["export_ratio"] = export
    results["export_peak_mib"] = features.export_peak(export)
    results["queue_open_ms"] = _guard("queue_open_ms", lambda: features.queue_open(db))
    results["intake_keys"] = _guard("intake_keys", features.intake_keys)
    results["booking_double_bookings"] = _guard(
        "booking_double_bookings", lambda: features.double_bookings(work_copy(db, "booking"))
    )
    results["concurrent_lost_writes"] = _guard(
        "concurrent_lost_writes",
        lambda: writes.lost_writes(work_copy(db, "writes"), 25 if quick else 100),
    )
    results["persons"] = Metric(count_persons(db), unit="young people")
    info = machine() | {"db": str(db), "quick": quick}
    return results, info


def show(results: dict[str, Metric], info: dict[str, object]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Ungehus benchmark", caption=json.dumps(info, ensure_ascii=False))
    for column in ("metric", "value", "goal", "floor / detail"):
        table.add_column(column)
    for key in KEYS:
        m = results[key]
        value = "null" if m.value is None else f"{m.value} {m.unit}".strip()
        note = m.floor or ""
        if m.reason:
            note = f"{note} {m.reason}".strip()
        if m.detail:
            note = f"{note} {json.dumps(m.detail, ensure_ascii=False, default=str)}".strip()
        table.add_row(key, value, m.goal, note)
    Console(stderr=False, width=160).print(table)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions, same data")
    parser.add_argument("--json", action="store_true", help="last line: one JSON object")
    parser.add_argument("--db", help="use this SQLite database instead of the cached one")
    parser.add_argument("--persons", type=int, default=100_000, help="young people to build")
    args = parser.parse_args()
    results, info = run(args)
    if args.json:
        for key in KEYS:
            m = results[key]
            detail = {"reason": m.reason, "floor": m.floor, **m.detail}
            print(f"# {key}: {json.dumps(detail, ensure_ascii=False, default=str)}")
        print(f"# machine: {json.dumps(info, ensure_ascii=False)}")
        print(json.dumps({key: results[key].value for key in KEYS}))
    else:
        show(results, info)


if __name__ == "__main__":
    main()
