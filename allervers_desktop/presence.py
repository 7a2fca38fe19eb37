"""Hours of a half-day, planned and attended: the one computation every screen and document uses.

A half-day is planned from ``start`` to ``end``. A participant present or late attends from
their arrival (late: ``arrived_at``; an arrival before the start counts from the start) to
their departure (``left_at`` when they left early; a departure after the end counts to the
end), so the hours attended are never more than the half-day's planned length. Absent,
excused or nothing recorded: no hours. Minutes are exact integers; hours are minutes / 60.
"""

from __future__ import annotations

import datetime as dt

ATTENDED_STATUSES = ("present", "late")


def minutes_of(value: dt.time) -> int:
    return value.hour * 60 + value.minute


def planned_minutes(start: dt.time, end: dt.time) -> int:
    """09:00–12:30 -> 210."""
    return max(0, minutes_of(end) - minutes_of(start))


def hours_between(start: dt.time, end: dt.time) -> float:
    """Length of a half-day in hours: 09:00–12:30 -> 3.5."""
    return planned_minutes(start, end) / 60


def attended_minutes(
    start: dt.time,
    end: dt.time,
    status: str | None,
    arrived_at: dt.time | None = None,
    left_at: dt.time | None = None,
) -> int:
    """Minutes attended on a 09:00–12:30 half-day: present 210; late at 09:20 190; present
    but left at 11:00 120; late at 09:20 and left at 11:00 100; absent or excused 0."""
    if status not in ATTENDED_STATUSES:
        return 0
    first = minutes_of(start)
    last = minutes_of(end)
    if status == "late" and arrived_at is not None:
        first = max(first, minutes_of(arrived_at))
    if left_at is not None:
        last = min(last, minutes_of(left_at))
    return max(0, last - first)


def attended_hours(
    start: dt.time,
    end: dt.time,
    status: str | None,
    arrived_at: dt.time | None = None,
    left_at: dt.time | None = None,
) -> float:
    return attended_minutes(start, end, status, arrived_at, left_at) / 60
