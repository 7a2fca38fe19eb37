"""The « Messages » menu: the group's messages (convocations, lists to the employers,
reminders, certificates, a free message, its sent log), the outbox, the reminders due, the
sending set-up and the templates. One menu serves the menu bar and the group's pane."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMenu, QWidget
from sqlalchemy import select

from allervers_desktop.db.models import Course, Group

if TYPE_CHECKING:
    from PySide6.QtGui import QAction

    from allervers_desktop.mail.compose import MailKind
    from allervers_desktop.ui.context import AppContext

NO_GROUP = "Sélectionnez un groupe dans l'onglet Groupes"
# MailKind values -> menu entries (the mail package is imported when first used).
GROUP_ENTRIES = {
    "convocation": "Envoyer les &convocations…",
    "employer_list": "Envoyer la liste des inscrits aux &établissements…",
    "reminder": "&Relancer les participants…",
    "certificates": "Envoyer les &attestations aux établissements…",
    "free": "Message &libre aux participants…",
}


class MailMenu(QMenu):
    """The window calls ``set_group`` when the group shown in the Groupes tab changes."""

    def __init__(self, app: AppContext, parent: QWidget | None = None) -> None:
        super().__init__("&Messages", parent if parent is not None else app.window)
        self.setObjectName("mail_menu")
        self.app = app
        self.group_id: int | None = None
        self.group_title = ""
        self.scope_action = self.addAction(NO_GROUP)
        self.scope_action.setEnabled(False)
        self.group_actions: dict[str, QAction] = {}
        for kind, text in GROUP_ENTRIES.items():
            action = self.addAction(text)
            action.triggered.connect(lambda _checked=False, k=kind: self.compose(k))
            self.group_actions[kind] = action
        self.group_log_action = self.addAction("Messages du &groupe (journal)…")
        self.group_log_action.triggered.connect(self.show_group_log)
        self.addSeparator()
        self.due_action = self.addAction("Rappels à en&voyer…")
        self.due_action.triggered.connect(self.show_due)
        self.outbox_action = self.addAction("&Boîte d'envoi…")
        self.outbox_action.setShortcut(QKeySequence("Ctrl+Shift+M"))
        self.outbox_action.triggered.connect(lambda: self.show_outbox())
        self.addSeparator()
        self.settings_action = self.addAction("&Paramètres d'envoi…")
        self.settings_action.triggered.connect(self.edit_settings)
        self.templates_action = self.addAction("&Modèles des messages…")
        self.templates_action.triggered.connect(self.edit_templates)
        self.aboutToShow.connect(self.refresh)
        self._enable()

    def editing_actions(self) -> list[QAction]:
        """What writes (disabled for a read-only login)."""
        return [*self.group_actions.values(), self.settings_action, self.templates_action]

    def set_group(self, group_id: int | None) -> None:
        self.group_id = group_id
        self.group_title = ""
        if group_id is not None:
            with self.app.database.session() as session:
                row = session.execute(
                    select(Course.title, Group.label)
                    .join(Course, Group.course_id == Course.id)
                    .where(Group.id == group_id)
                ).first()
            self.group_title = f"{row[0]} — {row[1]}" if row else ""
        self._enable()

    def _enable(self) -> None:
        enabled = self.group_id is not None
        for action in [*self.group_actions.values(), self.group_log_action]:
            action.setEnabled(enabled)
        self.scope_action.setText(self.group_title or NO_GROUP)

    def refresh(self) -> None:
        """The reminders' count, read when the menu opens (one small query)."""
        from allervers_desktop.ui.mail.reminders_dialog import load_due

        due, days = load_due(self.app)
        self.due_action.setText(
            f"Rappels à en&voyer ({len(due)})…" if due else "Rappels à en&voyer…"
        )
        self.due_action.setToolTip(f"Groupes qui commencent dans les {days} prochains jours.")

    def announce_due(self) -> None:
        """Say in the status bar when reminders are due (called once the window is up)."""
        from allervers_desktop.ui.mail.reminders_dialog import load_due

        due, _days = load_due(self.app)
        if due:
            self.app.status(
                f"Rappels à envoyer pour {len(due)} groupe(s) : Messages › Rappels à envoyer.",
                15000,
            )

    # --- the dialogs -------------------------------------------------------------------------
    def compose(self, kind: str, group_id: int | None = None, title: str = "") -> None:
        from allervers_desktop.mail.compose import MailKind
        from allervers_desktop.ui.mail.send_dialog import SendDialog

        chosen = group_id if group_id is not None else self.group_id
        if chosen is None:
            return
        mail_kind: MailKind = MailKind(kind)
        dialog = SendDialog(self.app, mail_kind, chosen, title or self.group_title, self.app.window)
        self.app.prompts.run_dialog(dialog)
        dialog.deleteLater()

    def show_outbox(
        self, group_id: int | None = None, scope: str = "", shown: str = "Tous les messages"
    ) -> None:
        from allervers_desktop.ui.mail.outbox_dialog import OutboxDialog

        dialog = OutboxDialog(
            self.app, self.app.window, group_id=group_id, scope=scope, shown=shown
        )
        self.app.prompts.run_dialog(dialog)
        dialog.deleteLater()

    def show_group_log(self) -> None:
        if self.group_id is not None:
            self.show_outbox(self.group_id, self.group_title)

    def show_due(self) -> None:
        from allervers_desktop.ui.mail.reminders_dialog import RemindersDialog

        dialog = RemindersDialog(
            self.app,
            self.app.window,
            lambda group_id, title: self.compose("reminder", group_id, title),
        )
        self.app.prompts.run_dialog(dialog)
        dialog.deleteLater()

    def edit_settings(self) -> None:
        from allervers_desktop.ui.mail.settings_dialog import MailSettingsForm

        form = MailSettingsForm(self.app, self.app.window)
        if self.app.prompts.run_dialog(form):
            self.app.status(
                "Paramètres d'envoi enregistrés"
                + (
                    " ; sans trousseau sur cet ordinateur, le mot de passe est gardé en mémoire "
                    "jusqu'à la fermeture."
                    if form.password_kept_in_memory
                    else "."
                ),
                8000,
            )
        form.deleteLater()

    def edit_templates(self) -> None:
        from allervers_desktop.ui.mail.templates_dialog import TemplatesDialog

        dialog = TemplatesDialog(self.app, self.app.window, self.group_id, self.group_title)
        self.app.prompts.run_dialog(dialog)
        dialog.deleteLater()
