"""transfers: enrollments.transferred_to_id and the status « transferred »

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03 13:00:00

The old enrollment of a transferred person is kept, with the status « transferred » and a
link to the new one. The status CHECK constraint is widened on both databases.

SQLite cannot alter a CHECK constraint, and recreating ``enrollments`` (batch mode) would drop
a table that attendances and issued documents refer to with ON DELETE RESTRICT while foreign
keys are on. Widening a CHECK does not change what is stored, so the table's SQL text is
edited in place, as SQLite's documentation describes for changes that leave the stored rows
valid (« writable_schema », then a new schema version so that every connection reads it
again): the wider CHECK, and the foreign key of the new column, NULL in every row. The key is
written as a table constraint, so that it is read back with its name.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

OLD_CHECK = "status IN ('registered', 'confirmed', 'waitlisted', 'cancelled')"
NEW_CHECK = "status IN ('registered', 'confirmed', 'waitlisted', 'cancelled', 'transferred')"
CHECK_NAME = "ck_enrollments_status_valid"
FK_NAME = "fk_enrollments_transferred_to_id_enrollments"
INDEX_NAME = "ix_enrollments_transferred_to_id"


FK_CLAUSE = (
    f",\n\tCONSTRAINT {FK_NAME} FOREIGN KEY(transferred_to_id) REFERENCES enrollments (id) "
    "ON DELETE SET NULL"
)


def _edit_sqlite_schema(old: str, new: str, *, with_key: bool) -> None:
    connection = op.get_bind()
    sql = connection.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'enrollments'"
    ).scalar_one()
    if old not in sql:
        raise RuntimeError(f"enrollments: contrainte {CHECK_NAME} introuvable")
    sql = sql.replace(old, new)
    if with_key:
        body, closing = sql.rstrip().rsplit(")", 1)
        sql = f"{body.rstrip()}{FK_CLAUSE}\n){closing}"
    version = connection.exec_driver_sql("PRAGMA schema_version").scalar_one()
    connection.exec_driver_sql("PRAGMA writable_schema = ON")
    connection.execute(
        sa.text(
            "UPDATE sqlite_master SET sql = :sql WHERE type = 'table' AND name = 'enrollments'"
        ),
        {"sql": sql},
    )
    connection.exec_driver_sql(f"PRAGMA schema_version = {int(version) + 1}")
    connection.exec_driver_sql("PRAGMA writable_schema = OFF")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE enrollments ADD COLUMN transferred_to_id INTEGER")
        _edit_sqlite_schema(OLD_CHECK, NEW_CHECK, with_key=True)
    else:
        op.drop_constraint(op.f(CHECK_NAME), "enrollments", type_="check")
        op.create_check_constraint(op.f(CHECK_NAME), "enrollments", NEW_CHECK)
        op.add_column("enrollments", sa.Column("transferred_to_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            op.f(FK_NAME),
            "enrollments",
            "enrollments",
            ["transferred_to_id"],
            ["id"],
            ondelete="SET NULL",
        )
    op.create_index(op.f(INDEX_NAME), "enrollments", ["transferred_to_id"], unique=False)


def downgrade() -> None:
    # A transferred enrollment becomes a cancelled one: the link to the new one is lost.
    op.execute("UPDATE enrollments SET status = 'cancelled' WHERE status = 'transferred'")
    op.drop_index(op.f(INDEX_NAME), table_name="enrollments")
    if op.get_bind().dialect.name == "sqlite":
        # Batch mode recreates the table: possible while nothing refers to an enrollment.
        with op.batch_alter_table("enrollments", schema=None) as batch_op:
            batch_op.drop_constraint(op.f(FK_NAME), type_="foreignkey")
            batch_op.drop_column("transferred_to_id")
        _edit_sqlite_schema(NEW_CHECK, OLD_CHECK, with_key=False)
    else:
        op.drop_constraint(op.f(FK_NAME), "enrollments", type_="foreignkey")
        op.drop_column("enrollments", "transferred_to_id")
        op.drop_constraint(op.f(CHECK_NAME), "enrollments", type_="check")
        op.create_check_constraint(op.f(CHECK_NAME), "enrollments", OLD_CHECK)
