"""contact persons outside the staff register, competence confirmed, agreement after 25

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("assignment", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("contact_kind", sqlmodel.sql.sqltypes.AutoString(length=24), nullable=True)
        )
        batch_op.add_column(
            sa.Column("contact_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True)
        )
        batch_op.add_column(
            sa.Column("contact_org", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True)
        )
        batch_op.add_column(
            sa.Column("contact_phone", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True)
        )
        batch_op.add_column(sa.Column("competence_confirmed", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("agreed_until", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("assignment", schema=None) as batch_op:
        batch_op.drop_column("agreed_until")
        batch_op.drop_column("competence_confirmed")
        batch_op.drop_column("contact_phone")
        batch_op.drop_column("contact_org")
        batch_op.drop_column("contact_name")
        batch_op.drop_column("contact_kind")
