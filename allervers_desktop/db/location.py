"""Where the data is: a local SQLite file or a PostgreSQL server URL given to ``--db``."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import URL, make_url
from sqlalchemy.exc import ArgumentError

# The schemes a user may type; the driver is always psycopg 3.
SERVER_SCHEMES = ("postgresql://", "postgres://", "postgresql+psycopg://")
DRIVER = "postgresql+psycopg"

Location = Path | URL


class LocationError(ValueError):
    """The ``--db`` text looks like a server URL but cannot be read (``message`` in French)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def is_server_text(text: str) -> bool:
    return text.strip().lower().startswith(SERVER_SCHEMES)


def server_url(text: str) -> URL:
    """``postgresql://user@host:5432/base`` as the psycopg 3 URL SQLAlchemy needs.

    A password may be in the URL, or (better) in ``~/.pgpass`` / ``PGPASSFILE``, which
    libpq reads itself when the URL has none."""
    try:
        url = make_url(text.strip())
    except ArgumentError as exc:
        raise LocationError(
            f"L'adresse du serveur « {hide_password(text)} » est illisible "
            "(attendu : postgresql://utilisateur@serveur:5432/base)."
        ) from exc
    if not url.database:
        raise LocationError(
            f"L'adresse du serveur « {hide_password(text)} » ne nomme pas de base "
            "(attendu : postgresql://utilisateur@serveur:5432/base)."
        )
    return url.set(drivername=DRIVER)


def parse_location(text: str) -> Location:
    """A server URL, or the path of a local file (``~`` expanded)."""
    if is_server_text(text):
        return server_url(text)
    return Path(text).expanduser()


def hide_password(text: str) -> str:
    """The URL as it may be shown or logged: never its password."""
    try:
        return make_url(text.strip()).render_as_string(hide_password=True)
    except ArgumentError:
        return "…"


def server_host(url: URL) -> str:
    """« pg.exemple.local », « localhost:5433 », or the socket folder of a local server."""
    host = url.host or str(url.query.get("host") or "") or "localhost"
    port = url.port or url.query.get("port")
    return f"{host}:{port}" if port and str(port) != "5432" else host


def describe(location: Location) -> str:
    """What the status bar says: the file path, or « Serveur equipe-ge sur pg.exemple.local »."""
    if isinstance(location, Path):
        return str(location)
    return f"Serveur {location.database} sur {server_host(location)}"
