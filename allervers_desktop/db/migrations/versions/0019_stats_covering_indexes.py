"""statistics: covering indexes on attendances and enrollments

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-03 16:15:00

The statistics read the attendance twice, aggregated, without touching the table itself:
per half-day (``ix_attendances_half_day_marks``: half-day, status, arrival, departure, then
the enrollment, so that the aggregation is one scan of the index in half-day order) and per
enrollment (``ix_attendances_enrollment_marks``). The enrollments are counted by group and
status, with the person, from ``ix_enrollments_group_status``.
"""

from __future__ import annotations

from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

INDEXES = (
    (
        "ix_attendances_half_day_marks",
        "attendances",
        ["half_day_id", "status", "arrived_at", "left_at", "enrollment_id"],
    ),
    (
        "ix_attendances_enrollment_marks",
        "attendances",
        ["enrollment_id", "status", "half_day_id", "arrived_at", "left_at"],
    ),
    ("ix_enrollments_group_status", "enrollments", ["group_id", "status", "participant_id"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
