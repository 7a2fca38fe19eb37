"""French reasons for PostgreSQL failures: connecting, rights, timeouts, a lost connection.

libpq reports connection failures as text (no SQLSTATE: the server was never reached, or
refused us before a session existed); once connected, the server's SQLSTATE says what
happened, whatever language the server speaks.
"""

from __future__ import annotations

import enum

from sqlalchemy.exc import DBAPIError

from allervers_desktop.services.errors import ServiceError

NOTHING_SAVED = "rien n'a été enregistré"


class ServerFailure(enum.Enum):
    """What went wrong between this program and the server."""

    UNREACHABLE = "unreachable"
    AUTHENTICATION = "authentication"
    NO_DATABASE = "no_database"
    NO_RIGHTS = "no_rights"
    READ_ONLY = "read_only"
    LOST = "lost"
    TIMEOUT = "timeout"
    CONFLICT = "conflict"
    OTHER = "other"


class ServerError(ServiceError):
    """A failure of the server or of the connection to it (``failure`` says which)."""

    def __init__(self, message: str, failure: ServerFailure) -> None:
        super().__init__(message)
        self.failure = failure


# SQLSTATE classes and codes (PostgreSQL documentation, appendix A).
_BY_SQLSTATE: dict[str, ServerFailure] = {
    "28P01": ServerFailure.AUTHENTICATION,  # invalid_password
    "28000": ServerFailure.AUTHENTICATION,  # invalid_authorization_specification
    "3D000": ServerFailure.NO_DATABASE,  # invalid_catalog_name
    "42501": ServerFailure.NO_RIGHTS,  # insufficient_privilege
    "25006": ServerFailure.READ_ONLY,  # read_only_sql_transaction
    "57014": ServerFailure.TIMEOUT,  # query_canceled (statement_timeout)
    "55P03": ServerFailure.TIMEOUT,  # lock_not_available
    "25P03": ServerFailure.LOST,  # idle_in_transaction_session_timeout
    "57P01": ServerFailure.LOST,  # admin_shutdown
    "57P02": ServerFailure.LOST,  # crash_shutdown
    "57P03": ServerFailure.UNREACHABLE,  # cannot_connect_now (starting up, shutting down)
    "53300": ServerFailure.UNREACHABLE,  # too_many_connections
    "40001": ServerFailure.CONFLICT,  # serialization_failure
    "40P01": ServerFailure.CONFLICT,  # deadlock_detected
}
_CLASS_08 = ServerFailure.LOST  # connection_exception

# libpq's texts (English, or French when the server or libpq speak it).
_BY_TEXT: tuple[tuple[tuple[str, ...], ServerFailure], ...] = (
    (
        (
            "password authentication failed",
            "no password supplied",
            "authentification par mot de passe échouée",
            "aucun mot de passe",
            "no pg_hba.conf entry",
            "aucune entrée dans pg_hba.conf",
            'role "',
            "le rôle « ",
        ),
        ServerFailure.AUTHENTICATION,
    ),
    (("does not exist", "n'existe pas"), ServerFailure.NO_DATABASE),
    (("permission denied", "droit refusé", "not permitted"), ServerFailure.NO_RIGHTS),
    (
        (
            "server closed the connection",
            "connection is closed",
            "terminating connection",
            "consuming input failed",
            "connection is lost",
            "ssl syscall error",
            "connection not open",
            "server conn crashed",
            "the connection is lost",
        ),
        ServerFailure.LOST,
    ),
    (
        (
            "connection refused",
            "connexion refusée",
            "timeout expired",
            "could not translate host name",
            "n'a pas pu traduire le nom d'hôte",
            "no such file or directory",
            "aucun fichier ou dossier",
            "network is unreachable",
            "no route to host",
            "connection failed",
            "could not connect",
        ),
        ServerFailure.UNREACHABLE,
    ),
)


