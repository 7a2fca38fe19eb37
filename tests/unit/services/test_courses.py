"""Courses: every field of the course sheet, lists replaced whole, validation, deletion."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import func, select

from allervers_desktop.db.database import Database
from allervers_desktop.db.models import (
    ActionNature,
    Course,
    CourseObjective,
    ProgrammeDay,
    ProgrammeItem,
    TrainingProvider,
)
from allervers_desktop.services.courses import (
    CourseData,
    ProgrammeDayData,
    create_course,
    delete_course,
    describe_course_deletion,
    get_course,
    provider_names,
    update_course,
)
from allervers_desktop.services.errors import DeletionBlockedError, NotFoundError, ValidationError
from allervers_desktop.services.groups import GroupData, create_group


def full_course() -> CourseData:
    return CourseData(
        title="La pratique de l'Aller Vers les publics",
        module="Module 1 « Aller vers : une nécessaire préparation »",
        reference="GE-M1",
        sectors="Social et Médico-social",
        audience="Les travailleurs sociaux",
        duration_days=2,
        duration_hours=14,
        provider_name="PRAXIS",
        funding_scheme="Fonds mutualisé de Branche",
        region="Grand Est",
        opco_name="Opco Santé",
        opco_contact_name="Aurore JOANNES",
        opco_contact_email="Aurore.Joannes@opco-sante.fr",
        partners=["DGCS", "ARS Grand Est"],
        context="Penser à « ALLER VERS »…\nCe changement de posture…",
        prerequisites="Occuper une fonction d'intervenant social",
        action_nature=ActionNature.TRAINING.value,
        objectives=["Resituer les enjeux", "Concevoir l'ALLER VERS", "Repenser les organisations"],
        programme=[
            ProgrammeDayData("Fondements et enjeux", ["Le contexte", "Les enjeux éthiques"]),
            ProgrammeDayData("Un élément incontournable", ["Le sens", "Les limites", "L'ancrage"]),
        ],
    )


def test_create_keeps_every_field_of_the_course_sheet(database: Database) -> None:
    with database.transaction() as session:
        course_id = create_course(session, full_course()).id
    with database.session() as session:
        course = get_course(session, course_id)
        stored = CourseData.from_course(course)
        assert course.provider is not None
        assert course.provider.name == "PRAXIS"
        assert course.reference == "GE-M1"
        assert course.partner_list == ["DGCS", "ARS Grand Est"]
    expected = dataclasses.replace(full_course(), opco_contact_email="aurore.joannes@opco-sante.fr")
    assert stored == expected


def test_objectives_and_programme_keep_their_order(database: Database) -> None:
    with database.transaction() as session:
        course_id = create_course(session, full_course()).id
    with database.session() as session:
        objectives = session.execute(
            select(CourseObjective.position, CourseObjective.text)
            .where(CourseObjective.course_id == course_id)
            .order_by(CourseObjective.position)
        ).all()
        assert [tuple(row) for row in objectives] == [
            (0, "Resituer les enjeux"),
            (1, "Concevoir l'ALLER VERS"),
            (2, "Repenser les organisations"),
        ]
        course = get_course(session, course_id)
        assert [day.title for day in course.programme_days] == [
            "Fondements et enjeux",
            "Un élément incontournable",
        ]
        assert [item.text for item in course.programme_days[1].items] == [
            "Le sens",
            "Les limites",
            "L'ancrage",
        ]


def test_update_replaces_the_lists_whole(database: Database) -> None:
    with database.transaction() as session:
        course_id = create_course(session, full_course()).id
    changed = dataclasses.replace(
        full_course(),
        title="Aller vers — module 2",
        objectives=["Repenser les organisations", "Resituer les enjeux"],
        programme=[ProgrammeDayData("Jour unique", ["Synthèse"])],
        partners=[],
        provider_name="",
    )
    with database.transaction() as session:
        update_course(session, course_id, changed)
    with database.session() as session:
        course = get_course(session, course_id)
        assert course.title == "Aller vers — module 2"
        assert [o.text for o in course.objectives] == [
            "Repenser les organisations",
            "Resituer les enjeux",
        ]
        assert [(d.title, [i.text for i in d.items]) for d in course.programme_days] == [
            ("Jour unique", ["Synthèse"])
        ]
        assert course.partners == ""
        assert course.provider is None
        # No orphans left behind.
        assert session.scalar(select(func.count()).select_from(CourseObjective)) == 2
        assert session.scalar(select(func.count()).select_from(ProgrammeDay)) == 1
        assert session.scalar(select(func.count()).select_from(ProgrammeItem)) == 1


def test_update_with_the_same_data_changes_nothing(database: Database) -> None:
    with database.transaction() as session:
        course_id = create_course(session, full_course()).id
    with database.transaction() as session:
        update_course(session, course_id, full_course())
    with database.session() as session:
        assert CourseData.from_course(get_course(session, course_id)).objectives == (
            full_course().objectives
        )


def test_blank_entries_are_dropped_and_spaces_collapsed(database: Database) -> None:
    data = dataclasses.replace(
        full_course(),
        title="  La   pratique  ",
        objectives=["  Un  ", "", "   ", "Deux"],
        programme=[ProgrammeDayData("", ["", " "]), ProgrammeDayData("Jour", ["", "Item"])],
        partners=["", " DGCS "],
    )
    with database.transaction() as session:
        course = create_course(session, data)
        assert course.title == "La pratique"
        assert [o.text for o in course.objectives] == ["Un", "Deux"]
        assert [(d.title, [i.text for i in d.items]) for d in course.programme_days] == [
            ("Jour", ["Item"])
        ]
        assert course.partner_list == ["DGCS"]


def test_provider_is_shared_and_matched_without_case(database: Database) -> None:
    with database.transaction() as session:
        create_course(session, full_course())
        create_course(
            session, dataclasses.replace(full_course(), reference="GE-M2", provider_name="praxis")
        )
        assert session.scalar(select(func.count()).select_from(TrainingProvider)) == 1
        assert provider_names(session) == ["PRAXIS"]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": "   "}, "title", "« Intitulé » est obligatoire."),
        (
            {"opco_contact_email": "aurore.joannes@"},
            "opco_contact_email",
            "L'adresse e-mail « aurore.joannes@ » n'est pas valide.",
        ),
        ({"duration_days": 0}, "duration_days", "La durée en jours doit être positive."),
        ({"duration_hours": -2}, "duration_hours", "La durée en heures doit être positive."),
        ({"action_nature": "stage"}, "action_nature", "La nature de l'action n'est pas reconnue."),
    ],
)
def test_validation_messages(
    database: Database, changes: dict[str, object], field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as caught, database.transaction() as session:
        create_course(session, dataclasses.replace(full_course(), **changes))  # type: ignore[arg-type]
    assert caught.value.for_field(field) == [message]
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(Course)) == 0


def test_all_errors_are_reported_at_once(database: Database) -> None:
    data = dataclasses.replace(full_course(), title="", opco_contact_email="non")
    with pytest.raises(ValidationError) as caught, database.transaction() as session:
        create_course(session, data)
    assert {error.field for error in caught.value.errors} == {"title", "opco_contact_email"}
    assert "obligatoire" in caught.value.message
    assert "n'est pas valide" in caught.value.message


def test_duplicate_reference_is_refused(database: Database) -> None:
    with database.transaction() as session:
        create_course(session, full_course())
    with pytest.raises(ValidationError) as caught, database.transaction() as session:
        create_course(session, dataclasses.replace(full_course(), title="Autre"))
    assert caught.value.for_field("reference") == ["La référence « GE-M1 » est déjà utilisée."]


def test_a_course_may_keep_its_own_reference(database: Database) -> None:
    with database.transaction() as session:
        course_id = create_course(session, full_course()).id
    with database.transaction() as session:
        update_course(session, course_id, dataclasses.replace(full_course(), title="Nouveau"))
    with database.session() as session:
        assert get_course(session, course_id).title == "Nouveau"


def test_unknown_course_is_reported_in_french(database: Database) -> None:
    with pytest.raises(NotFoundError) as caught, database.session() as session:
        get_course(session, 404)
    assert caught.value.message == "Aucune formation ne porte le numéro 404."


def test_deletion_is_blocked_while_the_course_has_groups(database: Database) -> None:
    with database.transaction() as session:
        course_id = create_course(session, full_course()).id
        create_group(session, GroupData(course_id=course_id, label="Groupe 1"))
        create_group(session, GroupData(course_id=course_id, label="Groupe 2"))
    with database.session() as session:
        impact = describe_course_deletion(session, course_id)
    assert not impact.allowed
    assert impact.message() == (
        "Cette formation a 2 groupes : supprimez d'abord ses groupes pour pouvoir la supprimer."
    )
    with pytest.raises(DeletionBlockedError) as caught, database.transaction() as session:
        delete_course(session, course_id)
    assert caught.value.message == impact.message()
    with database.session() as session:
        assert session.get(Course, course_id) is not None


def test_deleting_a_course_without_groups_removes_its_sheet(database: Database) -> None:
    with database.transaction() as session:
        course_id = create_course(session, full_course()).id
    with database.session() as session:
        impact = describe_course_deletion(session, course_id)
        assert impact.allowed
        assert not impact.needs_confirmation
    with database.transaction() as session:
        delete_course(session, course_id)
    with database.session() as session:
        assert session.get(Course, course_id) is None
        assert session.scalar(select(func.count()).select_from(CourseObjective)) == 0
        assert session.scalar(select(func.count()).select_from(ProgrammeItem)) == 0
