"""The team servers a coordinator connects to: fields ↔ URL, and the list of recent ones.

A connection is remembered without its password (« postgresql://marie@pg.local:5432/equipe »):
the password is typed when connecting, or read by libpq from ``~/.pgpass`` / ``PGPASSFILE``.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import URL

from allervers_desktop.db.location import DRIVER, LocationError, server_url

DEFAULT_PORT = 5432
RECENT_LIMIT = 8


class ConnectionFieldError(ValueError):
    """A field of the connection form is wrong (``field`` names it, ``message`` in French)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class ServerConnection:
    """Where a team database is, and as whom to connect (never the password)."""

    host: str
    database: str
    user: str
    port: int = DEFAULT_PORT

    def url(self, password: str | None = None) -> URL:
        """The URL to connect with; a password only in memory, for this connection."""
        return URL.create(
            DRIVER,
            username=self.user,
            password=password or None,
            host=self.host,
            port=self.port,
            database=self.database,
        )

    @property
    def text(self) -> str:
        """As remembered and shown: « postgresql://marie@pg.local:5432/equipe »."""
        return self.url().set(drivername="postgresql").render_as_string(hide_password=True)

    @classmethod
    def from_text(cls, text: str) -> ServerConnection:
        """A remembered or typed URL back into fields (LocationError, French, if unreadable)."""
        url = server_url(text)
        if not url.host or not url.username:
            raise LocationError(
                f"L'adresse « {text} » doit nommer le serveur et l'utilisateur "
                "(postgresql://utilisateur@serveur:5432/base)."
            )
        return cls(
            host=url.host,
            database=str(url.database),
            user=url.username,
            port=url.port or DEFAULT_PORT,
        )


def from_fields(host: str, port: str | int, database: str, user: str) -> ServerConnection:
    """The form's fields checked one by one (ConnectionFieldError for the first wrong one)."""
    host, database, user = host.strip(), database.strip(), user.strip()
    if not host:
        raise ConnectionFieldError("host", "Indiquez le serveur (son nom ou son adresse).")
    if any(c.isspace() for c in host) or "/" in host:
        raise ConnectionFieldError(
            "host", f"« {host} » n'est pas un nom de serveur (ex. : pg.exemple.local)."
        )
    try:
        number = int(str(port).strip())
    except ValueError:
        number = 0
    if not 1 <= number <= 65535:
        raise ConnectionFieldError("port", "Le port est un nombre entre 1 et 65535 (souvent 5432).")
    if not database:
        raise ConnectionFieldError("database", "Indiquez le nom de la base de l'équipe.")
    if not user:
        raise ConnectionFieldError("user", "Indiquez votre nom d'utilisateur sur le serveur.")
    return ServerConnection(host=host, database=database, user=user, port=number)


def remember(recent: list[str], connection: ServerConnection) -> list[str]:
    """The recent connections with this one first: no duplicate, no password, at most 8."""
    text = connection.text
    return [text, *[item for item in recent if item != text]][:RECENT_LIMIT]


def readable(recent: list[str]) -> list[ServerConnection]:
    """The remembered connections still readable (a damaged entry is dropped, not shown)."""
    connections: list[ServerConnection] = []
    for item in recent:
        try:
            connections.append(ServerConnection.from_text(item))
        except LocationError:
            continue
    return connections
