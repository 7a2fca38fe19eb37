"""budgets and complaints: cost_lines and complaints

Revision ID: 0018
Revises: 0016
Create Date: 2026-12-03 16:00:00

A cost line belongs to exactly one group or one course (CHECK), its amount in cents is never
negative; a complaint that is closed has its closing date (CHECK).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0016"
branch_labels = None
depends_on = None

KINDS = "kind IN ('provider', 'venue', 'catering', 'travel', 'other')"
FUNDERS = "funder IN ('opco', 'cofinancer')"
SOURCES = "source IN ('trainee', 'employer', 'trainer', 'funder', 'internal', 'other')"
STATUSES = "status IN ('open', 'in_progress', 'closed')"


def upgrade() -> None:
    op.create_table(
        "cost_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("course_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("funder", sa.String(length=20), nullable=False),
        sa.Column("cofinancer", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "(group_id IS NULL) <> (course_id IS NULL)", name=op.f("ck_cost_lines_one_owner")
        ),
        sa.CheckConstraint("amount_cents >= 0", name=op.f("ck_cost_lines_amount_not_negative")),
        sa.CheckConstraint(KINDS, name=op.f("ck_cost_lines_kind_valid")),
        sa.CheckConstraint(FUNDERS, name=op.f("ck_cost_lines_funder_valid")),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["groups.id"],
            name=op.f("fk_cost_lines_group_id_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["courses.id"],
            name=op.f("fk_cost_lines_course_id_courses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cost_lines")),
    )
    with op.batch_alter_table("cost_lines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cost_lines_group_id"), ["group_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_cost_lines_course_id"), ["course_id"], unique=False)
    op.create_table(
        "complaints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("analysis", sa.Text(), nullable=False),
        sa.Column("action_taken", sa.Text(), nullable=False),
        sa.Column("person_in_charge", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "length(trim(description)) > 0", name=op.f("ck_complaints_description_not_blank")
        ),
        sa.CheckConstraint(SOURCES, name=op.f("ck_complaints_source_valid")),
        sa.CheckConstraint(STATUSES, name=op.f("ck_complaints_status_valid")),
        sa.CheckConstraint(
            "status <> 'closed' OR closed_on IS NOT NULL",
            name=op.f("ck_complaints_closed_has_date"),
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["groups.id"],
            name=op.f("fk_complaints_group_id_groups"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaints")),
    )
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_complaints_received_on"), ["received_on"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_complaints_group_id"), ["group_id"], unique=False)


def downgrade() -> None:
    op.drop_table("complaints")
    op.drop_table("cost_lines")
