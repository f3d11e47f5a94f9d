"""`search_p99_ms`: the search the reception screen runs per keystroke
(`services.people.search_in` in a `read_once` session of its own, as `people.search` in the
screen's worker does), over 1,000 realistic prefixes sampled from the database. The floor
replays the very SQL statements that search emitted on one open connection of the driver
(the sqlite3 module; psycopg in autocommit on PostgreSQL, a statement the app sends unprepared,
`CUSTOM_PLAN`, sent unprepared there too)."""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
import time
from typing import Any

from bench.common import Metric, percentile
from bench.target import Target

LIMIT = 20


def prefixes(target: Target, count: int, seed: int = 8) -> list[str]:
    """What people type at the desk: CPR digits (with or without the hyphen), one folded or
    unfolded name word cut short (1-2 letters too), and two words ('soren han')."""
    rng = random.Random(seed)
    top = target.scalar("SELECT max(id) FROM young_person")
    ids = rng.sample(range(1, top + 1), min(count * 2, top))
    rows = target.rows(
        "SELECT cpr, name, name_folded FROM young_person WHERE id IN :ids ORDER BY id",
        {"ids": ids},
        expanding=["ids"],
    )
    terms: list[str] = []
    for cpr, name, folded in rows:
        if len(terms) >= count:
            break
        kind = rng.random()
        words = folded.split()
        if kind < 0.3:
            cut = rng.randint(1, 10)
            term = cpr[:cut]
            if cut > 6 and rng.random() < 0.5:
                term = f"{cpr[:6]}-{cpr[6:cut]}"
        elif kind < 0.45:
            word = rng.choice(words)
            term = word[: rng.randint(1, 2)]
        elif kind < 0.75:
            source = rng.choice([words, name.split()])  # typed with or without æøå
            word = rng.choice(source)
            term = word[: rng.randint(1, len(word))]
        else:
            first, last = words[0], words[-1]
            term = f"{first[: rng.randint(2, len(first))]} {last[: rng.randint(1, len(last))]}"
        terms.append(term)
    return terms


def date_terms(target: Target, count: int, seed: int = 9) -> list[str]:
    """Birth dates as the desk types them (everyone born that day): DDMMYY, dd-mm-åååå,
    d.m.åååå and DDMMYYYY, of birth dates sampled from the database."""
    rng = random.Random(seed)
    top = target.scalar("SELECT max(id) FROM young_person")
    ids = rng.sample(range(1, top + 1), min(count, top))
    births = target.rows(
        "SELECT birth_date FROM young_person WHERE id IN :ids ORDER BY id",
        {"ids": ids},
        expanding=["ids"],
    )
    forms = ("{:%d%m%y}", "{:%d-%m-%Y}", "{d.day}.{d.month}.{d.year}", "{:%d%m%Y}")
    days = [b if isinstance(b, dt.date) else dt.date.fromisoformat(str(b)[:10]) for (b,) in births]
    return [rng.choice(forms).format(d, d=d) for d in days]


def measure(target: Target, count: int = 1000) -> Metric:
    from sqlalchemy import event

    from ungehus_tui.data.engine import CUSTOM_PLAN, make_engine, read_once
    from ungehus_tui.domain import clock
    from ungehus_tui.services.desk.people import search_in

    clock.set_zone("Europe/Copenhagen")
    terms = prefixes(target, count)
    engine = make_engine(target.url)
    captured: list[tuple[str, Any, bool]] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _capture(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        captured.append((statement, parameters, bool(context.execution_options.get(CUSTOM_PLAN))))

    # One untimed pass warms the page cache and records the SQL of every term.
    statements: list[list[tuple[str, Any, bool]]] = []
    hits = 0
    for term in terms:
        captured.clear()
        with read_once(engine) as session:
            hits += bool(search_in(session, term, LIMIT))
        statements.append([c for c in captured if c[0].lstrip().upper().startswith("SELECT")])
    event.remove(engine, "before_cursor_execute", _capture)

    timings: list[float] = []
    for term in terms:
        started = time.perf_counter()
        with read_once(engine) as session:
            search_in(session, term, LIMIT)
        timings.append((time.perf_counter() - started) * 1000)
    date_timings: list[float] = []
    date_hits = 0
    for term in date_terms(target, count // 5):
        started = time.perf_counter()
        with read_once(engine) as session:
            date_hits += len(search_in(session, term, LIMIT))
        date_timings.append((time.perf_counter() - started) * 1000)
    engine.dispose()

    raw = _raw_connection(target)
    raw_timings: list[float] = []
    for _ in range(2):  # the first pass warms up, the second counts
        raw_timings.clear()
        for sql in statements:
            started = time.perf_counter()
            for statement, params, unprepared in sql:
                if unprepared and target.is_pg:
                    raw.execute(statement, params, prepare=False).fetchall()
                else:
                    raw.execute(statement, params).fetchall()
            raw_timings.append((time.perf_counter() - started) * 1000)
    raw.close()
    return Metric(
        round(percentile(timings, 99), 2),
        unit="ms",
        goal="<= 10",
        floor=f"raw SQL p99 {percentile(raw_timings, 99):.2f} ms",
        detail={
            "prefixes": len(terms),
            "statements_per_search": max(len(sql) for sql in statements),
            "with_hits": hits,
            "p50_ms": round(percentile(timings, 50), 2),
            "p95_ms": round(percentile(timings, 95), 2),
            "raw_p50_ms": round(percentile(raw_timings, 50), 3),
            "raw_p99_ms": round(percentile(raw_timings, 99), 3),
            # birth dates (everyone born that day), not in the p99 above
            "dates": len(date_timings),
            "dates_rows_per_search": round(date_hits / max(1, len(date_timings)), 1),
            "dates_p50_ms": round(percentile(date_timings, 50), 2),
            "dates_p99_ms": round(percentile(date_timings, 99), 2),
            "slowest": sorted(zip(timings, terms, strict=True), reverse=True)[:5],
        },
    )


def _raw_connection(target: Target) -> Any:
    if target.path is not None:
        return sqlite3.connect(target.path)
    import psycopg

    return psycopg.connect(target.libpq(), autocommit=True)
