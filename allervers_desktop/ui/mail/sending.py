"""Send the outbox from the window: the password asked once per session, the batch off the
GUI thread with a progress dialog whose « Annuler » stops before the next message."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from allervers_desktop.mail.config import (
    MailSettings,
    PasswordUnavailable,
    keyring_user,
    load_mail_settings,
    smtp_password,
)
from allervers_desktop.services.deletion import plural
from allervers_desktop.services.errors import ServiceError
from allervers_desktop.ui.operations import failure_message
from allervers_desktop.ui.tasks import BackgroundTask, ProgressCallback, run_in_background

if TYPE_CHECKING:
    from allervers_desktop.mail.smtp import SendReport
    from allervers_desktop.ui.context import AppContext

TITLE = "Envoi des messages"
OUTBOX_TABLES = frozenset({"outbox_messages"})
# Passwords typed in this session where no keyring holds one: in memory only, never written.
_TYPED: dict[str, str] = {}


def forget_typed_passwords() -> None:
    _TYPED.clear()


def remember_password(settings: MailSettings, password: str) -> None:
    """Keep a typed password for this session (no keyring on this computer)."""
    _TYPED[keyring_user(settings)] = password


def forget_password(settings: MailSettings) -> None:
    """After a refusal: the password is asked again next time."""
    _TYPED.pop(keyring_user(settings), None)


def sending_settings(app: AppContext, parent: QWidget) -> MailSettings | None:
    """The stored set-up when it can send; else the reason shown and None."""
    with app.database.session() as session:
        settings = load_mail_settings(session)
    try:
        settings.require_sender()
        settings.require_server()
    except ServiceError as exc:
        app.prompts.error(parent, TITLE, exc.message)
        return None
    return settings


def password_for(
    app: AppContext, parent: QWidget, settings: MailSettings
) -> tuple[bool, str | None]:
    """(go on, password): from the keyring or the environment, else asked once per session."""
    try:
        return True, smtp_password(settings)
    except PasswordUnavailable as exc:
        key = keyring_user(settings)
        if key in _TYPED:
            return True, _TYPED[key]
        typed = app.prompts.ask_password(
            parent,
            "Mot de passe du serveur d'envoi",
            f"{exc.message}\n\nMot de passe de « {settings.smtp_user} » sur "
            f"{settings.smtp_host} (gardé en mémoire jusqu'à la fermeture du logiciel) :",
        )
        if typed is None:
            return False, None
        remember_password(settings, typed)
        return True, typed
    except ServiceError as exc:
        app.prompts.error(parent, TITLE, exc.message)
        return False, None


def report_text(report: SendReport) -> str:
    lines = [f"{plural(len(report.sent), 'message envoyé', 'messages envoyés')}."]
    if report.failed:
        lines.append(
            f"{plural(len(report.failed), 'échec', 'échecs')} (à réessayer depuis la boîte "
            "d'envoi) :"
        )
        lines += [f"- message n° {number} : {reason}" for number, reason in report.failed]
    if report.cancelled:
        lines.append(
            f"Envoi annulé : {plural(report.pending, 'message reste', 'messages restent')} "
            "en attente dans la boîte d'envoi."
        )
    elif report.stopped:
        lines.append(
            f"{report.stopped} {plural(report.pending, 'message reste', 'messages restent')} "
            "en attente dans la boîte d'envoi."
        )
    return "\n".join(lines)


def send_outbox(
    app: AppContext,
    parent: QWidget,
    ids: list[int] | None,
    on_end: Callable[[SendReport | None], None] | None = None,
    *,
    settings: MailSettings | None = None,
    password: tuple[bool, str | None] | None = None,
) -> BackgroundTask | None:
    """Send the pending messages (of ``ids`` only, when given) in the background; the result
    is shown and the outbox's views reload. None when the set-up or the password is missing."""
    from allervers_desktop.mail.smtp import SmtpError, send_pending

    settings = settings or sending_settings(app, parent)
    if settings is None:
        return None
    go_on, secret = password or password_for(app, parent, settings)
    if not go_on:
        return None
    stop = threading.Event()

    def work(progress: ProgressCallback) -> SendReport:
        def step(done: int, total: int) -> None:
            if not progress(done, total):
                stop.set()

        return send_pending(app.database, settings, secret, ids=ids, cancel=stop, progress=step)

    def finished(report: SendReport) -> None:
        app.operations.announce(OUTBOX_TABLES, None)
        app.status(f"{plural(len(report.sent), 'message envoyé', 'messages envoyés')}.", 8000)
        if report.failed or report.cancelled or report.stopped:
            app.prompts.error(parent, TITLE, report_text(report))
        else:
            app.prompts.inform(parent, TITLE, report_text(report))
        if on_end is not None:
            on_end(report)

    def failed(error: BaseException) -> None:
        if isinstance(error, SmtpError):
            forget_password(settings)  # a wrong password is asked again
        app.operations.announce(OUTBOX_TABLES, None)
        message = failure_message(error)
        if message is None:
            raise error
        app.prompts.error(parent, TITLE, f"{message}\nLes messages restent dans la boîte d'envoi.")
        if on_end is not None:
            on_end(None)

    def cancelled() -> None:
        app.operations.announce(OUTBOX_TABLES, None)
        if on_end is not None:
            on_end(None)

    return run_in_background(
        parent, TITLE, "Envoi des messages…", work, finished, failed, cancelled
    )
