"""The calendar's half-days: the range, the filters, who teaches each one."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from allervers_desktop.db.database import Database
from allervers_desktop.db.models import Group, HalfDay, Trainer
from allervers_desktop.services.calendar import (
    MAX_DAYS,
    CalendarFilter,
    calendar_choices,
    calendar_entries,
)
from allervers_desktop.services.teaching import set_half_day_trainers

SEPTEMBER = (dt.date(2023, 9, 1), dt.date(2023, 9, 30))
AUTUMN = (dt.date(2023, 9, 1), dt.date(2023, 10, 31))


def test_a_month_has_its_half_days_in_order(demo_database: Database) -> None:
    with demo_database.session() as session:
        entries = calendar_entries(session, *SEPTEMBER)
    assert [(e.group, e.date.day, e.period) for e in entries] == [
        ("Groupe 1", 25, "am"),
        ("Groupe 1", 25, "pm"),
        ("Groupe 1", 26, "am"),
        ("Groupe 1", 26, "pm"),
    ]
    first = entries[0]
    assert (first.city, first.start, first.end) == ("Strasbourg", dt.time(9), dt.time(12, 30))
    assert first.course.startswith("La pratique de l'Aller Vers les publics — Module 1")
    assert first.trainers == ("Chantal CORNIER", "Jean-Xavier COUROT")


def test_filters_by_city_and_by_trainer(demo_database: Database) -> None:
    with demo_database.session() as session:
        metz = calendar_entries(session, *AUTUMN, CalendarFilter(city="Metz"))
        lara = session.scalars(select(Trainer).where(Trainer.last_name == "GELDREICH")).one()
        hers = calendar_entries(session, *AUTUMN, CalendarFilter(trainer_id=lara.id))
        choices = calendar_choices(session)
    assert {e.group for e in metz} == {"Groupe 2"} and len(metz) == 4
    assert {e.group for e in hers} == {"Groupe 2"}
    assert choices.cities == ["Metz", "Strasbourg"]
    assert [name for _id, name in choices.trainers] == [
        "Chantal CORNIER",
        "Jean-Xavier COUROT",
        "Lara GELDREICH",
    ]


def test_a_half_day_taught_by_one_trainer_is_hers_alone(demo_database: Database) -> None:
    with demo_database.transaction() as session:
        group = session.scalars(select(Group).where(Group.label == "Groupe 1")).one()
        chantal = session.scalars(select(Trainer).where(Trainer.last_name == "CORNIER")).one()
        morning = session.scalars(
            select(HalfDay).where(HalfDay.id.in_([h.id for h in group.half_days]))
        ).first()
        assert morning is not None
        set_half_day_trainers(session, morning.id, [chantal.id])
        courot = session.scalars(select(Trainer).where(Trainer.last_name == "COUROT")).one()
        courot_id, morning_id = courot.id, morning.id
    with demo_database.session() as session:
        his = calendar_entries(session, *SEPTEMBER, CalendarFilter(trainer_id=courot_id))
        all_of_them = calendar_entries(session, *SEPTEMBER)
    assert morning_id not in {e.half_day_id for e in his} and len(his) == 3
    assert next(e for e in all_of_them if e.half_day_id == morning_id).trainers == (
        "Chantal CORNIER",
    )


def test_the_range_is_bounded(demo_database: Database) -> None:
    with demo_database.session() as session:
        assert calendar_entries(session, dt.date(2023, 9, 30), dt.date(2023, 9, 1)) == []
        # Asked for years, it reads at most MAX_DAYS days from the first.
        wide = calendar_entries(session, dt.date(2023, 9, 1), dt.date(2030, 1, 1))
    assert MAX_DAYS < 70
    assert {e.group for e in wide} == {"Groupe 1", "Groupe 2"}  # 1 Sept + 61 days: 31 Oct
