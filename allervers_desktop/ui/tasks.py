"""Run long work off the GUI thread with a cancellable progress dialog.

The work is a plain function ``work(progress) -> result`` given plain data (ids, paths),
never ORM objects of the GUI's session; it opens its own session. ``progress(done, total)``
returns False once the user has cancelled, and the work is expected to stop and roll back.
Progress signals are throttled so the GUI thread is never flooded.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

ProgressCallback = Callable[[int, int], bool]
Work = Callable[[ProgressCallback], Any]
PROGRESS_INTERVAL_S = 0.05
# Runners stay referenced until their work has ended, whatever happens to their dialog.
_RUNNING: set[_Runner] = set()
_RUNNING_LOCK = threading.Lock()


class _Signals(QObject):
    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(object)
    cancelled = Signal()


class _Runner(QRunnable):
    def __init__(self, work: Work, signals: _Signals, cancel: threading.Event) -> None:
        super().__init__()
        self.work = work
        self.signals = signals
        self.cancel = cancel
        self._last_emit = 0.0

    def _progress(self, done: int, total: int) -> bool:
        now = time.monotonic()
        if now - self._last_emit >= PROGRESS_INTERVAL_S or done >= total:
            self._last_emit = now
            self.signals.progress.emit(done, total)
        return not self.cancel.is_set()

    def run(self) -> None:
        try:
            self._run()
        finally:
            with _RUNNING_LOCK:
                _RUNNING.discard(self)

    def _run(self) -> None:
        try:
            result = self.work(self._progress)
        except Exception as exc:  # reported to the GUI thread, never lost
            if self.cancel.is_set():
                self.signals.cancelled.emit()
            else:
                self.signals.failed.emit(exc)
            return
        # The work ended normally: a cancel that came too late changes nothing (what the
        # work committed is committed), so the result is reported, not a cancellation.
        self.signals.finished.emit(result)


class BackgroundTask(QObject):
    """One piece of long work with its progress dialog; callbacks run on the GUI thread."""

    finished = Signal()

    def __init__(
        self,
        parent: QWidget,
        title: str,
        label: str,
        work: Work,
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
        on_cancel: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.cancel_event = threading.Event()
        self.signals = _Signals()
        self.dialog = QProgressDialog(label, "Annuler", 0, 0, parent)
        self.dialog.setWindowTitle(title)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(300)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.canceled.connect(self.cancel)
        self._on_done = on_done
        self._on_error = on_error
        self._on_cancel = on_cancel
        self.signals.progress.connect(self._show_progress)
        self.signals.finished.connect(self._done)
        self.signals.failed.connect(self._failed)
        self.signals.cancelled.connect(self._cancelled)
        self._runner = _Runner(work, self.signals, self.cancel_event)
        self._runner.setAutoDelete(False)
        self.running = False

    def start(self) -> None:
        self.running = True
        with _RUNNING_LOCK:
            _RUNNING.add(self._runner)
        QThreadPool.globalInstance().start(self._runner)

    def cancel(self) -> None:
        self.cancel_event.set()
        self.dialog.setLabelText("Annulation en cours…")

    def _show_progress(self, done: int, total: int) -> None:
        if total > 0 and self.dialog.maximum() != total:
            self.dialog.setMaximum(total)
        self.dialog.setValue(min(done, total) if total > 0 else 0)

    def _close(self) -> None:
        self.running = False
        self.dialog.hide()
        self.dialog.deleteLater()
        self.finished.emit()

    def _done(self, result: Any) -> None:
        self._close()
        self._on_done(result)

    def _failed(self, error: object) -> None:
        self._close()
        self._on_error(error if isinstance(error, BaseException) else RuntimeError(str(error)))

    def _cancelled(self) -> None:
        self._close()
        if self._on_cancel is not None:
            self._on_cancel()


def run_in_background(
    parent: QWidget,
    title: str,
    label: str,
    work: Work,
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None],
    on_cancel: Callable[[], None] | None = None,
) -> BackgroundTask:
    """Start ``work`` on the thread pool and show its progress; returns the task."""
    task = BackgroundTask(parent, title, label, work, on_done, on_error, on_cancel)
    task.start()
    return task


class QuietTask(QObject):
    """Background work without a dialog (a check after start-up); callbacks on the GUI thread."""

    finished = Signal()

    def __init__(
        self,
        parent: QObject,
        work: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        super().__init__(parent)
        self.signals = _Signals()
        self.signals.finished.connect(lambda result: self._end(on_done, result))
        self.signals.failed.connect(lambda error: self._end(on_error, error))
        self._runner = _Runner(lambda _progress: work(), self.signals, threading.Event())
        self._runner.setAutoDelete(False)

    def start(self) -> None:
        with _RUNNING_LOCK:
            _RUNNING.add(self._runner)
        QThreadPool.globalInstance().start(self._runner)

    def _end(self, callback: Callable[[Any], None], value: Any) -> None:
        callback(value)
        self.finished.emit()
