"""Drafts: one .eml per message with X-Unsent: 1, parsed back with the email package."""

from __future__ import annotations

import io
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest
from icalendar import Calendar
from pypdf import PdfReader

from allervers_desktop.db.database import Database
from allervers_desktop.files.errors import FileWriteError
from allervers_desktop.mail.compose import MailKind, compose
from allervers_desktop.mail.drafts import write_drafts
from tests.unit.mail.conftest import MailGroup


def read_eml(path: Path) -> EmailMessage:
    parsed = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    assert isinstance(parsed, EmailMessage)
    return parsed


def test_drafts_written_and_read_back(
    database: Database, mail_group: MailGroup, tmp_path: Path
) -> None:
    with database.session() as session:
        composition = compose(session, MailKind.CONVOCATION, mail_group.group_id)
    folder = tmp_path / "brouillons"
    folder.mkdir()
    files = write_drafts(composition.messages, folder)
    assert sorted(path.name for path in files) == [
        "Convocation - celine.weber@exemple.fr.eml",
        "Convocation - helene.muller@exemple.fr.eml",
        "Convocation - loic.schneider@exemple.fr.eml",
    ]
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in files)  # no leftover
    draft = read_eml(folder / "Convocation - helene.muller@exemple.fr.eml")
    assert draft["X-Unsent"] == "1"
    assert draft["To"] == "helene.muller@exemple.fr"
    assert draft["Cc"] == "rh@relais-ill.fr"
    assert draft["Subject"] == "Convocation : La pratique de l'Aller Vers (Groupe 1 – Strasbourg)"
    body = draft.get_body(preferencelist=("plain",))
    assert body is not None
    assert body.get_content().startswith("Bonjour Hélène MULLER,")
    parts = {str(p.get_filename()): p.get_content() for p in draft.iter_attachments()}
    reader = PdfReader(io.BytesIO(parts["Convocation - MULLER Hélène.pdf"]))
    assert "MULLER" in "".join(page.extract_text() for page in reader.pages)
    ics = parts["Invitation - La pratique de l'Aller Vers - Groupe 1.ics"]
    assert len(Calendar.from_ical(ics).walk("VEVENT")) == 4
    # The composed message itself is not marked: only the draft is.
    assert all(m.message["X-Unsent"] is None for m in composition.messages)


def test_same_recipient_twice_gets_two_files(
    database: Database, mail_group: MailGroup, tmp_path: Path
) -> None:
    with database.session() as session:
        composition = compose(session, MailKind.REMINDER, mail_group.group_id)
    files = write_drafts([composition.messages[0], composition.messages[0]], tmp_path)
    assert [p.name for p in files] == [
        "Rappel - helene.muller@exemple.fr.eml",
        "Rappel - helene.muller@exemple.fr (2).eml",
    ]


def test_missing_folder_refused_in_french(
    database: Database, mail_group: MailGroup, tmp_path: Path
) -> None:
    with database.session() as session:
        composition = compose(session, MailKind.REMINDER, mail_group.group_id)
    with pytest.raises(FileWriteError, match="n'existe pas"):
        write_drafts(composition.messages, tmp_path / "absent")
