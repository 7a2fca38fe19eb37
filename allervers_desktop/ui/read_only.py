"""A read-only server login: the editing actions stay disabled, with a tooltip saying why."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from allervers_desktop.db.database import READ_ONLY_TIP


class ReadOnlyLock(QObject):
    """Holds actions and buttons disabled, whatever re-enables them later (a selection)."""

    def __init__(self, parent: QObject, tip: str = READ_ONLY_TIP) -> None:
        super().__init__(parent)
        self.tip = tip

    def hold(self, *targets: QAction | QWidget) -> None:
        for target in targets:
            target.setEnabled(False)
            target.setToolTip(self.tip)
            target.setStatusTip(self.tip)
            if isinstance(target, QAction):
                target.changed.connect(partial(self._keep_action_off, target))
            else:
                target.installEventFilter(self)

    def _keep_action_off(self, action: QAction) -> None:
        if action.isEnabled():
            action.setEnabled(False)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.EnabledChange
            and isinstance(watched, QWidget)
            and watched.isEnabled()
        ):
            watched.setEnabled(False)
        return False
