"""PostgreSQL: finer planner statistics of the name tokens (SQLite: nothing to do)

A desk search for two name words ('ella attrapho', 'mo fiktivl') is planned for its words
(`person_search._name_shape`): scan the longer word's range in index order and look each
young person up for the other word, or hash the other word's young people first. Which is
faster depends on how many tokens each prefix range holds, and PostgreSQL estimates that
from the column's statistics. With the default statistics target (100) only the commonest
first names are in the most-common-values list; a range inside a surname ('attrapho', 1,001
tokens at 100,000 young people) was estimated at 6 rows, and the plan chosen on that
estimate took four times as long. With 1,000 the list and histogram hold the name words of a
municipality's young people closely enough. SQLite has no per-column statistics target: its
search plan is fixed (the longest word's range, the others looked up), so there the
revision changes nothing.

Revision ID: 0005_search_stats
Revises: 0004_search
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0005_search_stats"
down_revision: str | None = "0004_search"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TARGET = 1000  # PostgreSQL's default_statistics_target is 100; its maximum 10,000


def _set_target(target: int) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"ALTER TABLE person_name_token ALTER COLUMN token SET STATISTICS {target}")
    op.execute("ANALYZE person_name_token")


def upgrade() -> None:
    _set_target(TARGET)


def downgrade() -> None:
    _set_target(-1)  # back to the server's default_statistics_target
