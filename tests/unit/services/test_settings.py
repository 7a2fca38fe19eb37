"""Paramètres: the identity printed on documents, stored in the database."""

from __future__ import annotations

from typing import Any, cast

import pytest
from PySide6.QtCore import QBuffer, QIODevice
from PySide6.QtGui import QColor, QImage
from sqlalchemy import select

from allervers_desktop.db.models import Setting, StoredFile
from allervers_desktop.services.errors import ValidationError
from allervers_desktop.services.settings import (
    MAX_IMAGE_BYTES,
    DocumentIdentity,
    SettingsError,
    StoredImage,
    get_identity,
    get_setting,
    read_image_file,
    save_identity,
    set_setting,
)


def encoded(image_format: str, width: int = 60, height: int = 30) -> bytes:
    """A real image, as a user would choose one."""
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#1f3a5f"))
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert cast(Any, image.save)(buffer, image_format)  # the stubs want bytes, Qt a str
    return bytes(buffer.data().data())


PNG = encoded("PNG")
JPEG = encoded("JPEG")


def test_identity_is_empty_until_saved(database):
    with database.session() as session:
        identity = get_identity(session)
    assert identity == DocumentIdentity()
    assert not identity.is_complete
    assert identity.missing_fields() == [
        "nom de l'organisme",
        "nom du signataire",
        "ville de signature",
    ]


def test_identity_round_trip_with_images(database):
    identity = DocumentIdentity(
        organisation_name="  Opco   Santé – Grand Est ",
        address=" Espace Européen\n\n  2 rue de Rome \n67300 Schiltigheim ",
        signatory_name="Aurore JOANNES",
        signatory_title="Chargée de mission",
        city="Strasbourg",
        logo=StoredImage("logo.png", PNG),
        signature=StoredImage("signature.jpg", JPEG),
    )
    with database.transaction() as session:
        saved = save_identity(session, identity)
    assert saved.organisation_name == "Opco Santé – Grand Est"
    with database.session() as session:
        loaded = get_identity(session)
    assert loaded == saved
    assert loaded.address_lines == ["Espace Européen", "2 rue de Rome", "67300 Schiltigheim"]
    assert loaded.logo == StoredImage("logo.png", PNG)
    assert loaded.logo.format == "PNG"
    assert loaded.signature is not None and loaded.signature.format == "JPEG"
    assert loaded.is_complete


def test_saving_without_an_image_removes_it(database):
    with database.transaction() as session:
        save_identity(session, DocumentIdentity("Opco", logo=StoredImage("l.png", PNG)))
    with database.transaction() as session:
        save_identity(session, DocumentIdentity("Opco"))
    with database.session() as session:
        assert get_identity(session).logo is None
        assert session.scalars(select(StoredFile)).all() == []


def test_invalid_images_and_long_fields_are_refused_and_nothing_is_written(database):
    identity = DocumentIdentity(
        organisation_name="x" * 201,
        logo=StoredImage("notes.txt", b"hello"),
        signature=StoredImage("big.png", PNG + b"\x00" * MAX_IMAGE_BYTES),
    )
    with pytest.raises(ValidationError) as caught, database.transaction() as session:
        save_identity(session, identity)
    messages = caught.value.message
    assert "limité à 200 caractères" in messages
    assert "« notes.txt » n'est pas une image PNG, JPEG, GIF ou BMP" in messages
    assert "trop lourd" in messages
    with database.session() as session:
        assert session.scalars(select(Setting)).all() == []


def test_read_image_file(tmp_path):
    good = tmp_path / "logo.png"
    good.write_bytes(PNG)
    assert read_image_file(good, "logo") == StoredImage("logo.png", PNG)
    empty = tmp_path / "vide.png"
    empty.write_bytes(b"")
    with pytest.raises(SettingsError, match="est vide"):
        read_image_file(empty, "logo")
    with pytest.raises(SettingsError, match="ne peut pas être lu"):
        read_image_file(tmp_path / "absent.png", "signature")


def test_plain_settings(database):
    with database.transaction() as session:
        assert get_setting(session, "ui.theme", "clair") == "clair"
        set_setting(session, "ui.theme", "sombre")
        set_setting(session, "ui.theme", "contrasté")
    with database.session() as session:
        assert get_setting(session, "ui.theme") == "contrasté"
