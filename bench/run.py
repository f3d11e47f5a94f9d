"""The Ungehus benchmark at 100,000 young people. Not part of the test run.

    python bench/run.py [--quick] [--json] [--db PATH | --db postgresql+psycopg://...]
                        [--persons N] [--keep] [--only export]

Builds (or reuses, under bench/.cache/) a demo database with `python -m ungehus_tui demo`,
then measures each figure against a floor measured in the same run where one exists. With a
PostgreSQL URL it measures on that server instead, in databases of its own (bench/target.py).
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
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import CACHE, PYTHON, ROOT, Metric, byte_compile, child_env, upgrade_schema
from bench.target import Target, is_postgres, postgres

KEYS = (
    "first_frame_ratio",
    "first_answer_ratio",
    "signin_ready_ms",
    "keystroke_p95_ms",
    "search_p99_ms",
    "export_ratio",
    "export_peak_mib",
    "queue_open_ms",
    "center_queue_open_ms",
    "intake_keys",
    "booking_double_bookings",
    "concurrent_lost_writes",
    "persons",
    "triage_batch_s",
    "serve_first_frame_ms",
    "serve_session_mib",
)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def machine(target: Target) -> dict[str, object]:
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
        **({"postgresql": target.scalar("SHOW server_version")} if target.is_pg else {}),
        "backend": target.backend,
        "load_avg_1m": round(os.getloadavg()[0], 1),
    }


def ensure_db(persons: int) -> Path:
    """The cached demo database of `persons` young people (built once, then reused)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    db = CACHE / f"bench-{persons}.db"
    if db.exists():
        if upgrade_schema(f"sqlite:///{db}"):
            log(f"Upgraded the schema of {db.name} to this code's")
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


def sqlite_target(db: Path) -> Target:
    return Target(f"sqlite:///{db}", path=db)


def work_copy(db: Path, name: str) -> Target:
    """A scratch copy for benchmarks that write (the cached database stays as built)."""
    target = CACHE / f"work-{name}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    with sqlite3.connect(db) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    os.chmod(target, 0o600)
    return sqlite_target(target)


def count_persons(target: Target) -> int:
    return int(target.scalar("SELECT count(*) FROM young_person"))


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
    if is_postgres(args.db):
        if shutil.which("psql") is None:
            sys.exit("bench/run.py on PostgreSQL needs psql: apt-get install -y postgresql-client")
        with postgres(args.db, args.persons, args.keep) as (target, copy, demo):
            return measure(target, copy, demo, args.quick, args.only)
    if shutil.which("sqlite3") is None:
        sys.exit("bench/run.py needs the sqlite3 command line tool: apt-get install -y sqlite3")
    db = Path(args.db).resolve() if args.db else ensure_db(args.persons)
    return measure(
        sqlite_target(db),
        lambda name: work_copy(db, name),
        lambda n: sqlite_target(ensure_db(n)),
        args.quick,
        args.only,
    )


def measure(
    target: Target,
    copy: Callable[[str], Target],
    demo: Callable[[int], Target],
    quick: bool,
    only: str | None = None,
) -> tuple[dict[str, Metric], dict[str, object]]:
    """Every figure on `target`; `copy(name)` makes a scratch copy for a benchmark that writes,
    `demo(n)` a demo database of n young people (the export's memory at another size). With
    `only="export"` just the export's figures (and `persons`), measured the same way; the
    others are null, their reason saying so."""
    from bench import features, feel, search, serve_bench, triage_batch, writes

    if only == "export":
        skipped = Metric.missing("not measured (--only export)")
        results = {key: skipped for key in KEYS}
        export = _guard("export", lambda: features.export(copy("export"), demo, quick))
        results["export_ratio"] = export
        results["export_peak_mib"] = features.export_peak(export)
        results["persons"] = Metric(count_persons(target), unit="young people")
        return results, machine(target) | {"db": target.label, "quick": quick, "only": only}

    results: dict[str, Metric] = feel.measure_all(target, copy, quick, _guard)
    results["search_p99_ms"] = _guard("search_p99_ms", lambda: search.measure(target, 1000))
    export = _guard("export", lambda: features.export(copy("export"), demo, quick))
    results["export_ratio"] = export
    results["export_peak_mib"] = features.export_peak(export)
    results["queue_open_ms"] = _guard("queue_open_ms", lambda: features.queue_open(target))
    results["intake_keys"] = _guard("intake_keys", features.intake_keys)
    results["booking_double_bookings"] = _guard(
        "booking_double_bookings", lambda: features.double_bookings(copy("booking"))
    )
    results["concurrent_lost_writes"] = _guard(
        "concurrent_lost_writes",
        lambda: writes.lost_writes(copy("writes"), 25 if quick else 100),
    )
    results["persons"] = Metric(count_persons(target), unit="young people")
    results["triage_batch_s"] = _guard(
        "triage_batch_s", lambda: triage_batch.measure(runs=3 if quick else 5)
    )

    def served() -> Metric:  # both serve figures come from one server and one browser
        first, results["serve_session_mib"] = serve_bench.measure(target, quick)
        return first

    results["serve_first_frame_ms"] = _guard("serve_first_frame_ms", served)
    results.setdefault("serve_session_mib", results["serve_first_frame_ms"])  # failed: why
    log(f"  serve_session_mib {results['serve_session_mib'].value} MiB")
    info = machine(target) | {"db": target.label, "quick": quick}
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
    parser.add_argument(
        "--db",
        help="use this SQLite database instead of the cached one; or a PostgreSQL URL "
        "(postgresql+psycopg://USER@HOST:PORT/DB): measure on that server, in databases "
        "the run creates and drops",
    )
    parser.add_argument("--persons", type=int, default=100_000, help="young people to build")
    parser.add_argument(
        "--keep",
        action="store_true",
        help="PostgreSQL: keep the demo database (ungehus_bench_keep_N) and reuse it next time",
    )
    parser.add_argument(
        "--only",
        choices=["export"],
        help="measure only these figures (export: export_ratio, export_peak_mib), the rest null",
    )
    args = parser.parse_args()
    byte_compile()
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
