"""Training providers: identity validation (SIRET, NDA), images, deletion rules."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from allervers_desktop.db.database import Database
from allervers_desktop.db.models import StoredFile, TrainingProvider
from allervers_desktop.services.courses import CourseData, create_course, update_course
from allervers_desktop.services.errors import DeletionBlockedError, ValidationError
from allervers_desktop.services.providers import (
    ProviderData,
    create_provider,
    delete_provider,
    describe_provider_deletion,
    get_provider,
    list_providers,
    luhn_valid,
    provider_images,
    siret_valid,
    update_provider,
)
from allervers_desktop.services.settings import StoredImage
from tests.unit.documents.conftest import png

PNG = png()  # a real image: a damaged one is refused (allervers_desktop/images.py)


def _errors(
    database: Database, data: ProviderData, provider_id: int | None = None
) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught, database.transaction() as session:
        if provider_id is None:
            create_provider(session, data)
        else:
            update_provider(session, provider_id, data)
    return {error.field: error.message for error in caught.value.errors}


@pytest.mark.parametrize(
    ("siret", "valid"),
    [
        ("12345678200010", True),  # the example data's fictitious SIRET
        ("73282932000074", True),  # a published example (Luhn)
        ("12345678200011", False),
        ("35600000000048", True),  # La Poste's head office passes Luhn
        ("35600000049837", True),  # a La Poste establishment: digit sum 45, a multiple of 5
        ("35600000049838", False),
        ("1234567820001", False),
        ("1234567820001A", False),
    ],
)
def test_siret_checksum(siret, valid):
    assert siret_valid(siret) is valid


def test_luhn():
    assert luhn_valid("123456782")
    assert not luhn_valid("123456789")


def test_identity_is_stored_normalised(database):
    with database.transaction() as session:
        provider = create_provider(
            session,
            ProviderData(
                name="  Formacoop   Est ",
                address="  3 rue des Tanneurs \n\n Bâtiment B ",
                postcode="67 000",
                city=" Strasbourg ",
                siret="123 456 782 00010",
                nda="44.67.99999.67",
                nda_region="Grand Est",
                legal_representative="Claire  FONTAINE",
                contact_email="Contact@Formacoop.Exemple.FR",
                logo=StoredImage("logo.png", PNG),
            ),
        )
        provider_id = provider.id
    with database.session() as session:
        provider = get_provider(session, provider_id)
        assert provider.name == "Formacoop Est"
        assert provider.address == "3 rue des Tanneurs\nBâtiment B"
        assert (provider.postcode, provider.city) == ("67000", "Strasbourg")
        assert provider.siret == "12345678200010"
        assert provider.nda == "44679999967"
        assert provider.legal_representative == "Claire FONTAINE"
        assert provider.contact_email == "contact@formacoop.exemple.fr"
        logo, stamp = provider_images(session, provider_id)
        assert logo is not None and logo.content == PNG and stamp is None
        assert [p.name for p in list_providers(session, "formacoop strasb")] == ["Formacoop Est"]
        assert list_providers(session, "12345678200010")[0].id == provider_id
        assert list_providers(session, "lyon") == []


def test_bad_siret_nda_and_postcode_are_refused_in_french(database):
    errors = _errors(
        database,
        ProviderData(name="Formacoop", siret="123 456 789 00012", nda="44 67 999", postcode="6700"),
    )
    assert errors["siret"] == (
        "Le SIRET « 123 456 789 00012 » n'est pas valide (clé de contrôle fausse) : "
        "vérifiez-le sur l'avis de situation Insee."
    )
    assert errors["nda"] == (
        "Le numéro de déclaration d'activité compte 11 chiffres ; « 44 67 999 » ne convient pas."
    )
    assert errors["postcode"] == "Le code postal « 6700 » doit avoir 5 chiffres."
    assert _errors(database, ProviderData(name="F", siret="1234"))["siret"] == (
        "Le SIRET compte 14 chiffres ; « 1234 » en a 4."
    )
    assert _errors(database, ProviderData(name="F", siret="1234567820001O"))["siret"] == (
        "Le SIRET « 1234567820001O » ne doit contenir que des chiffres."
    )
    assert _errors(database, ProviderData(name="F", nda="4467999996A"))["nda"].startswith(
        "Le numéro de déclaration d'activité compte 11 chiffres"
    )
    assert (
        _errors(database, ProviderData(name="  "))["name"] == "« Raison sociale » est obligatoire."
    )
    bad_image = ProviderData(name="F", stamp=StoredImage("cachet.txt", b"pas une image"))
    assert "n'est pas une image" in _errors(database, bad_image)["stamp"]
    with database.session() as session:
        assert session.scalars(select(TrainingProvider)).all() == []


def test_two_providers_cannot_share_a_name(database):
    with database.transaction() as session:
        create_provider(session, ProviderData(name="PRAXIS"))
        other = create_provider(session, ProviderData(name="Formacoop")).id
    assert _errors(database, ProviderData(name="praxis"))["name"] == (
        "L'organisme « praxis » existe déjà."
    )
    assert "existe déjà" in _errors(database, ProviderData(name="Praxis"), other)["name"]


def test_a_provider_used_by_a_course_cannot_be_deleted(database):
    with database.transaction() as session:
        course = create_course(session, CourseData(title="Aller vers", provider_name="PRAXIS"))
        assert course.provider is not None
        provider_id = course.provider.id
        update_provider(
            session, provider_id, ProviderData(name="PRAXIS", stamp=StoredImage("c.png", PNG))
        )
        course_id = course.id
    with database.session() as session:
        impact = describe_provider_deletion(session, provider_id)
    assert not impact.allowed
    assert impact.message().startswith("Cet organisme dispense 1 formation : choisissez")
    with pytest.raises(DeletionBlockedError), database.transaction() as session:
        delete_provider(session, provider_id)
    # Once the course names another provider, it can go, with its images.
    with database.transaction() as session:
        update_course(session, course_id, CourseData(title="Aller vers", provider_name="Autre"))
    with database.transaction() as session:
        delete_provider(session, provider_id)
    with database.session() as session:
        assert [p.name for p in list_providers(session)] == ["Autre"]
        assert session.scalars(select(StoredFile.key)).all() == []


def test_renaming_a_provider_refreshes_the_course_search(database):
    with database.transaction() as session:
        course = create_course(session, CourseData(title="Aller vers", provider_name="PRAXIS"))
        assert course.provider is not None
        update_provider(session, course.provider.id, ProviderData(name="Formacoop"))
        session.flush()
        assert "formacoop" in course.search_text
