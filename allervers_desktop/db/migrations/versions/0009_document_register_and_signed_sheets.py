"""document register (versions, snapshots, counters) and signed sign-in sheets

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 06:00:00

Every issued document already in the file becomes version 1 of its register entry, « valid »,
with its issue date taken from when it was first issued. Its content cannot be rebuilt here:
the gathering code reads the models of the current version, whose columns a migration may
not have yet, so ``content`` stays NULL (« contenu antérieur au journal »). The first reprint
records a snapshot from the data of that day, and only when the hours it would print equal
the hours recorded at the last print; otherwise it must be reissued as a corrected version.
The counters start after the highest number of each kind and year.
"""

from __future__ import annotations

import datetime as dt
import re

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

NUMBER = re.compile(r"^[A-Z]+-(\d{4})-(\d+)$")


def _as_datetime(value: object) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))


def upgrade() -> None:
    op.create_table(
        "document_counters",
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "year", name=op.f("pk_document_counters")),
    )
    op.create_table(
        "signed_sheets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_day_id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=300), nullable=False),
        sa.Column("media_type", sa.String(length=50), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("attached_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("size > 0", name=op.f("ck_signed_sheets_size_positive")),
        sa.ForeignKeyConstraint(
            ["group_day_id"],
            ["group_days.id"],
            name=op.f("fk_signed_sheets_group_day_id_group_days"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signed_sheets")),
    )
    with op.batch_alter_table("signed_sheets", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_signed_sheets_group_day_id"), ["group_day_id"], unique=False
        )

    with op.batch_alter_table("issued_documents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("year", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("sequence", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("issued_on", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("backdated", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("content", sa.Text(), nullable=True))
        batch_op.add_column(
            sa.Column("state", sa.String(length=10), nullable=False, server_default="valid")
        )
        batch_op.add_column(sa.Column("cancelled_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("replaces_id", sa.Integer(), nullable=True))
        batch_op.drop_constraint("uq_issued_documents_kind", type_="unique")

    connection = op.get_bind()
    rows = connection.execute(
        sa.text("SELECT id, number, first_issued_at FROM issued_documents ORDER BY id")
    ).all()
    taken: dict[tuple[str, int], set[int]] = {}
    for document_id, number, first_issued_at in rows:
        issued_at = _as_datetime(first_issued_at)
        match = NUMBER.match(number or "")
        year, sequence = (
            (int(match.group(1)), int(match.group(2))) if match else (issued_at.year, 0)
        )
        connection.execute(
            sa.text(
                "UPDATE issued_documents SET year = :year, sequence = :sequence, "
                "issued_on = :issued_on WHERE id = :id"
            ),
            {"year": year, "sequence": sequence, "issued_on": issued_at.date(), "id": document_id},
        )
        taken.setdefault((str(number).split("-")[0], year), set()).add(sequence)
    # A number the old code did not write (never seen, but a file may have been edited by
    # hand) gets the next sequence of its kind and year, so that the constraint holds.
    for document_id, kind, year in connection.execute(
        sa.text("SELECT id, kind, year FROM issued_documents WHERE sequence = 0 ORDER BY id")
    ).all():
        used = connection.execute(
            sa.text("SELECT max(sequence) FROM issued_documents WHERE kind = :k AND year = :y"),
            {"k": kind, "y": year},
        ).scalar()
        connection.execute(
            sa.text("UPDATE issued_documents SET sequence = :s WHERE id = :id"),
            {"s": (used or 0) + 1, "id": document_id},
        )

    with op.batch_alter_table("issued_documents", schema=None) as batch_op:
        batch_op.alter_column("year", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("sequence", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("issued_on", existing_type=sa.Date(), nullable=False)
        batch_op.alter_column("backdated", existing_type=sa.Boolean(), server_default=None)
        batch_op.alter_column("state", existing_type=sa.String(length=10), server_default=None)
        batch_op.create_unique_constraint(
            batch_op.f("uq_issued_documents_kind"), ["kind", "year", "sequence"]
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_issued_documents_replaces_id"), ["replaces_id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_issued_documents_replaces_id_issued_documents"),
            "issued_documents",
            ["replaces_id"],
            ["id"],
            ondelete="RESTRICT",
        )
        batch_op.create_check_constraint("state_valid", "state IN ('valid', 'cancelled')")
        batch_op.create_check_constraint("sequence_positive", "sequence > 0")
        batch_op.create_index(
            "uq_issued_documents_valid_kind",
            ["kind", "enrollment_id"],
            unique=True,
            sqlite_where=sa.text("state = 'valid'"),
            postgresql_where=sa.text("state = 'valid'"),
        )
    connection.execute(
        sa.text(
            "INSERT INTO document_counters (kind, year, last_number) "
            "SELECT kind, year, max(sequence) FROM issued_documents GROUP BY kind, year"
        )
    )


def downgrade() -> None:
    connection = op.get_bind()
    # The old schema holds one document per person and kind: keep the valid version.
    connection.execute(sa.text("UPDATE issued_documents SET replaces_id = NULL"))
    connection.execute(sa.text("DELETE FROM issued_documents WHERE state != 'valid'"))
    with op.batch_alter_table("issued_documents", schema=None) as batch_op:
        batch_op.drop_index("uq_issued_documents_valid_kind")
        batch_op.drop_constraint(
            "fk_issued_documents_replaces_id_issued_documents", type_="foreignkey"
        )
        batch_op.drop_constraint("uq_issued_documents_replaces_id", type_="unique")
        batch_op.drop_constraint("uq_issued_documents_kind", type_="unique")
        batch_op.drop_constraint(batch_op.f("ck_issued_documents_state_valid"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_issued_documents_sequence_positive"), type_="check")
        for column in (
            "replaces_id",
            "cancelled_at",
            "state",
            "content",
            "backdated",
            "issued_on",
            "sequence",
            "year",
        ):
            batch_op.drop_column(column)
        batch_op.create_unique_constraint("uq_issued_documents_kind", ["kind", "enrollment_id"])
    with op.batch_alter_table("signed_sheets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_signed_sheets_group_day_id"))
    op.drop_table("signed_sheets")
    op.drop_table("document_counters")
