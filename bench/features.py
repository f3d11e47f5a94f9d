"""Figures that need a piece of the app which may not have landed yet: each one reports null
with the reason until its piece is there (never a made-up number)."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable

from bench.common import Metric
from bench.target import Target


def _has(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def export(target: Target, demo: Callable[[int], Target], quick: bool) -> Metric:
    if not _has("ungehus_tui.services.dataio.export"):
        return Metric.missing("the export (services/export.py) has not landed", goal="<= 3.5")
    from bench import export_bench

    return export_bench.measure(target, demo, quick)


def export_peak(export_metric: Metric) -> Metric:
    peak = export_metric.detail.get("peak_mib")
    if not isinstance(peak, int | float):
        return Metric.missing(export_metric.reason or "no export measured")
    return Metric(
        peak,
        unit="MiB",
        goal="flat as rows grow",
        detail={k: v for k, v in export_metric.detail.items() if "peak" in k},
    )


def queue_open(target: Target) -> Metric:
    if not _has("ungehus_tui.services.casework.queue"):
        return Metric.missing("the counsellor queue (services/queue.py) has not landed")
    from bench import queue_bench

    return queue_bench.measure(target)


def intake_keys() -> Metric:
    if not _has("ungehus_tui.walkin"):
        return Metric.missing("the reception walk-in (ungehus_tui/walkin.py) has not landed")
    from bench import walkin_keys

    return walkin_keys.measure()


def double_bookings(target: Target) -> Metric:
    if not _has("ungehus_tui.services.desk.booking"):
        return Metric.missing("booking (services/booking.py) has not landed", goal="0")
    from bench import booking_race

    return booking_race.measure(target)
