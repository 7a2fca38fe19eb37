"""the application's marker table (allervers_meta), the marker of a server database

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 14:00:00

A PostgreSQL database has no ``PRAGMA application_id``: one row in ``allervers_meta`` says it
is an allervers database. A file gets the table too (one schema for both), beside its pragma.
On a server the whole chain of revisions runs in one transaction (``db/migrations/env.py``),
so a database is either empty or carries the marker.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

APPLICATION = "allervers"


def upgrade() -> None:
    meta = op.create_table(
        "allervers_meta",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application", sa.String(length=40), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_allervers_meta_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_allervers_meta")),
    )
    op.bulk_insert(meta, [{"id": 1, "application": APPLICATION}])


def downgrade() -> None:
    op.drop_table("allervers_meta")
