"""Small input widgets shared by the forms."""

from __future__ import annotations

from PySide6.QtCore import QStringListModel
from PySide6.QtWidgets import QComboBox, QCompleter, QLineEdit, QWidget

CIVILITY_CHOICES = [("", "—"), ("Mme", "Mme"), ("M.", "M.")]


def line_edit(parent: QWidget, text: str = "", placeholder: str = "") -> QLineEdit:
    edit = QLineEdit(text, parent)
    if placeholder:
        edit.setPlaceholderText(placeholder)
    return edit


def civility_combo(parent: QWidget, current: str = "") -> QComboBox:
    combo = QComboBox(parent)
    for value, label in CIVILITY_CHOICES:
        combo.addItem(label, value)
    combo.setCurrentIndex(max(0, combo.findData(current)))
    return combo


def choice_combo(parent: QWidget, labels: dict[str, str], current: str) -> QComboBox:
    """A combo over (value -> French label), selecting ``current``."""
    combo = QComboBox(parent)
    for value, label in labels.items():
        combo.addItem(label, value)
    combo.setCurrentIndex(max(0, combo.findData(current)))
    return combo


def completing(edit: QLineEdit, words: list[str]) -> QLineEdit:
    """Offer ``words`` as completions, matched anywhere and without case."""
    completer = QCompleter(QStringListModel(words, edit), edit)
    completer.setCaseSensitivity(completer.caseSensitivity().CaseInsensitive)
    completer.setFilterMode(completer.filterMode().MatchContains)
    edit.setCompleter(completer)
    return edit
