"""Background tasks: results come back on the GUI thread, cancel stops the work."""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, QTimer
from PySide6.QtWidgets import QPushButton, QTableView, QWidget

from allervers_desktop.ui.tasks import run_in_background


def test_result_is_delivered_and_progress_shown(qtbot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    results: list[object] = []
    threads: list[threading.Thread] = []

    def work(progress):
        threads.append(threading.current_thread())
        for done in range(1, 51):
            time.sleep(0.002)
            assert progress(done, 50)
        return "fini"

    task = run_in_background(
        parent, "Test", "Travail…", work, results.append, lambda exc: results.append(exc)
    )
    with qtbot.waitSignal(task.finished, timeout=10000):
        pass
    assert results == ["fini"]
    assert threads[0] is not threading.main_thread()
    assert task.dialog.maximum() == 50


def test_cancel_stops_the_work(qtbot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    started = threading.Event()
    outcome: list[str] = []
    steps: list[int] = []

    def work(progress):
        started.set()
        for done in range(10_000):
            time.sleep(0.001)
            steps.append(done)
            if not progress(done, 10_000):
                raise RuntimeError("annulé")
        return "fini"

    task = run_in_background(
        parent,
        "Test",
        "Travail…",
        work,
        lambda _r: outcome.append("done"),
        lambda _e: outcome.append("error"),
        lambda: outcome.append("cancel"),
    )
    assert started.wait(5)
    cancel_button = task.dialog.findChild(QPushButton)
    assert cancel_button is not None and cancel_button.text() == "Annuler"
    with qtbot.waitSignal(task.finished, timeout=10000):
        cancel_button.click()
    assert outcome == ["cancel"]
    assert len(steps) < 10_000


def test_errors_are_reported(qtbot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    errors: list[BaseException] = []

    def work(progress):
        raise ValueError("fichier illisible")

    task = run_in_background(parent, "Test", "Travail…", work, lambda _r: None, errors.append)
    with qtbot.waitSignal(task.finished, timeout=10000):
        pass
    assert [str(e) for e in errors] == ["fichier illisible"]


def test_wait_while_repainting_returns_the_result_off_the_gui_thread(qtbot) -> None:
    from allervers_desktop.ui.tasks import wait_while_repainting

    threads: list[threading.Thread] = []

    def work() -> int:
        threads.append(threading.current_thread())
        time.sleep(0.05)
        return 42

    assert wait_while_repainting(work) == 42
    assert threads[0] is not threading.main_thread()


def test_wait_while_repainting_raises_the_work_error(qtbot) -> None:
    import pytest

    from allervers_desktop.ui.tasks import wait_while_repainting

    def work() -> int:
        raise ValueError("feuille illisible")

    with pytest.raises(ValueError, match="feuille illisible"):
        wait_while_repainting(work)


class _PythonModel(QAbstractTableModel):
    """Every cell is answered by Python, like the application's own models."""

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 40

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 6

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        return f"{index.row()}:{index.column()}" if role == Qt.ItemDataRole.DisplayRole else None


def test_window_repaints_while_a_busy_task_runs(qtbot) -> None:
    """A busy worker holds Python's lock; at its reports it waits for the GUI thread to catch up,
    so repainting a table (one Python call per cell) is not starved."""
    view = QTableView()
    qtbot.addWidget(view)
    model = _PythonModel()
    view.setModel(model)
    view.resize(700, 900)
    view.show()
    qtbot.waitExposed(view)
    repaints: list[float] = []
    timer = QTimer()
    timer.setInterval(20)

    def repaint() -> None:
        started = time.monotonic()
        view.viewport().repaint()
        repaints.append(time.monotonic() - started)

    timer.timeout.connect(repaint)

    def work(progress):
        end = time.monotonic() + 0.8
        done = 0
        while time.monotonic() < end:  # pure-Python busy work, holding the interpreter
            sum(range(2000))
            done += 1
            progress(done % 100, 100)
        return done

    timer.start()
    task = run_in_background(view, "Test", "Travail…", work, lambda _r: None, lambda _e: None)
    with qtbot.waitSignal(task.finished, timeout=20000):
        pass
    timer.stop()
    assert len(repaints) >= 5
    assert sorted(repaints)[len(repaints) // 2] < 0.1  # median repaint while the task runs
