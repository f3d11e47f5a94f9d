"""The name-token index behind the desk search: migration 0004_search rewrites the tokens of a
database from before it (in batches, anonymised young people staying without tokens), a
downgrade gives the older code its tokens back, and on PostgreSQL the token ranges do not
depend on the database's collation (a Danish one sorts 'aa' as 'å', after 'z')."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from tests.conftest import BACKEND, PG_ADMIN, _pg_conninfo
from tests.cprgen import make_cpr
from ungehus_tui.data import migrate
from ungehus_tui.data.engine import make_engine
from ungehus_tui.domain.folding import index_tokens
from ungehus_tui.services.desk.people import search_in

REVISION = "0004_search"
NAMES = [
    "Søren Ærø Prøvesen",
    "Soeren Aaberg",
    "Soren Åse Testesen",
    "Aase Høeg",
    "Ase Fiktiv",
    "Bo Zeuthen",
    "Anders Demo",
]
ANONYMISED = 4  # index into NAMES: anonymised, so no tokens before and none after


def _module() -> Any:
    script = ScriptDirectory.from_config(migrate.alembic_config())
    return script.get_revision(REVISION).module


def _fill_before(engine: Engine, copies: int = 1) -> dict[int, str]:
    """Young people with the tokens the code of revision 0002 wrote; {id: name}."""
    old_tokens = _module()._tokens_0002
    people: dict[int, str] = {}
    with engine.begin() as conn:
        for n in range(copies):
            for i, name in enumerate(NAMES):
                birth = dt.date(2006, 1, 1) + dt.timedelta(days=n * len(NAMES) + i)
                pid = conn.execute(
                    text(
                        "INSERT INTO young_person (cpr, birth_date, name, name_folded, "
                        "case_open, created_at, updated_at) VALUES (:cpr, :birth, :name, "
                        ":name, true, :at, :at) RETURNING id"
                    ),
                    {
                        "cpr": make_cpr(birth, hyphen=False),
                        "birth": birth,
                        "name": name,
                        "at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
                    },
                ).scalar_one()
                people[pid] = name
                if i == ANONYMISED:
                    continue
                for token in old_tokens(name):
                    conn.execute(
                        text("INSERT INTO person_name_token (person_id, token) VALUES (:p, :t)"),
                        {"p": pid, "t": token},
                    )
    return people


def _tokens(engine: Engine) -> dict[int, list[str]]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT person_id, token FROM person_name_token")).all()
    out: dict[int, list[str]] = {}
    for pid, token in rows:
        out.setdefault(pid, []).append(token)
    return {pid: sorted(tokens) for pid, tokens in out.items()}


def _names(engine: Engine, term: str) -> list[str]:
    with Session(engine) as session:
        return [hit.name for hit in search_in(session, term)]


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    e = make_engine(db_url)
    yield e
    e.dispose()


def test_the_upgrade_reindexes_and_the_downgrade_restores(engine: Engine) -> None:
    migrate.upgrade(engine, "0002")
    people = _fill_before(engine)
    before = _tokens(engine)
    # the old tokens under the new search: a stored 'Soeren' is missed until re-indexed
    assert "Soeren Aaberg" not in _names(engine, "soren")

    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.HEAD_REVISION
    anonymised = list(people)[ANONYMISED]
    assert _tokens(engine) == {
        pid: sorted(index_tokens(name)) for pid, name in people.items() if pid != anonymised
    }
    for typed in ("soren", "soeren", "Søren"):
        assert sorted(_names(engine, typed)) == sorted(
            ["Søren Ærø Prøvesen", "Soeren Aaberg", "Soren Åse Testesen"]
        ), typed
    for typed in ("ase", "aase", "Åse"):
        assert _names(engine, typed) == ["Soren Åse Testesen", "Aase Høeg"], typed
    assert _names(engine, "hoeg") == _names(engine, "høeg") == ["Aase Høeg"]
    assert _names(engine, "fiktiv") == []  # the anonymised young person stays unfindable

    cfg = migrate.alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0002")
    assert _tokens(engine) == before


def test_the_rebuild_goes_in_batches(engine: Engine) -> None:
    migrate.upgrade(engine, "0002")
    people = _fill_before(engine, copies=3)  # 21 young people, 18 with tokens
    with engine.begin() as conn:
        done = _module().rebuild_tokens(conn, index_tokens, batch=4)
    assert done == 18
    tokens = _tokens(engine)
    assert len(tokens) == 18
    assert all(tokens[pid] == sorted(index_tokens(people[pid])) for pid in tokens)


# PostgreSQL with a Danish collation.


@pytest.fixture
def danish_pg_url() -> Iterator[str]:
    """A database whose default collation is Danish (ICU da-DK; the server has no glibc
    da_DK locale here): there 'aa' sorts as 'å', after 'z'."""
    if BACKEND != "postgresql":
        pytest.skip("PostgreSQL collation test (UNGEHUS_TEST_BACKEND=postgresql)")
    import psycopg
    from sqlalchemy.engine import make_url

    name = f"ungehus_t_da_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(_pg_conninfo(PG_ADMIN), autocommit=True) as conn:
        have = conn.execute(
            "SELECT collname FROM pg_collation WHERE collname IN ('da-DK-x-icu', 'da_DK.utf8')"
        ).fetchall()
        if not have:
            pytest.skip("the server has no Danish collation (ICU or glibc)")
        conn.execute(
            f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' "
            "LOCALE_PROVIDER icu ICU_LOCALE 'da-DK' LOCALE 'C.UTF-8'"
        )
    try:
        yield make_url(PG_ADMIN).set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(_pg_conninfo(PG_ADMIN), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _aa_range(engine: Engine) -> list[str]:
    """The search's kind of prefix range, for 'aa', over tokens as they are stored."""
    with engine.connect() as conn:
        return list(
            conn.execute(
                text(
                    "SELECT token FROM person_name_token "
                    "WHERE token >= 'aa' AND token < 'ab' ORDER BY token"
                )
            ).scalars()
        )


def test_token_ranges_ignore_a_danish_collation(danish_pg_url: str) -> None:
    engine = make_engine(danish_pg_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT 'aaberg' > 'ab'")).scalar() is True  # Danish
        migrate.upgrade(engine, "0002")
        _fill_before(engine)
        # Before 0004_search the column compared in the database's collation: the 'aa'
        # range of the old tokens missed 'aaberg' and 'aase' (they sort after 'z').
        assert _aa_range(engine) == []
        migrate.upgrade(engine)
        with engine.connect() as conn:
            collation = conn.execute(
                text(
                    "SELECT collation_name FROM information_schema.columns "
                    "WHERE table_name = 'person_name_token' AND column_name = 'token'"
                )
            ).scalar()
            assert collation == "C"
            conn.execute(
                text("INSERT INTO person_name_token (person_id, token) VALUES (1, 'aaberg')")
            )  # an old-style token: the range finds it now
            conn.commit()
        assert _aa_range(engine) == ["aaberg"]
        for typed in ("aa", "å", "a", "ab", "åb", "aab"):
            assert "Soeren Aaberg" in _names(engine, typed), typed
        assert _names(engine, "z") == ["Bo Zeuthen"]
        assert _names(engine, "ø") == []  # 'o' words only: nobody's word starts with o
    finally:
        engine.dispose()
