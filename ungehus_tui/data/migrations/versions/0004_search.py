"""name tokens in search-key spelling, compared bytewise on PostgreSQL

The desk search matches typed words against `person_name_token` in `folding.search_key`
spelling ('soren' for Søren, Soeren and Soren alike), so every young person's tokens are
rebuilt from the name, in batches (only people who had tokens: an anonymised young person has
none and gets none). On PostgreSQL the token column gets the "C" collation: the search's
prefix ranges (token >= 'ab' AND token < 'ac') then mean the same as on SQLite whatever the
database's collation is (in da_DK 'aa' sorts as 'å', after 'z').

Revision ID: 0004_search
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_search"
down_revision: str | None = "0002"
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
    conn: sa.Connection, tokens_of: Callable[[str], list[str]], batch: int = BATCH
) -> int:
    """Rewrite the tokens of every young person who has any, `batch` people at a time; the
    number of young people re-indexed."""
    last, done = 0, 0
    while True:
        rows = conn.execute(
            sa.select(_person.c.id, _person.c.name)
            .where(
                _person.c.id > last,
                sa.exists().where(_token.c.person_id == _person.c.id),
            )
            .order_by(_person.c.id)
            .limit(batch)
        ).all()
        if not rows:
            return done
        ids = [pid for pid, _name in rows]
        conn.execute(_token.delete().where(_token.c.person_id.in_(ids)))
        values = [{"person_id": pid, "token": t} for pid, name in rows for t in tokens_of(name)]
        if values:
            conn.execute(_token.insert(), values)
        last, done = ids[-1], done + len(rows)


def upgrade() -> None:
    from ungehus_tui.domain.folding import index_tokens

    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        op.alter_column(
            "person_name_token",
            "token",
            type_=sa.String(80, collation="C"),
            existing_type=sa.String(80),
            existing_nullable=False,
        )
    rebuild_tokens(conn, index_tokens)


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        op.alter_column(
            "person_name_token",
            "token",
            type_=sa.String(80),
            existing_type=sa.String(80, collation="C"),
            existing_nullable=False,
        )
    rebuild_tokens(conn, _tokens_0002)


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
