"""training provider identity, assessment of learning, what to bring

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 06:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from allervers_desktop.text import search_key

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

PROVIDER_TEXTS = (
    ("postcode", sa.String(length=10)),
    ("city", sa.String(length=100)),
    ("siret", sa.String(length=14)),
    ("nda", sa.String(length=11)),
    ("nda_region", sa.String(length=100)),
    ("legal_representative", sa.String(length=200)),
    ("legal_representative_title", sa.String(length=200)),
    ("contact_name", sa.String(length=200)),
    ("contact_email", sa.String(length=254)),
    ("contact_phone", sa.String(length=40)),
    ("accessibility_contact", sa.Text()),
    ("internal_rules", sa.Text()),
    ("search_text", sa.Text()),
)


CHECK_RESULT = (
    "assessment_result IS NULL OR assessment_result IN ('acquired', 'partial', 'not_acquired')"
)


def upgrade() -> None:
    # Only ALTER TABLE … ADD COLUMN: SQLite adds them in place. Recreating these tables (batch
    # mode) would delete and re-insert rows that others reference, which foreign keys refuse.
    for name, type_ in PROVIDER_TEXTS:
        op.add_column(
            "training_providers", sa.Column(name, type_, nullable=False, server_default="")
        )
    op.create_index(
        op.f("ix_training_providers_search_text"),
        "training_providers",
        ["search_text"],
        unique=False,
    )
    # Existing providers keep their name and address; their search column is built from the
    # name with the application's own folding (accents and case), as the model would.
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, name FROM training_providers")).all()
    for provider_id, name in rows:
        connection.execute(
            sa.text("UPDATE training_providers SET search_text = :key WHERE id = :id"),
            {"key": search_key(name), "id": provider_id},
        )
    op.add_column(
        "courses",
        sa.Column("assesses_learning", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column(
        "courses", sa.Column("what_to_bring", sa.Text(), nullable=False, server_default="")
    )
    op.execute(
        "ALTER TABLE enrollments ADD COLUMN assessment_result VARCHAR(20) "
        f"CONSTRAINT ck_enrollments_assessment_result_valid CHECK ({CHECK_RESULT})"
    )


def downgrade() -> None:
    # The column carries a CHECK constraint, so SQLite needs the table recreated (batch mode):
    # possible while no attendance or issued document refers to an enrollment.
    with op.batch_alter_table("enrollments", schema=None) as batch_op:
        batch_op.drop_constraint("assessment_result_valid", type_="check")
        batch_op.drop_column("assessment_result")
    op.drop_column("courses", "what_to_bring")
    op.drop_column("courses", "assesses_learning")
    op.drop_index(op.f("ix_training_providers_search_text"), table_name="training_providers")
    for name, _type in reversed(PROVIDER_TEXTS):
        op.drop_column("training_providers", name)
