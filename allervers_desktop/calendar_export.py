"""iCalendar export: a group's, a trainer's or every group's half-days as events.

One VEVENT per half-day, « Formation – Groupe 1 – Strasbourg (matin) », at the group's venue,
with times in Europe/Paris (a VTIMEZONE is included so that Outlook and Thunderbird agree), the
trainers in the description, and a UID built from the half-day's id so that importing a newer
export updates the events instead of duplicating them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event
from sqlalchemy import select
from sqlalchemy.orm import Session

from allervers_desktop.clock import session_clock
from allervers_desktop.db.models import Group, GroupTrainer
from allervers_desktop.files.atomic import write_bytes
from allervers_desktop.services.groups import get_group
from allervers_desktop.services.teaching import half_day_trainers
from allervers_desktop.services.trainers import get_trainer

PARIS = ZoneInfo("Europe/Paris")
PERIOD_WORDS = {"am": "matin", "pm": "après-midi"}
UID_DOMAIN = "allervers.local"


def half_day_uid(half_day_id: int) -> str:
    return f"demi-journee-{half_day_id}@{UID_DOMAIN}"


def _place(group: Group) -> str:
    address = " ".join(group.venue_address.split())
    if group.city and group.city.lower() not in address.lower():
        return f"{address}, {group.city}" if address else group.city
    return address or group.city


def _events(
    session: Session, group: Group, trainer_id: int | None, stamp: dt.datetime
) -> list[Event]:
    taught = half_day_trainers(session, group.id)
    title = f"{group.label} – {group.city}" if group.city else group.label
    events = []
    for day in sorted(group.days, key=lambda d: d.date):
        for half in sorted(day.half_days, key=lambda h: h.period):
            trainers = taught.get(half.id, [])
            if trainer_id is not None and trainer_id not in {t.id for t in trainers}:
                continue
            event = Event()
            event.add("uid", half_day_uid(half.id))
            event.add("dtstamp", stamp)
            event.add(
                "summary",
                f"{group.course.title} – {title} ({PERIOD_WORDS.get(half.period, half.period)})",
            )
            event.add("dtstart", dt.datetime.combine(day.date, half.start_time, PARIS))
            event.add("dtend", dt.datetime.combine(day.date, half.end_time, PARIS))
            place = _place(group)
            if place:
                event.add("location", place)
            names = ", ".join(t.full_name for t in trainers)
            lines = [f"Formation : {group.course.title}", f"Groupe : {title}"]
            lines.append(f"Intervenant(s) : {names}" if names else "Intervenant : à désigner")
            event.add("description", "\n".join(lines))
            events.append(event)
    return events


def build_calendar(
    session: Session, *, group_id: int | None = None, trainer_id: int | None = None
) -> Calendar:
    """The calendar of one group, of one trainer, or (neither given) of every group."""
    stamp = session_clock(session).now().replace(tzinfo=PARIS).astimezone(dt.UTC)
    groups: Iterable[Group]
    name = "Formations « Aller vers »"
    if group_id is not None:
        group = get_group(session, group_id)
        groups = [group]
        name = f"{group.course.title} – {group.label}"
    elif trainer_id is not None:
        trainer = get_trainer(session, trainer_id)
        name = f"Planning de {trainer.full_name}"
        in_group = select(GroupTrainer.group_id).where(GroupTrainer.trainer_id == trainer_id)
        ids = set(session.scalars(in_group))
        groups = [get_group(session, gid) for gid in sorted(ids)]
    else:
        ids = set(session.scalars(select(Group.id)))
        groups = [get_group(session, gid) for gid in sorted(ids)]
    calendar = Calendar()
    calendar.add("prodid", "-//Allervers//Planning des formations//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Paris")
    for group in groups:
        for event in _events(session, group, trainer_id, stamp):
            calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar


def calendar_bytes(calendar: Calendar) -> bytes:
    return bytes(calendar.to_ical())


def write_calendar(calendar: Calendar, target: Path) -> Path:
    """Write the .ics file atomically (French errors for a missing or read-only folder)."""
    return write_bytes(Path(target), calendar_bytes(calendar))
