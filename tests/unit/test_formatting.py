"""French formatting: dates, times, decimal hours, status labels, and reading typed values."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from allervers_desktop.db.models import ActionNature, AttendanceStatus, EnrollmentStatus
from allervers_desktop.db.models import GroupStatus as GroupStatusEnum
from allervers_desktop.formatting import (
    ACTION_NATURE_LABELS,
    ATTENDANCE_STATUS_LABELS,
    ENROLLMENT_STATUS_LABELS,
    GROUP_STATUS_LABELS,
    attendance_label,
    clock,
    date_list,
    date_range,
    day_month,
    decimal_fr,
    hours_fr,
    long_date,
    parse_date,
    parse_time,
    short_date,
    spoken_time,
)

MONDAY = dt.date(2023, 9, 25)


def test_dates() -> None:
    assert short_date(MONDAY) == "25/09/2023"
    assert short_date(None) == ""
    assert long_date(MONDAY) == "lundi 25 septembre 2023"
    assert long_date(dt.date(2023, 10, 1)) == "dimanche 1 octobre 2023"
    assert long_date(dt.date(2024, 8, 15)) == "jeudi 15 août 2024"
    assert long_date(dt.date(2024, 2, 29)) == "jeudi 29 février 2024"
    assert day_month(MONDAY) == "lun. 25/09"


def test_times() -> None:
    assert clock(dt.time(9, 0)) == "09:00"
    assert clock(dt.time(13, 30)) == "13:30"
    assert spoken_time(dt.time(9, 0)) == "9 h 00"
    assert spoken_time(dt.time(13, 5)) == "13 h 05"


@pytest.mark.parametrize(
    ("value", "text"),
    [(10.5, "10,5"), (14.0, "14"), (3.25, "3,25"), (0, "0"), (100, "100"), (7.1, "7,1")],
)
def test_decimal_fr(value: float, text: str) -> None:
    assert decimal_fr(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (10.5, "10 h 30"),
        (14, "14 h"),
        (2, "2 h"),
        (1, "1 h"),
        (1.5, "1 h 30"),
        (0, "0 h"),
        (3.5, "3 h 30"),
        (190 / 60, "3 h 10"),
        (10.75, "10 h 45"),
        (0.5, "0 h 30"),
    ],
)
def test_hours_fr(value: float, text: str) -> None:
    assert hours_fr(value) == text


def test_attendance_label_says_the_times() -> None:
    assert attendance_label("late", dt.time(9, 20)) == "En retard (arrivée 9 h 20)"
    assert attendance_label("present", None, dt.time(11, 0)) == "Présent (départ 11 h 00)"
    assert (
        attendance_label("late", dt.time(9, 20), dt.time(11, 0))
        == "En retard (arrivée 9 h 20, départ 11 h 00)"
    )
    assert attendance_label("excused", reason="malade") == "Excusé — malade"
    assert attendance_label(None) == "Non saisi"


def test_date_lists_and_ranges() -> None:
    tuesday = dt.date(2023, 9, 26)
    assert date_list([tuesday, MONDAY]) == "25/09/2023, 26/09/2023"
    assert date_list([]) == ""
    assert date_range([tuesday, MONDAY]) == "du 25/09/2023 au 26/09/2023"
    assert date_range([MONDAY]) == "le 25/09/2023"
    assert date_range([]) == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9h", dt.time(9, 0)),
        ("9 h", dt.time(9, 0)),
        ("09:30", dt.time(9, 30)),
        ("13 h 30", dt.time(13, 30)),
        ("13h30", dt.time(13, 30)),
        ("13H30", dt.time(13, 30)),
        (" 17:00 ", dt.time(17, 0)),
        ("9", dt.time(9, 0)),
        ("920", dt.time(9, 20)),
        ("0920", dt.time(9, 20)),
        ("1345", dt.time(13, 45)),
        ("9.20", dt.time(9, 20)),
        ("960", None),
        ("25:00", None),
        ("12:60", None),
        ("midi", None),
        ("", None),
    ],
)
def test_parse_time(text: str, expected: dt.time | None) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("25/09/2023", MONDAY),
        ("25/09/23", MONDAY),
        ("2023-09-25", MONDAY),
        ("25.09.2023", MONDAY),
        ("25-09-2023", MONDAY),
        (" 25/09/2023 ", MONDAY),
        ("31/02/2023", None),
        ("lundi", None),
        ("", None),
    ],
)
def test_parse_date(text: str, expected: dt.date | None) -> None:
    assert parse_date(text) == expected


@given(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_short_date_reads_back(day: dt.date) -> None:
    assert parse_date(short_date(day)) == day


@given(st.times())
def test_clock_and_spoken_time_read_back(moment: dt.time) -> None:
    minute = moment.replace(second=0, microsecond=0)
    assert parse_time(clock(moment)) == minute
    assert parse_time(spoken_time(moment)) == minute


@given(st.integers(min_value=0, max_value=10_000))
def test_quarter_hours_are_exact(quarters: int) -> None:
    value = quarters / 4
    assert float(decimal_fr(value).replace(",", ".")) == value


def test_every_status_has_a_french_label() -> None:
    assert set(GROUP_STATUS_LABELS) == {s.value for s in GroupStatusEnum}
    assert set(ENROLLMENT_STATUS_LABELS) == {s.value for s in EnrollmentStatus}
    assert set(ATTENDANCE_STATUS_LABELS) == {s.value for s in AttendanceStatus}
    assert set(ACTION_NATURE_LABELS) == {s.value for s in ActionNature}
    assert ENROLLMENT_STATUS_LABELS["waitlisted"] == "Liste d'attente"
