"""`startup_ratio`: process start to the reception screen idle and accepting keys, over the same
for a bare Textual app (Header, Input, DataTable, Footer). Medians of several runs each,
interleaved so a load spike on the machine hits both sides alike."""

from __future__ import annotations

import subprocess
import time

from bench.common import BENCH, PYTHON, ROOT, Metric, child_env, median
from bench.target import Target


def _once(args: list[str]) -> tuple[float, str]:
    started = time.time()
    proc = subprocess.run(
        [PYTHON, str(BENCH / "startup_probe.py"), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=child_env(),
        timeout=300,
    )
    ready = [line for line in proc.stdout.splitlines() if line.startswith("READY ")]
    if proc.returncode != 0 or not ready:
        raise RuntimeError(f"startup probe {args[0]} failed: {proc.stderr.strip()[-800:]}")
    _, stamp, screen, focused = ready[-1].split()
    return float(stamp) - started, f"{screen}/{focused}"


def measure(target: Target, runs: int) -> Metric:
    _once(["bare"])  # warm the OS file cache for both
    _, where = _once(["ungehus", target.url])
    bare: list[float] = []
    app: list[float] = []
    for _ in range(runs):
        bare.append(_once(["bare"])[0])
        app.append(_once(["ungehus", target.url])[0])
    ratio = median(app) / median(bare)
    return Metric(
        round(ratio, 2),
        goal="<= 1.5",
        floor=f"bare app {median(bare) * 1000:.0f} ms",
        detail={
            "app_ms": round(median(app) * 1000),
            "bare_ms": round(median(bare) * 1000),
            "runs": runs,
            "ready_on": where,
        },
    )
