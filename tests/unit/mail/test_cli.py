"""``allervers mail``, ``outbox`` and ``settings --smtp-…`` against a real SMTP server."""

from __future__ import annotations

import json
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest

from allervers_desktop.cli import main
from allervers_desktop.db.database import Database
from tests.unit.mail.conftest import MailGroup, SmtpServer


def run(capsys: pytest.CaptureFixture[str], database: Database, *argv: str) -> tuple[int, str, str]:
    code = main(["--db", database.target, *argv])
    out, err = capsys.readouterr()
    return code, out, err


def outbox(capsys: pytest.CaptureFixture[str], database: Database) -> Any:
    code, out, err = run(capsys, database, "outbox", "--json")
    assert (code, err) == (0, "")
    return json.loads(out)


def point_at(capsys: pytest.CaptureFixture[str], database: Database, port: int) -> None:
    code, out, err = run(
        capsys, database, "settings", "--sender", "coordination@opco-sante.fr",
        "--smtp-host", "127.0.0.1", "--smtp-port", str(port), "--smtp-security", "none",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert "Serveur d'envoi : 127.0.0.1" in out
    assert f"Port : {port}" in out
    assert "Paramètres enregistrés." in out


def test_settings_keep_identity_and_show_the_set_up(
    database: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, database, "settings", "--city", "Metz")[0] == 0
    code, out, _ = run(
        capsys, database, "settings", "--smtp-host", "smtp.opco.fr", "--smtp-security", "ssl",
        "--smtp-user", "aurore",
    )  # fmt: skip
    assert code == 0
    assert "Fait à : Metz" in out  # what the command did before is kept
    code, out, _ = run(capsys, database, "settings", "--json")
    shown = json.loads(out)
    assert (shown["smtp_host"], shown["smtp_port"], shown["smtp_security"]) == (
        "smtp.opco.fr",
        "465",
        "ssl",
    )
    assert shown["smtp_user"] == "aurore" and shown["city"] == "Metz"
    assert "password" not in json.dumps(shown)
    code, _, err = run(capsys, database, "settings", "--sender", "pas une adresse")
    assert (code, err) == (
        1,
        "allervers : erreur : Adresse d'expéditeur invalide : « pas une adresse ».\n",
    )


def test_mail_convocations_send(
    database: Database,
    mail_group: MailGroup,
    smtp_server: SmtpServer,
    capsys: pytest.CaptureFixture[str],
) -> None:
    point_at(capsys, database, smtp_server.port)
    code, out, err = run(
        capsys, database, "mail", "convocations", "--group", str(mail_group.group_id), "--send"
    )
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "3 message(s) mis dans la boîte d'envoi.",
        "Non joint(s) (2) :",
        "- HOFFMANN François : adresse électronique invalide (« francois.hoffmann@ »)",
        "- KLEIN Amélie : pas d'adresse électronique",
        "3 message(s) envoyé(s).",
    ]
    assert len(smtp_server.mailbox.received) == 3
    entries = outbox(capsys, database)
    assert [e["status"] for e in entries] == ["sent"] * 3
    assert {e["message_id"] for e in entries} == set(smtp_server.mailbox.message_ids())
    # Sending again sends nothing more.
    code, out, _ = run(capsys, database, "outbox", "--send")
    assert (code, out) == (0, "0 message(s) envoyé(s).\n")
    assert len(smtp_server.mailbox.received) == 3


def test_server_down_then_outbox_send(
    database: Database,
    mail_group: MailGroup,
    smtp_server: SmtpServer,
    capsys: pytest.CaptureFixture[str],
) -> None:
    point_at(capsys, database, smtp_server.port)
    smtp_server.stop()
    code, out, err = run(
        capsys, database, "mail", "reminders", "--group", str(mail_group.group_id), "--send"
    )
    assert code == 1
    assert out.startswith("3 message(s) mis dans la boîte d'envoi.")
    assert "refuse la connexion" in err
    assert "3 message(s) restent dans la boîte d'envoi (allervers outbox --send)." in err
    assert [e["status"] for e in outbox(capsys, database)] == ["pending"] * 3
    code, out, _ = run(capsys, database, "outbox")
    assert code == 0 and "en attente" in out
    smtp_server.start()
    code, out, err = run(capsys, database, "outbox", "--send")
    assert (code, out, err) == (0, "3 message(s) envoyé(s).\n", "")
    assert len(set(smtp_server.mailbox.message_ids())) == 3


