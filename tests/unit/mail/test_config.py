"""The sending set-up: stored checked, the password never in the database."""

from __future__ import annotations

import io
from collections.abc import Iterator

import keyring
import pytest
from keyring.backends import fail
from sqlalchemy import select

from allervers_desktop.cli import main
from allervers_desktop.db.database import Database
from allervers_desktop.db.models import Setting
from allervers_desktop.mail.config import (
    PASSWORD_VARIABLE,
    MailSettings,
    Security,
    is_valid_address,
    load_mail_settings,
    save_mail_settings,
    smtp_password,
    store_password,
)
from allervers_desktop.services.errors import ServiceError

SETTINGS = MailSettings("coordination@opco-sante.fr", "smtp.opco.fr", 0, Security.SSL, "aurore")


@pytest.fixture
def no_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The situation of a computer without any keyring (keyring's own « fail » backend)."""
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]
    monkeypatch.delenv(PASSWORD_VARIABLE, raising=False)
    yield
    keyring.set_keyring(previous)


def test_addresses() -> None:
    assert is_valid_address("helene.muller@exemple.fr")
    for wrong in ("", None, "helene.muller@", "helene muller@exemple.fr", "a@b", "a@b.fr, c@d.fr"):
        assert not is_valid_address(wrong)


def test_saved_and_loaded(database: Database) -> None:
    with database.transaction() as session:
        saved = save_mail_settings(session, SETTINGS)
    assert saved == SETTINGS
    assert saved.port == 465  # the usual port of the security chosen
    with database.session() as session:
        assert load_mail_settings(session) == SETTINGS
        keys = set(session.scalars(select(Setting.key).where(Setting.key.like("mail.%"))))
    assert keys == {
        "mail.sender",
        "mail.smtp_host",
        "mail.smtp_port",
        "mail.smtp_security",
        "mail.smtp_user",
    }


def test_password_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PASSWORD_VARIABLE, "s3cret")
    assert smtp_password(SETTINGS) == "s3cret"
    assert smtp_password(MailSettings(smtp_host="smtp.opco.fr")) is None  # no login


@pytest.mark.usefixtures("no_keyring")
def test_no_keyring_said_in_french() -> None:
    with pytest.raises(ServiceError, match="Aucun trousseau de mots de passe n'est disponible"):
        smtp_password(SETTINGS)
    with pytest.raises(ServiceError, match="le mot de passe n'a pas été enregistré"):
        store_password(SETTINGS, "s3cret")


@pytest.mark.usefixtures("no_keyring")
def test_cli_password_refused_without_keyring_changes_nothing(
    database: Database, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("s3cret\n"))
    code = main(
        ["--db", database.target, "settings", "--smtp-host", "smtp.opco.fr",
         "--smtp-user", "aurore", "--smtp-password"]
    )  # fmt: skip
    err = capsys.readouterr().err
    assert code == 1
    assert "Aucun trousseau de mots de passe n'est disponible" in err
    with database.session() as session:
        assert load_mail_settings(session).smtp_host == ""  # rolled back
        values = list(session.scalars(select(Setting.value)))
    assert "s3cret" not in values
