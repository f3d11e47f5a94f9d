"""The desk's first answer before the store is loaded (`data.early`, issue 15): the same SQL
as the store's search (held to SQLAlchemy's own text), the same hits, and only on a store the
desk could read at once (SQLite, this schema, the demo marker, mode 0600, an active login).

These tests make their own SQLite databases (the early reader is SQLite's only), on either
backend run. `python -m tests.data.test_early --write` writes `data/early_sql.py` anew after a
change to the search's statements.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ungehus_tui.data import early_sql
from ungehus_tui.data.early import EarlyReader, sqlite_path

EARLY_SQL_FILE = Path(early_sql.__file__)


def render() -> str:
    """`data/early_sql.py` as SQLAlchemy compiles the search's statements for SQLite now."""
    from sqlalchemy.dialects import sqlite

    from ungehus_tui.data.search_plan import MAX_WORDS, Shape
    from ungehus_tui.services.desk.person_search import statement

    dialect = sqlite.dialect(paramstyle="named")
    shapes: list[Shape] = [("date", True, 0), ("date", False, 1), ("date", True, 1)]
    shapes += [("name", n, False) for n in range(1, MAX_WORDS + 1)]
    shapes += [("name", n, True) for n in range(2, MAX_WORDS + 1)]
    text = EARLY_SQL_FILE.read_text()  # its text up to the table is its own
    lines = [
        text[: text.index("EARLY_SQL: dict[")],
        "EARLY_SQL: dict[Shape, tuple[str, dict[str, Any]]] = {\n",
    ]
    for shape in shapes:
        compiled = statement(shape).compile(dialect=dialect)
        fixed = ", ".join(
            f"{json.dumps(k)}: {v!r}" for k, v in compiled.params.items() if v is not None
        )
        key = ", ".join(json.dumps(p) if isinstance(p, str) else repr(p) for p in shape)
        lines.append(
            f"    ({key}): (\n        {json.dumps(str(compiled))},\n        {{{fixed}}},\n    ),\n"
        )
    lines.append("}\n")
    return "".join(lines)


def test_the_early_sql_is_sqlalchemys_own_text_of_the_search() -> None:
    assert EARLY_SQL_FILE.read_text() == render(), (
        "data/early_sql.py is stale: python -m tests.data.test_early --write"
    )


@pytest.fixture
def demo_db(tmp_path: Path) -> Iterator[tuple[Path, Any]]:
    """A demo SQLite store of 300 young people (file mode 0600), and its ctx."""
    from ungehus_tui.demo.seed import fill_demo
    from ungehus_tui.settings import load_settings
    from ungehus_tui.store import init_store

    path = tmp_path / "demo.db"
    settings = load_settings(db=f"sqlite:///{path}", data_dir=tmp_path / "d", ics_dir=tmp_path)
    ctx, _ = init_store(settings)
    fill_demo(ctx, persons=300, seed=7)
    yield path, ctx
    ctx.engine.dispose()


def _terms(ctx: Any) -> list[tuple[str, bool]]:
    """Terms of every shape the desk types, from the database's own people; True: a term
    the early reader leaves to the store (several birth dates)."""
    from sqlalchemy import text

    with ctx.engine.connect() as conn:
        rows = conn.execute(text("SELECT name, cpr, birth_date FROM young_person LIMIT 40"))
        people = [(str(n), str(c), str(b)) for n, c, b in rows]
    decades: list[str] = []
    terms = ["", "   ", "zzz", "0", "3213", "99999999999", "1-1-2", "ø", "aa bb cc dd ee ff gg"]
    for name, cpr, born in people:
        words = name.lower().split()
        year, month, day = born.split("-")
        terms += [
            words[0][:1],
            words[0][:3],
            name.upper(),
            f"{words[-1][:2]} {words[0][:1]}",  # a short other word (planned each time)
            " ".join(w[:4] for w in words),
            cpr[:4],
            cpr[:6],
            f"{cpr[:6]}-{cpr[6:8]}",
            cpr,
            f"{day}-{month}-{year}",  # one birth date
            f"{day}{month}{year}",
            f"{int(day)}.{int(month)}.{year[2:]}",
        ]
        decades.append(f"{day}-{month}-{year[:3]}")  # several dates: left to the store
    return [(t, False) for t in terms] + [(t, True) for t in decades]