def classify(exc: BaseException) -> ServerFailure:
    """Sort a psycopg (or SQLAlchemy-wrapped) error into one of the failures."""
    original = getattr(exc, "orig", None) or exc
    sqlstate = getattr(original, "sqlstate", None)
    if isinstance(sqlstate, str):
        if sqlstate in _BY_SQLSTATE:
            return _BY_SQLSTATE[sqlstate]
        if sqlstate.startswith("08"):
            return _CLASS_08
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return ServerFailure.LOST
    text = str(original).lower()
    for needles, failure in _BY_TEXT:
        if any(needle in text for needle in needles):
            return failure
    return ServerFailure.OTHER


def is_server_failure(exc: BaseException) -> bool:
    """A failure of the connection or of the server's rules about us, not a bug or a
    constraint of ours (an IntegrityError stays what it is)."""
    return classify(exc) is not ServerFailure.OTHER


def first_line(exc: BaseException) -> str:
    original = getattr(exc, "orig", None) or exc
    text = str(original).strip()
    return text.splitlines()[0] if text else type(original).__name__


def connect_message(exc: BaseException, where: str) -> tuple[str, ServerFailure]:
    """The one French line for a failure to open the server database ``where``."""
    failure = classify(exc)
    messages = {
        ServerFailure.UNREACHABLE: (
            f"Le serveur de {where} ne répond pas : vérifiez l'adresse, le port et le "
            "réseau (ou que le serveur est démarré)."
        ),
        ServerFailure.AUTHENTICATION: (
            f"Connexion refusée par le serveur pour {where} : utilisateur ou mot de passe "
            "incorrect (le mot de passe peut aussi venir de ~/.pgpass ou de PGPASSFILE)."
        ),
        ServerFailure.NO_DATABASE: f"La base {where} n'existe pas sur ce serveur.",
        ServerFailure.NO_RIGHTS: (
            f"Cet utilisateur n'a pas les droits nécessaires sur {where} : demandez-les à "
            "l'administrateur du serveur."
        ),
        ServerFailure.LOST: (
            f"La connexion au serveur de {where} a été perdue : vérifiez le réseau, puis réessayez."
        ),
        ServerFailure.TIMEOUT: f"Le serveur de {where} met trop de temps à répondre.",
    }
    default = f"Le serveur de {where} a refusé la connexion ({first_line(exc)})."
    return messages.get(failure, default), failure


def server_error(exc: BaseException) -> ServerError:
    """A write or read that failed on the server while working: what happened, and that
    nothing of the interrupted change was saved (its transaction was rolled back)."""
    failure = classify(exc)
    messages = {
        ServerFailure.LOST: (
            f"La connexion au serveur a été perdue : {NOTHING_SAVED}. Vérifiez le réseau, "
            "puis réessayez."
        ),
        ServerFailure.UNREACHABLE: (
            f"Le serveur ne répond pas : {NOTHING_SAVED}. Vérifiez le réseau, puis réessayez."
        ),
        ServerFailure.TIMEOUT: (
            f"Le serveur a mis trop de temps à répondre (ou un collègue modifie les mêmes "
            f"données) : {NOTHING_SAVED}. Réessayez dans un instant."
        ),
        ServerFailure.NO_RIGHTS: (
            f"Le serveur a refusé cette modification : votre compte n'en a pas le droit ; "
            f"{NOTHING_SAVED}."
        ),
        ServerFailure.READ_ONLY: (
            f"Le serveur a refusé cette modification : la base est en lecture seule pour "
            f"votre compte ; {NOTHING_SAVED}."
        ),
        ServerFailure.CONFLICT: (
            f"Un collègue a modifié les mêmes données au même moment : {NOTHING_SAVED}. Réessayez."
        ),
        ServerFailure.AUTHENTICATION: (
            f"Le serveur a refusé la connexion (utilisateur ou mot de passe) : {NOTHING_SAVED}."
        ),
        ServerFailure.NO_DATABASE: f"La base n'existe plus sur le serveur : {NOTHING_SAVED}.",
    }
    message = messages.get(
        failure, f"Le serveur a signalé une erreur ({first_line(exc)}) : {NOTHING_SAVED}."
    )
    return ServerError(message, failure)
