"""Persistence: engine set-up, ORM models, schema versions and Alembic migrations."""