def test_the_early_search_gives_the_stores_hits(demo_db) -> None:  # type: ignore[no-untyped-def]
    from ungehus_tui.data.engine import read_session
    from ungehus_tui.services.context import actor_by_login
    from ungehus_tui.services.desk import people
    from ungehus_tui.services.desk.early_search import early_actor, early_search

    path, ctx = demo_db
    reader = EarlyReader.open(path, "rec.1")
    assert reader is not None
    with read_session(ctx.engine) as session:
        stored_actor = actor_by_login(session, "rec.1")
    actor = early_actor(reader)
    assert actor == stored_actor  # the same staff member, the same source
    terms = _terms(ctx)
    for term, left_to_store in terms:
        early = early_search(reader, actor, term)
        if left_to_store:
            assert early is None, term
            continue
        assert early == people.search(ctx, stored_actor, term), term
    assert sum(not left for _, left in terms) > 400
    assert any(people.search(ctx, stored_actor, t) for t, left in terms if left)
    reader.close()


def test_the_early_search_keeps_the_permission(demo_db) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from ungehus_tui.services.desk.early_search import early_actor, early_search
    from ungehus_tui.services.errors import PermissionDenied

    path, _ = demo_db
    reader = EarlyReader.open(path, "rec.1")
    assert reader is not None
    nobody = replace(early_actor(reader), role="NOBODY")
    with pytest.raises(PermissionDenied):
        early_search(reader, nobody, "a")
    reader.close()


def _sql(path: Path, statement: str, *args: object) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute(statement, args)
    conn.close()


def test_only_a_store_the_desk_could_read_at_once(demo_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path, ctx = demo_db
    ctx.engine.dispose()
    assert EarlyReader.open(path, "ingen.bruger") is None  # unknown login
    _sql(path, "UPDATE staff SET active = 0 WHERE login = 'rec.2'")
    assert EarlyReader.open(path, "rec.2") is None  # disabled
    os.chmod(path, 0o644)
    assert EarlyReader.open(path, "rec.1") is None  # the store tightens such a file first
    os.chmod(path, 0o600)
    _sql(path, "UPDATE alembic_version SET version_num = '0004_search'")
    assert EarlyReader.open(path, "rec.1") is None  # an older schema: the store migrates
    _sql(path, "UPDATE alembic_version SET version_num = ?", early_sql_head())
    _sql(path, "DELETE FROM store_meta WHERE key = 'demo'")
    assert EarlyReader.open(path, "rec.1") is None  # not a demo store: no --as
    _sql(path, "INSERT INTO store_meta (key, value, updated_at) VALUES ('demo', '1', '2026-01-01')")
    reader = EarlyReader.open(path, "rec.1")
    assert reader is not None
    reader.close()
    missing = tmp_path / "ingen.db"
    assert EarlyReader.open(missing, "rec.1") is None and not missing.exists()  # none made
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not a database" * 100)
    os.chmod(garbage, 0o600)
    assert EarlyReader.open(garbage, "rec.1") is None


def early_sql_head() -> str:
    from ungehus_tui.data.store_facts import HEAD_REVISION

    return HEAD_REVISION


def test_the_early_reader_writes_nothing(demo_db) -> None:  # type: ignore[no-untyped-def]
    path, _ = demo_db
    with sqlite3.connect(path) as conn:
        before = conn.execute("SELECT count(*) FROM audit_event").fetchone()
    conn.close()
    reader = EarlyReader.open(path, "rec.1")
    assert reader is not None
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        reader._conn.execute("DELETE FROM audit_event")
    reader.close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM audit_event").fetchone() == before
    conn.close()


@pytest.mark.parametrize(
    ("db", "expected"),
    [
        (None, None),
        ("", None),
        (":memory:", None),
        ("postgresql+psycopg://u@h/db", None),
        ("sqlite:///:memory:", None),
        ("sqlite:////srv/u.db", Path("/srv/u.db")),
        ("sqlite:////srv/u.db?mode=ro", None),
        ("/srv/u.db", Path("/srv/u.db")),
        ("u.db", Path("u.db")),
    ],
)
def test_which_db_has_an_early_reader(db: str | None, expected: Path | None) -> None:
    assert sqlite_path(db) == expected


if __name__ == "__main__" and "--write" in sys.argv:
    EARLY_SQL_FILE.write_text(render())
    print(f"wrote {EARLY_SQL_FILE}")
