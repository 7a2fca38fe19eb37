"""« Feuille de présence »: one group's attendance in its own window, using the full width.

Opened from the Groupes tab (button, Ctrl+P), one window per group: the names frozen on the
left, every half-day beside them, the same keyboard as the tab's grid. Its geometry is
remembered (clamped to the screen), and it reloads when attendance changes elsewhere or when
it comes back to the front."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QSettings, Qt
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QLabel, QVBoxLayout, QWidget

from allervers_desktop.db.database import Database
from allervers_desktop.formatting import short_date
from allervers_desktop.services.errors import ServiceError
from allervers_desktop.services.groups import get_group
from allervers_desktop.ui.attendance_grid import AttendancePanel
from allervers_desktop.ui.view_state import restore_geometry

GEOMETRY_KEY = "session_view/geometry"


class SessionView(QWidget):
    """A top-level window holding an ``AttendancePanel`` for one group."""

    def __init__(
        self,
        database: Database,
        group_id: int,
        settings: QSettings,
        *,
        on_error: Callable[[str], None],
        ask_reason: Callable[[], str | None],
        ask_choice: Callable[[str, list[str]], str | None] | None = None,
        ask_unlock_reason: Callable[[], str | None] | None = None,
        run_dialog: Callable[[QDialog], bool] | None = None,
        on_changed: Callable[[], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("session_view")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.database = database
        self.group_id = group_id
        self.settings = settings
        self.title = QLabel(self)
        self.title.setObjectName("session_title")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setStyleSheet("font-weight: bold")
        self.title.setWordWrap(True)
        self.panel = AttendancePanel(
            database,
            on_error=on_error,
            ask_reason=ask_reason,
            parent=self,
            ask_unlock_reason=ask_unlock_reason,
            run_dialog=run_dialog,
            on_changed=on_changed,
            ask_choice=ask_choice,
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.title)
        layout.addWidget(self.panel, 1)
        close = QShortcut(QKeySequence(QKeySequence.StandardKey.Close), self)
        close.activated.connect(self.close)
        self.reload()
        restore_geometry(self, GEOMETRY_KEY, settings)
        # It closes with the main window, and never keeps the application running alone.
        self.setAttribute(Qt.WidgetAttribute.WA_QuitOnClose, False)
        self.owner = parent.window() if parent is not None else None
        if self.owner is not None:
            self.owner.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.owner and event.type() == QEvent.Type.Close:
            self.close()
        return False

    def reload(self) -> None:
        """The title and the grid read again (the current cell is kept)."""
        try:
            with self.database.session() as session:
                group = get_group(session, self.group_id)
                course = group.course
                dates = (
                    f"{short_date(group.days[0].date)} → {short_date(group.days[-1].date)}"
                    if group.days
                    else "à planifier"
                )
                title = f"{group.label} — {group.city} · {course.title} ({course.module}) · {dates}"
        except ServiceError as exc:
            title = exc.message
        self.title.setText(title)
        self.setWindowTitle(f"Feuille de présence – {title}")
        self.panel.show_group(self.group_id)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        # Back to the front after work elsewhere (a document issued, an enrollment cancelled).
        if (
            event.type() == QEvent.Type.ActivationChange
            and self.isActiveWindow()
            and self.panel.time_entry is None
        ):
            self.panel.show_group(self.group_id)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.settings.setValue(GEOMETRY_KEY, self.saveGeometry())
        super().closeEvent(event)
