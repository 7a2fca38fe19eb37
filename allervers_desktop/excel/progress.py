"""Progress reporting for long work: a callback that may also ask to cancel."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from allervers_desktop.excel.errors import OperationCancelled

# ``progress(done, total)`` returns False to cancel the operation.
Progress = Callable[[int, int], bool]


class ProgressTicker:
    """Calls a progress callback now and then, and raises OperationCancelled when asked to."""

    def __init__(
        self, progress: Progress | None, total: int, *, cancelled_message: str, step: int = 250
    ) -> None:
        self._progress = progress
        self.total = max(total, 0)
        self.done = 0
        self._step = max(step, 1)
        self._next = 0
        self._message = cancelled_message

    def advance(self, count: int = 1) -> None:
        """Count ``count`` more items; report when a step has passed."""
        self.done = min(self.done + count, self.total) if self.total else self.done + count
        if self.done >= self._next:
            self._next = self.done + self._step
            self.report()

    def report(self) -> None:
        """Report the current state whatever the step."""
        if self._progress is not None and not self._progress(self.done, self.total):
            raise OperationCancelled(self._message)

    def finish(self) -> None:
        self.done = self.total
        self.report()


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while tens of thousands of small objects are made.

    An import or export creates many objects and no reference cycles; the collector's repeated
    passes over them would otherwise cost more than the work itself. It is resumed afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
