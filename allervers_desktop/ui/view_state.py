"""Remembered view state (QSettings): column widths, sort order, splitters, window geometry.

``remember(header_or_splitter, key, settings)`` restores what was saved under ``key`` and saves
it again whenever the user changes it; ``fit_to_screen`` sizes a first-start window to the
screen (maximised on screens up to 1440 px wide) and ``clamp_to_screen`` brings a remembered
geometry — saved on a 1920 px screen, restored on a 1366×768 laptop — back inside the screen."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QRect, QSettings, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QHeaderView, QSplitter, QTableView, QWidget

MAXIMISE_UP_TO = 1440  # screens up to this width (laptops): windows open maximised
PREFERRED_SIZE = QSize(1280, 800)


def _stored(settings: QSettings, key: str) -> QByteArray | None:
    value = settings.value(key)
    return value if isinstance(value, QByteArray) and not value.isEmpty() else None


def remember(target: QHeaderView | QSplitter, key: str, settings: QSettings) -> bool:
    """Restore ``target`` from ``settings[key]`` and keep it saved; True if something was
    restored. A header keeps its column widths, order and sort indicator (the table is sorted
    again by it); a splitter keeps its sizes."""
    stored = _stored(settings, key)
    restored = False
    if isinstance(target, QHeaderView):
        header = target
        if stored is not None:
            restored = header.restoreState(stored)
            view = header.parent()
            if restored and isinstance(view, QTableView) and view.isSortingEnabled():
                view.sortByColumn(header.sortIndicatorSection(), header.sortIndicatorOrder())

        def save_header(*_args: object) -> None:
            settings.setValue(key, header.saveState())

        header.sectionResized.connect(save_header)
        header.sectionMoved.connect(save_header)
        header.sortIndicatorChanged.connect(save_header)
    else:
        splitter = target
        if stored is not None:
            restored = splitter.restoreState(stored)

        def save_splitter(*_args: object) -> None:
            settings.setValue(key, splitter.saveState())

        splitter.splitterMoved.connect(save_splitter)
    return restored


def available_geometry(widget: QWidget) -> QRect:
    """The part of the widget's screen (or the primary one) that windows may use."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def fit_to_screen(window: QWidget, preferred: QSize = PREFERRED_SIZE) -> None:
    """First start: the preferred size bounded by the screen, centred; maximised on a laptop."""
    area = available_geometry(window)
    size = preferred.boundedTo(area.size())
    window.resize(size)
    window.move(
        area.x() + (area.width() - window.width()) // 2,
        area.y() + (area.height() - window.height()) // 2,
    )
    if area.width() <= MAXIMISE_UP_TO:
        window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)


def clamp_to_screen(window: QWidget) -> None:
    """Shrink and move a restored geometry so that the whole window (frame included) is on the
    current screen's available area. A maximised window (Qt maximises a restored geometry
    too large for the screen) gets a normal geometry that fits too, for when it is restored."""
    state = window.windowState()
    wide = Qt.WindowState.WindowMaximized | Qt.WindowState.WindowFullScreen
    if state & wide:
        window.setWindowState(state & ~wide)
        _clamp(window)
        window.setWindowState(state)
    else:
        _clamp(window)


def _clamp(window: QWidget) -> None:
    area = available_geometry(window)
    frame = window.frameGeometry()
    extra_width = frame.width() - window.width()
    extra_height = frame.height() - window.height()
    width = max(1, min(window.width(), area.width() - extra_width))
    height = max(1, min(window.height(), area.height() - extra_height))
    if (width, height) != (window.width(), window.height()):
        window.resize(width, height)
    frame = window.frameGeometry()
    x = min(max(frame.x(), area.x()), area.right() + 1 - frame.width())
    y = min(max(frame.y(), area.y()), area.bottom() + 1 - frame.height())
    if (x, y) != (frame.x(), frame.y()):
        window.move(max(x, area.x()), max(y, area.y()))


def restore_geometry(window: QWidget, key: str, settings: QSettings) -> None:
    """The remembered geometry, clamped to the screen; the first time, ``fit_to_screen``."""
    stored = _stored(settings, key)
    if stored is not None and window.restoreGeometry(stored):
        clamp_to_screen(window)
    else:
        fit_to_screen(window)
