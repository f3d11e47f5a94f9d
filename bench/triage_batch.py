"""`triage_batch_s`: `ungehus triage --jsonl` answering 10,000 lines, cold: a new process each
run (interpreter start and imports included), stdin from a file, stdout to a file. No
database. The lines are fictitious young people of every situation, some with case flags;
every answer is checked to be a decision (not an error line)."""

from __future__ import annotations

import datetime as dt
import json
import random
import subprocess
import tempfile
import time
from pathlib import Path

from bench.common import CACHE, PYTHON, ROOT, Metric, child_env, median

LINES = 10_000
SITUATIONS = ("grundskole", "ungdomsuddannelse", "job", "ingen", "andet")
FLAGS = ("social_case", "jobcenter_case", "housing_or_finance", "specialised_needs")


def _cpr(birth: dt.date, serial: int) -> str:
    from ungehus_tui.domain.cpr import century_digit_for

    return f"{birth:%d%m%y}{century_digit_for(birth)}{serial % 1000:03d}"


def lines(n: int = LINES, seed: int = 2019) -> list[str]:
    rng = random.Random(seed)
    on = dt.date(2024, 8, 1)
    out = []
    for i in range(n):
        birth = on - dt.timedelta(days=rng.randint(13 * 365, 31 * 365))
        obj: dict[str, object] = {
            "cpr": _cpr(birth, i),
            "on": on.isoformat(),
            "situation": rng.choice(SITUATIONS),
        }
        if obj["situation"] == "grundskole":
            obj["grade"] = rng.randint(7, 10)
        obj |= {flag: True for flag in FLAGS if rng.random() < 0.2}
        out.append(json.dumps(obj))
    return out


def _run(source: Path, sink: Path) -> float:
    with source.open("rb") as stdin, sink.open("wb") as stdout:
        started = time.perf_counter()
        done = subprocess.run(
            [PYTHON, "-m", "ungehus_tui", "triage", "--jsonl"],
            stdin=stdin,
            stdout=stdout,
            stderr=subprocess.PIPE,
            cwd=ROOT,
            env=child_env(),
            check=False,
        )
        elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"triage --jsonl exit {done.returncode}: {done.stderr[-300:]!r}")
    return elapsed


def measure(runs: int = 3) -> Metric:
    CACHE.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="triage-", dir=CACHE) as tmp:
        source, sink = Path(tmp) / "in.jsonl", Path(tmp) / "out.jsonl"
        source.write_text("\n".join(lines()) + "\n", encoding="utf-8")
        times = [_run(source, sink) for _ in range(runs)]
        answers = sink.read_text(encoding="utf-8").splitlines()
    if len(answers) != LINES or any('"error"' in a for a in answers):
        raise RuntimeError(f"{len(answers)} answers, some not decisions")
    return Metric(
        round(median(times), 2),
        unit="s",
        goal="<= 3",
        floor=f"{LINES:,} lines, cold process",
        detail={"runs_s": [round(t, 2) for t in times]},
    )


if __name__ == "__main__":
    print(measure())
