"""Background tasks: results come back on the GUI thread, cancel stops the work."""

from __future__ import annotations

import threading
import time

from PySide6.QtWidgets import QPushButton, QWidget

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
