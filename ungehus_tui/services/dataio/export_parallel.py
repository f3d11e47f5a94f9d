"""The export's files made by several processes at once, all reading one snapshot.

Making the cells is nearly all of an export's time, and on SQLite the database engine makes
them inside this process, on one core. Threads do not help: pysqlite hands Python's lock back
and forth on every row, and two reading threads took longer than one. So with more than one
core `share` forks helper processes. Each takes the next job from a shared counter (the
caller lists the heaviest first), so the work evens out whatever the files' sizes, and reports
what it made back to this process, which reports it on (the progress bar, the manifest).

One snapshot for every process, so the files agree with each other as they did when one
connection wrote them all:
- SQLite: this process takes the write lock (`BEGIN IMMEDIATE` on a connection of its own),
  then every process starts its read transaction (WAL: a snapshot per reader), then the lock
  is let go. No write can commit in between, so every reader sees the same last commit.
  Writers wait meanwhile (milliseconds: a fork and a connection), as they wait for any write.
- PostgreSQL: this process's REPEATABLE READ transaction exports its snapshot
  (`pg_export_snapshot()`) and each helper's transaction starts with `SET TRANSACTION
  SNAPSHOT`, as `pg_dump --jobs` does.

Fork safety: the helpers are forked before this process opens the run's connections, with
the engine's pool emptied (SQLite's locks belong to a process, so a connection open across a
fork would lie to the child about them), and they open their own. With a connection checked
out elsewhere, an in-memory database, one core or no `fork`, everything runs here, as before.
A helper dies with this process (Linux: the parent-death signal) and is stopped when this
process stops early; its error reaches the caller as one line without data.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import re
import signal
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from multiprocessing.connection import Connection as Pipe
from multiprocessing.connection import wait
from typing import Any, TypeVar

from sqlalchemy import Engine, text
from sqlalchemy.engine import Connection
from sqlalchemy.pool import QueuePool

from ungehus_tui.services.errors import ServiceError

R = TypeVar("R")
Worker = Callable[[Connection], AbstractContextManager[Callable[[int], R]]]
MAX_PROCESSES = 4
BEGIN_READ = "SELECT count(*) FROM sqlite_master"  # SQLite: a read begins the snapshot
SNAPSHOT_ID = re.compile(r"[0-9A-F]+-[0-9A-F]+(-[0-9]+)?")
FAILED = "Eksporten mislykkedes i en hjælpeproces ({reason}); intet er ændret."


def processes_for(engine: Engine, jobs: int) -> int:
    """How many processes (this one included) to use: one per core, at most MAX_PROCESSES
    and `jobs`; 1 where forking is not safe or not possible (`can_fork`)."""
    if not can_fork(engine):
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(cores or 1, MAX_PROCESSES, jobs))


def can_fork(engine: Engine) -> bool:
    """Whether helpers may be forked: `fork` exists, the database is not one in this process's
    memory, and no connection of the engine is in use (it would be copied into them)."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return False
    pool = engine.pool
    if engine.dialect.name == "sqlite" and not isinstance(pool, QueuePool):
        return False
    return not (isinstance(pool, QueuePool) and pool.checkedout())


def share(
    engine: Engine,
    jobs: int,
    worker: Worker[R],
    on_result: Callable[[R], None],
    *,
    processes: int | None = None,
) -> None:
    """Run every job `0 .. jobs-1` once, in `processes` processes (this one and forked
    helpers; only this one where `can_fork` says no), each on its own connection reading the
    same snapshot. `worker(conn)` sets a process up (a context) and gives the function doing
    job `i`, whose result goes to `on_result` here, in this process (results must pickle).
    `processes` None: `processes_for`."""
    if processes is None:
        processes = processes_for(engine, jobs)
    helpers = max(0, min(processes, jobs) - 1) if can_fork(engine) else 0
    if helpers == 0:
        with reading(engine) as conn, worker(conn) as do:
            for i in range(jobs):
                on_result(do(i))
        return
    fork = multiprocessing.get_context("fork")
    counter = fork.Value("i", 0)

    def take() -> int | None:
        with counter.get_lock():
            i = counter.value
            if i >= jobs:
                return None
            counter.value = i + 1
            return i

    engine.dispose()  # no connection open across the fork
    team = _Team(fork, engine, helpers, take, worker)
    try:
        with reading(engine) as conn:
            team.pin(conn)
            with worker(conn) as do:
                while (job := take()) is not None:
                    on_result(do(job))
                    team.collect(on_result, block=False)
        team.collect(on_result, block=True)
    finally:
        team.stop()


