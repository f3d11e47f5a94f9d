"""Where the benchmark measures: an SQLite file, or a database of its own on a PostgreSQL
server (`--db postgresql+psycopg://USER@HOST:PORT/DB`, DB being any database to connect to
for CREATE DATABASE).

On PostgreSQL the run creates `ungehus_bench_<random>` (the demo data), and a copy of it per
benchmark that writes (`CREATE DATABASE ... TEMPLATE`), and drops them all at the end;
`--keep` keeps the demo database as `ungehus_bench_keep_<persons>` and reuses it next time.
After the demo is loaded it is `VACUUM (ANALYZE)`d, as autovacuum would have done on a
server that has run a while (visibility map and planner statistics), and a CHECKPOINT
writes the load's dirty pages at once (a server in steady state is not flushing a bulk load
while the desk searches; without it the checkpointer did that during the first figures).
"""

from __future__ import annotations

import secrets
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.common import PYTHON, ROOT, child_env, upgrade_schema


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass(frozen=True)
class Target:
    """One database the benchmarks read or write."""

    url: str  # SQLAlchemy URL
    path: Path | None = None  # the SQLite file (None on PostgreSQL)

    @property
    def backend(self) -> str:
        return "sqlite" if self.path is not None else "postgresql"

    @property
    def is_pg(self) -> bool:
        return self.path is None

    @property
    def label(self) -> str:
        if self.path is not None:
            return str(self.path)
        from sqlalchemy.engine import make_url

        return make_url(self.url).render_as_string(hide_password=True)

    def libpq(self) -> str:
        """The libpq connection URI (psql, psycopg)."""
        from sqlalchemy.engine import make_url

        return make_url(self.url).set(drivername="postgresql").render_as_string(False)

    def rows(
        self, sql: str, params: Mapping[str, Any] | None = None, expanding: Sequence[str] = ()
    ) -> list[tuple[Any, ...]]:
        """The rows of one query (named `:params`; `expanding` ones are lists for IN)."""
        from sqlalchemy import bindparam, create_engine, text
        from sqlalchemy.pool import NullPool

        stmt = text(sql)
        if expanding:
            stmt = stmt.bindparams(*[bindparam(name, expanding=True) for name in expanding])
        engine = create_engine(self.url, poolclass=NullPool)
        try:
            with engine.connect() as conn:
                return [tuple(r) for r in conn.execute(stmt, dict(params or {}))]
        finally:
            engine.dispose()

    def scalar(self, sql: str, params: Mapping[str, Any] | None = None) -> Any:
        return self.rows(sql, params)[0][0]


def is_postgres(db: str | None) -> bool:
    return bool(db) and str(db).startswith("postgresql")


class PgServer:
    """The PostgreSQL server of `--db`: creates and drops the run's databases."""

    def __init__(self, admin_url: str) -> None:
        from sqlalchemy.engine import make_url

        self.admin = make_url(admin_url)
        self.made: list[str] = []

    def url(self, name: str) -> str:
        return self.admin.set(database=name).render_as_string(hide_password=False)

    def _execute(self, sql: str) -> list[tuple[Any, ...]]:
        import psycopg

        conninfo = self.admin.set(drivername="postgresql").render_as_string(False)
        with psycopg.connect(conninfo, autocommit=True) as conn:
            cur = conn.execute(sql)
            return cur.fetchall() if cur.description else []

    def exists(self, name: str) -> bool:
        return bool(self._execute(f"SELECT 1 FROM pg_database WHERE datname = '{name}'"))

    def create(self, name: str, template: str | None = None) -> Target:
        self.drop(name)
        clause = f' TEMPLATE "{template}" STRATEGY FILE_COPY' if template else ""
        self._execute(f'CREATE DATABASE "{name}"{clause}')
        self.made.append(name)
        return Target(self.url(name))

    def drop(self, name: str) -> None:
        self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def drop_made(self, keep: str | None = None) -> None:
        for name in reversed(self.made):
            if name != keep:
                self.drop(name)
        self.made.clear()


def build_demo(url: str, persons: int) -> None:
    log(f"Building a demo database of {persons:,} young people ...")
    started = time.perf_counter()
    subprocess.run(
        [PYTHON, "-m", "ungehus_tui", "demo", "--db", url, "--persons", str(persons)],
        check=True,
        cwd=ROOT,
        env=child_env(),
        stdout=subprocess.DEVNULL,
    )
    log(f"  built in {time.perf_counter() - started:.0f} s")


@contextmanager
def postgres(admin_url: str, persons: int, keep: bool) -> Iterator[tuple[Target, Any, Any]]:
    """(the measured demo database, copy(name) -> a scratch copy, demo(persons) -> another
    demo database); every database made here is dropped at the end (but the kept ones)."""
    server = PgServer(admin_url)
    kept: set[str] = set()
    run_id = secrets.token_hex(4)

    def demo(n: int) -> Target:
        name = f"ungehus_bench_keep_{n}" if keep else f"ungehus_bench_{run_id}_{n}"
        if keep:
            kept.add(name)
            if server.exists(name):
                log(f"Reusing the kept database {name}")
                if upgrade_schema(server.url(name)):
                    log("  upgraded its schema to this code's")
                return Target(server.url(name))
        target = server.create(name)
        try:
            build_demo(target.url, n)
            import psycopg

            with psycopg.connect(target.libpq(), autocommit=True) as conn:
                conn.execute("VACUUM (ANALYZE)")
                try:  # the load's dirty pages written now, not behind the measurements
                    conn.execute("CHECKPOINT")
                except psycopg.errors.InsufficientPrivilege:
                    log("  (no CHECKPOINT: the role may not; the server writes them back later)")
        except BaseException:
            server.drop(name)
            raise
        return target

    from sqlalchemy.engine import make_url

    main = demo(persons)
    main_name = make_url(main.url).database

    def copy(label: str) -> Target:
        return server.create(f"ungehus_bench_{run_id}_{label}", template=main_name)

    try:
        yield main, copy, demo
    finally:
        for name in reversed(server.made):
            if name not in kept:
                server.drop(name)
