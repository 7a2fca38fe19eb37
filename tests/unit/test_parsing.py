"""Typed French dates and times: every accepted spelling, every refusal with its message."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from allervers_desktop.parsing import (
    ParseError,
    format_date_fr,
    format_time_fr,
    parse_date_fr,
    parse_time_fr,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12032027", dt.date(2027, 3, 12)),
        ("12/03/2027", dt.date(2027, 3, 12)),
        ("12.03.2027", dt.date(2027, 3, 12)),
        ("12-03-27", dt.date(2027, 3, 12)),
        ("1/3/2027", dt.date(2027, 3, 1)),
        ("10/04/2027", dt.date(2027, 4, 10)),
        (" 12 / 03 / 2027 ", dt.date(2027, 3, 12)),
        ("12 03 2027", dt.date(2027, 3, 12)),
        ("120327", dt.date(2027, 3, 12)),
        ("29/02/2028", dt.date(2028, 2, 29)),
        ("31/12/99", dt.date(1999, 12, 31)),
        ("01/01/70", dt.date(1970, 1, 1)),
        ("01/01/69", dt.date(2069, 1, 1)),
    ],
)
def test_dates_typed_in_full_are_read(text: str, expected: dt.date) -> None:
    assert parse_date_fr(text) == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "Indiquez une date"),
        ("   ", "Indiquez une date"),
        ("demain", "n'est pas une date"),
        ("12/03", "n'est pas une date"),
        ("1232027", "n'est pas une date"),
        ("12/03/202", "n'est pas une date"),
        ("12/13/2027", "le mois 13 n'existe pas"),
        ("00/03/2027", "pas de jour 0"),
        ("31/02/2027", "pas de jour 31"),
        ("29/02/2027", "pas de jour 29"),
        ("31/04/2027", "pas de jour 31"),
        ("12/03/1850", "trop ancienne"),
        ("12/03/2027/1", "n'est pas une date"),
    ],
)
def test_what_is_not_a_date_is_refused_in_french(text: str, fragment: str) -> None:
    with pytest.raises(ParseError) as raised:
        parse_date_fr(text)
    assert fragment in raised.value.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8h30", dt.time(8, 30)),
        ("08:30", dt.time(8, 30)),
        ("0830", dt.time(8, 30)),
        ("830", dt.time(8, 30)),
        ("8h", dt.time(8, 0)),
        ("8", dt.time(8, 0)),
        ("8 h 30", dt.time(8, 30)),
        ("8H30", dt.time(8, 30)),
        ("17.45", dt.time(17, 45)),
        ("0", dt.time(0, 0)),
        ("23:59", dt.time(23, 59)),
        (" 9:05 ", dt.time(9, 5)),
    ],
)
def test_times_typed_in_full_are_read(text: str, expected: dt.time) -> None:
    assert parse_time_fr(text) == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "Indiquez une heure"),
        ("midi", "n'est pas une heure"),
        ("8h3", "n'est pas une heure"),
        ("24:00", "pas de 24 h"),
        ("8h60", "de 00 à 59"),
        ("12345", "n'est pas une heure"),
        ("8:30:00", "n'est pas une heure"),
        ("-8", "n'est pas une heure"),
    ],
)
def test_what_is_not_a_time_is_refused_in_french(text: str, fragment: str) -> None:
    with pytest.raises(ParseError) as raised:
        parse_time_fr(text)
    assert fragment in raised.value.message


def test_normalised_spellings() -> None:
    assert format_date_fr(dt.date(2027, 3, 1)) == "01/03/2027"
    assert format_time_fr(dt.time(8, 5)) == "08:05"


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(9999, 12, 31)))
def test_every_date_reads_back_from_its_normalised_and_compact_spellings(value: dt.date) -> None:
    shown = format_date_fr(value)
    assert parse_date_fr(shown) == value
    assert parse_date_fr(shown.replace("/", "")) == value
    assert parse_date_fr(shown.replace("/", ".")) == value
    assert parse_date_fr(f"{value.day}-{value.month}-{value.year}") == value


@given(st.times().map(lambda value: value.replace(second=0, microsecond=0)))
def test_every_time_reads_back_from_its_spellings(value: dt.time) -> None:
    shown = format_time_fr(value)
    assert parse_time_fr(shown) == value
    assert parse_time_fr(shown.replace(":", "")) == value
    assert parse_time_fr(f"{value.hour}h{value.minute:02d}") == value


@given(st.text(max_size=12))
def test_any_text_is_a_date_or_a_french_refusal(text: str) -> None:
    try:
        value = parse_date_fr(text)
    except ParseError as error:
        assert error.message
    else:
        assert isinstance(value, dt.date)
    try:
        parse_time_fr(text)
    except ParseError as error:
        assert error.message
