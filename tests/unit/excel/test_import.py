"""Importing the real-world-shaped corpus into the example database."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from allervers_desktop.db.database import Database
from allervers_desktop.db.models import (
    Employer,
    Enrollment,
    EnrollmentStatus,
    ImportBatch,
    Participant,
)
from allervers_desktop.excel.errors import OperationCancelled
from allervers_desktop.excel.importer import (
    ImportOptions,
    apply_import,
    import_file,
    preview_import,
)
from allervers_desktop.excel.layout import prepare_sheet
from allervers_desktop.excel.mapping import ImportField
from allervers_desktop.excel.reading import open_spreadsheet
from allervers_desktop.excel.report import ConflictChoice, RowOutcome
from allervers_desktop.services.errors import NotFoundError
from tests.unit.excel.conftest import LISTS, snapshot

GROUP_1, GROUP_2 = 1, 2  # the example data: Strasbourg, then Metz


def participant(database: Database, email: str) -> Participant:
    with database.session() as session:
        found = session.scalar(select(Participant).where(Participant.email == email).limit(1))
        assert found is not None, email
        found.employer  # noqa: B018  (loaded before the session closes)
        return found


def groups_of(database: Database, participant_id: int) -> dict[int, str]:
    with database.session() as session:
        rows = session.execute(
            select(Enrollment.group_id, Enrollment.status).where(
                Enrollment.participant_id == participant_id
            )
        )
        return {group_id: status for group_id, status in rows}


def outcomes(report: object) -> dict[int, str]:
    return {row.row: row.outcome.value for row in report.rows}  # type: ignore[attr-defined]


def test_employer_list_with_title_lines_odd_headers_and_footer(demo_database: Database) -> None:
    report = import_file(demo_database, LISTS / "employeur-lignes-de-titre.xlsx")
    assert report.header_row == 4
    assert report.blank_rows == 2
    assert outcomes(report) == {
        5: "created",
        6: "created",
        8: "created",
        9: "unchanged",
        10: "skipped",
        11: "skipped",
        13: "skipped",
    }
    reasons = {row.row: row.message for row in report.skipped}
    assert reasons == {
        10: "nom manquant",
        11: "adresse e-mail « hugo.blanc@@foyer » non valide",
        13: "ligne de total (« Total : 5 inscrits »), pas un participant",
    }
    lefevre = participant(demo_database, "celine.lefevre@foyer-saint-eloi.fr")
    assert (lefevre.last_name, lefevre.first_name, lefevre.civility) == ("LEFÈVRE", "Céline", "Mme")
    assert lefevre.phone == "+33389201020"  # a number cell that had lost its leading zero
    assert lefevre.notes == "Régime végétarien"
    assert lefevre.employer is not None
    assert (lefevre.employer.name, lefevre.employer.city) == ("Foyer Saint-Éloi", "Colmar")
    garnier = participant(demo_database, "etienne.garnier@foyer-saint-eloi.fr")
    assert garnier.job_title == "Éducateur spécialisé"  # spaces collapsed
    with demo_database.session() as session:
        roux = session.scalars(select(Participant).where(Participant.last_name == "Roux")).one()
        assert (roux.civility, roux.email, roux.phone) == ("Mme", None, "+33612345678")
        assert session.scalar(select(func.count()).select_from(Employer)) == 5  # none created
        assert (
            session.scalar(
                select(func.count()).where(Participant.last_name.in_(["Total : 5 inscrits", ""]))
            )
            == 0
        )
    assert report.counts.created == 3
    assert "Ligne 9 : même personne que la ligne 5 : lignes fusionnées" in [
        notice.describe() for notice in report.warnings
    ]


def test_provider_xls_with_combined_names_and_group_column(demo_database: Database) -> None:
    report = import_file(demo_database, LISTS / "organisme-stagiaire.xls")
    assert report.header_row == 2
    assert outcomes(report) == {
        3: "created",
        4: "created",
        5: "created",
        6: "created",
        7: "skipped",
        8: "created",
    }
    assert report.skipped[0].message == "groupe « Groupe 3 » introuvable"
    assert (report.counts.enrolled, report.counts.employers_created) == (5, 1)
    dupont = participant(demo_database, "mc.dupont@relais-ill.fr")
    assert (dupont.last_name, dupont.first_name) == ("DUPONT", "Marie-Claire")
    assert groups_of(demo_database, dupont.id) == {GROUP_1: "registered"}
    fontaine = participant(demo_database, "jm.delafontaine@ccas-metz.fr")
    assert (fontaine.last_name, fontaine.first_name) == ("DE LA FONTAINE", "Jean-Marc")
    assert groups_of(demo_database, fontaine.id) == {GROUP_2: "registered"}  # « METZ »
    ndiaye = participant(demo_database, "aminata.ndiaye@horizon.fr")
    assert (ndiaye.last_name, ndiaye.first_name) == ("N'DIAYE", "Aminata")
    assert groups_of(demo_database, ndiaye.id) == {GROUP_1: "registered"}  # « strasbourg »
    bernard = participant(demo_database, "chloe.bernard@exemple.org")
    assert groups_of(demo_database, bernard.id) == {GROUP_1: "registered"}
    assert bernard.employer is not None and bernard.employer.name == "Nouvelle Structure"
    with demo_database.session() as session:
        martin = session.scalars(select(Participant).where(Participant.first_name == "Paul")).one()
        assert groups_of(demo_database, martin.id) == {GROUP_2: "registered"}  # a date cell
    warnings = [notice.describe() for notice in report.warnings]
    assert (
        "Ligne 5 : « Martin Paul » : nom et prénom séparés au mieux (nom « Martin », "
        "prénom « Paul ») ; vérifiez." in warnings
    )


def test_ods_second_sheet_proposed_with_text_dates_and_known_people(
    demo_database: Database,
) -> None:
    spreadsheet = open_spreadsheet(LISTS / "organisme-sessions.ods")
    assert spreadsheet.sheet_names == ["Consignes", "Inscriptions"]
    layout = prepare_sheet(spreadsheet)
    assert (layout.sheet_name, layout.header_row) == ("Inscriptions", 1)
    with demo_database.transaction() as session:
        report = apply_import(session, spreadsheet, layout)
    assert outcomes(report) == {2: "unchanged", 3: "merged", 4: "created"}
    schneider = participant(demo_database, "loic.schneider@exemple.fr")
    assert groups_of(demo_database, schneider.id) == {GROUP_1: "confirmed", GROUP_2: "registered"}
    petit = participant(demo_database, "jeanne.petit@tilleuls.fr")
    with demo_database.session() as session:
        enrollment = session.scalars(
            select(Enrollment).where(Enrollment.participant_id == petit.id)
        ).one()
        assert (enrollment.group_id, enrollment.enrolled_on) == (GROUP_2, dt.date(2023, 9, 15))
        assert enrollment.source == f"import n° {report.batch_id} (organisme-sessions.ods)"


def test_windows_1252_csv_with_semicolons(demo_database: Database) -> None:
    spreadsheet = open_spreadsheet(LISTS / "liste-windows-1252.csv")
    assert spreadsheet.description == "CSV Windows-1252, séparateur point-virgule"
    report = import_file(demo_database, LISTS / "liste-windows-1252.csv")
    assert outcomes(report) == {4: "created", 5: "created", 6: "created", 7: "skipped"}
    assert report.counts.enrolled == 2
    loeuvre = participant(demo_database, "francois.loeuvre@ccas-metz.fr")
    assert (loeuvre.last_name, loeuvre.first_name) == ("LŒUVRE", "François")
    assert groups_of(demo_database, loeuvre.id) == {GROUP_2: "registered"}
    therese = participant(demo_database, "anais.therese@ccas-metz.fr")
    assert groups_of(demo_database, therese.id) == {GROUP_2: "registered"}  # « 17/10/2023 »
    assert "Ligne 6 : groupe non renseigné : participant importé sans inscription" in [
        notice.describe() for notice in report.warnings
    ]


def test_utf8_bom_csv_with_commas_and_quotes(demo_database: Database) -> None:
    spreadsheet = open_spreadsheet(LISTS / "liste-utf8-bom.csv")
    assert spreadsheet.description == "CSV UTF-8, séparateur virgule"
    report = import_file(demo_database, LISTS / "liste-utf8-bom.csv")
    assert report.counts.created == 2
    assert report.counts.employers_created == 1
    girard = participant(demo_database, "leon.girard@exemple.fr")
    assert girard.job_title == "Chef de service, pôle hébergement"
    faure = participant(demo_database, "ines.faure@exemple.fr")
    assert girard.employer_id == faure.employer_id
    assert girard.employer is not None
    assert (girard.employer.name, girard.employer.city) == ('Association "Les Amis"', "Épinal")


def test_xlsm_is_read(demo_database: Database) -> None:
    report = import_file(demo_database, LISTS / "macros.xlsm")
    assert report.counts.created == 2
    assert participant(demo_database, "bruno.vba@exemple.fr").last_name == "VBA"


def test_conflicts_keep_existing_values_by_default(demo_database: Database) -> None:
    report = import_file(demo_database, LISTS / "conflits.xlsx")
    assert outcomes(report) == {2: "conflict", 3: "conflict", 4: "unchanged", 5: "conflict"}
    assert [(c.key, c.existing, c.incoming, c.choice) for c in report.conflicts] == [
        ("p1.phone", "03 88 10 20 30", "06 11 22 33 44", ConflictChoice.KEEP),
        ("p2.job_title", "Moniteur-éducateur", "Chef de service", ConflictChoice.KEEP),
        (
            "p2.employer_id",
            "Association Le Relais de l'Ill (Strasbourg)",
            "Foyer Saint-Éloi (Colmar)",
            ConflictChoice.KEEP,
        ),
        # Same name, same employer, another e-mail: by default the same person, whose
        # record takes the file's address (« même personne (mettre à jour) »).
        (
            "p4.email",
            "celine.weber@exemple.fr",
            "celine.weber@nouvelle-adresse.fr",
            ConflictChoice.REPLACE,
        ),
    ]
    [look] = report.lookalikes
    assert (look.key, look.row, look.participant_id, look.same) == ("same.p4", 5, 4, True)
    assert look.describe() == (
        "Ligne 5 : WEBER Céline (Foyer Saint-Éloi (Colmar)), « celine.weber@nouvelle-adresse.fr »,"
        " ressemble à la fiche n° 4 (« celine.weber@exemple.fr »)"
    )
    muller = participant(demo_database, "helene.muller@exemple.fr")
    assert muller.phone == "+33388102030"
    assert (report.counts.created, report.counts.updated) == (0, 1)
    assert participant(demo_database, "celine.weber@nouvelle-adresse.fr").id == 4


def test_a_lookalike_said_different_is_a_new_person(demo_database: Database) -> None:
    spreadsheet = open_spreadsheet(LISTS / "conflits.xlsx")
    layout = prepare_sheet(spreadsheet)
    options = ImportOptions(decisions={"same.p4": "different"})
    with demo_database.transaction() as session:
        report = apply_import(session, spreadsheet, layout, options)
    assert outcomes(report)[5] == "created"
    assert [look.same for look in report.lookalikes] == [False]
    assert report.counts.created == 1
    assert any("WEBER Céline existe déjà" in n.message for n in report.warnings)
    assert participant(demo_database, "celine.weber@exemple.fr").id == 4
    assert participant(demo_database, "celine.weber@nouvelle-adresse.fr").id != 4


def test_conflict_decisions_are_applied(demo_database: Database) -> None:
    spreadsheet = open_spreadsheet(LISTS / "conflits.xlsx")
    layout = prepare_sheet(spreadsheet)
    decisions = {"p1.phone": "replace", "p2.employer_id": ConflictChoice.REPLACE}
    with demo_database.transaction() as session:
        report = apply_import(session, spreadsheet, layout, ImportOptions(decisions=decisions))
    assert report.counts.updated == 3  # and WEBER's new address, the same person's by default
    assert participant(demo_database, "helene.muller@exemple.fr").phone == "+33611223344"
    schneider = participant(demo_database, "loic.schneider@exemple.fr")
    assert schneider.job_title == "Moniteur-éducateur"  # kept
    assert schneider.employer is not None and schneider.employer.name == "Foyer Saint-Éloi"
    with demo_database.session() as session:
        refreshed = session.get_one(Participant, schneider.id)
        assert "foyer saint-eloi" in refreshed.search_text


def test_capacity_sends_the_rest_to_the_waiting_list(demo_database: Database) -> None:
    report = import_file(demo_database, LISTS / "capacite.xlsx", group_id=GROUP_1)
    assert (report.counts.enrolled, report.counts.waitlisted) == (5, 3)
    with demo_database.session() as session:
        statuses = session.execute(
            select(Participant.last_name, Enrollment.status)
            .join(Enrollment, Enrollment.participant_id == Participant.id)
            .where(Participant.last_name.like("CAPACITE%"))
            .order_by(Participant.last_name)
        ).all()
    assert [status for _, status in statuses] == ["registered"] * 5 + ["waitlisted"] * 3
    assert sum("complet (15 places)" in n.message for n in report.warnings) == 3


def test_duplicate_rows_inside_the_file_are_merged(demo_database: Database) -> None:
    report = import_file(demo_database, LISTS / "doublons.xlsx")
    assert outcomes(report) == {2: "created", 3: "merged", 4: "created", 5: "merged", 6: "merged"}
    assert report.counts.created == 2
    marc = participant(demo_database, "marc.petitjean@exemple.fr")
    assert marc.phone == "+33389000001"
    anne = participant(demo_database, "anne.laurent@exemple.fr")
    assert (anne.last_name, anne.phone) == ("LAURENT", "+33600000009")


def test_importing_the_same_file_twice_changes_nothing_and_says_so(
    demo_database: Database,
) -> None:
    first = import_file(demo_database, LISTS / "organisme-stagiaire.xls")
    assert first.batch_id is not None
    before = snapshot(demo_database)
    second = import_file(demo_database, LISTS / "organisme-stagiaire.xls")
    assert snapshot(demo_database) == before
    assert second.batch_id is None
    assert not second.has_changes
    assert second.summary().startswith("Ce fichier a déjà été importé le ")
    refused = second.counts.skipped
    assert refused == len(second.skipped) >= 1
    assert second.summary().endswith(
        f"(import n° {first.batch_id}) : aucune modification "
        f"({refused} ligne{'s' if refused > 1 else ''} refusée{'s' if refused > 1 else ''}, "
        "motifs ci-dessous)."
    )
    assert second.to_json()["already_imported"] is True
    assert {row.outcome for row in second.rows} == {RowOutcome.UNCHANGED, RowOutcome.SKIPPED}


def test_same_content_under_another_name_is_recognised(
    demo_database: Database, tmp_path: Path
) -> None:
    import_file(demo_database, LISTS / "capacite.xlsx")
    copy = tmp_path / "copie.xlsx"
    shutil.copy(LISTS / "capacite.xlsx", copy)
    report = import_file(demo_database, copy)
    assert report.previous_import is not None
    assert "déjà été importé" in report.summary()


def test_dry_run_writes_nothing(demo_database: Database) -> None:
    before = snapshot(demo_database)
    report = import_file(demo_database, LISTS / "organisme-stagiaire.xls", dry_run=True)
    assert snapshot(demo_database) == before
    assert report.dry_run and not report.applied
    assert report.summary().startswith("Simulation (rien n'a été écrit) : 5 participants créés")
    assert report.counts.enrolled == 5


def test_preview_then_apply_gives_the_same_outcomes(demo_database: Database) -> None:
    spreadsheet = open_spreadsheet(LISTS / "employeur-lignes-de-titre.xlsx")
    layout = prepare_sheet(spreadsheet)
    with demo_database.session() as session:
        preview = preview_import(session, spreadsheet, layout, ImportOptions(group_id=GROUP_2))
    with demo_database.transaction() as session:
        result = apply_import(session, spreadsheet, layout, ImportOptions(group_id=GROUP_2))
    assert outcomes(preview) == outcomes(result)
    assert preview.counts == result.counts
    assert result.counts.enrolled == 3


def test_changed_mapping_is_used(demo_database: Database) -> None:
    spreadsheet = open_spreadsheet(LISTS / "employeur-lignes-de-titre.xlsx")
    layout = prepare_sheet(spreadsheet)
    notes = layout.mapping.column_of(ImportField.NOTES)
    assert notes is not None
    layout = layout.with_mapping(layout.mapping.with_field(notes, None))
    with demo_database.transaction() as session:
        apply_import(session, spreadsheet, layout)
    assert participant(demo_database, "celine.lefevre@foyer-saint-eloi.fr").notes == ""


def test_cancel_through_progress_rolls_everything_back(demo_database: Database) -> None:
    spreadsheet = open_spreadsheet(LISTS / "capacite.xlsx")
    layout = prepare_sheet(spreadsheet)
    before = snapshot(demo_database)
    calls: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> bool:
        calls.append((done, total))
        return done < total  # cancel at the very end, after everything was written

    with (
        pytest.raises(OperationCancelled, match=re.escape("Import annulé : rien n'a été écrit.")),
        demo_database.transaction() as session,
    ):
        apply_import(session, spreadsheet, layout, ImportOptions(group_id=GROUP_1), progress)
    assert snapshot(demo_database) == before
    assert calls[-1][0] == calls[-1][1] > 0


def test_progress_reports_up_to_the_total(demo_database: Database) -> None:
    calls: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> bool:
        calls.append((done, total))
        return True

    import_file(demo_database, LISTS / "capacite.xlsx", group_id=GROUP_1, progress=progress)
    assert calls[0][0] == 0
    assert calls[-1] == (calls[-1][1], calls[-1][1])
    assert all(done <= total for done, total in calls)


def test_unknown_group_is_a_service_error(demo_database: Database) -> None:
    before = snapshot(demo_database)
    with pytest.raises(NotFoundError, match=re.escape("Aucun groupe ne porte le numéro 99.")):
        import_file(demo_database, LISTS / "capacite.xlsx", group_id=99)
    assert snapshot(demo_database) == before


def test_import_history_row_is_recorded(demo_database: Database) -> None:
    report = import_file(demo_database, LISTS / "capacite.xlsx", group_id=GROUP_1)
    with demo_database.session() as session:
        batch = session.get_one(ImportBatch, report.batch_id)
        assert (batch.file_name, batch.sheet_name, batch.group_id) == ("capacite.xlsx", "Liste", 1)
        assert (batch.created_count, batch.enrolled_count, batch.waitlisted_count) == (8, 5, 3)
        assert len(batch.file_sha256) == 64
        changes = [(c.entity, c.action, c.entity_count) for c in batch.changes]
        # The created ids come in blocks: 8 participants, then their 8 enrollments.
        assert changes == [("participant", "created", 8), ("enrollment", "created", 8)]
        participants = batch.changes[0]
        assert json.loads(participants.new_values)[0][:3] == ["", "CAPACITEA", "Personne1"]
        assert batch.status == "applied"


def test_new_participants_get_the_same_search_columns_as_the_orm(demo_database: Database) -> None:
    import_file(demo_database, LISTS / "employeur-lignes-de-titre.xlsx")
    with demo_database.session() as session:
        for person in session.scalars(select(Participant).where(Participant.id > 21)):
            stored = (person.sort_name, person.search_text)
            person.refresh_search_text()
            assert (person.sort_name, person.search_text) == stored


def test_cancelled_status_does_not_enroll(demo_database: Database, tmp_path: Path) -> None:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Nom", "Prénom", "Statut"])
    sheet.append(["ANNULE", "Axel", "Annulé"])
    sheet.append(["CONFIRME", "Clara", "Confirmée"])
    workbook.save(tmp_path / "statuts.xlsx")
    import_file(demo_database, tmp_path / "statuts.xlsx", group_id=GROUP_2)
    with demo_database.session() as session:
        rows = session.execute(
            select(Participant.last_name, Enrollment.status)
            .outerjoin(Enrollment, Enrollment.participant_id == Participant.id)
            .where(Participant.last_name.in_(["ANNULE", "CONFIRME"]))
            .order_by(Participant.last_name)
        ).all()
    assert [tuple(row) for row in rows] == [
        ("ANNULE", None),
        ("CONFIRME", EnrollmentStatus.CONFIRMED.value),
    ]
