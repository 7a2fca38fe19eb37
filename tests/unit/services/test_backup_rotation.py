"""The rotation of backups: a pure function over dates and file names, tried on many dates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allervers_desktop.services.backups import (
    automatic_backup_due,
    backups_to_remove,
    kept_backups,
    parse_backup_names,
)

pytestmark = pytest.mark.sqlite_only(reason="backups of the database file")

DB = Path("/données/allervers.sqlite3")
START = dt.datetime(2024, 1, 1, 18, 30)


def name(at: dt.datetime, tail: str = "") -> str:
    return f"allervers-sauvegarde-{at:%Y%m%d-%H%M%S}{tail}.sqlite3"


def brute_force(stamps: list[dt.datetime]) -> set[dt.datetime]:
    """The rule written the long way: per period kind, the newest of the n latest periods."""
    kept: set[dt.datetime] = set()
    for count, key in (
        (7, lambda t: t.date()),
        (4, lambda t: t.isocalendar()[:2]),
        (12, lambda t: (t.year, t.month)),
    ):
        periods = sorted({key(t) for t in stamps}, reverse=True)[:count]
        for period in periods:
            kept.add(max(t for t in stamps if key(t) == period))
    return kept


def test_a_year_and_a_half_of_daily_backups() -> None:
    stamps = [START + dt.timedelta(days=d) for d in range(550)]
    kept = kept_backups(stamps)
    newest = stamps[-1]
    # The 7 last days, each of them.
    assert {newest - dt.timedelta(days=d) for d in range(7)} <= kept
    # The newest of each of the 12 last months.
    months = sorted({(t.year, t.month) for t in stamps}, reverse=True)[:12]
    for year, month in months:
        assert max(t for t in stamps if (t.year, t.month) == (year, month)) in kept
    # Nothing older than the 12th month back.
    oldest_month = months[-1]
    assert all((t.year, t.month) >= oldest_month for t in kept)
    assert len(kept) <= 7 + 4 + 12
    assert kept == brute_force(stamps)


def test_days_without_use_do_not_count() -> None:
    """Used on 3 days a month: the 7 « daily » backups go back to the 7 last days of use."""
    stamps = [
        dt.datetime(2024, month, day, 17, 0) for month in range(1, 13) for day in (3, 12, 25)
    ]
    kept = kept_backups(stamps)
    assert set(sorted(stamps)[-7:]) <= kept
    assert kept == brute_force(stamps)


def test_several_backups_a_day_keep_the_newest_of_the_day() -> None:
    day = [dt.datetime(2024, 5, 6, hour, 0) for hour in (9, 12, 18)]
    assert kept_backups(day) == {day[-1]}


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.datetimes(min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2030, 12, 31)),
        min_size=1,
        max_size=80,
    )
)
def test_rotation_matches_the_rule_on_any_dates(stamps: list[dt.datetime]) -> None:
    kept = kept_backups(stamps)
    assert kept <= set(stamps)
    assert max(stamps) in kept
    assert len(kept) <= 23
    assert kept == brute_force(stamps)
    assert kept_backups(kept) == kept, "rotating again removes nothing more"


def test_day_after_day_the_folder_stays_bounded() -> None:
    names: list[str] = []
    for day in range(800):
        names.append(name(START + dt.timedelta(days=day)))
        removed = set(backups_to_remove(DB, names))
        names = [n for n in names if n not in removed]
        assert names[-1] == name(START + dt.timedelta(days=day))
        assert len(names) <= 23
    assert len(names) >= 20


def test_only_rotated_backups_of_this_database_are_ever_removed() -> None:
    old = START - dt.timedelta(days=2000)
    others = [
        "notes.txt",
        "allervers.sqlite3",
        f"allervers-avant-restauration-{old:%Y%m%d-%H%M%S}.sqlite3",
        f"autre-sauvegarde-{old:%Y%m%d-%H%M%S}.sqlite3",
        f"allervers-sauvegarde-{old:%Y%m%d-%H%M%S}.sqlite3.partiel",
        "allervers-sauvegarde-20241399-250000.sqlite3",  # not a real date
    ]
    recent = [name(START + dt.timedelta(days=d)) for d in range(400)]
    names = [*others, name(old), name(old, "-manuelle"), *recent]
    removed = backups_to_remove(DB, names)
    assert name(old) in removed and name(old, "-manuelle") in removed
    assert not set(others) & set(removed)


def test_same_second_backups_keep_one_name() -> None:
    at = START
    names = [name(at), name(at, "-2"), name(at, "-3-manuelle")]
    assert len(parse_backup_names(DB, names)) == 3
    assert sorted(backups_to_remove(DB, names)) == sorted(names[:2])


def test_automatic_backup_is_due_once_a_day() -> None:
    today = START.date()
    assert automatic_backup_due(DB, [], today)
    assert automatic_backup_due(DB, [name(START, "-manuelle")], today)
    assert not automatic_backup_due(DB, [name(START)], today)
    assert automatic_backup_due(DB, [name(START)], today + dt.timedelta(days=1))
