"""an ordered waiting list: enrollments.waitlist_rank

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 10:30:00

NULL for everyone: the waiting list keeps the order of enrollment until the coordinator
moves someone in it, which numbers the whole list.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("enrollments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("waitlist_rank", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("enrollments", schema=None) as batch_op:
        batch_op.drop_column("waitlist_rank")
