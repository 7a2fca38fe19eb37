"""The one hours computation: planned length, late arrival, early departure, clamping."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from allervers_desktop.presence import attended_minutes, hours_between, planned_minutes

NINE, HALF_PAST_TWELVE = dt.time(9, 0), dt.time(12, 30)


@pytest.mark.parametrize(
    ("status", "arrived", "left", "minutes"),
    [
        ("present", None, None, 210),
        ("late", dt.time(9, 20), None, 190),  # 3 h 10
        ("present", None, dt.time(11, 0), 120),
        ("late", dt.time(9, 20), dt.time(11, 0), 100),
        ("late", dt.time(8, 45), None, 210),  # before the start: from the start
        ("present", None, dt.time(13, 0), 210),  # after the end: to the end
        ("absent", None, None, 0),
        ("excused", None, None, 0),
        (None, None, None, 0),
    ],
)
def test_attended_minutes(status, arrived, left, minutes) -> None:
    assert attended_minutes(NINE, HALF_PAST_TWELVE, status, arrived, left) == minutes


def test_planned_length() -> None:
    assert planned_minutes(NINE, HALF_PAST_TWELVE) == 210
    assert hours_between(NINE, HALF_PAST_TWELVE) == 3.5


times = st.times().map(lambda t: t.replace(second=0, microsecond=0))


@given(times, times, st.sampled_from(["present", "late"]), times | st.none(), times | st.none())
def test_never_more_than_planned_and_never_negative(start, end, status, arrived, left) -> None:
    minutes = attended_minutes(start, end, status, arrived, left)
    assert 0 <= minutes <= planned_minutes(start, end)
