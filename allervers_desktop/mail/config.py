"""Sending set-up (sender, SMTP server) in the settings table; the password never is.

The password comes from ``ALLERVERS_SMTP_PASSWORD`` (scripts), else from the operating
system's keyring (``keyring``, service « allervers-smtp », user « utilisateur@serveur »)."""

from __future__ import annotations

import enum
import os
import re
from dataclasses import dataclass

from sqlalchemy.orm import Session

from allervers_desktop.services.errors import ServiceError
from allervers_desktop.services.settings import get_setting, set_setting

PASSWORD_VARIABLE = "ALLERVERS_SMTP_PASSWORD"
KEYRING_SERVICE = "allervers-smtp"
_PREFIX = "mail."
_ADDRESS = re.compile(r"^[^@\s,;<>()\"]+@[^@\s,;<>()\"]+\.[A-Za-z0-9-]{2,}$")


class Security(enum.StrEnum):
    NONE = "none"
    STARTTLS = "starttls"
    SSL = "ssl"


DEFAULT_PORTS = {Security.NONE: 25, Security.STARTTLS: 587, Security.SSL: 465}


class PasswordUnavailable(ServiceError):
    """No password to give: no keyring on this computer, or none stored for this login.
    The window then asks for it once per session (kept in memory only)."""


def is_valid_address(text: str | None) -> bool:
    """A plausible single e-mail address (« helene.muller@exemple.fr »)."""
    return text is not None and _ADDRESS.match(text.strip()) is not None


@dataclass(frozen=True)
class MailSettings:
    sender: str = ""
    smtp_host: str = ""
    smtp_port: int = 0
    smtp_security: Security = Security.STARTTLS
    smtp_user: str = ""

    @property
    def port(self) -> int:
        return self.smtp_port or DEFAULT_PORTS[self.smtp_security]

    def require_sender(self) -> str:
        if not self.sender:
            raise ServiceError(
                "Aucune adresse d'expéditeur : indiquez-la dans Messages › Paramètres d'envoi "
                "(ou allervers settings --sender ADRESSE)."
            )
        return self.sender

    def require_server(self) -> None:
        if not self.smtp_host:
            raise ServiceError(
                "Aucun serveur d'envoi : indiquez-le dans Messages › Paramètres d'envoi "
                "(ou allervers settings --smtp-host SERVEUR), ou écrivez des brouillons .eml."
            )


def load_mail_settings(session: Session) -> MailSettings:
    port = get_setting(session, _PREFIX + "smtp_port")
    security = get_setting(session, _PREFIX + "smtp_security", Security.STARTTLS.value)
    return MailSettings(
        sender=get_setting(session, _PREFIX + "sender"),
        smtp_host=get_setting(session, _PREFIX + "smtp_host"),
        smtp_port=int(port) if port.isdigit() else 0,
        smtp_security=Security(security) if security in set(Security) else Security.STARTTLS,
        smtp_user=get_setting(session, _PREFIX + "smtp_user"),
    )


def save_mail_settings(session: Session, settings: MailSettings) -> MailSettings:
    """Check and store the set-up (inside the caller's transaction)."""
    if settings.sender and not is_valid_address(settings.sender):
        raise ServiceError(f"Adresse d'expéditeur invalide : « {settings.sender} ».")
    if not 0 <= settings.smtp_port <= 65535:
        raise ServiceError(f"Port invalide : {settings.smtp_port} (de 1 à 65535).")
    if any(c.isspace() for c in settings.smtp_host):
        raise ServiceError(f"Nom de serveur invalide : « {settings.smtp_host} ».")
    values = {
        "sender": settings.sender.strip(),
        "smtp_host": settings.smtp_host.strip(),
        "smtp_port": str(settings.smtp_port) if settings.smtp_port else "",
        "smtp_security": settings.smtp_security.value,
        "smtp_user": settings.smtp_user.strip(),
    }
    for key, value in values.items():
        set_setting(session, _PREFIX + key, value)
    return load_mail_settings(session)


def keyring_user(settings: MailSettings) -> str:
    return f"{settings.smtp_user}@{settings.smtp_host}"


def smtp_password(settings: MailSettings) -> str | None:
    """The password for ``smtp_user`` (None when no user: the server takes no login)."""
    if not settings.smtp_user:
        return None
    from_environment = os.environ.get(PASSWORD_VARIABLE)
    if from_environment:
        return from_environment
    import keyring
    from keyring.errors import KeyringError, NoKeyringError

    try:
        stored = keyring.get_password(KEYRING_SERVICE, keyring_user(settings))
    except NoKeyringError:
        raise PasswordUnavailable(
            "Aucun trousseau de mots de passe n'est disponible sur cet ordinateur : donnez le "
            f"mot de passe dans la variable {PASSWORD_VARIABLE} (il n'est jamais enregistré "
            "en clair)."
        ) from None
    except KeyringError as exc:
        raise PasswordUnavailable(
            f"Le trousseau de mots de passe n'a pas répondu ({exc}) : donnez le mot de passe "
            f"dans la variable {PASSWORD_VARIABLE}."
        ) from None
    if not stored:
        raise PasswordUnavailable(
            f"Aucun mot de passe enregistré pour {keyring_user(settings)} : enregistrez-le "
            "dans le trousseau (Messages › Paramètres d'envoi) ou donnez-le dans la variable "
            f"{PASSWORD_VARIABLE}."
        )
    return stored


def store_password(settings: MailSettings, password: str) -> None:
    """Keep the password in the keyring; refuse (French) where there is none."""
    import keyring
    from keyring.errors import KeyringError, NoKeyringError, PasswordSetError

    try:
        keyring.set_password(KEYRING_SERVICE, keyring_user(settings), password)
    except NoKeyringError:
        raise ServiceError(
            "Aucun trousseau de mots de passe n'est disponible sur cet ordinateur : le mot de "
            f"passe n'a pas été enregistré (utilisez la variable {PASSWORD_VARIABLE})."
        ) from None
    except (PasswordSetError, KeyringError) as exc:
        raise ServiceError(f"Le mot de passe n'a pas pu être enregistré : {exc}.") from None
