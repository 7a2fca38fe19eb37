"""Paramètres: the identity printed on documents (organisation, signatory, logo) and preferences."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from allervers_desktop.db.models import Setting, StoredFile
from allervers_desktop.images import MAX_IMAGE_BYTES as MAX_IMAGE_BYTES
from allervers_desktop.images import ImageError, check_image_content, image_format
from allervers_desktop.services.errors import Errors, ServiceError

IDENTITY_PREFIX = "identity."
LOGO_KEY = "identity.logo"
SIGNATURE_KEY = "identity.signature"
TEXT_LIMITS = {
    "organisation_name": 200,
    "address": 500,
    "signatory_name": 200,
    "signatory_title": 200,
    "city": 100,
}


class SettingsError(ServiceError):
    """A setting or an image cannot be stored."""


@dataclass(frozen=True)
class StoredImage:
    """An image kept in the database: the original file name and its bytes."""

    file_name: str
    content: bytes

    @property
    def format(self) -> str:
        return image_format(self.content) or ""


@dataclass(frozen=True)
class DocumentIdentity:
    """Who issues the documents: printed on sign-in sheets, certificates and convocations."""

    organisation_name: str = ""
    address: str = ""
    signatory_name: str = ""
    signatory_title: str = ""
    city: str = ""  # « Fait à … »
    logo: StoredImage | None = field(default=None, repr=False)
    signature: StoredImage | None = field(default=None, repr=False)

    @property
    def is_complete(self) -> bool:
        """Enough to sign a certificate: an organisation, a signatory and a city of issue."""
        return bool(self.organisation_name and self.signatory_name and self.city)

    def missing_fields(self) -> list[str]:
        """French labels of the fields a certificate needs and that are still empty."""
        labels = {
            "organisation_name": "nom de l'organisme",
            "signatory_name": "nom du signataire",
            "city": "ville de signature",
        }
        return [label for name, label in labels.items() if not getattr(self, name)]

    @property
    def address_lines(self) -> list[str]:
        return [line.strip() for line in self.address.splitlines() if line.strip()]


def get_setting(session: Session, key: str, default: str = "") -> str:
    setting = session.get(Setting, key)
    return setting.value if setting is not None else default


def set_setting(session: Session, key: str, value: str) -> None:
    setting = session.get(Setting, key)
    if setting is None:
        session.add(Setting(key=key, value=value))
    else:
        setting.value = value
    session.flush()


def check_image(file_name: str, content: bytes, what: str) -> StoredImage:
    """Validate an image for the logo or the signature (``images.check_image_content``:
    bytes, pixels, fully decoded); raise SettingsError in French."""
    try:
        check_image_content(content, file_name, what)
    except ImageError as exc:
        raise SettingsError(exc.message) from exc
    return StoredImage(file_name=file_name, content=content)


def read_image_file(path: Path, what: str) -> StoredImage:
    """Read (regular files only, at most ``MAX_IMAGE_BYTES``) and validate a chosen image."""
    from allervers_desktop.excel.file_input import read_file_bytes

    try:
        content = read_file_bytes(path, MAX_IMAGE_BYTES, expected="une image")
    except ServiceError as exc:
        reason = exc.message[:1].lower() + exc.message[1:]
        raise SettingsError(f"Le fichier de {what} ne peut pas être lu : {reason}") from exc
    return check_image(path.name, content, what)


def _stored_image(session: Session, key: str) -> StoredImage | None:
    stored = session.get(StoredFile, key)
    if stored is None:
        return None
    return StoredImage(file_name=stored.file_name, content=stored.content)


def _save_image(session: Session, key: str, image: StoredImage | None) -> None:
    if image is None:
        session.execute(delete(StoredFile).where(StoredFile.key == key))
        return
    stored = session.get(StoredFile, key)
    if stored is None:
        session.add(StoredFile(key=key, file_name=image.file_name, content=image.content))
    else:
        stored.file_name = image.file_name
        stored.content = image.content


def get_identity(session: Session) -> DocumentIdentity:
    """The identity as stored; empty fields when « Paramètres » was never filled in."""
    rows = session.execute(
        select(Setting.key, Setting.value).where(Setting.key.startswith(IDENTITY_PREFIX))
    )
    values = {key.removeprefix(IDENTITY_PREFIX): value for key, value in rows}
    return DocumentIdentity(
        **{name: values.get(name, "") for name in TEXT_LIMITS},
        logo=_stored_image(session, LOGO_KEY),
        signature=_stored_image(session, SIGNATURE_KEY),
    )


def save_identity(session: Session, identity: DocumentIdentity) -> DocumentIdentity:
    """Validate and store every field, images included (None removes an image)."""
    errors = Errors()
    cleaned: dict[str, str] = {}
    for name, limit in TEXT_LIMITS.items():
        value: str = getattr(identity, name)
        text = value.strip() if name == "address" else " ".join(value.split())
        if name == "address":
            text = "\n".join(line.strip() for line in text.splitlines() if line.strip())
        if len(text) > limit:
            errors.add(name, f"Ce champ est limité à {limit} caractères.")
        cleaned[name] = text
    for image, what in ((identity.logo, "logo"), (identity.signature, "signature")):
        if image is not None:
            try:
                check_image(image.file_name, image.content, what)
            except SettingsError as exc:
                errors.add(what, exc.message)
    errors.raise_if_any()
    for name, value in cleaned.items():
        set_setting(session, IDENTITY_PREFIX + name, value)
    _save_image(session, LOGO_KEY, identity.logo)
    _save_image(session, SIGNATURE_KEY, identity.signature)
    session.flush()
    return get_identity(session)
