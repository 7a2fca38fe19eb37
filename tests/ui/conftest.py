"""Fixtures to drive the real main window: scripted prompts, isolated settings."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialog, QWidget

from allervers_desktop.db.database import Database
from allervers_desktop.ui.main_window import MainWindow
from allervers_desktop.ui.prompts import Prompts


@dataclass
class ScriptedPrompts(Prompts):
    """Answers questions from a script and records what was shown."""

    confirm_answers: list[bool] = field(default_factory=list)
    dialog_handlers: list[Callable[[QDialog], None]] = field(default_factory=list)
    shown: list[tuple[str, str, str]] = field(default_factory=list)
    files: list[str | None] = field(default_factory=list)
    texts: list[str | None] = field(default_factory=list)
    choice_answers: list[str | None] = field(default_factory=list)
    opened: list[Path] = field(default_factory=list)
    result_titles: list[str] = field(default_factory=list)  # boxes reporting work done
    buttons: list[tuple[str, str]] = field(default_factory=list)  # of destructive confirms

    def confirm(self, parent: QWidget | None, title: str, text: str, detail: str = "") -> bool:
        self.shown.append(("confirm", title, f"{text}\n{detail}".strip()))
        return self.confirm_answers.pop(0)

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
        self.shown.append(("confirm", title, f"{text}\n{detail}".strip()))
        self.buttons.append((action, keep))
        return self.confirm_answers.pop(0)

    def inform(self, parent: QWidget | None, title: str, text: str) -> None:
        self.shown.append(("inform", title, text))

    def error(self, parent: QWidget | None, title: str, text: str) -> None:
        self.shown.append(("error", title, text))

    def unexpected_error(
        self, parent: QWidget | None, title: str, text: str, details: str
    ) -> None:
        self.shown.append(("unexpected", title, f"{text}\n{details}"))

    def about(self, parent: QWidget | None, title: str, html: str) -> None:
        self.shown.append(("about", title, html))

    def open_file(self, parent: QWidget | None, title: str, filters: str) -> str | None:
        return self.files.pop(0)

    def save_file(
        self, parent: QWidget | None, title: str, suggested: str, filters: str
    ) -> str | None:
        return self.files.pop(0)

    def choose_directory(self, parent: QWidget | None, title: str) -> str | None:
        return self.files.pop(0)

    def ask_text(self, parent: QWidget | None, title: str, label: str) -> str | None:
        self.shown.append(("ask", title, label))
        return self.texts.pop(0)

    def ask_password(self, parent: QWidget | None, title: str, label: str) -> str | None:
        self.shown.append(("password", title, label))
        return self.texts.pop(0)

    def run_dialog(self, dialog: QDialog) -> bool:
        """Show the dialog non-modally and let the test's handler fill it and click."""
        handler = self.dialog_handlers.pop(0)
        if hasattr(dialog, "discard_prompts"):
            dialog.discard_prompts = self
        dialog.show()
        handler(dialog)
        accepted = dialog.result() == QDialog.DialogCode.Accepted
        dialog.close()
        return accepted

    def choose(
        self,
        parent: QWidget | None,
        title: str,
        text: str,
        choices: list[str],
        *,
        result: bool = False,
    ) -> str | None:
        self.shown.append(("choose", title, text))
        if result:
            self.result_titles.append(title)
        answer = self.choice_answers.pop(0)
        assert answer is None or answer in choices, f"{answer!r} not in {choices!r}"
        return answer

    def open_path(self, path: Path) -> None:
        self.opened.append(path)

    def messages(self, kind: str) -> list[str]:
        return [text for shown_kind, _title, text in self.shown if shown_kind == kind]


@pytest.fixture
def prompts() -> ScriptedPrompts:
    return ScriptedPrompts()


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def _make_window(
    qtbot: Any, database: Database, prompts: Prompts, settings: QSettings
) -> MainWindow:
    window = MainWindow(database, prompts=prompts, settings=settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture
def window(
    qtbot: Any, demo_database: Database, prompts: ScriptedPrompts, settings: QSettings
) -> Iterator[MainWindow]:
    yield _make_window(qtbot, demo_database, prompts, settings)


@pytest.fixture
def empty_window(
    qtbot: Any, database: Database, prompts: ScriptedPrompts, settings: QSettings
) -> Iterator[MainWindow]:
    yield _make_window(qtbot, database, prompts, settings)
