"""Alembic environment: runs migrations on the application's engine, a transaction per step."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from allervers_desktop.db.engine import make_engine
from allervers_desktop.db.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    if not isinstance(engine, Engine):
        engine = make_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,
            transaction_per_migration=True,
            transactional_ddl=True,
            compare_type=True,
        )
        context.run_migrations()
        if connection.in_transaction():
            connection.commit()


if context.is_offline_mode():
    raise SystemExit("Offline migrations are not supported.")
run_migrations_online()
