"""Run Alembic migrations (imported only when a migration is pending)."""

from __future__ import annotations

from importlib.resources import files

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

# Package data; Alembic loads the scripts from a folder, which every installation has (a source
# tree, a wheel unpacked by pip, a PyInstaller bundle: its spec collects them as files).
MIGRATIONS_DIR = files("allervers_desktop.db").joinpath("migrations")


def alembic_config(engine: Engine | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine is not None:
        # The URL is percent-encoded (« données » -> « donn%C3%A9es ») and Alembic's config
        # is a ConfigParser, which reads « % » as interpolation: escape it.
        url = engine.url.render_as_string(hide_password=False)
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
        config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Upgrade the database behind ``engine``, one transaction per revision."""
    command.upgrade(alembic_config(engine), revision)


def script_revisions() -> list[str]:
    """Revision ids of the migration scripts, oldest first."""
    script = ScriptDirectory.from_config(alembic_config())
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]
