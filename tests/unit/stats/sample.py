"""A small database whose every figure is counted by hand in the tests' comments.

Groupe 1, Strasbourg (« terminé », 5 seats), 25 and 26/09/2024, 09:00–12:30 and 13:30–17:00
(210 minutes each half-day):

| person | employer | 25 am | 25 pm | 26 am | 26 pm | minutes |
|---|---|---|---|---|---|---|
| AUBRY Mme (Éducatrice) | Tilleuls (67) | present | present | present | present | 840 |
| BARDOT M. (Infirmier) | Tilleuls (67) | late 09:20 | left 16:00 | absent | excused | 340 |
| CAMUS Mme (Éducatrice) | CCAS Metz (57) | present | present | present | absent | 630 |
| DORE Mme (Psychologue) | CCAS Metz (57) | waiting list: nothing | | | | 0 |
| ESTIER Mme (Éducatrice) | CCAS Metz (57) | absent | absent | — | — | 0 (no-show) |

Groupe 2, Metz, cancelled (10 seats), 10/10/2024 am: AUBRY registered.
Groupe 3, Metz, planned (no capacity), 14/11/2024 am and pm: CAMUS and DORE registered.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from allervers_desktop.db.database import Database
from allervers_desktop.db.models import (
    Attendance,
    Course,
    Employer,
    Enrollment,
    Group,
    GroupDay,
    HalfDay,
    Participant,
)

T = dt.time


@dataclass(frozen=True)
class Sample:
    course_id: int
    other_course_id: int
    groups: dict[str, int]
    employers: dict[str, int]
    people: dict[str, int]


def _group(
    course: Course, label: str, city: str, status: str, capacity: int | None, days: list[dt.date]
) -> Group:
    group = Group(course=course, label=label, city=city, status=status, capacity=capacity)
    for date in days:
        group.days.append(
            GroupDay(
                date=date,
                half_days=[
                    HalfDay(period="am", start_time=T(9, 0), end_time=T(12, 30)),
                    HalfDay(period="pm", start_time=T(13, 30), end_time=T(17, 0)),
                ],
            )
        )
    return group


def build_sample(database: Database) -> Sample:
    with database.transaction() as session:
        course = Course(title="La pratique de l'Aller Vers", module="Module 1")
        other = Course(title="Écrits professionnels")
        tilleuls = Employer(
            name="=EHPAD Les Tilleuls",  # text that looks like a formula must stay text
            city="Strasbourg",
            address="3 rue des Lilas, 67000 Strasbourg",
        )
        ccas = Employer(name="CCAS de Metz", city="Metz", finess="570001234")
        people = {
            "aubry": Participant(
                civility="Mme",
                last_name="AUBRY",
                first_name="Zoé",
                job_title="Éducatrice",
                employer=tilleuls,
            ),
            "bardot": Participant(
                civility="M.",
                last_name="BARDOT",
                first_name="Loïc",
                job_title="Infirmier",
                employer=tilleuls,
            ),
            "camus": Participant(
                civility="Mme",
                last_name="CAMUS",
                first_name="Inès",
                job_title="Éducatrice",
                employer=ccas,
            ),
            "dore": Participant(
                civility="Mme",
                last_name="DORE",
                first_name="Léa",
                job_title="Psychologue",
                employer=ccas,
            ),
            "estier": Participant(
                civility="Mme",
                last_name="ESTIER",
                first_name="Anaïs",
                job_title="Éducatrice",
                employer=ccas,
            ),
        }
        g1 = _group(
            course,
            "Groupe 1",
            "Strasbourg",
            "completed",
            5,
            [dt.date(2024, 9, 25), dt.date(2024, 9, 26)],
        )
        g2 = _group(course, "Groupe 2", "Metz", "cancelled", 10, [dt.date(2024, 10, 10)])
        g2.days[0].half_days.pop()  # morning only
        g3 = _group(course, "Groupe 3", "Metz", "planned", None, [dt.date(2024, 11, 14)])
        session.add_all([course, other, tilleuls, ccas, *people.values(), g1, g2, g3])
        session.flush()

        def enroll(group: Group, name: str, status: str) -> Enrollment:
            enrollment = Enrollment(group=group, participant=people[name], status=status)
            session.add(enrollment)
            return enrollment

        e = {name: enroll(g1, name, "confirmed") for name in ("aubry", "bardot", "camus", "estier")}
        enroll(g1, "dore", "waitlisted")
        enroll(g2, "aubry", "registered")
        enroll(g3, "camus", "registered")
        enroll(g3, "dore", "registered")
        session.flush()
        a25, p25, a26, p26 = g1.half_days

        def mark(
            name: str,
            half: HalfDay,
            status: str,
            arrived: dt.time | None = None,
            left: dt.time | None = None,
        ) -> None:
            session.add(
                Attendance(
                    enrollment=e[name],
                    half_day=half,
                    status=status,
                    arrived_at=arrived,
                    left_at=left,
                )
            )

        for half in (a25, p25, a26, p26):
            mark("aubry", half, "present")
        mark("bardot", a25, "late", arrived=T(9, 20))
        mark("bardot", p25, "present", left=T(16, 0))
        mark("bardot", a26, "absent")
        mark("bardot", p26, "excused")
        for half in (a25, p25, a26):
            mark("camus", half, "present")
        mark("camus", p26, "absent")
        mark("estier", a25, "absent")
        mark("estier", p25, "absent")
        session.flush()
        return Sample(
            course_id=course.id,
            other_course_id=other.id,
            groups={"g1": g1.id, "g2": g2.id, "g3": g3.id},
            employers={"tilleuls": tilleuls.id, "ccas": ccas.id},
            people={name: person.id for name, person in people.items()},
        )
