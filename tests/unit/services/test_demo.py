"""Example data: the real course sheet with all its fields, two groups, loaded only once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from allervers_desktop.db.database import Database
from allervers_desktop.db.models import (
    Course,
    Employer,
    Enrollment,
    EnrollmentStatus,
    Group,
    Participant,
    Trainer,
    TrainingProvider,
)
from allervers_desktop.services import demo, enrollments
from allervers_desktop.services.courses import get_course
from allervers_desktop.services.demo import DEMO_REFERENCE, load_demo
from allervers_desktop.services.groups import enrolled_count, fill_label, get_group
from allervers_desktop.text import fold

SEED = Path(__file__).resolve().parents[3].parent / "shared" / "seed"
SEED_SHEET = SEED / "fiche-technique-aller-vers-module-1.txt"


def squeeze(text: str) -> str:
    """Folded, typographic apostrophes made plain, without any white space or line break."""
    return "".join(fold(text.replace("\u2019", "'")).split())


def sheet_text() -> str:
    if not SEED_SHEET.exists():
        pytest.skip(f"course sheet not found: {SEED_SHEET}")
    # The sheet hyphenates words across lines (« méconnais-\nsance »).
    return squeeze(SEED_SHEET.read_text(encoding="utf-8").replace("-\n", ""))


def in_sheet(value: str) -> bool:
    return squeeze(value) in sheet_text()


def counts(database: Database) -> dict[str, int]:
    with database.session() as session:
        return {
            model.__name__: session.scalar(select(func.count()).select_from(model)) or 0
            for model in (
                Course,
                Group,
                Trainer,
                Participant,
                Employer,
                Enrollment,
                TrainingProvider,
            )
        }


def test_load_creates_the_example(database: Database) -> None:
    with database.transaction() as session:
        result = load_demo(session)
    assert result.loaded
    assert result.message == (
        "Données d'exemple chargées : 1 formation, 2 groupes, 3 intervenants, 21 participants."
    )
    assert counts(database) == {
        "Course": 1,
        "Group": 2,
        "Trainer": 3,
        "Participant": 21,
        "Employer": 5,
        "Enrollment": 21,
        "TrainingProvider": 1,
    }


def test_loading_twice_does_not_duplicate(demo_database: Database) -> None:
    before = counts(demo_database)
    with demo_database.transaction() as session:
        result = load_demo(session)
    assert not result.loaded
    assert result.message == "Les données d'exemple sont déjà chargées."
    assert counts(demo_database) == before


def test_course_has_every_field_of_the_sheet(demo_database: Database) -> None:
    with demo_database.session() as session:
        course = get_course(session, session.scalars(select(Course.id)).one())
        assert course.reference == DEMO_REFERENCE
        assert course.title == "La pratique de l'Aller Vers les publics"
        assert course.module == "Module 1 « Aller vers : une nécessaire préparation »"
        assert course.sectors == "Social et Médico-social"
        assert course.duration_days == 2
        assert course.duration_hours == 14
        assert course.provider is not None
        assert course.provider.name == "PRAXIS"
        assert course.funding_scheme == "Fonds mutualisé de Branche"
        assert course.region == "Grand Est"
        assert course.opco_name == "Opco Santé"
        assert course.opco_contact_name == "Aurore JOANNES"
        assert course.opco_contact_email == "aurore.joannes@opco-sante.fr"
        assert course.partner_list == ["DGCS"]
        assert course.action_nature == "training"
        assert course.prerequisites == "Occuper une fonction d'intervenant social"
        assert len(course.objectives) == 7
        assert course.objectives[0].text.startswith("Mettre en perspective")
        assert course.objectives[-1].text == "Repenser les organisations"
        assert [len(day.items) for day in course.programme_days] == [5, 4]
        assert course.programme_days[0].title == (
            "« ALLER VERS », fondements et enjeux professionnels"
        )
        # Every text comes from the sheet itself.
        texts = [
            course.title,
            course.sectors,
            course.audience,
            course.funding_scheme,
            course.prerequisites,
            *course.context.splitlines(),
            *(objective.text for objective in course.objectives),
            *(day.title for day in course.programme_days),
            *(item.text for day in course.programme_days for item in day.items),
        ]
        missing = [t for t in texts if not in_sheet(t)]
        assert missing == []


def test_groups_dates_trainers_and_fill(demo_database: Database) -> None:
    with demo_database.session() as session:
        groups = session.scalars(select(Group).order_by(Group.first_date)).all()
        summary = []
        for group in groups:
            group = get_group(session, group.id)
            summary.append(
                (
                    group.label,
                    group.city,
                    group.dates,
                    group.hours_planned,
                    [t.full_name for t in group.trainers],
                    fill_label(enrolled_count(session, group.id), group.capacity),
                )
            )
    assert summary == [
        (
            "Groupe 1",
            "Strasbourg",
            [dt.date(2023, 9, 25), dt.date(2023, 9, 26)],
            14,
            ["Chantal CORNIER", "Jean-Xavier COUROT"],
            "10 / 15",
        ),
        (
            "Groupe 2",
            "Metz",
            [dt.date(2023, 10, 16), dt.date(2023, 10, 17)],
            14,
            ["Chantal CORNIER", "Lara GELDREICH"],
            "11 / 15",
        ),
    ]


def test_trainers_are_those_of_the_sheet(demo_database: Database) -> None:
    with demo_database.session() as session:
        trainers = session.scalars(select(Trainer).order_by(Trainer.last_name)).all()
        for trainer in trainers:
            assert in_sheet(f"{trainer.first_name} {trainer.last_name}")
            assert in_sheet(trainer.job_title)
        assert [t.job_title for t in trainers] == [
            "Chargée de projets",
            "Chef de service hébergement",
            "Directrice d'un chez soi d'abord",
        ]


def test_participants_are_valid_and_spread_over_both_groups(demo_database: Database) -> None:
    with demo_database.session() as session:
        participants = session.scalars(select(Participant)).all()
        assert all(p.employer is not None for p in participants)
        assert all(p.email and p.email.endswith("@exemple.fr") for p in participants)
        assert len({p.email for p in participants}) == len(participants)
        statuses = set(session.scalars(select(Enrollment.status)))
        assert statuses <= {EnrollmentStatus.REGISTERED.value, EnrollmentStatus.CONFIRMED.value}
        per_group = {
            group_id: n
            for group_id, n in session.execute(
                select(Enrollment.group_id, func.count()).group_by(Enrollment.group_id)
            )
        }
        assert sorted(per_group.values()) == [10, 11]


def test_demo_is_loaded_in_one_transaction(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure half-way leaves nothing behind (the caller's transaction rolls back)."""
    original = enrollments.enroll
    calls = 0

    def failing_enroll(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == 5:
            raise RuntimeError("disque plein")
        return original(*args, **kwargs)

    monkeypatch.setattr(demo, "enroll", failing_enroll)
    with pytest.raises(RuntimeError), database.transaction() as session:
        load_demo(session)
    assert set(counts(database).values()) == {0}


def test_example_groups_are_over_by_the_real_clock(demo_database) -> None:
    """The example groups are dated in the past, so their certificates can be issued today."""
    from allervers_desktop.clock import SystemClock
    from allervers_desktop.db.models import Group
    from allervers_desktop.services.eligibility import group_refusal

    demo_database.clock = SystemClock()
    with demo_database.session() as session:
        ids = session.scalars(select(Group.id)).all()
        assert ids
        for group_id in ids:
            assert group_refusal(session, "realisation", group_id) is None
