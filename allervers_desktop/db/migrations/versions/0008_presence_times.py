"""presence times, trainers per half-day, attendance unlocks

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 06:10:00

Attendance gets the arrival and departure times. A record « en retard » written before this
revision has no time; it gets the half-day's start as its arrival, so the hours it counts (and
those of any certificate issued from it) stay what they were.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("attendances", schema=None) as batch_op:
        batch_op.add_column(sa.Column("arrived_at", sa.Time(), nullable=True))
        batch_op.add_column(sa.Column("left_at", sa.Time(), nullable=True))
    op.execute(
        "UPDATE attendances SET arrived_at = (SELECT half_days.start_time FROM half_days "
        "WHERE half_days.id = attendances.half_day_id) WHERE status = 'late'"
    )
    with op.batch_alter_table("attendances", schema=None) as batch_op:
        batch_op.create_check_constraint(
            "late_has_arrival_time", "(status = 'late') = (arrived_at IS NOT NULL)"
        )
        batch_op.create_check_constraint(
            "departure_when_attended", "left_at IS NULL OR status IN ('present', 'late')"
        )
        batch_op.create_check_constraint(
            "left_after_arrival", "left_at IS NULL OR arrived_at IS NULL OR left_at > arrived_at"
        )
    op.create_table(
        "half_day_trainers",
        sa.Column("half_day_id", sa.Integer(), nullable=False),
        sa.Column("trainer_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["half_day_id"],
            ["half_days.id"],
            name=op.f("fk_half_day_trainers_half_day_id_half_days"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["trainer_id"],
            ["trainers.id"],
            name=op.f("fk_half_day_trainers_trainer_id_trainers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("half_day_id", "trainer_id", name=op.f("pk_half_day_trainers")),
    )
    with op.batch_alter_table("half_day_trainers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_half_day_trainers_trainer_id"), ["trainer_id"], unique=False
        )
    op.create_table(
        "attendance_unlocks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("unlocked_by", sa.String(length=100), nullable=False),
        sa.Column("unlocked_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "length(trim(reason)) > 0", name=op.f("ck_attendance_unlocks_reason_not_blank")
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["groups.id"],
            name=op.f("fk_attendance_unlocks_group_id_groups"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendance_unlocks")),
    )
    with op.batch_alter_table("attendance_unlocks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_attendance_unlocks_group_id"), ["group_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("attendance_unlocks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attendance_unlocks_group_id"))
    op.drop_table("attendance_unlocks")
    with op.batch_alter_table("half_day_trainers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_half_day_trainers_trainer_id"))
    op.drop_table("half_day_trainers")
    with op.batch_alter_table("attendances", schema=None) as batch_op:
        batch_op.drop_constraint("left_after_arrival", type_="check")
        batch_op.drop_constraint("departure_when_attended", type_="check")
        batch_op.drop_constraint("late_has_arrival_time", type_="check")
        batch_op.drop_column("left_at")
        batch_op.drop_column("arrived_at")
