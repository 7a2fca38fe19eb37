"""Run long work off the GUI thread with a cancellable progress dialog.

The work is a plain function ``work(progress) -> result`` given plain data (ids, paths),
never ORM objects of the GUI's session; it opens its own session. ``progress(done, total)``
returns False once the user has cancelled, and the work is expected to stop and roll back.
Progress signals are throttled so the GUI thread is never flooded.

Python runs one thread at a time, and the GUI thread needs that lock for every Python method Qt
calls while painting (a model's data(), a widget's event handler…). A busy worker hands it back
only after 5 ms each time, so a table repaint of a few hundred such calls would stall for a
second. At its progress reports (every ``GUI_TURN_EVERY_S`` at most), the worker therefore waits
until the GUI thread's event loop has caught up (at most ``GUI_TURN_MAX_S``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import (
    QAbstractEventDispatcher,
    QEventLoop,
    QObject,
    QRunnable,
    Qt,
    QThreadPool,
    Signal,
)
from PySide6.QtWidgets import QProgressDialog, QWidget

ProgressCallback = Callable[[int, int], bool]
Work = Callable[[ProgressCallback], Any]
PROGRESS_INTERVAL_S = 0.05
GUI_TURN_EVERY_S = 0.02
GUI_TURN_MAX_S = 0.1
T = TypeVar("T")
# Runners stay referenced until their work has ended, whatever happens to their dialog.
_RUNNING: set[_Runner] = set()
_RUNNING_LOCK = threading.Lock()


class _Signals(QObject):
    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    ended = Signal()


class _Runner(QRunnable):
    def __init__(self, work: Work, signals: _Signals, cancel: threading.Event) -> None:
        super().__init__()
        self.work = work
        self.signals = signals
        self.cancel = cancel
        self._last_emit = 0.0
        self._last_turn = 0.0
        # Set by the GUI thread once its event loop has run through what was pending.
        self.gui_idle = threading.Event()
        self.gui_dispatcher: QAbstractEventDispatcher | None = None
        self._loops_wanted = 0

    def _progress(self, done: int, total: int) -> bool:
        now = time.monotonic()
        if now - self._last_emit >= PROGRESS_INTERVAL_S or done >= total:
            self._last_emit = now
            self.signals.progress.emit(done, total)
        if self.gui_dispatcher is not None and now - self._last_turn >= GUI_TURN_EVERY_S:
            self._give_gui_a_turn()
        return not self.cancel.is_set()

    def _give_gui_a_turn(self) -> None:
        """Wait (without holding Python's lock) until the GUI thread has caught up."""
        assert self.gui_dispatcher is not None
        self.gui_idle.clear()
        # Some event loops announce « about to block » before running what is due (glib), so
        # the second announcement after the wake-up is the one that follows the pending work.
        self._loops_wanted = 2
        self.gui_dispatcher.wakeUp()  # thread-safe
        self.gui_idle.wait(GUI_TURN_MAX_S)
        self._last_turn = time.monotonic()

    def gui_about_to_block(self) -> None:
        """Called on the GUI thread each time its event loop is about to wait for events."""
        self._loops_wanted -= 1
        if self._loops_wanted <= 0:
            self.gui_idle.set()
        elif self.gui_dispatcher is not None:
            self.gui_dispatcher.wakeUp()  # an idle loop would otherwise wait for an event

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
        self._dispatcher = QAbstractEventDispatcher.instance()
        self._runner.gui_dispatcher = self._dispatcher
        self.running = False

    def start(self) -> None:
        self.running = True
        if self._dispatcher is not None:
            self._dispatcher.aboutToBlock.connect(self._gui_about_to_block)
        with _RUNNING_LOCK:
            _RUNNING.add(self._runner)
        QThreadPool.globalInstance().start(self._runner)

    def _gui_about_to_block(self) -> None:
        self._runner.gui_about_to_block()

    def cancel(self) -> None:
        self.cancel_event.set()
        self.dialog.setLabelText("Annulation en cours…")

    def _show_progress(self, done: int, total: int) -> None:
        if total > 0 and self.dialog.maximum() != total:
            self.dialog.setMaximum(total)
        self.dialog.setValue(min(done, total) if total > 0 else 0)

    def _close(self) -> None:
        self.running = False
        if self._dispatcher is not None:
            self._dispatcher.aboutToBlock.disconnect(self._gui_about_to_block)
        self._runner.gui_idle.set()
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


def run_until_committed(
    parent: QWidget,
    title: str,
    label: str,
    work: Work,
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None],
    on_cancel: Callable[[], None],
) -> BackgroundTask:
    """``run_in_background`` where a cancel counts only while the work can still undo itself.

    Once every item has been processed the work is saving or committing: a click on
    « Annuler » then comes too late, so the last report never asks to stop and ``on_done``
    reports what was really written. (A cancel before that raises in the work, which the
    runner reports through ``on_cancel``.)
    """

    def guarded_work(progress: ProgressCallback) -> Any:
        return work(lambda done, total: progress(done, total) or done >= total)

    return run_in_background(parent, title, label, guarded_work, on_done, on_error, on_cancel)


def wait_while_repainting(work: Callable[[], T]) -> T:
    """Run short ``work`` (reading a file) on a thread of its own and wait for its result.

    For work the caller needs before going on: the GUI thread's event loop runs meanwhile, so
    the windows keep repainting, but user input waits until the work is done (nothing can be
    clicked twice). The work's exception, if any, is raised here.
    """
    results: list[T] = []
    errors: list[BaseException] = []
    signals = _Signals()
    loop = QEventLoop()
    signals.ended.connect(loop.quit)  # queued: quits the loop below, even if not started yet

    def job() -> None:
        try:
            results.append(work())
        except BaseException as exc:  # raised again on the GUI thread
            errors.append(exc)
        finally:
            signals.ended.emit()

    thread = threading.Thread(target=job, name="allervers-lecture", daemon=True)
    thread.start()
    loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
    thread.join()  # the loop may have been left early (application quitting)
    if errors:
        raise errors[0]
    return results[0]
