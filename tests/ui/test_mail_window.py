"""E-mail from the window: preview, send over a real SMTP server, drafts, the outbox, the
set-up with its test message, the templates and the reminders due."""

from __future__ import annotations

import datetime as dt
from email import policy
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from allervers_desktop.db.database import Database
from allervers_desktop.db.models import OutboxMessage
from allervers_desktop.mail.config import MailSettings, load_mail_settings, save_mail_settings
from allervers_desktop.services.groups import DayData, GroupData, create_group
from allervers_desktop.ui.mail import sending
from allervers_desktop.ui.mail.outbox_dialog import OutboxDialog
from allervers_desktop.ui.mail.send_dialog import SendDialog
from allervers_desktop.ui.mail.settings_dialog import MailSettingsForm
from allervers_desktop.ui.mail.templates_dialog import TemplatesDialog
from allervers_desktop.ui.main_window import MainWindow
from tests.ui.conftest import ScriptedPrompts, _make_window
from tests.unit.mail import conftest as mail_fixtures
from tests.unit.mail.conftest import (
    PASSWORD,
    SENDER,
    USER,
    MailGroup,
    SmtpServer,
    _authenticate,
    _server,
)

# The mail tests' fixtures: a real SMTP server on 127.0.0.1 and a group to write to (the
# window prepares the documents' fonts itself).
mail_group = mail_fixtures.mail_group
smtp_server = mail_fixtures.smtp_server


@pytest.fixture
def mail_window(
    qtbot: Any, database: Database, mail_group: MailGroup, prompts: ScriptedPrompts, settings: Any
) -> MainWindow:
    window = _make_window(qtbot, database, prompts, settings)
    window.show_tab("groups").view.selectRow(0)
    qtbot.waitUntil(lambda: window.mail_menu.group_id == mail_group.group_id)
    return window


@pytest.fixture(autouse=True)
def no_typed_password() -> Any:
    sending.forget_typed_passwords()
    yield
    sending.forget_typed_passwords()


def _point_at(database: Database, server: SmtpServer, **changes: Any) -> None:
    with database.transaction() as session:
        save_mail_settings(session, server.settings(**changes))


def _outbox(database: Database) -> list[tuple[str, str, str]]:
    with database.session() as session:
        return [
            (row.kind, row.to_addresses, row.status)
            for row in session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
        ]


def _composed(qtbot: Any, dialog: SendDialog) -> None:
    qtbot.waitUntil(lambda: dialog.composition is not None or dialog.task is None, timeout=30000)
    qtbot.waitUntil(lambda: dialog.task is None, timeout=30000)


def test_convocations_previewed_then_sent(
    qtbot: Any,
    mail_window: MainWindow,
    prompts: ScriptedPrompts,
    smtp_server: SmtpServer,
    database: Database,
) -> None:
    _point_at(database, smtp_server)
    seen: dict[str, Any] = {}

    def handle(dialog: Any) -> None:
        assert isinstance(dialog, SendDialog)
        _composed(qtbot, dialog)
        seen["summary"] = dialog.summary.text()
        seen["preview"] = dialog.preview.toPlainText()
        seen["not_reached"] = dialog.not_reached_model.stringList()
        seen["rows"] = dialog.model.rowCount()
        qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not dialog.isVisible() or dialog.result() != 0, timeout=30000)
        qtbot.waitUntil(lambda: dialog.task is None or not dialog.task.running, timeout=30000)

    prompts.dialog_handlers.append(handle)
    mail_window.mail_menu.group_actions["convocation"].trigger()
    assert seen["rows"] == 3
    assert "3 messages à envoyer" in seen["summary"]
    assert "2 destinataires sans adresse utilisable" in seen["summary"]
    assert any("KLEIN Amélie : pas d'adresse électronique" in line for line in seen["not_reached"])
    assert any("francois.hoffmann@" in line for line in seen["not_reached"])
    preview = seen["preview"]
    assert "Objet : Convocation : La pratique de l'Aller Vers" in preview
    assert "Pièces jointes : Convocation - " in preview and ".ics" in preview
    assert "Bonjour" in preview
    qtbot.waitUntil(lambda: len(smtp_server.mailbox.received) == 3, timeout=30000)
    assert sorted(r.message["To"] for r in smtp_server.mailbox.received) == [
        "celine.weber@exemple.fr",
        "helene.muller@exemple.fr",
        "loic.schneider@exemple.fr",
    ]
    qtbot.waitUntil(lambda: prompts.messages("inform") != [])
    assert prompts.messages("inform")[-1].startswith("3 messages envoyés")
    assert [status for _kind, _to, status in _outbox(database)] == ["sent"] * 3


