"""Command line: providers, provider ID|new, assessment."""

from __future__ import annotations

import json

from allervers_desktop.cli import main
from allervers_desktop.db.database import Database
from allervers_desktop.db.models import Enrollment, StoredFile
from allervers_desktop.services.attendance import find_enrollment
from allervers_desktop.services.providers import get_provider
from tests.unit.documents.conftest import png

PNG = png()  # a real image: a damaged one is refused (allervers_desktop/images.py)


def run(database: Database, *args: str) -> int:
    return main(["--db", database.target, *args])


def test_list_and_show_the_example_provider(demo_database, capsys):
    assert run(demo_database, "providers") == 0
    out = capsys.readouterr().out
    assert "PRAXIS     Strasbourg  123 456 782 00010  44 67 99999 67  Claire FONTAINE     1" in out
    assert run(demo_database, "providers", "--json") == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows == [
        {
            "id": 1,
            "name": "PRAXIS",
            "city": "Strasbourg",
            "siret": "12345678200010",
            "nda": "44679999967",
            "legal_representative": "Claire FONTAINE",
            "courses": 1,
        }
    ]
    assert run(demo_database, "provider", "1") == 0
    out = capsys.readouterr().out
    assert "Raison sociale : PRAXIS" in out
    assert "N° de déclaration d'activité : 44 67 99999 67" in out
    assert "Référent handicap : Julien MARTIN" in out
    assert "Organisme enregistré" not in out


def test_create_then_edit_a_provider_with_images(database, tmp_path, capsys):
    stamp = tmp_path / "cachet.png"
    stamp.write_bytes(PNG)
    code = run(
        database, "provider", "new", "--name", "Formacoop", "--siret", "356 000 000 49837",
        "--nda", "44 67 12345 67", "--nda-region", "Grand Est", "--address",
        "3 rue des Tanneurs\\nBâtiment B", "--postcode", "67000", "--city", "Strasbourg",
        "--representative", "Paul ROTH", "--representative-title", "Gérant",
        "--accessibility-contact", "Léa KLEIN", "--rules-url-or-text",
        "https://formacoop.exemple.fr/reglement", "--stamp", str(stamp), "--json",
    )  # fmt: skip
    assert code == 0
    created = json.loads(capsys.readouterr().out)
    assert created["id"] == 1 and created["stamp"] == "cachet.png" and created["logo"] == ""
    assert created["address"] == "3 rue des Tanneurs\nBâtiment B"
    assert run(database, "provider", "1", "--contact", "Accueil", "--no-stamp") == 0
    assert "Organisme enregistré." in capsys.readouterr().out
    with database.session() as session:
        provider = get_provider(session, 1)
        assert (provider.siret, provider.nda) == ("35600000049837", "44671234567")
        assert provider.contact_name == "Accueil" and provider.legal_representative == "Paul ROTH"
        assert session.get(StoredFile, "provider.1.stamp") is None


def test_bad_input_fails_in_french_and_changes_nothing(demo_database, tmp_path, capsys):
    assert run(demo_database, "provider", "1", "--siret", "123 456 789 00012") == 1
    err = capsys.readouterr().err
    assert err.startswith("allervers : erreur : Le SIRET « 123 456 789 00012 » n'est pas valide")
    assert run(demo_database, "provider", "1", "--nda", "123") == 1
    assert "compte 11 chiffres" in capsys.readouterr().err
    assert run(demo_database, "provider", "new", "--city", "Metz") == 1
    assert "demande au moins --name" in capsys.readouterr().err
    assert run(demo_database, "provider", "x") == 1
    assert "Numéro d'organisme illisible : « x »" in capsys.readouterr().err
    assert run(demo_database, "provider", "9") == 1
    assert "Aucun organisme de formation ne porte le numéro 9." in capsys.readouterr().err
    missing = tmp_path / "absent.png"
    assert run(demo_database, "provider", "1", "--logo", str(missing)) == 1
    assert "ne peut pas être lu" in capsys.readouterr().err
    assert run(demo_database, "provider", "1", "--delete") == 1
    assert "Cet organisme dispense 1 formation" in capsys.readouterr().err
    with demo_database.session() as session:
        assert get_provider(session, 1).siret == "12345678200010"


def test_delete_an_unused_provider(database, capsys):
    assert run(database, "provider", "new", "--name", "Formacoop") == 0
    assert run(database, "provider", "1", "--delete") == 0
    assert "Organisme « Formacoop » supprimé." in capsys.readouterr().out
    assert run(database, "providers", "--json") == 0
    assert json.loads(capsys.readouterr().out) == []


def test_assessment_per_participant(demo_database, capsys):
    assert run(demo_database, "assessment", "1", "1", "partial") == 0
    assert "MULLER Hélène : objectifs partiellement acquis." in capsys.readouterr().out
    with demo_database.session() as session:
        enrollment = find_enrollment(session, 1, 1)
        assert enrollment.assessment_result == "partial"
    assert run(demo_database, "assessment", "1", "1", "none") == 0
    assert "MULLER Hélène : évaluation effacée." in capsys.readouterr().out
    assert run(demo_database, "assessment", "1", "11", "acquired") == 1
    assert "BECKER Jérôme n'est pas inscrit(e) à ce groupe." in capsys.readouterr().err


def test_assessment_refused_when_the_course_has_none(demo_database, capsys):
    from allervers_desktop.db.models import Course

    with demo_database.transaction() as session:
        course = session.get(Course, 1)
        assert course is not None
        course.assesses_learning = False
    assert run(demo_database, "assessment", "1", "1", "acquired") == 1
    err = capsys.readouterr().err
    assert "ne prévoit pas d'évaluation des acquis" in err
    with demo_database.session() as session:
        assert session.get(Enrollment, 1) is not None
        assert find_enrollment(session, 1, 1).assessment_result is None
