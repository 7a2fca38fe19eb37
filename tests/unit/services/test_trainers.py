"""Trainers: fields, validation, the groups they teach, deletion with its consequences."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from allervers_desktop.db.database import Database
from allervers_desktop.db.models import GroupTrainer, Trainer
from allervers_desktop.services.courses import CourseData, create_course
from allervers_desktop.services.errors import NotFoundError, ValidationError
from allervers_desktop.services.groups import DayData, GroupData, create_group, get_group
from allervers_desktop.services.trainers import (
    TrainerData,
    create_trainer,
    delete_trainer,
    describe_trainer_deletion,
    get_trainer,
    trainer_choices,
    update_trainer,
)

CORNIER = TrainerData(
    first_name=" Chantal ",
    last_name="CORNIER",
    civility="madame",
    job_title="Chargée de projets",
    organisation="PRAXIS",
    email=" Chantal.Cornier@Praxis.fr ",
    phone="03 88 00 00 00",
)


def test_create_cleans_the_fields(database: Database) -> None:
    with database.transaction() as session:
        trainer_id = create_trainer(session, CORNIER).id
    with database.session() as session:
        trainer = get_trainer(session, trainer_id)
        assert TrainerData.from_trainer(trainer) == TrainerData(
            first_name="Chantal",
            last_name="CORNIER",
            civility="Mme",
            job_title="Chargée de projets",
            organisation="PRAXIS",
            email="chantal.cornier@praxis.fr",
            phone="03 88 00 00 00",
        )
        assert trainer.full_name == "Chantal CORNIER"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"last_name": " "}, "last_name", "« Nom » est obligatoire."),
        ({"first_name": ""}, "first_name", "« Prénom » est obligatoire."),
        ({"email": "chantal@praxis"}, "email",
         "L'adresse e-mail « chantal@praxis » n'est pas valide."),
        ({"phone": "appeler"}, "phone", "Le numéro de téléphone « appeler » n'est pas valide."),
        ({"civility": "Dr"}, "civility", "La civilité « Dr » n'est pas reconnue (M. ou Mme)."),
    ],
)  # fmt: skip
def test_validation_messages(
    database: Database, changes: dict[str, str], field: str, message: str
) -> None:
    data = TrainerData(**{**CORNIER.__dict__, **changes})
    with pytest.raises(ValidationError) as caught, database.transaction() as session:
        create_trainer(session, data)
    assert caught.value.for_field(field) == [message]
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(Trainer)) == 0


def test_update(database: Database) -> None:
    with database.transaction() as session:
        trainer_id = create_trainer(session, CORNIER).id
    with database.transaction() as session:
        update_trainer(session, trainer_id, TrainerData("Chantal", "CORNIER-MEYER", email=""))
    with database.session() as session:
        trainer = get_trainer(session, trainer_id)
        assert trainer.last_name == "CORNIER-MEYER"
        assert trainer.email is None
        assert "cornier-meyer" in trainer.search_text


def test_failed_update_is_not_written(database: Database) -> None:
    with database.transaction() as session:
        trainer_id = create_trainer(session, CORNIER).id
    with pytest.raises(ValidationError), database.transaction() as session:
        update_trainer(session, trainer_id, TrainerData("Chantal", ""))
    with database.session() as session:
        assert get_trainer(session, trainer_id).last_name == "CORNIER"


def make_groups(database: Database, trainer_id: int) -> list[int]:
    with database.transaction() as session:
        course_id = create_course(session, CourseData(title="Aller vers")).id
        return [
            create_group(
                session,
                GroupData(
                    course_id=course_id,
                    label=label,
                    city=city,
                    days=[DayData(day)],
                    trainer_ids=[trainer_id],
                ),
            ).id
            for label, city, day in (
                ("Groupe 2", "Metz", dt.date(2023, 10, 16)),
                ("Groupe 1", "Strasbourg", dt.date(2023, 9, 25)),
            )
        ]


def test_groups_taught_are_listed_by_date(database: Database) -> None:
    with database.transaction() as session:
        trainer_id = create_trainer(session, CORNIER).id
    make_groups(database, trainer_id)
    with database.session() as session:
        trainer = get_trainer(session, trainer_id)
        assert [(g.label, g.city) for g in trainer.groups] == [
            ("Groupe 1", "Strasbourg"),
            ("Groupe 2", "Metz"),
        ]
        assert trainer.groups[0].course.title == "Aller vers"


def test_deletion_impact_lists_the_groups_then_deletion_unassigns(database: Database) -> None:
    with database.transaction() as session:
        trainer_id = create_trainer(session, CORNIER).id
        other_id = create_trainer(session, TrainerData("Lara", "GELDREICH")).id
    group_ids = make_groups(database, trainer_id)
    with database.session() as session:
        impact = describe_trainer_deletion(session, trainer_id)
    assert impact.allowed
    assert impact.subject == "l'intervenant Chantal CORNIER"
    assert impact.consequences == [
        "Cet intervenant est affecté à 2 groupes (Groupe 1 (Strasbourg), Groupe 2 (Metz)) : "
        "il en sera retiré."
    ]
    with database.transaction() as session:
        delete_trainer(session, trainer_id)
    with database.session() as session:
        assert session.get(Trainer, trainer_id) is None
        assert session.get(Trainer, other_id) is not None
        assert session.scalar(select(func.count()).select_from(GroupTrainer)) == 0
        for group_id in group_ids:
            assert get_group(session, group_id).trainers == []


def test_trainer_without_groups_is_deleted_without_confirmation(database: Database) -> None:
    with database.transaction() as session:
        trainer_id = create_trainer(session, CORNIER).id
        assert not describe_trainer_deletion(session, trainer_id).needs_confirmation
        delete_trainer(session, trainer_id)
        assert session.get(Trainer, trainer_id) is None


def test_choices_and_unknown_trainer(database: Database) -> None:
    with database.transaction() as session:
        first = create_trainer(session, TrainerData("Lara", "Geldreich")).id
        second = create_trainer(session, CORNIER).id
        assert trainer_choices(session) == [
            (second, "CORNIER Chantal — Chargée de projets"),
            (first, "GELDREICH Lara"),
        ]
    with pytest.raises(NotFoundError) as caught, database.session() as session:
        get_trainer(session, 77)
    assert caught.value.message == "Aucun intervenant ne porte le numéro 77."


def test_trainer_of_a_single_group_can_be_deleted(database: Database) -> None:
    with database.transaction() as session:
        trainer_id = create_trainer(session, CORNIER).id
        course_id = create_course(session, CourseData(title="Aller vers")).id
        group_id = create_group(
            session, GroupData(course_id=course_id, label="Groupe 1", trainer_ids=[trainer_id])
        ).id
    with database.transaction() as session:
        assert "1 groupe (Groupe 1)" in describe_trainer_deletion(session, trainer_id).message()
        delete_trainer(session, trainer_id)
    with database.session() as session:
        assert get_group(session, group_id).trainers == []
