"""Fichier › « Se connecter à un serveur… »: the team server's address, a connection test, and
the database opened off the GUI thread (a dead network never freezes the window)."""

from __future__ import annotations

import getpass
from typing import Any

from PySide6.QtCore import QSettings
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from allervers_desktop.db.connections import (
    DEFAULT_PORT,
    ConnectionFieldError,
    ServerConnection,
    from_fields,
    readable,
    remember,
)
from allervers_desktop.db.database import Database, DatabaseOpenError
from allervers_desktop.db.location import describe
from allervers_desktop.ui.forms.keyboard import FormKeyboard, fit_to_screen
from allervers_desktop.ui.tasks import BackgroundTask, ProgressCallback, run_in_background

RECENT_KEY = "connections/recent"
TITLE = "Se connecter à un serveur"
ERROR_STYLE = "border: 1px solid #c62828;"


class ConnectionCancelled(Exception):
    """The user stopped waiting for the server."""


def recent_connections(settings: QSettings) -> list[str]:
    value: Any = settings.value(RECENT_KEY, [])
    if isinstance(value, str):  # QSettings gives a lone string for a one-item list
        return [value]
    return [str(item) for item in value or []]


def open_connection(connection: ServerConnection, password: str) -> Any:
    """The work run off the GUI thread: connect and check the schema (DatabaseOpenError)."""
    from allervers_desktop.db.server import open_server

    url = connection.url(password)

    def work(progress: ProgressCallback) -> Database:
        database = open_server(url)
        if not progress(1, 1):  # cancelled while connecting: nobody wants it any more
            database.close()
            raise ConnectionCancelled
        return database

    return work


class ServerDialog(QDialog):
    """Host, port, database, user, password; « Tester la connexion »; « Se connecter »."""

    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.database: Database | None = None  # set once connected
        self.task: BackgroundTask | None = None
        self.setWindowTitle(TITLE)
        self.setModal(True)
        intro = QLabel(
            "Les données de l'équipe sur son serveur PostgreSQL. Le mot de passe n'est jamais "
            "enregistré : tapez-le ici, ou laissez-le vide s'il est dans votre fichier "
            "« .pgpass ».",
            self,
        )
        intro.setWordWrap(True)
        self.recent = QComboBox(self)
        self.recent.setObjectName("recent")
        self.connections = readable(recent_connections(settings))
        self.recent.addItem("Nouvelle connexion")
        for connection in self.connections:
            self.recent.addItem(connection.text)
        self.host = QLineEdit(self)
        self.host.setPlaceholderText("pg.exemple.local")
        self.port = QLineEdit(str(DEFAULT_PORT), self)
        self.port.setMaxLength(5)
        self.name = QLineEdit(self)
        self.name.setPlaceholderText("equipe")
        self.user = QLineEdit(_os_user(), self)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("vide : lu dans .pgpass")
        self.fields: dict[str, QLineEdit] = {
            "host": self.host,
            "port": self.port,
            "database": self.name,
            "user": self.user,
        }
        for key, field in (*self.fields.items(), ("password", self.password)):
            field.setObjectName(key)
            field.textEdited.connect(self._clear_problem)
        form = QFormLayout()
        if self.connections:
            form.addRow("Connexions &récentes", self.recent)
        form.addRow("&Serveur", self.host)
        form.addRow("&Port", self.port)
        form.addRow("&Base", self.name)
        form.addRow("&Utilisateur", self.user)
        form.addRow("&Mot de passe", self.password)
        self.message = QLabel(self)
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.hide()
        self.buttons = QDialogButtonBox(self)
        self.test_button = QPushButton("&Tester la connexion", self)
        self.test_button.setObjectName("test")
        self.connect_button = QPushButton("Se &connecter", self)
        self.connect_button.setObjectName("connect")
        cancel = self.buttons.addButton("Annuler", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.addButton(self.test_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.connect_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.test_button.clicked.connect(lambda: self._start(keep=False))
        self.connect_button.clicked.connect(lambda: self._start(keep=True))
        cancel.clicked.connect(self.reject)
        self.recent.currentIndexChanged.connect(self._recent_chosen)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.keyboard = FormKeyboard(self, lambda: self._start(keep=True))
        self.setMinimumWidth(460)
        if self.connections:
            self.recent.setCurrentIndex(1)  # the last one used, ready to connect again

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.keyboard.prepare()
        fit_to_screen(self)
        first = self.password if self.connections else self.host
        first.setFocus()

    # --- fields ------------------------------------------------------------------------------
    def _recent_chosen(self, index: int) -> None:
        if index <= 0:
            return
        chosen = self.connections[index - 1]
        self.host.setText(chosen.host)
        self.port.setText(str(chosen.port))
        self.name.setText(chosen.database)
        self.user.setText(chosen.user)
        self.password.clear()
        self._show("", error=False)

    def _clear_problem(self) -> None:
        for field in self.fields.values():
            field.setStyleSheet("")

    def _show(self, text: str, *, error: bool) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))
        self.message.setProperty("error", error)
        colour = "#b71c1c" if error else "#1b5e20"
        self.message.setStyleSheet(f"QLabel {{ color: {colour}; }}")

    def connection(self) -> ServerConnection | None:
        """The fields as a connection, or None with the wrong field marked and said."""
        self._clear_problem()
        try:
            return from_fields(
                self.host.text(), self.port.text(), self.name.text(), self.user.text()
            )
        except ConnectionFieldError as problem:
            field = self.fields[problem.field]
            field.setStyleSheet(ERROR_STYLE)
            field.setFocus()
            self._show(problem.message, error=True)
            return None

    # --- connecting --------------------------------------------------------------------------
    def _start(self, *, keep: bool) -> None:
        if self.task is not None and self.task.running:
            return
        connection = self.connection()
        if connection is None:
            return
        self._show(f"Connexion à {connection.host}…", error=False)
        self.task = run_in_background(
            self,
            TITLE,
            f"Connexion à la base « {connection.database} » sur {connection.host}…",
            open_connection(connection, self.password.text()),
            lambda database: self._connected(connection, database, keep),
            self._failed,
            lambda: self._show("Connexion abandonnée.", error=True),
        )

    def _connected(self, connection: ServerConnection, database: Database, keep: bool) -> None:
        self.settings.setValue(RECENT_KEY, remember(recent_connections(self.settings), connection))
        self.settings.sync()
        if not keep:
            where = describe(database.url)
            database.close()
            self._show(f"Connexion réussie : {where}, base à jour.", error=False)
            return
        self.database = database
        self.accept()

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, DatabaseOpenError):
            self._show(error.message, error=True)
            if error.kind == "authentication":
                self.password.setFocus()
                self.password.selectAll()
            return
        raise error  # a bug: the last-resort handler shows and logs it

    def reject(self) -> None:
        if self.task is not None and self.task.running:
            self.task.cancel()
        super().reject()


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (some containers)
        return ""
