"""« Modifié entre-temps » in a form: what the colleague changed, and the user's edits re-applied.

A form remembers each field's state when it opened. When its save is refused because the
record was saved elsewhere since, the form is opened again on the colleague's version; the
fields the user had edited are copied into it (their edits are kept, to check and save
again), and the message names the fields the colleague changed."""

from __future__ import annotations

from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTextEdit,
    QWidget,
)

State = tuple[object, ...]


def _parts(widget: QWidget) -> list[QWidget]:
    return [widget, *widget.findChildren(QWidget)]


def _value(widget: QWidget) -> object:
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QPlainTextEdit | QTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QComboBox):
        return widget.currentText()
    if isinstance(widget, QSpinBox | QDoubleSpinBox):
        return widget.value()
    if isinstance(widget, QAbstractButton) and widget.isCheckable():
        return widget.isChecked()
    if isinstance(widget, QAbstractItemView):
        model = widget.model()
        if isinstance(model, QStandardItemModel):
            return tuple(
                (model.item(row).text(), model.item(row).checkState().value)
                for row in range(model.rowCount())
                if model.item(row) is not None
            )
    return None


def field_state(widget: QWidget) -> State:
    """What the user can change in a field (and the widgets inside it), with its shape."""
    return tuple((type(part).__name__, _value(part)) for part in _parts(widget))


def copy_field(source: QWidget, target: QWidget) -> bool:
    """Put ``source``'s values into ``target``, a field of the same shape; False (nothing
    copied) when their shapes differ (a list of days of another length, say)."""
    pairs = list(zip(_parts(source), _parts(target), strict=False))
    if len(_parts(source)) != len(_parts(target)) or any(type(s) is not type(t) for s, t in pairs):
        return False
    for s, t in pairs:
        if isinstance(s, QLineEdit) and isinstance(t, QLineEdit):
            if isinstance(t.parentWidget(), QComboBox):
                continue  # an editable combo's line: set with the combo below
            t.setText(s.text())
        elif isinstance(s, QPlainTextEdit) and isinstance(t, QPlainTextEdit):
            t.setPlainText(s.toPlainText())
        elif isinstance(s, QComboBox) and isinstance(t, QComboBox):
            index = t.findText(s.currentText())
            if index >= 0:
                t.setCurrentIndex(index)
            elif t.isEditable():
                t.setEditText(s.currentText())
        elif isinstance(s, QSpinBox) and isinstance(t, QSpinBox):
            t.setValue(s.value())
        elif isinstance(s, QDoubleSpinBox) and isinstance(t, QDoubleSpinBox):
            t.setValue(float(s.value()))
        elif isinstance(s, QAbstractButton) and isinstance(t, QAbstractButton):
            if s.isCheckable() and t.isCheckable():
                t.setChecked(s.isChecked())
        elif isinstance(s, QAbstractItemView) and isinstance(t, QAbstractItemView):
            _copy_checks(s, t)
    return True


def _copy_checks(source: QAbstractItemView, target: QAbstractItemView) -> None:
    s_model, t_model = source.model(), target.model()
    if not isinstance(s_model, QStandardItemModel) or not isinstance(t_model, QStandardItemModel):
        return
    states = {
        s_model.item(row).text(): s_model.item(row).checkState()
        for row in range(s_model.rowCount())
        if s_model.item(row) is not None
    }
    for row in range(t_model.rowCount()):
        item = t_model.item(row)
        if item is not None and item.text() in states:
            item.setCheckState(states[item.text()])


def field_label(widget: QWidget, name: str) -> str:
    """The field's label as the form shows it (« Nom », « Téléphone »), without « * »."""
    if isinstance(widget, QGroupBox) and widget.title():
        return widget.title()
    parent = widget.parentWidget()
    while parent is not None:
        layout = parent.layout()
        forms = [layout] if isinstance(layout, QFormLayout) else []
        forms += parent.findChildren(QFormLayout)
        for form in forms:
            label = form.labelForField(widget)
            if isinstance(label, QLabel) and label.text().strip():
                return label.text().replace("*", "").replace("&", "").strip()
            if isinstance(label, QAbstractButton) and label.text().strip():
                return label.text().replace("&", "").strip()
        parent = parent.parentWidget()
    if isinstance(widget, QLineEdit | QPlainTextEdit) and widget.placeholderText().strip():
        return widget.placeholderText().strip()
    return name
