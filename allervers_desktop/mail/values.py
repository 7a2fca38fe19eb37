"""The values of the templates' placeholders: a group's days, times, venue and contact, a
person, an employer's list of employees."""

from __future__ import annotations

import datetime as dt

from allervers_desktop.db.models import Enrollment, Participant
from allervers_desktop.documents.model import GroupInfo
from allervers_desktop.formatting import long_date, spoken_time


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " et " + words[-1]


def _schedule(group: GroupInfo) -> str:
    """« 9 h 00 – 12 h 30 et 13 h 30 – 17 h 00 », or one line per day when days differ."""
    by_day: dict[dt.date, str] = {}
    for day in group.dates:
        times = [
            f"{spoken_time(half.start_time)} – {spoken_time(half.end_time)}"
            for half in group.half_days_of(day)
        ]
        by_day[day] = _and(times)
    if len(set(by_day.values())) == 1:
        return next(iter(by_day.values()))
    return "".join(f"\n- {long_date(day)} : {times}" for day, times in by_day.items())


def _contact(group: GroupInfo) -> str:
    course = group.course
    if course.opco_contact_name and course.opco_contact_email:
        return f"{course.opco_contact_name} ({course.opco_contact_email})"
    return course.opco_contact_name or course.opco_contact_email


def group_values(group: GroupInfo) -> dict[str, str]:
    """The placeholders a whole group shares."""
    return {
        "formation": group.course.title,
        "groupe": group.title,
        "dates": _and([long_date(day) for day in group.dates]),
        "horaires": _schedule(group),
        "lieu": group.place,
        "contact_opco": _contact(group),
    }


def person_values(participant: Participant) -> dict[str, str]:
    employer = participant.employer
    return {
        "civilite": participant.civility,
        "prenom": participant.first_name,
        "nom": participant.last_name.upper(),
        "etablissement": employer.name if employer else "",
    }


def people_list(enrollments: list[Enrollment]) -> str:
    lines = []
    for enrollment in enrollments:
        person = enrollment.participant
        job = f" ({person.job_title})" if person.job_title else ""
        lines.append(f"- {person.full_name}{job}")
    return "\n".join(lines)
