"""The iCalendar export read back with icalendar: one event per half-day, in Europe/Paris."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from icalendar import Calendar

from allervers_desktop.calendar_export import build_calendar, half_day_uid, write_calendar
from allervers_desktop.db.database import Database
from allervers_desktop.files.errors import FileWriteError
from allervers_desktop.services.errors import NotFoundError
from allervers_desktop.services.groups import get_group

PARIS = "Europe/Paris"


def read_back(path: Path) -> Calendar:
    return Calendar.from_ical(path.read_bytes())


def test_a_group_gives_one_event_per_half_day(demo_database: Database, tmp_path: Path) -> None:
    with demo_database.session() as session:
        group = get_group(session, 1)
        halves = [(day.date, half) for day in group.days for half in day.half_days]
        expected = {
            half_day_uid(half.id): (
                dt.datetime.combine(date, half.start_time),
                dt.datetime.combine(date, half.end_time),
            )
            for date, half in halves
        }
        title = group.course.title
        target = write_calendar(build_calendar(session, group_id=1), tmp_path / "groupe.ics")
    calendar = read_back(target)
    events = calendar.walk("VEVENT")
    assert len(events) == len(halves) == 4
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == [PARIS]
    for event in events:
        start = event.decoded("DTSTART")
        end = event.decoded("DTEND")
        assert str(start.tzinfo) == PARIS == event["DTSTART"].params["TZID"]
        assert (start.replace(tzinfo=None), end.replace(tzinfo=None)) == expected[str(event["UID"])]
        assert str(event["SUMMARY"]).startswith(f"{title} – Groupe 1 – Strasbourg (")
        assert str(event["LOCATION"]) == "PRAXIS — 12 rue du Faubourg National, 67000 Strasbourg"
        assert "Intervenant(s) : " in str(event["DESCRIPTION"])
    summaries = sorted(str(event["SUMMARY"]) for event in events)
    assert sum(s.endswith("(matin)") for s in summaries) == 2
    assert sum(s.endswith("(après-midi)") for s in summaries) == 2
    # A morning at 9 h in September is 7 h UTC (summer time): the offset is real.
    first = min(event.decoded("DTSTART") for event in events)
    assert first.utcoffset() == dt.timedelta(hours=2)


def test_uids_are_stable_between_exports(demo_database: Database) -> None:
    with demo_database.session() as session:
        first = [str(e["UID"]) for e in build_calendar(session, group_id=2).walk("VEVENT")]
        second = [str(e["UID"]) for e in build_calendar(session, group_id=2).walk("VEVENT")]
    assert first == second
    assert len(set(first)) == 4


def test_trainer_and_whole_calendar(demo_database: Database) -> None:
    with demo_database.session() as session:
        everything = build_calendar(session).walk("VEVENT")
        shared = build_calendar(session, trainer_id=1).walk("VEVENT")  # teaches both groups
        only_metz = build_calendar(session, trainer_id=3).walk("VEVENT")
    assert len(everything) == 8
    assert len(shared) == 8
    assert {str(e["LOCATION"]).split(", ")[-1].split()[-1] for e in only_metz} == {"Metz"}
    assert len(only_metz) == 4


def test_unknown_group_and_trainer_are_refused(demo_database: Database) -> None:
    with demo_database.session() as session:
        with pytest.raises(NotFoundError, match="Aucun groupe ne porte le numéro 99"):
            build_calendar(session, group_id=99)
        with pytest.raises(NotFoundError, match="Aucun intervenant ne porte le numéro 99"):
            build_calendar(session, trainer_id=99)


def test_missing_folder_is_refused_in_french(demo_database: Database, tmp_path: Path) -> None:
    with demo_database.session() as session:
        calendar = build_calendar(session, group_id=1)
    with pytest.raises(FileWriteError, match="n'existe pas"):
        write_calendar(calendar, tmp_path / "absent" / "groupe.ics")


def test_a_trainer_gets_only_the_half_days_they_teach(demo_database: Database) -> None:
    from allervers_desktop.services.teaching import set_half_day_trainers

    with demo_database.transaction() as session:
        group = get_group(session, 1)
        first = sorted(group.half_days, key=lambda h: (h.day.date, h.period))[0]
        set_half_day_trainers(session, first.id, [2])  # trainer 2 alone on the first morning
        first_id = first.id
        trainer_name = next(t.full_name for t in group.trainers if t.id == 2)
    with demo_database.session() as session:
        two = build_calendar(session, trainer_id=2).walk("VEVENT")
        one = build_calendar(session, trainer_id=1).walk("VEVENT")
    # The other half-days have no choice recorded: the whole group's trainers teach them.
    assert len(two) == 4
    mine = next(e for e in two if str(e["UID"]) == half_day_uid(first_id))
    assert str(mine["DESCRIPTION"]).endswith(f"Intervenant(s) : {trainer_name}")
    assert half_day_uid(first_id) not in {str(e["UID"]) for e in one}
    assert len(one) == 7
