"""PostgreSQL only: a trigram index for the participants' « contains » search

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 09:40:00

The lists search with ``search_text LIKE '%term%'``. SQLite answers it by walking the covering
index ``ix_participants_sort_search`` (revision 0004) in name order; PostgreSQL can use a GIN
index of trigrams (extension ``pg_trgm``, trusted: the database's owner may create it) for the
terms of three characters or more. Nothing changes in a file.
"""

from __future__ import annotations

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_index(
        "ix_participants_search_trgm",
        "participants",
        ["search_text"],
        postgresql_using="gin",
        postgresql_ops={"search_text": "gin_trgm_ops"},
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index("ix_participants_search_trgm", table_name="participants")