@contextlib.contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    """One read transaction for all of a process's files (REPEATABLE READ on PostgreSQL: one
    snapshot); server-side cursors stream rows."""
    if engine.dialect.name != "sqlite":
        engine = engine.execution_options(isolation_level="REPEATABLE READ")
    with engine.connect() as conn:
        conn = conn.execution_options(stream_results=True)
        with conn.begin():
            yield conn


class _Team:
    """This process's side of the helpers: forked at once, each waiting to be told how to
    join the snapshot."""

    def __init__(
        self,
        fork: Any,
        engine: Engine,
        helpers: int,
        take: Callable[[], int | None],
        worker: Worker[Any],
    ) -> None:
        self.pipes: list[Pipe] = []
        self.processes: list[Any] = []
        parent = os.getpid()
        for _ in range(helpers):
            here, there = fork.Pipe()
            process = fork.Process(
                target=_helper,
                args=(there, engine, take, worker, parent),
                daemon=True,
                name="ungehus-export-helper",
            )
            process.start()
            there.close()
            self.pipes.append(here)
            self.processes.append(process)
        self.running: set[Pipe] = set(self.pipes)  # not done yet

    def pin(self, conn: Connection) -> None:
        """Bring every helper into `conn`'s snapshot (see the module's text)."""
        if conn.dialect.name == "sqlite":
            lock = conn.engine.execution_options(sqlite_immediate=True).connect()
            try:
                lock.begin()  # the write lock: nothing commits until every reader has begun
                conn.exec_driver_sql(BEGIN_READ).scalar()
                self._start(None)
            finally:
                lock.close()  # rolls the empty write transaction back
        else:
            snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()
            self._start(str(snapshot))

    def _start(self, snapshot: str | None) -> None:
        for pipe in self.pipes:
            pipe.send(("start", snapshot))
        for pipe in self.pipes:
            message = _receive(pipe)
            if message[0] != "pinned":
                self._fail(message)

    def collect(self, on_result: Callable[[Any], None], *, block: bool) -> None:
        """Hand on what the helpers reported; with `block`, until all are done."""
        while self.running:
            ready = wait(list(self.running), timeout=None if block else 0)
            if not ready:
                return
            for pipe in self.pipes:
                if pipe not in ready:
                    continue
                message = _receive(pipe)
                if message[0] == "result":
                    on_result(message[1])
                elif message[0] == "done":
                    self.running.discard(pipe)
                else:
                    self._fail(message)

    def _fail(self, message: tuple[Any, ...]) -> None:
        reason = message[1] if message[0] == "error" else "afbrudt"
        raise ServiceError(FAILED.format(reason=reason))

    def stop(self) -> None:
        for process in self.processes:
            if process.is_alive():
                process.terminate()
        for process in self.processes:
            process.join()
        for pipe in self.pipes:
            pipe.close()


def _receive(pipe: Pipe) -> tuple[Any, ...]:
    try:
        message = pipe.recv()
    except (EOFError, OSError):
        return ("gone",)
    return message if isinstance(message, tuple) else ("gone",)


def _helper(
    pipe: Pipe,
    engine: Engine,
    take: Callable[[], int | None],
    worker: Worker[Any],
    parent: int,
) -> None:
    """A helper process: join the snapshot, then do jobs until none is left."""
    _die_with(parent)
    try:
        _, snapshot = pipe.recv()
        engine.dispose(close=False)  # the pool is this process's own from here
        with reading(engine) as conn:
            if snapshot is not None:  # the server's own id (SET takes no parameters)
                if not SNAPSHOT_ID.fullmatch(snapshot):
                    raise ValueError("not a snapshot id")
                plain = conn.execution_options(stream_results=False)  # no server-side cursor
                plain.exec_driver_sql(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
            else:
                conn.exec_driver_sql(BEGIN_READ).scalar()
            pipe.send(("pinned",))
            with worker(conn) as do:
                while (job := take()) is not None:
                    pipe.send(("result", do(job)))
        pipe.send(("done",))
    except BaseException as error:  # the kind only: a message could hold data
        with contextlib.suppress(OSError):
            reason = error.message if isinstance(error, ServiceError) else type(error).__name__
            pipe.send(("error", reason))
    finally:
        pipe.close()


def _die_with(parent: int) -> None:
    """Linux: this process gets SIGKILL when the one that forked it dies."""
    with contextlib.suppress(Exception):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # it died before the signal was set
        raise SystemExit(1)