def test_no_server_refuses_before_queuing(
    qtbot: Any, mail_window: MainWindow, prompts: ScriptedPrompts, database: Database
) -> None:
    def handle(dialog: Any) -> None:
        _composed(qtbot, dialog)
        qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
        dialog.reject()

    prompts.dialog_handlers.append(handle)
    mail_window.mail_menu.group_actions["reminder"].trigger()
    assert "Aucun serveur d'envoi" in prompts.messages("error")[-1]
    assert _outbox(database) == []


def test_employer_lists_written_as_drafts(
    qtbot: Any,
    mail_window: MainWindow,
    prompts: ScriptedPrompts,
    database: Database,
    tmp_path: Path,
) -> None:
    folder = tmp_path / "brouillons"
    folder.mkdir()
    prompts.files.append(str(folder))
    prompts.choice_answers.append("Fermer")

    def handle(dialog: Any) -> None:
        _composed(qtbot, dialog)
        qtbot.mouseClick(dialog.drafts_button, Qt.MouseButton.LeftButton)

    prompts.dialog_handlers.append(handle)
    mail_window.mail_menu.group_actions["employer_list"].trigger()
    drafts = sorted(folder.glob("*.eml"))
    assert [p.name for p in drafts] == [
        "Inscrits - direction@foyer-eloi.fr.eml",
        "Inscrits - rh@relais-ill.fr.eml",
    ]
    parsed = BytesParser(policy=policy.default).parsebytes(drafts[1].read_bytes())
    assert parsed["X-Unsent"] == "1"
    body = parsed.get_body(preferencelist=("plain",))
    assert body is not None and "MULLER Hélène" in body.get_content()
    assert "2 brouillons écrits" in prompts.shown[-1][2]
    assert _outbox(database) == []  # drafts do not go through the outbox


def test_free_message_checked_then_queued(
    qtbot: Any, mail_window: MainWindow, prompts: ScriptedPrompts, database: Database
) -> None:
    seen: dict[str, str] = {}

    def handle(dialog: Any) -> None:
        assert dialog.subject is not None and dialog.body is not None
        dialog.subject.setText("Changement de salle {inconnu}")
        qtbot.mouseClick(dialog.prepare_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.task is None, timeout=30000)
        seen["refused"] = dialog.summary.text()
        assert not dialog.queue_button.isEnabled()
        dialog.subject.clear()
        qtbot.keyClicks(dialog.subject, "Changement de salle pour {groupe}")
        qtbot.mouseClick(dialog.prepare_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.composition is not None, timeout=30000)
        seen["preview"] = dialog.preview.toPlainText()
        qtbot.mouseClick(dialog.queue_button, Qt.MouseButton.LeftButton)

    prompts.dialog_handlers.append(handle)
    mail_window.mail_menu.group_actions["free"].trigger()
    assert "Champ inconnu {inconnu}" in seen["refused"]
    assert "Objet : Changement de salle pour Groupe 1" in seen["preview"]
    assert [(k, s) for k, _to, s in _outbox(database)] == [("free", "pending")] * 3
    assert "3 messages mis dans la boîte d'envoi" in mail_window.statusBar().currentMessage()


