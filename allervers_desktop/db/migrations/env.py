"""Alembic environment: runs migrations on the application's engine.

SQLite: one transaction per revision (a backup copy was made before). PostgreSQL: the whole
upgrade in one transaction holding an advisory lock, so that two administrators' upgrades
never interleave and an interrupted one leaves the database as it was.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine, text

from allervers_desktop.db.engine import make_engine
from allervers_desktop.db.models import Base

# Key of the PostgreSQL advisory lock held by an upgrade (« ALVR » again, as a bigint).
UPGRADE_LOCK_KEY = 0x414C5652

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    if not isinstance(engine, Engine):
        engine = make_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as connection:
        server = connection.dialect.name == "postgresql"
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,
            transaction_per_migration=not server,
            transactional_ddl=True,
            compare_type=True,
        )
        if server:
            with context.begin_transaction():
                # An administrator's command: a big table may take longer than a client's
                # statement timeout, and waiting for another upgrade is expected.
                connection.execute(text("SET LOCAL statement_timeout = 0"))
                # Waits for another upgrade to finish; its revisions are then seen as done.
                connection.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": UPGRADE_LOCK_KEY}
                )
                context.run_migrations()
        else:
            context.run_migrations()
        if connection.in_transaction():
            connection.commit()


if context.is_offline_mode():
    raise SystemExit("Offline migrations are not supported.")
run_migrations_online()
