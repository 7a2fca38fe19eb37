"""Message boxes, file dialogs and modal forms behind one seam, so tests can answer them."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QWidget,
)


class Prompts:
    """Asks the user things. Tests replace it with a scripted double."""

    def confirm(self, parent: QWidget | None, title: str, text: str, detail: str = "") -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
        if detail:
            box.setInformativeText(detail)
        yes = box.addButton("Oui", QMessageBox.ButtonRole.YesRole)
        box.addButton("Non", QMessageBox.ButtonRole.NoRole)
        box.setDefaultButton(yes)
        box.exec()
        return box.clickedButton() is yes

    def confirm_destructive(
        self,
        parent: QWidget | None,
        title: str,
        text: str,
        detail: str = "",
        *,
        action: str = "Supprimer",
        keep: str = "Annuler",
    ) -> bool:
        """``action`` (the destructive button) or ``keep`` (the default, and Escape): two
        labels that say what each does (« Annuler l'import » / « Garder l'import »)."""
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=parent)
        if detail:
            box.setInformativeText(detail)
        delete = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton(keep, QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(cancel)
        box.exec()
        return box.clickedButton() is delete

    def inform(self, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.information(parent, title, text)

    def error(self, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.critical(parent, title, text)

    def unexpected_error(
        self, parent: QWidget | None, title: str, text: str, details: str
    ) -> None:
        """An error nobody expected: the French text, the technical details for support
        (read-only) and « Copier les détails »."""
        from allervers_desktop.ui.error_dialog import ErrorDialog

        ErrorDialog(title, text, details, parent).exec()

    def about(self, parent: QWidget | None, title: str, html: str) -> None:
        QMessageBox.about(parent, title, html)

    def open_file(self, parent: QWidget | None, title: str, filters: str) -> str | None:
        path, _ = QFileDialog.getOpenFileName(parent, title, "", filters)
        return path or None

    def save_file(
        self, parent: QWidget | None, title: str, suggested: str, filters: str
    ) -> str | None:
        path, _ = QFileDialog.getSaveFileName(parent, title, suggested, filters)
        return path or None

    def choose_directory(self, parent: QWidget | None, title: str) -> str | None:
        return QFileDialog.getExistingDirectory(parent, title) or None

    def ask_text(self, parent: QWidget | None, title: str, label: str) -> str | None:
        """A line of text, or None when cancelled."""
        text, accepted = QInputDialog.getText(parent, title, label)
        return text if accepted else None

    def ask_password(self, parent: QWidget | None, title: str, label: str) -> str | None:
        """A password typed hidden, or None when cancelled (never stored by this call)."""
        text, accepted = QInputDialog.getText(
            parent, title, label, QLineEdit.EchoMode.Password
        )
        return text if accepted else None

    def run_dialog(self, dialog: QDialog) -> bool:
        """Show a modal form; True when the user accepted it."""
        if hasattr(dialog, "discard_prompts"):
            dialog.discard_prompts = self
        return dialog.exec() == QDialog.DialogCode.Accepted

    def choose(
        self,
        parent: QWidget | None,
        title: str,
        text: str,
        choices: list[str],
        *,
        result: bool = False,
    ) -> str | None:
        """One of ``choices`` as buttons; the last one also answers Escape. None if closed.
        ``result``: the box reports work done (an information icon, not a question mark)."""
        icon = QMessageBox.Icon.Information if result else QMessageBox.Icon.Question
        box = QMessageBox(icon, title, text, parent=parent)
        buttons = []
        for position, choice in enumerate(choices):
            last = position == len(choices) - 1 and len(choices) > 1
            role = QMessageBox.ButtonRole.RejectRole if last else QMessageBox.ButtonRole.ActionRole
            buttons.append(box.addButton(choice, role))
        if buttons:
            box.setDefaultButton(buttons[0])
            box.setEscapeButton(buttons[-1])
        box.exec()
        clicked = box.clickedButton()
        for choice, button in zip(choices, buttons, strict=True):
            if clicked is button:
                return choice
        return None

    def open_path(self, path: Path) -> None:
        """Open a file or a folder with the application the system associates with it."""
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            self.error(
                None,
                "Ouvrir",
                f"« {path} » n'a pas pu être ouvert : aucune application ne semble associée "
                "à ce type de fichier sur cet ordinateur.",
            )


READ_ONLY_TITLE = "Remplacer un fichier en lecture seule ?"


def confirm_replace_read_only(
    prompts: Prompts, parent: QWidget | None, targets: list[Path]
) -> bool | None:
    """Before replacing files that are read-only, ask: True to replace them, False when
    there is none, None when the user declined (then nothing is written)."""
    from allervers_desktop.files.errors import is_read_only

    locked = [target for target in targets if is_read_only(target)]
    if not locked:
        return False
    one = len(locked) == 1
    names = "\n".join(str(target) for target in locked[:10]) + ("\n…" if len(locked) > 10 else "")
    text = (
        "Ce fichier est en lecture seule (protégé contre l'écriture). Le remplacer quand même ?"
        if one
        else f"Ces {len(locked)} fichiers sont en lecture seule (protégés contre l'écriture). "
        "Les remplacer quand même ?"
    )
    return True if prompts.confirm(parent, READ_ONLY_TITLE, text, names) else None
