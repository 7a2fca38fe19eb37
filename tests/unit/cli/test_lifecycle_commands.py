"""``transfer``, ``substitute`` and ``merge-participants`` from the command line."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from allervers_desktop.db.database import Database
from allervers_desktop.db.models import Enrollment, Participant
from tests.unit.cli.test_waiting_list_commands import run
from tests.unit.services.lifecycle_data import DAY_1, Lifecycle, attend, build, enroll, issue


@pytest.fixture
def data(database: Database) -> Lifecycle:
    return build(database)


def statuses(database: Database) -> list[tuple[str, str, str]]:
    with database.session() as session:
        return [
            (e.participant.last_name, e.group.label, e.status)
            for e in session.scalars(select(Enrollment).order_by(Enrollment.id))
        ]


def test_transfer_says_where_the_person_went_and_who_could_take_the_seat(
    database: Database, data: Lifecycle, capsys: pytest.CaptureFixture[str]
) -> None:
    koenig, muller, schmitt = (data.people[n] for n in ("KOENIG", "MULLER", "SCHMITT"))
    with database.transaction() as session:
        for person in (koenig, muller, schmitt):
            enroll(session, data.group_1, person)
    code, out, err = run(
        capsys,
        database,
        "transfer",
        str(koenig),
        "--from",
        str(data.group_1),
        "--to",
        str(data.group_3),
    )
    assert (code, err) == (0, "")
    assert out == (
        f"KOENIG Antoine est transféré(e) au groupe « Groupe 3 – Mulhouse » (n° {data.group_3}).\n"
        "L'ancienne inscription reste dans l'historique, au statut « Transféré ».\n"
        f"Une place s'est libérée dans le groupe n° {data.group_1}. Peut la prendre : "
        f"SCHMITT Antoine (n° {schmitt}). Pour la lui donner : allervers promote {schmitt} "
        f"--group {data.group_1}\n"
    )
    assert statuses(database) == [
        ("KOENIG", "Groupe 1 – Strasbourg", "transferred"),
        ("MULLER", "Groupe 1 – Strasbourg", "registered"),
        ("SCHMITT", "Groupe 1 – Strasbourg", "waitlisted"),
        ("KOENIG", "Groupe 3 – Mulhouse", "registered"),
    ]


def test_transfer_into_a_full_group_and_with_attendance(
    database: Database, data: Lifecycle, capsys: pytest.CaptureFixture[str]
) -> None:
    koenig, weber, meyer = (data.people[n] for n in ("KOENIG", "WEBER", "MEYER"))
    with database.transaction() as session:
        attend(session, enroll(session, data.group_1, koenig), DAY_1, "am")
        enroll(session, data.group_2, weber)
        enroll(session, data.group_2, meyer)
    argv = ["transfer", str(koenig), "--from", str(data.group_1), "--to", str(data.group_2)]
    code, out, err = run(capsys, database, *argv)
    assert (code, out) == (1, "")
    assert err == (
        "allervers : erreur : Des présences sont déjà saisies pour KOENIG Antoine dans le groupe "
        "« Groupe 1 – Strasbourg » (1 demi-journée). Confirmez (--force) pour le faire quand "
        "même : les présences restent dans l'historique.\n"
    )
    code, out, err = run(capsys, database, *argv, "--force")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "Le groupe « Groupe 2 – Colmar » est complet : KOENIG Antoine est transféré(e) sur sa "
        "liste d'attente.",
        "L'ancienne inscription reste dans l'historique, au statut « Transféré ».",
        "Attention : Les présences de KOENIG Antoine (1 demi-journée) restent dans le groupe "
        "« Groupe 1 – Strasbourg ».",
        f"Une place s'est libérée dans le groupe n° {data.group_1} : personne n'attend.",
    ]


def test_substitute_keeps_the_seat_and_refuses_another_employer(
    database: Database, data: Lifecycle, capsys: pytest.CaptureFixture[str]
) -> None:
    koenig, muller, weber = (data.people[n] for n in ("KOENIG", "MULLER", "WEBER"))
    with database.transaction() as session:
        issue(session, enroll(session, data.group_2, weber), 1)
        enroll(session, data.group_1, koenig)
    code, out, err = run(
        capsys, database, "substitute", str(koenig), str(weber), "--group", str(data.group_1)
    )
    assert (code, out) == (1, "")
    assert err.startswith(
        "allervers : erreur : WEBER Antoine (Foyer Saint-Jean (Strasbourg)) ne peut pas "
        "remplacer KOENIG Antoine (EHPAD Les Tilleuls (Strasbourg)) : un remplacement se fait "
        "entre personnes du même établissement."
    )
    code, out, err = run(
        capsys, database, "substitute", str(koenig), str(muller), "--group", str(data.group_1)
    )
    assert (code, err) == (0, "")
    assert out == (
        f"MULLER Antoine prend sa place de KOENIG Antoine dans le groupe n° {data.group_1}.\n"
        "L'inscription de KOENIG Antoine reste dans l'historique, au statut « Annulé ».\n"
    )
    code, _, err = run(
        capsys,
        database,
        "substitute",
        str(weber),
        str(data.people["MEYER"]),
        "--group",
        str(data.group_2),
    )
    assert code == 1
    assert "WEBER Antoine ne peut pas être remplacé(e) : 1 document délivré" in err
    assert statuses(database) == [
        ("WEBER", "Groupe 2 – Colmar", "registered"),
        ("KOENIG", "Groupe 1 – Strasbourg", "cancelled"),
        ("MULLER", "Groupe 1 – Strasbourg", "registered"),
    ]


def test_merge_participants_takes_french_or_english_field_names(
    database: Database, data: Lifecycle, capsys: pytest.CaptureFixture[str]
) -> None:
    koenig, muller = data.people["KOENIG"], data.people["MULLER"]
    with database.transaction() as session:
        attend(session, enroll(session, data.group_1, koenig), DAY_1, "am")
        attend(session, enroll(session, data.group_1, muller), DAY_1, "pm")
        enroll(session, data.group_2, muller)
    code, out, err = run(
        capsys,
        database,
        "merge-participants",
        str(koenig),
        str(muller),
        "--take",
        "Nom=other",
        "--take",
        "email=other",
    )
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"Fiche n° {muller} fusionnée dans la fiche n° {koenig} (MULLER Antoine).",
        f"Valeurs reprises de la fiche n° {muller} : Nom, E-mail.",
        "Inscriptions reprises : 1; présences déplacées : 1; documents déplacés : 0.",
        "Les deux fiches étaient inscrites au groupe « Groupe 1 – Strasbourg » : une seule "
        "inscription reste.",
    ]
    with database.session() as session:
        kept = session.get(Participant, koenig)
        assert kept is not None and kept.email == "muller@example.fr"
        assert session.get(Participant, muller) is None
    assert statuses(database) == [
        ("MULLER", "Groupe 1 – Strasbourg", "registered"),
        ("MULLER", "Groupe 2 – Colmar", "registered"),
    ]


def test_merge_participants_refusals_and_help(
    database: Database, data: Lifecycle, capsys: pytest.CaptureFixture[str]
) -> None:
    koenig, muller = data.people["KOENIG"], data.people["MULLER"]
    with database.transaction() as session:
        attend(session, enroll(session, data.group_1, koenig), DAY_1, "am")
        attend(session, enroll(session, data.group_1, muller), DAY_1, "am")
    code, _, err = run(capsys, database, "merge-participants", str(koenig), str(muller))
    assert code == 1
    assert err.startswith(
        "allervers : erreur : Fusion impossible : KOENIG Antoine "
        f"(n° {koenig}) et MULLER Antoine (n° {muller}) ont tous deux une présence saisie dans "
        "le groupe « Groupe 1 – Strasbourg » pour la même demi-journée (13/05/2024 matin)."
    )
    code, _, err = run(
        capsys, database, "merge-participants", str(koenig), str(muller), "--take", "âge"
    )
    assert (code, err.split(" Champs possibles")[0]) == (
        1,
        "allervers : erreur : Champ inconnu : « âge ».",
    )
    with pytest.raises(SystemExit):
        run(capsys, database, "merge-participants", "--help")
    out = capsys.readouterr().out
    assert "prénom (first_name)" in " ".join(out.split())
    assert "établissement (employer_id)" in " ".join(out.split())


def test_merge_dry_run_shows_the_differences_and_changes_nothing(
    database: Database, data: Lifecycle, capsys: pytest.CaptureFixture[str]
) -> None:
    koenig, muller = data.people["KOENIG"], data.people["MULLER"]
    with database.transaction() as session:
        enroll(session, data.group_1, muller)
    argv = ["merge-participants", str(koenig), str(muller), "--take", "e-mail", "--dry-run"]
    code, out, err = run(capsys, database, *argv)
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"Champ   Fiche n° {koenig} (gardée)  Fiche n° {muller}",
        "------  -------------------  -----------------",
        "Nom     KOENIG               MULLER",
        "E-mail  koenig@example.fr    muller@example.fr",
        "",
        "Aperçu : rien n'a été modifié. Sans --dry-run, la fusion ferait ceci :",
        f"Fiche n° {muller} fusionnée dans la fiche n° {koenig} (KOENIG Antoine).",
        f"Valeurs reprises de la fiche n° {muller} : E-mail.",
        "Inscriptions reprises : 1; présences déplacées : 0; documents déplacés : 0.",
    ]
    with database.session() as session:
        assert session.get(Participant, muller) is not None
        kept = session.get(Participant, koenig)
        assert kept is not None and kept.email == "koenig@example.fr"
    assert statuses(database) == [("MULLER", "Groupe 1 – Strasbourg", "registered")]
