"""« Fusionner » two participants: nothing lost, nothing duplicated, refusals, import history."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from allervers_desktop.db.database import Database
from allervers_desktop.db.models import (
    Attendance,
    Enrollment,
    ImportChange,
    IssuedDocument,
    Participant,
)
from allervers_desktop.excel.errors import UndoBlockedError
from allervers_desktop.excel.history import check_undo, undo_batch
from allervers_desktop.excel.importer import ImportOptions, apply_import, import_file
from allervers_desktop.excel.layout import prepare_sheet
from allervers_desktop.excel.reading import open_spreadsheet
from allervers_desktop.services.enrollments import set_status
from allervers_desktop.services.participant_merge import (
    MergeError,
    differences,
    field_name,
    merge_participants,
)
from tests.unit.services.lifecycle_data import DAY_1, DAY_2, Lifecycle, attend, build, enroll, issue


@pytest.fixture
def data(database: Database) -> Lifecycle:
    return build(database)


def person_rows(session: Session, participant_id: int) -> dict[str, object]:
    """Everything that hangs from a participant, by group label."""
    enrollments = session.scalars(
        select(Enrollment).where(Enrollment.participant_id == participant_id)
    ).all()
    return {
        e.group.label: (
            e.status,
            sorted(
                (a.half_day.day.date.isoformat(), a.half_day.period, a.status)
                for a in e.attendances
            ),
            sorted(
                session.scalars(
                    select(IssuedDocument.number).where(IssuedDocument.enrollment_id == e.id)
                )
            ),
        )
        for e in enrollments
    }


def counts(session: Session) -> tuple[int, int, int, int]:
    return (
        session.scalar(select(func.count()).select_from(Participant)) or 0,
        session.scalar(select(func.count()).select_from(Enrollment)) or 0,
        session.scalar(select(func.count()).select_from(Attendance)) or 0,
        session.scalar(select(func.count()).select_from(IssuedDocument)) or 0,
    )


def test_everything_of_the_other_record_follows_the_kept_one(
    database: Database, data: Lifecycle
) -> None:
    koenig, muller = data.people["KOENIG"], data.people["MULLER"]
    with database.transaction() as session:
        mine = enroll(session, data.group_1, koenig)
        attend(session, mine, DAY_1, "am")
        issue(session, mine, 1)
        theirs = enroll(session, data.group_2, muller)
        attend(session, theirs, DAY_1, "am")
        attend(session, theirs, DAY_2, "pm")
        issue(session, theirs, 2)
        enroll(session, data.group_3, muller)
    with database.session() as session:
        before = counts(session)
        expected = person_rows(session, koenig) | person_rows(session, muller)
        assert [(d.label, d.kept, d.other) for d in differences(session, koenig, muller)] == [
            ("Nom", "KOENIG", "MULLER"),
            ("E-mail", "koenig@example.fr", "muller@example.fr"),
        ]
    with database.transaction() as session:
        result = merge_participants(session, koenig, muller, {"email": "other"})
    assert (result.moved_enrollments, result.joined_groups, result.fields_taken) == (
        2,
        [],
        ["E-mail"],
    )
    with database.session() as session:
        assert counts(session) == (before[0] - 1, *before[1:])
        assert person_rows(session, koenig) == expected
        assert session.get(Participant, muller) is None
        kept = session.get(Participant, koenig)
        assert kept is not None
        assert (kept.last_name, kept.email) == ("KOENIG", "muller@example.fr")


def test_one_enrollment_stays_in_a_group_where_both_were(
    database: Database, data: Lifecycle
) -> None:
    koenig, muller = data.people["KOENIG"], data.people["MULLER"]
    with database.transaction() as session:
        mine = enroll(session, data.group_1, koenig)
        theirs = enroll(session, data.group_1, muller)
        set_status(session, theirs.id, "confirmed")
        attend(session, mine, DAY_1, "am")
        attend(session, theirs, DAY_1, "pm")
        issue(session, mine, 1)
        set_status(session, mine.id, "cancelled")  # came once, then cancelled
        kept_enrollment = theirs.id
    with database.session() as session:
        before = counts(session)
    with database.transaction() as session:
        result = merge_participants(
            session, koenig, muller, {"prénom": "keep", "Établissement": "other"}
        )
    assert (result.joined_groups, result.moved_attendance, result.moved_documents) == (
        ["Groupe 1 – Strasbourg"],
        1,
        1,
    )
    with database.session() as session:
        # The confirmed place wins over the cancelled one; the attendance of both half-days
        # and the document are on it.
        assert counts(session) == (before[0] - 1, before[1] - 1, *before[2:])
        assert person_rows(session, koenig) == {
            "Groupe 1 – Strasbourg": (
                "confirmed",
                [("2024-05-13", "am", "present"), ("2024-05-13", "pm", "present")],
                ["ATT-2024-0001"],
            )
        }
        only = session.scalars(select(Enrollment)).one()
        assert (only.id, only.participant_id) == (kept_enrollment, koenig)


def test_attendance_on_the_same_half_day_refuses_the_merge(
    database: Database, data: Lifecycle
) -> None:
    koenig, muller = data.people["KOENIG"], data.people["MULLER"]
    with database.transaction() as session:
        attend(session, enroll(session, data.group_1, koenig), DAY_2, "pm")
        attend(session, enroll(session, data.group_1, muller), DAY_2, "pm")
    with database.session() as session:
        before = (counts(session), person_rows(session, koenig), person_rows(session, muller))
    with pytest.raises(MergeError) as caught, database.transaction() as session:
        merge_participants(session, koenig, muller, {"email": "other"})
    assert caught.value.message == (
        f"Fusion impossible : KOENIG Antoine (n° {koenig}) et MULLER Antoine (n° {muller}) ont "
        "tous deux une présence saisie dans le groupe « Groupe 1 – Strasbourg » pour la même "
        "demi-journée (14/05/2024 après-midi). Corrigez d'abord les présences de ce groupe."
    )
    with database.session() as session:
        assert before == (
            counts(session),
            person_rows(session, koenig),
            person_rows(session, muller),
        )


def test_two_valid_documents_of_one_kind_in_one_group_refuse_the_merge(
    database: Database, data: Lifecycle
) -> None:
    koenig, muller = data.people["KOENIG"], data.people["MULLER"]
    with database.transaction() as session:
        issue(session, enroll(session, data.group_1, koenig), 1)
        issue(session, enroll(session, data.group_1, muller), 2)
    with pytest.raises(MergeError) as caught, database.transaction() as session:
        merge_participants(session, koenig, muller)
    assert caught.value.message == (
        "Fusion impossible : chacune des deux fiches a un document valide du même type dans le "
        "groupe « Groupe 1 – Strasbourg » (dont ATT-2024-0002). Annulez et remplacez d'abord "
        "l'un d'eux."
    )


def test_wrong_requests_are_refused_in_french(database: Database, data: Lifecycle) -> None:
    koenig, muller = data.people["KOENIG"], data.people["MULLER"]
    cases = [
        (koenig, koenig, {}, "Choisissez deux fiches différentes à fusionner."),
        (koenig, 999, {}, "Aucun participant ne porte le numéro 999."),
        (koenig, muller, {"couleur": "other"}, "Champ inconnu : « couleur ». Champs possibles"),
        (koenig, muller, {"nom": "autre"}, "Pour « nom », choisissez « other »"),
    ]
    for keep, other, take, message in cases:
        with pytest.raises(Exception) as caught, database.transaction() as session:
            merge_participants(session, keep, other, take)
        assert str(getattr(caught.value, "message", "")).startswith(message)


def test_french_and_english_field_names() -> None:
    assert [
        field_name(given)
        for given in ("Prénom", "prenom", "first_name", "E-mail", "courriel", "Téléphone")
    ] == ["first_name", "first_name", "first_name", "email", "email", "phone"]
    assert [field_name(g) for g in ("etablissement", "employer", "last_name", "Nom")] == [
        "employer_id",
        "employer_id",
        "last_name",
        "last_name",
    ]


# --- Import history --------------------------------------------------------------------------

HEADER = "Nom,Prénom,E-mail,Fonction,Employeur,Ville\n"


def csv_file(folder: Path, name: str, *rows: str) -> Path:
    path = folder / name
    path.write_text(HEADER + "".join(f"{row}\n" for row in rows), encoding="utf-8")
    return path


def imported(
    database: Database, path: Path, group_id: int, decisions: dict[str, str] | None = None
) -> int:
    if decisions is None:
        report = import_file(database, path, group_id=group_id)
    else:  # the preview's choices, as the window gives them
        spreadsheet = open_spreadsheet(path)
        options = ImportOptions(group_id=group_id, decisions=decisions)
        with database.transaction() as session:
            report = apply_import(session, spreadsheet, prepare_sheet(spreadsheet), options)
    assert report.batch_id is not None
    return report.batch_id


def haas_id(database: Database) -> int:
    with database.session() as session:
        return named(session, "HAAS")[0]


def named(session: Session, last_name: str) -> list[int]:
    return list(
        session.scalars(
            select(Participant.id)
            .where(Participant.last_name == last_name)
            .order_by(Participant.id)
        )
    )


def participant_ids_of(session: Session, batch_id: int) -> Counter[int]:
    ids: Counter[int] = Counter()
    for change in session.scalars(
        select(ImportChange).where(
            ImportChange.batch_id == batch_id, ImportChange.entity == "participant"
        )
    ):
        ids.update(range(change.entity_id, change.entity_id + change.entity_count))
    return ids


def test_import_history_follows_and_undo_keeps_its_rules(
    database: Database, data: Lifecycle, tmp_path: Path
) -> None:
    unrelated = imported(
        database,
        csv_file(
            tmp_path, "autres.csv", "GIRARD,Léon,leon.girard@exemple.fr,Cadre,Foyer Est,Épinal"
        ),
        data.group_2,
    )
    first = imported(
        database,
        csv_file(
            tmp_path,
            "liste.csv",
            "HAAS,Marie,marie.haas@exemple.fr,Aide-soignante,EHPAD Rhin,Colmar",
        ),
        data.group_1,
    )
    corrected = imported(
        database,
        csv_file(
            tmp_path,
            "liste-corrigee.csv",
            "BAUER,Léa,lea.bauer@exemple.fr,Infirmière,EHPAD Rhin,Colmar",
            "HAAS,Marie,m.haas@exemple.fr,Aide-soignante,EHPAD Rhin,Colmar",
            "ZIMMER,Paul,paul.zimmer@exemple.fr,Cuisinier,EHPAD Rhin,Colmar",
        ),
        data.group_3,
        # Said « personne différente » in the preview: a second record, merged below.
        {f"same.p{haas_id(database)}": "different"},
    )
    with database.transaction() as session:
        keep, other = named(session, "HAAS")
        bauer, zimmer = named(session, "BAUER")[0], named(session, "ZIMMER")[0]
        assert participant_ids_of(session, corrected) == Counter([bauer, other, zimmer])
        for sequence, person in enumerate((keep, other), start=1):
            enrollment = session.scalars(
                select(Enrollment).where(Enrollment.participant_id == person)
            ).one()
            attend(session, enrollment, DAY_1, "am")
            attend(session, enrollment, DAY_2, "pm")
            issue(session, enrollment, sequence)
        before = counts(session)
        expected = person_rows(session, keep) | person_rows(session, other)
        assert len(expected) == 2  # both have an enrollment, attendance and a document
    with database.transaction() as session:
        merge_participants(session, keep, other, {"e-mail": "other"})
    with database.session() as session:
        assert counts(session) == (before[0] - 1, *before[1:])
        # The corrected list's block of three ids was split around HAAS, who is now the kept
        # record; nothing else of the history moved.
        assert participant_ids_of(session, corrected) == Counter([bauer, keep, zimmer])
        assert participant_ids_of(session, first) == Counter([keep])
        assert person_rows(session, keep) == expected
        message = f"Le participant n° {keep} a été fusionné avec une autre fiche le"
        for batch in (first, corrected):
            check = check_undo(session, batch)
            assert not check.allowed
            assert any(line.startswith(message) for line in check.blockers), check.blockers
            assert any(line.startswith(message) for line in check.blockers)
        assert check_undo(session, unrelated).allowed
    for batch in (corrected, first):
        with pytest.raises(UndoBlockedError), database.transaction() as session:
            undo_batch(session, batch)
    # An import made after the merge, and one unrelated to it, are undone as before.
    later = imported(
        database,
        csv_file(
            tmp_path, "suite.csv", "KLEIN,Emma,emma.klein@exemple.fr,Éducatrice,EHPAD Rhin,Colmar"
        ),
        data.group_2,
    )
    with database.transaction() as session:
        undo_batch(session, later)
        undo_batch(session, unrelated)
    with database.session() as session:
        assert named(session, "KLEIN") == named(session, "GIRARD") == []
        assert named(session, "HAAS") == [keep]
        assert counts(session) == (before[0] - 2, before[1] - 1, *before[2:])


def test_the_merge_is_in_the_kept_record_s_historique(database: Database, data: Lifecycle) -> None:
    from allervers_desktop.services.history import record_history

    koenig, muller = data.people["KOENIG"], data.people["MULLER"]
    with database.transaction() as session:
        merge_participants(session, koenig, muller, {"email": "other"})
    with database.session() as session:
        changes = record_history(session, Participant, koenig).changes
    fields = {(f.label, f.before, f.after) for change in changes for f in change.fields}
    assert ("Fiche fusionnée (n°)", str(muller), "—") in fields
    assert ("Dernier import avant la fusion (n°)", "0", "—") in fields
    assert ("E-mail", "koenig@example.fr", "muller@example.fr") in fields
