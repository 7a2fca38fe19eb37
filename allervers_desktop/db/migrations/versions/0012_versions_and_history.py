"""version counters, who-changed-what stamps and the Historique (change_log)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 09:30:00

The records coordinators edit through forms (providers, courses, groups, trainers, employers,
participants) get a version counter, checked and bumped by every save, so that a save over a
colleague's newer change is refused instead of overwriting it; and who changed them last, and
when. ``change_log`` keeps each change (fields before → after) for the record's Historique.
Existing records start at version 1, changed by nobody known.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

TABLES = ("training_providers", "courses", "groups", "trainers", "employers", "participants")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("version", sa.Integer(), nullable=False, server_default="1")
            )
            batch_op.add_column(
                sa.Column("modified_by", sa.String(length=100), nullable=False, server_default="")
            )
            batch_op.add_column(sa.Column("modified_at", sa.DateTime(), nullable=True))
    op.create_table(
        "change_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.Column("changed_by", sa.String(length=100), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "action IN ('create', 'update', 'delete')", name=op.f("ck_change_log_action_valid")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_log")),
    )
    op.create_index("ix_change_log_record", "change_log", ["table_name", "record_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_change_log_record", table_name="change_log")
    op.drop_table("change_log")
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("modified_at")
            batch_op.drop_column("modified_by")
            batch_op.drop_column("version")
