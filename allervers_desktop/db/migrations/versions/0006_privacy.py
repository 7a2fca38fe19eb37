"""personal data: erasure dates, purged import details, the privacy log

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 06:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.add_column(sa.Column("contact_erased_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("anonymised_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("import_batches", schema=None) as batch_op:
        batch_op.add_column(sa.Column("details_purged_at", sa.DateTime(), nullable=True))
    op.create_table(
        "privacy_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("performed_at", sa.DateTime(), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("performed_by", sa.String(length=100), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("counts", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "action IN ('purge', 'erase', 'export')", name=op.f("ck_privacy_log_action_valid")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_privacy_log")),
    )


def downgrade() -> None:
    op.drop_table("privacy_log")
    with op.batch_alter_table("import_batches", schema=None) as batch_op:
        batch_op.drop_column("details_purged_at")
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.drop_column("anonymised_at")
        batch_op.drop_column("contact_erased_at")
