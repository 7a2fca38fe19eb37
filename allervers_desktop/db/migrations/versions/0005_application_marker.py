"""application marker in the file header (PRAGMA application_id)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 06:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# « ALVR » (allervers_desktop.db.recognition.APPLICATION_ID). Revision 0001 writes it into new
# files; this one gives it to files created before it existed. The pragma is transactional.
APPLICATION_ID = 0x414C5652


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":  # a server database has allervers_meta (0010)
        op.execute(f"PRAGMA application_id = {APPLICATION_ID}")


def downgrade() -> None:
    # The marker stays: files created since revision 0001 was changed have it at every
    # revision, and an allervers file with it is recognised at any known revision.
    pass
