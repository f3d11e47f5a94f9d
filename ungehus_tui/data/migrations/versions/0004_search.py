"""name tokens in search-key spelling, compared bytewise on PostgreSQL

The desk search matches typed words against `person_name_token` in `folding.search_key`
spelling ('soren' for Søren, Soeren and Soren alike), so every young person's tokens are
rebuilt from the name, in batches (only people who had tokens: an anonymised young person has
none and gets none). On PostgreSQL the token column gets the "C" collation: the search's
prefix ranges (token >= 'ab' AND token < 'ac') then mean the same as on SQLite whatever the
database's collation is (in da_DK 'aa' sorts as 'å', after 'z').

Revision ID: 0004_search
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_search"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Derived tables this revision rebuilds from other data (tests/reliability/test_migrations.py
# checks them against the rebuild instead of against the rows before the upgrade).
REBUILDS = ("person_name_token",)

BATCH = 2000

_person = sa.table("young_person", sa.column("id", sa.Integer), sa.column("name", sa.String))
_token = sa.table(
    "person_name_token", sa.column("person_id", sa.Integer), sa.column("token", sa.String)
)


def rebuild_tokens(
    conn: sa.Connection,
    tokens_of: Callable[[str], list[str]],
    batch: int = BATCH,
    before_insert: Callable[[], None] | None = None,
) -> int:
    """Rewrite the tokens of every young person who has any (the others, anonymised, stay
    without): all old rows go at once, then the new ones `batch` young people at a time
    (`before_insert` runs in between, on the empty table). The number re-indexed."""
    indexed = set(conn.execute(sa.select(_token.c.person_id).distinct()).scalars())
    conn.execute(_token.delete())
    if before_insert is not None:
        before_insert()
    last, done = 0, 0
    while True:
        rows = conn.execute(
            sa.select(_person.c.id, _person.c.name)
            .where(_person.c.id > last)
            .order_by(_person.c.id)
            .limit(batch)
        ).all()
        if not rows:
            return done
        values = [
            {"person_id": pid, "token": token}
            for pid, name in rows
            if pid in indexed
            for token in tokens_of(name)
        ]
        if values:
            _insert(conn, values)
        last, done = rows[-1][0], done + sum(1 for pid, _ in rows if pid in indexed)


INDEX = "ix_person_name_token_token_person"


def _insert(conn: sa.Connection, values: list[dict[str, object]]) -> None:
    """The rows in one statement: COPY on PostgreSQL (psycopg), a multi-row insert else."""
    driver = conn.connection.driver_connection
    if conn.dialect.name == "postgresql" and hasattr(driver, "cursor"):
        with driver.cursor() as cur:  # type: ignore[union-attr]
            with cur.copy("COPY person_name_token (person_id, token) FROM STDIN") as copy:
                for row in values:
                    copy.write_row((row["person_id"], row["token"]))
        return
    conn.execute(_token.insert(), values)


def _collation(conn: sa.Connection, new: str | None, old: str | None) -> Callable[[], None]:
    """On the emptied table: the token column's collation (PostgreSQL), and the (token,
    person_id) index dropped (rebuilt once after the inserts: faster than row by row)."""

    def alter() -> None:
        op.drop_index(INDEX, table_name="person_name_token")
        if conn.dialect.name == "postgresql":
            op.alter_column(
                "person_name_token",
                "token",
                type_=sa.String(80, collation=new),
                existing_type=sa.String(80, collation=old),
                existing_nullable=False,
            )

    return alter


def upgrade() -> None:
    from ungehus_tui.domain.folding import index_tokens

    conn = op.get_bind()
    rebuild_tokens(conn, index_tokens, before_insert=_collation(conn, "C", None))
    op.create_index(INDEX, "person_name_token", ["token", "person_id"])
    if conn.dialect.name == "postgresql":  # the planner's statistics of the rewritten table
        op.execute("ANALYZE person_name_token")


def downgrade() -> None:
    conn = op.get_bind()
    rebuild_tokens(conn, _tokens_0002, before_insert=_collation(conn, None, "C"))
    op.create_index(INDEX, "person_name_token", ["token", "person_id"])


# The tokens as revision 0002's code wrote them (the folded words plus a looser spelling of
# each), frozen here so a downgrade gives the older code the index it searches.
def _fold_0002(text: str) -> str:
    import unicodedata

    danish = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "ß": "ss", "ð": "d", "þ": "th"})
    lowered = text.casefold().translate(danish)
    decomposed = unicodedata.normalize("NFKD", lowered)
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    ascii_only = ascii_only.encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", " ", ascii_only).strip()


def _tokens_0002(text: str) -> list[str]:
    loose = str.maketrans({"æ": "ae", "ø": "o", "å": "a"})
    words = _fold_0002(text).split() + _fold_0002(text.casefold().translate(loose)).split()
    return list(dict.fromkeys(w[:80] for w in words))[:24]
