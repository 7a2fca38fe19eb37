"""The one clock the time rules read: the system's, or a fixed moment set by tests.

Rules that depend on « now » (attendance only for half-days that have started, certificates
only once a group's last day is over, the time an unlock is recorded) read the clock of the
session they run in: ``Database`` gives its ``clock`` to every session it opens
(``session.info["clock"]``). Tests set ``database.clock = FixedClock(...)``; a command line run
in a subprocess reads ``ALLERVERS_NOW`` (« 2027-03-15T10:00 »), so no test depends on today.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.orm import Session

NOW_VARIABLE = "ALLERVERS_NOW"


class Clock(Protocol):
    """Gives the current local date and time."""

    def now(self) -> dt.datetime: ...


@dataclass(frozen=True)
class SystemClock:
    """The computer's clock, to the second."""

    def now(self) -> dt.datetime:
        return dt.datetime.now().replace(microsecond=0)


@dataclass(frozen=True)
class FixedClock:
    """Always the same moment (tests, or a run with ``ALLERVERS_NOW``)."""

    moment: dt.datetime

    def now(self) -> dt.datetime:
        return self.moment


def default_clock() -> Clock:
    """The system clock, unless ``ALLERVERS_NOW`` holds an ISO date and time."""
    text = os.environ.get(NOW_VARIABLE, "").strip()
    if text:
        try:
            return FixedClock(dt.datetime.fromisoformat(text).replace(microsecond=0))
        except ValueError:
            pass
    return SystemClock()


def session_clock(session: Session) -> Clock:
    """The clock of the database this session belongs to."""
    clock = session.info.get("clock")
    return clock if clock is not None else default_clock()


def now(session: Session) -> dt.datetime:
    return session_clock(session).now()