def test_outbox_keeps_failures_and_sends_after_retry(
    qtbot: Any,
    mail_window: MainWindow,
    prompts: ScriptedPrompts,
    smtp_server: SmtpServer,
    database: Database,
    mail_group: MailGroup,
) -> None:
    from allervers_desktop.mail.compose import MailKind, compose
    from allervers_desktop.mail.outbox import queue

    _point_at(database, smtp_server)
    with database.session() as session:
        composition = compose(session, MailKind.REMINDER, mail_group.group_id)
    with database.transaction() as session:
        queue(session, composition.messages)
    smtp_server.mailbox.refuse.add("loic.schneider@exemple.fr")
    app = mail_window.context
    dialog = OutboxDialog(app, mail_window, shown="À envoyer (en attente)")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.model.rowCount() == 3
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.task is None or not dialog.task.running, timeout=30000)
    qtbot.waitUntil(lambda: prompts.messages("error") != [], timeout=30000)
    report = prompts.messages("error")[-1]
    assert report.startswith("2 messages envoyés.\n1 échec")
    assert "550" in report
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 0)  # nothing left pending
    dialog.filter.setCurrentText("En échec")
    assert dialog.model.rowCount() == 1
    dialog.view.selectRow(0)
    assert "Réponse du serveur : " in dialog.preview.toPlainText()
    assert dialog.retry_button.isEnabled() and dialog.discard_button.isEnabled()
    smtp_server.mailbox.refuse.clear()
    qtbot.mouseClick(dialog.retry_button, Qt.MouseButton.LeftButton)
    assert dialog.model.rowCount() == 0
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(smtp_server.mailbox.received) == 3, timeout=30000)
    qtbot.waitUntil(lambda: dialog.task is None or not dialog.task.running, timeout=30000)
    dialog.filter.setCurrentText("Envoyés (journal)")
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 3)
    assert len(set(smtp_server.mailbox.message_ids())) == 3  # nothing sent twice
    dialog.view.selectAll()
    assert not dialog.discard_button.isEnabled()  # the log stays


def test_outbox_discards_unsent_messages(
    qtbot: Any, mail_window: MainWindow, prompts: ScriptedPrompts, database: Database,
    mail_group: MailGroup,
) -> None:  # fmt: skip
    from allervers_desktop.mail.compose import MailKind, compose
    from allervers_desktop.mail.outbox import queue

    with database.session() as session:
        composition = compose(session, MailKind.EMPLOYER_LIST, mail_group.group_id)
    with database.transaction() as session:
        queue(session, composition.messages)
    dialog = OutboxDialog(mail_window.context, mail_window, group_id=mail_group.group_id)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.count.text() == "2 messages"
    dialog.view.selectRow(0)
    prompts.confirm_answers.append(True)
    qtbot.mouseClick(dialog.discard_button, Qt.MouseButton.LeftButton)
    assert dialog.model.rowCount() == 1
    assert len(_outbox(database)) == 1


