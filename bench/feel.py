"""How the desk feels (issue 15), measured in a real terminal: `ungehus run` in a pty
(`bench/pty_app.py`), keys written to the terminal as a person types them, the time taken
from the bytes the app draws. Ratios are over `bench/bare_app.py` (Header, Input, DataTable,
Footer; no database), measured interleaved in the same run.

- `first_frame_ratio`: launch to the first screen drawn with focus in its input (the Input's
  cursor drawn on its placeholder): the sign-in, and the desk with `--demo --as rec.1`; the
  slower of the two (medians) over the bare app's first frame.
- `first_answer_ratio`: launch with `--demo --as rec.1` and a known CPR typed at once (into
  the terminal right after the launch) to the young person's name on screen, over the bare
  app launched with the same keys to their echo.
- `signin_ready_ms`: p95, Enter on the password (half a second after the sign-in shows,
  login, Tab and password typed at 150 ms a key) to the desk's search field drawn with the
  keys typed right after the Enter.
- `keystroke_p95_ms`: each key of name prefixes typed at the desk (a pause between keys) to
  the result table drawn with that prefix's first hit.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from bench.common import BENCH, PYTHON, ROOT, Metric, child_env, median, percentile
from bench.pty_app import PtyApp, cursor_on
from bench.target import Target

DEMO_PASSWORD = "ungehus-demo"
PACE = 0.15  # seconds between keys typed "at a person's pace" (a fast office typist)
REACTION = 0.5  # seconds from the sign-in on screen to the first key
PROBE = "zq"  # typed right after the Enter: the desk shows it once it takes keys


def bare() -> list[str]:
    return [PYTHON, str(BENCH / "bare_app.py")]


def ungehus(target: Target, *args: str) -> list[str]:
    return [PYTHON, "-m", "ungehus_tui", "run", "--db", target.url, *args]


def desk(target: Target) -> list[str]:
    return ungehus(target, "--demo", "--as", "rec.1")


def launch(argv: list[str], keys: str = "") -> PtyApp:
    return PtyApp(argv, env=child_env(), cwd=str(ROOT), keys=keys)


def _time_to(argv: list[str], *wanted: object, keys: str = "") -> float:
    with launch(argv, keys) as app:
        return app.wait_for(*wanted) - app.started  # type: ignore[arg-type]


@dataclass(frozen=True)
class Known:
    """A young person of the database (fictitious demo data): typed and looked for."""

    cpr: str
    name: str


def known_person(target: Target) -> Known:
    """A registered 16-28-year-old whose name no one else has (the desk shows one line)."""
    today = dt.date.today()
    low, high = today.replace(year=today.year - 28), today.replace(year=today.year - 16)
    rows = target.rows(
        "SELECT cpr, name FROM young_person WHERE anonymised_at IS NULL "
        "AND birth_date BETWEEN :low AND :high AND name IN (SELECT name FROM young_person "
        "GROUP BY name HAVING count(*) = 1) ORDER BY id LIMIT 1",
        {"low": low, "high": high},
    )
    cpr, name = rows[0]
    return Known(str(cpr), str(name))


def first_frame(target: Target, runs: int) -> Metric:
    _time_to(bare(), cursor_on("Søg"))  # warm the OS file cache
    bares, signins, desks = [], [], []
    for _ in range(runs):
        bares.append(_time_to(bare(), cursor_on("Søg")))
        signins.append(_time_to(ungehus(target), cursor_on("Brugernavn")))
        desks.append(_time_to(desk(target), cursor_on("Søg: CPR")))
    floor = median(bares)
    worst = max(median(signins), median(desks))
    return Metric(
        round(worst / floor, 2),
        goal="<= 1.25",
        floor=f"bare app {floor * 1000:.0f} ms",
        detail={
            "signin_ms": round(median(signins) * 1000),
            "desk_ms": round(median(desks) * 1000),
            "bare_ms": round(floor * 1000),
            "runs": runs,
        },
    )


def first_answer(target: Target, runs: int) -> Metric:
    person = known_person(target)
    bares, answers = [], []
    for _ in range(runs):
        bares.append(_time_to(bare(), person.cpr, keys=person.cpr))
        answers.append(_time_to(desk(target), person.name[:20], keys=person.cpr))
    floor = median(bares)
    return Metric(
        round(median(answers) / floor, 2),
        goal="<= 2.0",
        floor=f"bare app echoing the same keys {floor * 1000:.0f} ms",
        detail={
            "answer_ms": round(median(answers) * 1000),
            "bare_ms": round(floor * 1000),
            "runs": runs,
        },
    )


def _type_at_pace(app: PtyApp, keys: str) -> None:
    for key in keys:
        app.type(key)
        time.sleep(PACE)


def signin_ready(target: Target, runs: int) -> Metric:
    timings = []
    for _ in range(runs):
        with launch(ungehus(target)) as app:
            app.wait_for(cursor_on("Brugernavn"))
            time.sleep(REACTION)
            _type_at_pace(app, "rec.1\t" + DEMO_PASSWORD)
            mark = app.mark()
            entered = app.type("\r")
            app.type(PROBE)  # the first keys for the desk, typed at once
            shown = app.wait_for("Venter i skranken", PROBE, since=mark)
            timings.append((shown - entered) * 1000)
    return Metric(
        round(percentile(timings, 95), 1),
        unit="ms",
        goal="<= 150",
        detail={
            "median_ms": round(median(timings), 1),
            "runs": runs,
            "pace_s": PACE,
            "reaction_s": REACTION,
        },
    )


def _prefixes(target: Target) -> list[str]:
    """Name prefixes as typed at the desk: the first letters of three common first names,
    then a second word."""
    rows = target.rows(
        "SELECT name FROM young_person WHERE anonymised_at IS NULL ORDER BY id LIMIT 3"
    )
    words = []
    for (name,) in rows:
        first, *rest = str(name).lower().split()
        words.append(f"{first} {rest[-1][:2]}" if rest else first)
    return words


def keystroke(target: Target, quick: bool) -> Metric:
    """Each key of name prefixes to the table drawn with that prefix's first hit."""
    from ungehus_tui.data.engine import read_session
    from ungehus_tui.services.context import actor_by_login
    from ungehus_tui.services.desk import people
    from ungehus_tui.settings import load_settings
    from ungehus_tui.store import open_store

    ctx = open_store(load_settings(db=target.url))
    with read_session(ctx.engine) as session:
        actor = actor_by_login(session, "rec.1")
    words = _prefixes(target)[: 2 if quick else 3]
    timings: list[float] = []
    missed = 0
    with launch(desk(target)) as app:
        app.wait_for(cursor_on("Søg: CPR"), "Venter i skranken (")  # the store is open
        for word in words:
            for n in range(1, len(word) + 1):
                term = word[:n]
                hits = people.search(ctx, actor, term)
                if not hits or term.endswith(" "):
                    app.type(term[-1])
                    time.sleep(0.3)
                    continue
                mark = app.mark()
                pressed = app.type(term[-1])
                try:
                    shown = app.wait_for(hits[0].name[:20], since=mark, timeout=5)
                except TimeoutError:
                    missed += 1
                    continue
                timings.append((shown - pressed) * 1000)
                time.sleep(0.15)
            app.type("\x1b")  # Esc empties the search field
            time.sleep(0.5)
    ctx.engine.dispose()
    if not timings:
        return Metric.missing("no key's result was seen on screen", goal="<= 50")
    return Metric(
        round(percentile(timings, 95), 1),
        unit="ms",
        goal="<= 50",
        detail={
            "median_ms": round(median(timings), 1),
            "keys": len(timings),
            "missed": missed,
            "words": len(words),
        },
    )


