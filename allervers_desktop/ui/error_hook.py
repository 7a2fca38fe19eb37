"""Last resort: an exception nobody caught is logged and shown in French, the window lives on."""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType

from PySide6.QtCore import QMetaObject, QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QApplication

from allervers_desktop.logs import log_file
from allervers_desktop.ui.prompts import Prompts

_log = logging.getLogger("allervers_desktop.unexpected")

TITLE = "Erreur inattendue"


def unexpected_text() -> str:
    where = log_file()
    text = (
        "Une erreur inattendue s'est produite dans l'application. Ce que vous étiez en train "
        "de faire n'a peut-être pas abouti : vérifiez-le. La fenêtre reste utilisable."
    )
    if where is not None:
        text += f"\n\nLes détails sont enregistrés dans le journal : {where}"
    return text


class _Reporter(QObject):
    """Shows the dialog on the GUI thread, whichever thread failed."""

    failed = Signal(str)

    def __init__(self, prompts: Prompts) -> None:
        super().__init__()
        self.prompts = prompts
        self.failed.connect(self._show, Qt.ConnectionType.QueuedConnection)
        self._showing = False

    @Slot(str)
    def _show(self, details: str) -> None:
        if self._showing:  # one failure leading to another: one dialog at a time
            return
        self._showing = True
        try:
            parent = QApplication.activeWindow()
            self.prompts.unexpected_error(parent, TITLE, unexpected_text(), details)
        finally:
            self._showing = False


@contextmanager
def exception_hook(prompts: Prompts) -> Iterator[None]:
    """While the window runs: uncaught exceptions (GUI thread and others) are logged with
    their traceback and shown in a French dialog with « Copier les détails »."""
    reporter = _Reporter(prompts)
    previous, previous_thread = sys.excepthook, threading.excepthook

    def report(
        kind: type[BaseException], error: BaseException, trace: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            previous(kind, error, trace)
            return
        _log.error("Exception non rattrapée", exc_info=(kind, error, trace))
        details = "".join(traceback.format_exception(kind, error, trace))
        reporter.failed.emit(details)

    def report_thread(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            report(args.exc_type, args.exc_value, args.exc_traceback)

    sys.excepthook = report
    threading.excepthook = report_thread
    try:
        yield
    finally:
        sys.excepthook, threading.excepthook = previous, previous_thread
        QMetaObject.invokeMethod(reporter, "deleteLater")