def test_refused_recipient_then_retry(
    database: Database,
    mail_group: MailGroup,
    smtp_server: SmtpServer,
    capsys: pytest.CaptureFixture[str],
) -> None:
    point_at(capsys, database, smtp_server.port)
    smtp_server.mailbox.refuse.add("celine.weber@exemple.fr")
    code, out, _ = run(
        capsys, database, "mail", "reminders", "--group", str(mail_group.group_id), "--send"
    )
    assert code == 1
    assert "Destinataire refusé par le serveur : celine.weber@exemple.fr" in out
    failed = [e for e in outbox(capsys, database) if e["status"] == "failed"]
    assert [e["to"] for e in failed] == ["celine.weber@exemple.fr"]
    smtp_server.mailbox.refuse.clear()
    code, out, _ = run(capsys, database, "outbox", "--retry", "--send")
    assert code == 0
    assert out == "1 message(s) en échec remis en attente.\n1 message(s) envoyé(s).\n"
    ids = smtp_server.mailbox.message_ids()
    assert len(ids) == 3 == len(set(ids))


def test_mail_drafts(
    database: Database, mail_group: MailGroup, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    point_at(capsys, database, 25)
    folder = tmp_path / "brouillons"
    folder.mkdir()
    code, out, err = run(
        capsys, database, "mail", "employers", "--group", str(mail_group.group_id),
        "--drafts", str(folder),
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"2 brouillon(s) écrit(s) dans « {folder} ».",
        "Non joint(s) (1) :",
        "- Sans contact : pas d'adresse de contact",
    ]
    draft = BytesParser(policy=policy.default).parsebytes(
        (folder / "Inscrits - rh@relais-ill.fr.eml").read_bytes()
    )
    assert isinstance(draft, EmailMessage)
    assert draft["X-Unsent"] == "1"
    assert outbox(capsys, database) == []  # drafts do not go through the outbox


def test_mail_refusals(
    database: Database, mail_group: MailGroup, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, database, "mail", "convocations", "--group", "99", "--queue")
    assert (code, err) == (1, "allervers : erreur : Aucun groupe ne porte le numéro 99.\n")
    code, _, err = run(
        capsys, database, "mail", "free", "--group", str(mail_group.group_id), "--queue",
        "--subject", "", "--body", "Bonjour",
    )  # fmt: skip
    assert code == 1 and "L'objet du message est vide" in err
    code, _, err = run(
        capsys, database, "mail", "certificates", "--group", str(mail_group.group_id), "--queue"
    )
    assert code == 1 and "Aucune attestation ni aucun certificat n'a été émis" in err
    assert outbox(capsys, database) == []


def test_test_message_and_free_message(
    database: Database,
    mail_group: MailGroup,
    smtp_server: SmtpServer,
    capsys: pytest.CaptureFixture[str],
) -> None:
    point_at(capsys, database, smtp_server.port)
    code, out, err = run(capsys, database, "mail", "test")
    assert (code, out, err) == (0, "Message de test envoyé à coordination@opco-sante.fr.\n", "")
    test = smtp_server.mailbox.received[0]
    assert test.recipients == ["coordination@opco-sante.fr"]
    assert test.message["Subject"] == "Message de test d'Allervers"
    assert outbox(capsys, database) == []  # straight to the server

    code, out, _ = run(
        capsys, database, "mail", "free", "--group", str(mail_group.group_id), "--queue",
        "--subject", "Salle changée : {groupe}", "--body", "Bonjour {prenom},\\nRDV salle 2.",
    )  # fmt: skip
    assert code == 0 and out.startswith("3 message(s) mis dans la boîte d'envoi.")
    entries = outbox(capsys, database)
    assert {e["subject"] for e in entries} == {"Salle changée : Groupe 1 – Strasbourg"}
    assert [e["status"] for e in entries] == ["pending"] * 3
    smtp_server.stop()
    code, _, err = run(capsys, database, "mail", "test", "--to", "aurore@opco-sante.fr")
    assert code == 1 and "refuse la connexion" in err


def test_sent_log_per_person_and_certificate_drafts(
    attested: Database,
    smtp_server: SmtpServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    point_at(capsys, attested, smtp_server.port)
    code, out, _ = run(capsys, attested, "mail", "certificates", "--group", "1", "--send")
    assert code == 0
    assert out.startswith("1 message(s) mis dans la boîte d'envoi.")
    assert "- Foyer Saint-Éloi : pas d'adresse de contact" in out
    received = smtp_server.mailbox.received
    assert [r.recipients for r in received] == [["rh@relais-ill.fr"]]
    names = sorted(str(p.get_filename()) for p in received[0].message.iter_attachments())
    assert names[0] == "Attestation - KLEIN Amélie.pdf" and len(names) == 4
    code, out, _ = run(capsys, attested, "outbox", "--sent", "--group", "1")
    assert code == 0 and "envoyé" in out and "rh@relais-ill.fr" in out
    code, out, _ = run(capsys, attested, "outbox", "--sent", "--participant", "1", "--json")
    assert json.loads(out) == []  # the certificates went to the employer, not to her
    folder = tmp_path / "brouillons"
    folder.mkdir()
    code, out, _ = run(
        capsys, attested, "mail", "certificates", "--group", "1", "--drafts", str(folder)
    )
    assert code == 0
    assert [p.name for p in folder.iterdir()] == ["Attestations - rh@relais-ill.fr.eml"]


def test_preview_shows_the_real_values_and_queues_nothing(
    database: Database, mail_group: MailGroup, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys, database, "mail", "convocations", "--group", str(mail_group.group_id),
        "--preview",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert "À : helene.muller@exemple.fr\nCopie : rh@relais-ill.fr\n" in out
    assert "Objet : Convocation : La pratique de l'Aller Vers (Groupe 1 – Strasbourg)\n" in out
    assert (
        "Pièces jointes : Convocation - MULLER Hélène.pdf, Fiche technique - La pratique de "
        "l'Aller Vers.pdf, Invitation - La pratique de l'Aller Vers - Groupe 1.ics\n"
    ) in out
    assert "Bonjour Hélène MULLER," in out
    assert "3 message(s) à envoyer.\nNon joint(s) (2) :" in out
    assert outbox(capsys, database) == []


def test_send_without_a_server_queues_nothing(
    database: Database, mail_group: MailGroup, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys, database, "mail", "reminders", "--group", str(mail_group.group_id), "--send"
    )
    assert (code, out) == (1, "")
    assert "Aucun serveur d'envoi" in err
    assert outbox(capsys, database) == []


def test_mail_due_lists_the_reminders_to_send(
    database: Database,
    mail_group: MailGroup,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from allervers_desktop.clock import NOW_VARIABLE

    code, out, _ = run(capsys, database, "mail", "due")
    assert (code, out) == (0, "Aucun rappel à envoyer.\n")  # « now » is June: September is far
    monkeypatch.setenv(NOW_VARIABLE, "2024-09-20T09:00:00")
    code, out, err = run(capsys, database, "mail", "due", "--json")
    assert (code, err) == (0, "")
    (due,) = json.loads(out)
    assert due["group_id"] == mail_group.group_id
    assert (due["first_date"], due["due_on"]) == ("2024-09-25", "2024-09-18")
    assert (due["participants"], due["not_reminded"]) == (5, 5)
    code, out, _ = run(capsys, database, "mail", "due")
    assert "25/09/2024" in out and "5 / 5" in out
    assert "allervers mail reminders --group ID --send" in out
    code, _, err = run(capsys, database, "mail", "due", "--days", "0")
    assert code != 0 and "Délai invalide : 0 (de 1 à 60 jours)." in err