def center_queue(target: Target, runs: int) -> Metric:
    """`center_queue_open_ms`: p95 of opening the largest center queue (a leader's: every
    item of the center, each naming whose it is; `services.casework.queue.queue_for`)."""
    from sqlmodel import select

    from ungehus_tui.data.engine import read_session
    from ungehus_tui.data.models import Staff
    from ungehus_tui.services.casework.queue import queue_for
    from ungehus_tui.services.context import Actor
    from ungehus_tui.settings import load_settings
    from ungehus_tui.store import open_store

    ctx = open_store(load_settings(db=target.url))
    with read_session(ctx.engine) as session:
        leaders = [
            Actor.of(s)
            for s in session.exec(select(Staff).where(Staff.role == "LEADER")).all()
            if s.center_code
        ]
    sizes = {a.login: len(queue_for(ctx, a)) for a in leaders}
    leader = max(leaders, key=lambda a: sizes[a.login])
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        items = queue_for(ctx, leader)
        timings.append((time.perf_counter() - started) * 1000)
    ctx.engine.dispose()
    return Metric(
        round(percentile(timings, 95), 1),
        unit="ms",
        goal="<= 1000",
        detail={"items": len(items), "login": leader.login, "runs": runs},
    )


KEYS = (
    "first_frame_ratio",
    "first_answer_ratio",
    "signin_ready_ms",
    "keystroke_p95_ms",
    "center_queue_open_ms",
)


def measure_all(target: Target, copy, quick: bool, guard) -> dict[str, Metric]:  # type: ignore[no-untyped-def]
    """Every figure of this module, each through run.py's `guard` (a failure is a null). The
    app signs in and audits searches: it runs on a scratch copy (`copy`)."""
    runs = 3 if quick else 7
    work = copy("feel")
    return {
        "first_frame_ratio": guard("first_frame_ratio", lambda: first_frame(work, runs)),
        "first_answer_ratio": guard("first_answer_ratio", lambda: first_answer(work, runs)),
        "signin_ready_ms": guard("signin_ready_ms", lambda: signin_ready(work, 8 if quick else 20)),
        "keystroke_p95_ms": guard("keystroke_p95_ms", lambda: keystroke(work, quick)),
        "center_queue_open_ms": guard(
            "center_queue_open_ms", lambda: center_queue(target, 5 if quick else 20)
        ),
    }
