"""The embedded document font (Roboto, package data) and the Qt application it needs."""

from __future__ import annotations

import os
import sys
import threading

from PySide6.QtCore import QByteArray, QCoreApplication, QThread
from PySide6.QtGui import QFontDatabase, QGuiApplication

from allervers_desktop.documents.model import DocumentError
from allervers_desktop.resources import FONT_FILES, font

_lock = threading.Lock()
_family: str | None = None
_own_application: QGuiApplication | None = None


def ensure_gui_application() -> None:
    """Fonts and painting need a QGuiApplication; create one (offscreen when there is no
    display) if the process has none, as the command line does."""
    global _own_application
    instance = QCoreApplication.instance()
    if instance is not None:
        if not isinstance(instance, QGuiApplication):
            raise DocumentError("L'impression demande une application graphique Qt.")
        return
    has_display = bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if not os.environ.get("QT_QPA_PLATFORM") and not has_display and sys.platform == "linux":
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    _own_application = QGuiApplication([sys.argv[0] if sys.argv else "allervers"])


def prepare_fonts() -> str:
    """Load the embedded fonts once and return their family name.

    Call it on the GUI thread (the window does it before starting a batch in a worker);
    later calls, from any thread, only return the family."""
    global _family
    with _lock:
        if _family is not None:
            return _family
        ensure_gui_application()
        application = QCoreApplication.instance()
        if application is not None and QThread.currentThread() is not application.thread():
            raise RuntimeError("prepare_fonts() must be called on the GUI thread first")
        families: list[str] = []
        for name in FONT_FILES:
            try:
                data = font(name).read_bytes()
            except OSError:
                data = b""
            font_id = QFontDatabase.addApplicationFontFromData(QByteArray(data)) if data else -1
            if font_id < 0:
                raise DocumentError(
                    f"La police des documents « {name} » est introuvable ou illisible : "
                    "réinstallez l'application."
                )
            families.extend(QFontDatabase.applicationFontFamilies(font_id))
        _family = families[0]
        return _family
