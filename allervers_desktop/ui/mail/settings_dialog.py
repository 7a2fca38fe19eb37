"""« Paramètres d'envoi » : the sender, the SMTP server, the password kept in the keyring, the
reminders' delay, and « Envoyer un message de test »."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPushButton, QSpinBox, QWidget
from sqlalchemy.orm import Session

from allervers_desktop.mail.config import (
    DEFAULT_PORTS,
    MailSettings,
    Security,
    load_mail_settings,
    save_mail_settings,
    store_password,
)
from allervers_desktop.mail.reminders import MAX_REMINDER_DAYS, reminder_days, set_reminder_days
from allervers_desktop.services.errors import ServiceError
from allervers_desktop.ui.forms.form_dialog import FormDialog
from allervers_desktop.ui.forms.widgets import line_edit
from allervers_desktop.ui.mail import sending
from allervers_desktop.ui.operations import failure_message
from allervers_desktop.ui.tasks import BackgroundTask, ProgressCallback, run_in_background

if TYPE_CHECKING:
    from allervers_desktop.ui.context import AppContext

SECURITY_LABELS = {
    Security.STARTTLS: "STARTTLS (port 587, le plus courant)",
    Security.SSL: "SSL/TLS (port 465)",
    Security.NONE: "Aucune (réseau interne seulement)",
}
TEST_TITLE = "Message de test"


class MailSettingsForm(FormDialog):
    def __init__(self, app: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(app.database, "Paramètres d'envoi des messages", parent)
        self.setObjectName("mail_settings")
        self.app = app
        self.task: BackgroundTask | None = None
        self.password_kept_in_memory = False
        with app.database.session() as session:
            current = load_mail_settings(session)
            days = reminder_days(session)
        intro = QLabel(
            "Les messages partent par le serveur d'envoi (SMTP) de votre messagerie. Sans "
            "accès au serveur, écrivez des brouillons .eml à ouvrir dans Outlook ou Thunderbird.",
            self,
        )
        intro.setWordWrap(True)
        self.body.addWidget(intro)
        form = self.new_form_layout()
        self.sender_field = self.register(
            "sender", line_edit(self, current.sender, "ex. coordination@opco-sante.fr")
        )
        self.host = self.register(
            "smtp_host", line_edit(self, current.smtp_host, "ex. smtp.office365.com")
        )
        self.security = self.register("smtp_security", QComboBox(self))
        for security, label in SECURITY_LABELS.items():
            self.security.addItem(label, security.value)
        self.security.setCurrentIndex(self.security.findData(current.smtp_security.value))
        self.port = self.register("smtp_port", QSpinBox(self))
        self.port.setRange(0, 65535)
        self.port.setSpecialValueText("par défaut")
        self.port.setValue(current.smtp_port)
        self.user = self.register(
            "smtp_user", line_edit(self, current.smtp_user, "vide : le serveur ne demande rien")
        )
        self.password = self.register("password", QLineEdit(self))
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("inchangé — gardé dans le trousseau du système")
        self.days = self.register("reminder_days", QSpinBox(self))
        self.days.setRange(1, MAX_REMINDER_DAYS)
        self.days.setSuffix(" jours avant le premier jour")
        self.days.setValue(days)
        self.test_button = QPushButton("Envoyer un message de &test", self)
        self.test_button.setObjectName("send_test")
        self.test_button.setToolTip("À l'adresse d'expéditeur, avec les réglages saisis ici.")
        self.test_button.clicked.connect(self.send_test)
        self.test_result = QLabel(self)
        self.test_result.setObjectName("test_result")
        self.test_result.setWordWrap(True)
        form.addRow("Adresse d'expéditeur", self.sender_field)
        form.addRow("Serveur d'envoi", self.host)
        form.addRow("Sécurité", self.security)
        form.addRow("Port", self.port)
        form.addRow("Identifiant", self.user)
        form.addRow("Mot de passe", self.password)
        form.addRow("Rappel", self.days)
        form.addRow("", self.test_button)
        form.addRow("", self.test_result)
        self.body.addLayout(form)
        self.security.currentIndexChanged.connect(self._default_port_hint)
        self._default_port_hint()
        self.resize(620, 0)

    def _default_port_hint(self) -> None:
        security = Security(self.security.currentData())
        self.port.setSpecialValueText(f"par défaut ({DEFAULT_PORTS[security]})")

    def data(self) -> MailSettings:
        return MailSettings(
            sender=self.sender_field.text().strip(),
            smtp_host=self.host.text().strip(),
            smtp_port=self.port.value(),
            smtp_security=Security(self.security.currentData()),
            smtp_user=self.user.text().strip(),
        )

    def save(self, session: Session) -> int:
        saved = save_mail_settings(session, self.data())
        set_reminder_days(session, self.days.value())
        typed = self.password.text()
        if typed and saved.smtp_user:
            try:
                store_password(saved, typed)
            except ServiceError:  # no keyring here: kept in memory for this session only
                sending.remember_password(saved, typed)
                self.password_kept_in_memory = True
        return 0

    # --- test message --------------------------------------------------------------------
    def send_test(self) -> None:
        """Straight to the server with the settings as typed (nothing saved), off the GUI
        thread: a server that does not answer keeps the window responsive."""
        from allervers_desktop.mail.smtp import send_test_message

        settings = self.data()
        try:
            settings.require_sender()
            settings.require_server()
        except ServiceError as exc:
            self._show_test(exc.message, ok=False)
            return
        typed = self.password.text()
        if typed or not settings.smtp_user:
            password: tuple[bool, str | None] = (True, typed or None)
        else:
            password = sending.password_for(self.app, self, settings)
        if not password[0]:
            return
        self.test_button.setEnabled(False)
        self._show_test("Envoi du message de test…", ok=True)

        def work(progress: ProgressCallback) -> str:
            progress(0, 0)
            return send_test_message(settings, password[1])

        self.task = run_in_background(
            self, TEST_TITLE, "Envoi du message de test…", work, self._test_sent,
            self._test_failed, self._test_cancelled,
        )  # fmt: skip

    def _show_test(self, text: str, *, ok: bool) -> None:
        self.test_result.setStyleSheet("color: #1b5e20;" if ok else "color: #b71c1c;")
        self.test_result.setText(text)

    def _test_sent(self, address: str) -> None:
        self.task = None
        self.test_button.setEnabled(True)
        self._show_test(
            f"Message de test envoyé à {address} : vérifiez qu'il est bien arrivé.", ok=True
        )

    def _test_failed(self, error: BaseException) -> None:
        self.task = None
        self.test_button.setEnabled(True)
        message = failure_message(error)
        if message is None:
            raise error
        sending.forget_password(self.data())
        self._show_test(message, ok=False)

    def _test_cancelled(self) -> None:
        self.task = None
        self.test_button.setEnabled(True)
        self._show_test("Message de test annulé.", ok=False)
