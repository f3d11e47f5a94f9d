"""The export's processes (`export_parallel.share`): every job once, results here, one
snapshot for all while another process writes, errors as one line, no helper left over."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import Engine
from sqlalchemy.engine import Connection

from ungehus_tui.data.engine import make_engine
from ungehus_tui.services.dataio.export_parallel import processes_for, share
from ungehus_tui.services.errors import ServiceError

# A desk writing all the time: a row per transaction, a millisecond apart (without the pause
# it holds SQLite's write lock nearly always, and SQLite's busy wait, which is not a queue,
# may not get it within the busy timeout).
WRITER = """
import sys, time
from ungehus_tui.data.engine import make_engine
engine = make_engine(sys.argv[1]).execution_options(sqlite_immediate=True)  # as the store writes
while True:
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO t DEFAULT VALUES")
    time.sleep(0.001)
"""


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """An empty database of the backend under test with one table."""
    engine = make_engine(db_url)
    key = "INTEGER PRIMARY KEY" if engine.dialect.name == "sqlite" else "SERIAL PRIMARY KEY"
    with engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE TABLE t (id {key})")
    yield engine
    engine.dispose()


def _count(conn: Connection) -> int:
    return int(conn.exec_driver_sql("SELECT count(*) FROM t").scalar_one())


def _count_now(engine: Engine) -> int:
    with engine.connect() as conn:  # a transaction of its own: what is committed now
        return _count(conn)


def _worker(
    job: Callable[[Connection, int], object],
) -> Callable[[Connection], contextlib.AbstractContextManager[Callable[[int], object]]]:
    @contextlib.contextmanager
    def worker(conn: Connection) -> Iterator[Callable[[int], object]]:
        yield lambda i: job(conn, i)

    return worker


def test_every_job_once_and_the_results_here(engine: Engine) -> None:
    def job(conn: Connection, i: int) -> tuple[int, int]:
        time.sleep(0.02)  # long enough for every process to take some
        return i, os.getpid()

    results: list[tuple[int, int]] = []
    share(engine, 20, _worker(job), results.append, processes=3)  # type: ignore[arg-type]
    assert sorted(i for i, _ in results) == list(range(20))
    assert len({pid for _, pid in results}) == 3  # this process and two helpers
    assert not multiprocessing.active_children()


def test_one_snapshot_while_another_process_writes(engine: Engine, db_url: str) -> None:
    writer = subprocess.Popen([sys.executable, "-c", WRITER, db_url])
    try:
        deadline = time.monotonic() + 30
        while _count_now(engine) < 200 and time.monotonic() < deadline:
            time.sleep(0.01)
        seen: list[tuple[int, int]] = []

        def job(conn: Connection, i: int) -> tuple[int, int]:
            time.sleep(0.02)
            return os.getpid(), _count(conn)

        share(engine, 12, _worker(job), seen.append, processes=3)  # type: ignore[arg-type]
        later = _count_now(engine)
    finally:
        writer.kill()
        writer.wait()
    assert len({pid for pid, _ in seen}) >= 2
    counts = {n for _, n in seen}
    assert len(counts) == 1, counts  # every process read the same state
    assert counts.pop() < later  # and the writer went on meanwhile


def test_a_helpers_error_is_one_line_and_stops_the_rest(engine: Engine) -> None:
    parent = os.getpid()

    def job(conn: Connection, i: int) -> int:
        time.sleep(0.02)
        if os.getpid() != parent:
            raise ValueError("a cell with 0101011234 in it")
        return i

    with pytest.raises(ServiceError) as caught:
        share(engine, 50, _worker(job), lambda _: None, processes=2)
    assert "ValueError" in caught.value.message
    assert "0101011234" not in caught.value.message  # the kind, not the text
    assert not multiprocessing.active_children()


def test_an_error_here_stops_the_helpers(engine: Engine) -> None:
    parent = os.getpid()

    def job(conn: Connection, i: int) -> int:
        time.sleep(0.02)
        if os.getpid() == parent:
            raise KeyError("here")
        return i

    with pytest.raises(KeyError):
        share(engine, 50, _worker(job), lambda _: None, processes=2)
    assert not multiprocessing.active_children()


def test_no_helpers_where_forking_is_unsafe(engine: Engine) -> None:
    memory = make_engine("sqlite://")
    assert processes_for(memory, 12) == 1  # the database lives in this process
    assert processes_for(engine, 1) == 1
    with engine.connect():  # a connection in use would be copied into a helper
        assert processes_for(engine, 12) == 1
    cores = len(os.sched_getaffinity(0))
    assert processes_for(engine, 12) == max(1, min(cores, 4))
