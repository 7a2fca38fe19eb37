"""employer identity (address, SIRET, FINESS, contact), phones in E.164, planning indexes

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 14:30:00

Phone numbers of participants, trainers and providers' contacts are rewritten in E.164
(« 06.23.45.67.89 » -> « +33623456789 », region FR by default). A number that is not a valid
one (« poste 12 ») is left exactly as typed, so nothing is lost; it is told apart by not being
in E.164 (see ``allervers_desktop/phones.py``). The parsing rules are copied here, frozen,
rather than imported, so that this revision keeps doing what it did when the application
changes; only the maintained ``phonenumbers`` library is shared.
"""

from __future__ import annotations

import phonenumbers
import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

PHONE_COLUMNS = (
    ("participants", "phone"),
    ("trainers", "phone"),
    ("training_providers", "contact_phone"),
)


def _e164(text: str) -> str | None:
    typed = " ".join(text.split())
    if not typed:
        return None
    try:
        number = phonenumbers.parse(typed, "FR")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _normalise_phones(table: str, column: str) -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.text(f"SELECT id, {column} FROM {table} WHERE {column} <> ''")).all()
    updates = [
        {"id": row_id, "phone": normalised}
        for row_id, value in rows
        if (normalised := _e164(value)) is not None and normalised != value
    ]
    if updates:
        bind.execute(
            sa.text(f"UPDATE {table} SET {column} = :phone WHERE id = :id"),
            updates,
        )


def upgrade() -> None:
    with op.batch_alter_table("employers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("address", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(
            sa.Column("siret", sa.String(length=14), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("finess", sa.String(length=9), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("contact_name", sa.String(length=200), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("contact_email", sa.String(length=254), nullable=False, server_default="")
        )
        batch_op.create_index("ix_employers_siret", ["siret"], unique=False)
        batch_op.create_index("ix_employers_finess", ["finess"], unique=False)
    for table, column in PHONE_COLUMNS:
        _normalise_phones(table, column)
    op.create_index("ix_participants_name_employer", "participants", ["sort_name", "employer_id"])
    op.create_index("ix_participants_phone", "participants", ["phone"])
    op.create_index("ix_group_days_date", "group_days", ["date"])


def downgrade() -> None:
    op.drop_index("ix_group_days_date", table_name="group_days")
    op.drop_index("ix_participants_phone", table_name="participants")
    op.drop_index("ix_participants_name_employer", table_name="participants")
    with op.batch_alter_table("employers", schema=None) as batch_op:
        batch_op.drop_index("ix_employers_finess")
        batch_op.drop_index("ix_employers_siret")
        for column in ("contact_email", "contact_name", "finess", "siret", "address"):
            batch_op.drop_column(column)