def test_password_asked_once_per_session_where_no_keyring(
    qtbot: Any,
    mail_window: MainWindow,
    prompts: ScriptedPrompts,
    database: Database,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A plain-text server with a login; no keyring holds the password here."""
    import keyring
    from aiosmtpd.controller import Controller
    from keyring.backends.fail import Keyring as NoKeyring

    monkeypatch.delenv("ALLERVERS_SMTP_PASSWORD", raising=False)
    previous = keyring.get_keyring()
    keyring.set_keyring(NoKeyring())  # type: ignore[no-untyped-call]
    servers = _server(
        lambda mailbox, port: Controller(
            mailbox, hostname="127.0.0.1", port=port, authenticator=_authenticate(mailbox),
            auth_require_tls=False,
        )
    )  # fmt: skip
    server = next(servers)
    try:
        _point_at(database, server, smtp_user=USER)
        prompts.texts += ["mauvais", PASSWORD]
        form = MailSettingsForm(mail_window.context, mail_window)
        qtbot.addWidget(form)
        form.show()
        qtbot.mouseClick(form.test_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: form.task is None, timeout=30000)
        assert "refus" in form.test_result.text().lower() or "mot de passe" in (
            form.test_result.text().lower()
        )
        qtbot.mouseClick(form.test_button, Qt.MouseButton.LeftButton)  # asked again
        qtbot.waitUntil(lambda: form.task is None, timeout=30000)
        assert form.test_result.text().startswith(f"Message de test envoyé à {SENDER}")
        qtbot.mouseClick(form.test_button, Qt.MouseButton.LeftButton)  # not asked a third time
        qtbot.waitUntil(lambda: form.task is None, timeout=30000)
        assert len([s for s in prompts.shown if s[0] == "password"]) == 2
        assert len(server.mailbox.received) == 2
        assert (
            "Aucun trousseau" in prompts.shown[0][2]
            or "Aucun mot de passe" in (prompts.shown[0][2])
        )
    finally:
        keyring.set_keyring(previous)
        server.stop()


def test_settings_form_saves_and_refuses_bad_values(
    qtbot: Any, mail_window: MainWindow, prompts: ScriptedPrompts, database: Database
) -> None:
    form = MailSettingsForm(mail_window.context, mail_window)
    qtbot.addWidget(form)
    form.show()
    form.sender_field.clear()
    qtbot.keyClicks(form.sender_field, "coordination@opco")
    form.accept()
    assert "Adresse d'expéditeur invalide" in form.error_label.text()
    form.sender_field.clear()
    qtbot.keyClicks(form.sender_field, "coordination@opco-sante.fr")
    qtbot.keyClicks(form.host, "smtp.opco-sante.fr")
    form.security.setCurrentIndex(form.security.findData("ssl"))
    form.days.setValue(10)
    form.accept()
    assert form.result() == 1
    with database.session() as session:
        saved = load_mail_settings(session)
        from allervers_desktop.mail.reminders import reminder_days

        assert reminder_days(session) == 10
    assert saved == MailSettings(
        sender="coordination@opco-sante.fr", smtp_host="smtp.opco-sante.fr",
        smtp_security=saved.smtp_security, smtp_port=0,
    )  # fmt: skip
    assert saved.smtp_security.value == "ssl" and saved.port == 465


def test_templates_checked_previewed_and_saved(
    qtbot: Any, mail_window: MainWindow, prompts: ScriptedPrompts, database: Database,
    mail_group: MailGroup,
) -> None:  # fmt: skip
    from allervers_desktop.mail.templates import TemplateKind, load_template

    prompts.confirm_answers.append(True)  # should the test fail: close without a question
    dialog = TemplatesDialog(
        mail_window.context, mail_window, mail_group.group_id, "Groupe 1 – Strasbourg"
    )
    qtbot.addWidget(dialog)
    dialog.show()
    assert "À : " in dialog.preview.toPlainText()
    assert "Vous êtes inscrit(e)" in dialog.preview.toPlainText()
    dialog.subject.setText("")
    qtbot.keyClicks(dialog.subject, "Votre convocation {date}")
    assert "Champ inconnu {date}" in dialog.check.text()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "Champ inconnu {date}" in prompts.messages("error")[-1]
    qtbot.keyClick(dialog.subject, Qt.Key.Key_Backspace)
    qtbot.keyClicks(dialog.subject, "s} - {prenom} {nom}")
    assert dialog.check.text() == "Le modèle est correct."
    dialog.refresh_preview()
    assert "Objet : Votre convocation " in dialog.preview.toPlainText()
    assert "Hélène MULLER" in dialog.preview.toPlainText()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    with database.session() as session:
        saved = load_template(session, TemplateKind.CONVOCATION)
    assert saved.subject == "Votre convocation {dates} - {prenom} {nom}"


def test_reminders_due_listed_and_prepared(
    qtbot: Any, mail_window: MainWindow, prompts: ScriptedPrompts, database: Database,
    mail_group: MailGroup, smtp_server: SmtpServer,
) -> None:  # fmt: skip
    """TEST_NOW is 3 June 2024: a group on 7 June is due for its reminder (J-7)."""
    from allervers_desktop.db.models import Group
    from allervers_desktop.services.enrollments import enroll

    _point_at(database, smtp_server)
    with database.transaction() as session:
        course_id = session.get(Group, mail_group.group_id).course_id  # type: ignore[union-attr]
        soon = create_group(
            session,
            GroupData(
                course_id=course_id, label="Groupe 2", city="Colmar",
                days=[DayData(dt.date(2024, 6, 7))],
            ),
        )  # fmt: skip
        for person in ("MULLER", "WEBER"):
            enroll(session, soon.id, mail_group.participants[person])
    menu = mail_window.mail_menu
    menu.announce_due()
    assert mail_window.statusBar().currentMessage() == (
        "Rappels à envoyer pour 1 groupe(s) : Messages › Rappels à envoyer."
    )
    menu.refresh()
    assert menu.due_action.text() == "Rappels à en&voyer (1)…"
    seen: dict[str, Any] = {}

    def due(dialog: Any) -> None:
        seen["rows"] = [dialog.model.row_at(0).group_label, dialog.model.rowCount()]
        qtbot.mouseClick(dialog.prepare_button, Qt.MouseButton.LeftButton)
        seen["after"] = dialog.model.rowCount()

    def send(dialog: Any) -> None:
        _composed(qtbot, dialog)
        seen["title"] = dialog.windowTitle()
        qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: len(smtp_server.mailbox.received) == 2, timeout=30000)
        qtbot.waitUntil(lambda: dialog.task is None or not dialog.task.running, timeout=30000)

    prompts.dialog_handlers += [due, send]
    menu.due_action.trigger()
    assert seen["rows"] == ["Groupe 2", 1]
    assert seen["title"].startswith("Relancer les participants — La pratique de l'Aller Vers")
    assert seen["after"] == 0  # reminded: no longer due
    menu.refresh()
    assert menu.due_action.text() == "Rappels à en&voyer…"
    with database.session() as session:
        assert session.scalar(select(func.count(OutboxMessage.id))) == 2


def test_group_pane_has_the_messages_menu(mail_window: MainWindow) -> None:
    detail = mail_window.groups_tab.group_detail
    assert detail.messages_button.menu() is mail_window.mail_menu
    assert mail_window.mail_menu.scope_action.text() == "La pratique de l'Aller Vers — Groupe 1"


def test_cancel_stops_before_the_next_message(
    qtbot: Any, mail_window: MainWindow, prompts: ScriptedPrompts, database: Database,
    mail_group: MailGroup, smtp_server: SmtpServer,
) -> None:  # fmt: skip
    """« Annuler » while the second message is with the server: that one ends (sent), the
    third stays pending, nothing is half-sent."""
    from allervers_desktop.mail.compose import MailKind, compose
    from allervers_desktop.mail.outbox import queue

    _point_at(database, smtp_server)
    with database.session() as session:
        composition = compose(session, MailKind.REMINDER, mail_group.group_id)
    with database.transaction() as session:
        queue(session, composition.messages)
    smtp_server.mailbox.hold_at = 2
    dialog = OutboxDialog(mail_window.context, mail_window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(smtp_server.mailbox.held.is_set, timeout=30000)
    assert dialog.task is not None
    from PySide6.QtWidgets import QPushButton

    cancel = dialog.task.dialog.findChild(QPushButton)
    assert cancel is not None and cancel.text() == "Annuler"
    cancel.click()  # the progress dialog's « Annuler »
    smtp_server.mailbox.release.set()
    qtbot.waitUntil(lambda: dialog.task is None or not dialog.task.running, timeout=30000)
    qtbot.waitUntil(lambda: prompts.messages("error") != [], timeout=30000)
    assert prompts.messages("error")[-1] == (
        "2 messages envoyés.\nEnvoi annulé : 1 message reste en attente dans la boîte d'envoi."
    )
    assert sorted(status for _k, _to, status in _outbox(database)) == ["pending", "sent", "sent"]
    assert len(smtp_server.mailbox.received) == 2


def test_a_persons_sent_log_from_the_participants_tab(
    qtbot: Any, mail_window: MainWindow, prompts: ScriptedPrompts, database: Database,
    mail_group: MailGroup,
) -> None:  # fmt: skip
    from allervers_desktop.mail.compose import MailKind, compose
    from allervers_desktop.mail.outbox import queue

    with database.session() as session:
        for kind in (MailKind.CONVOCATION, MailKind.REMINDER):
            messages = compose(session, kind, mail_group.group_id).messages
            with database.transaction() as writing:
                queue(writing, messages)
    mail_window.show_tab("participants")
    tab = mail_window.participants_tab
    tab.search_field.setText("MULLER")
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1)
    tab.view.selectRow(0)
    seen: dict[str, Any] = {}

    def handle(dialog: Any) -> None:
        seen["title"] = dialog.windowTitle()
        seen["rows"] = [dialog.model.index(r, 2).data() for r in range(dialog.model.rowCount())]
        seen["to"] = {dialog.model.index(r, 4).data() for r in range(dialog.model.rowCount())}

    prompts.dialog_handlers.append(handle)
    tab.messages_action.trigger()
    assert seen["title"] == "Boîte d'envoi — MULLER Hélène"
    assert sorted(seen["rows"]) == ["Convocation", "Rappel"]
    assert seen["to"] == {"helene.muller@exemple.fr"}
