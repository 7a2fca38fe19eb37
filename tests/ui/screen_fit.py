"""Does a top-level window fit its screen? Problems found, in words, for any widget.

``fit_problems(window)`` checks that the window's frame lies inside its screen's available
geometry and that every visible button (those of a QDialogButtonBox, a QWizard's own, or any
button outside a scroll area) is shown whole: not clipped by a parent and inside the window."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtWidgets import QAbstractButton, QApplication, QScrollArea, QWidget


def _inside_scroll_area(widget: QWidget, top: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not top:
        if isinstance(parent, QScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def fit_problems(window: QWidget) -> list[str]:
    """An empty list when ``window`` fits; else one French-free line per problem (for tests)."""
    QApplication.processEvents()
    problems: list[str] = []
    screen = window.screen()
    available = screen.availableGeometry()
    frame = window.frameGeometry()
    name = window.objectName() or type(window).__name__
    if not available.contains(frame):
        problems.append(
            f"{name}: frame {frame.width()}×{frame.height()} at ({frame.x()},{frame.y()}) "
            f"outside the available {available.width()}×{available.height()}"
        )
    window_rect = QRect(0, 0, window.width(), window.height())
    for button in window.findChildren(QAbstractButton):
        if not button.isVisibleTo(window) or _inside_scroll_area(button, window):
            continue
        label = button.text() or button.objectName() or type(button).__name__
        shown = button.visibleRegion().boundingRect()
        if shown.size() != button.size():
            problems.append(
                f"{name}: button « {label} » clipped ({shown.width()}×{shown.height()} of "
                f"{button.width()}×{button.height()} shown)"
            )
            continue
        placed = QRect(button.mapTo(window, button.rect().topLeft()), button.size())
        if not window_rect.contains(placed):
            problems.append(f"{name}: button « {label} » outside the window")
    return problems
