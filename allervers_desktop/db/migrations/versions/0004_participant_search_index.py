"""participant search index covering the name order and the search column

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 15:10:00
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.drop_index("ix_participants_sort_name")
        batch_op.create_index(
            "ix_participants_sort_search", ["sort_name", "id", "search_text"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.drop_index("ix_participants_sort_search")
        batch_op.create_index("ix_participants_sort_name", ["sort_name"], unique=False)
