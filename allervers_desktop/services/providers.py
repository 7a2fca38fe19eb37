"""Training providers (organismes de formation): identity, SIRET and NDA checks, images."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from allervers_desktop.db.models import Course, StoredFile, TrainingProvider
from allervers_desktop.formatting import format_nda, format_siret
from allervers_desktop.services.deletion import DeletionImpact, plural
from allervers_desktop.services.errors import DeletionBlockedError, Errors, NotFoundError
from allervers_desktop.services.settings import (
    DocumentIdentity,
    SettingsError,
    StoredImage,
    check_image,
)
from allervers_desktop.services.validation import clean, clean_email, clean_phone, require
from allervers_desktop.text import search_terms

# La Poste's establishments share this SIREN; their SIRETs do not pass the Luhn check but the
# sum of their 14 digits is a multiple of 5 (INSEE's documented exception).
LA_POSTE_SIREN = "356000000"
SEPARATORS = re.compile(r"[\s.\-]")
POSTCODE = re.compile(r"^\d{5}$")
IMAGE_KINDS = {"logo": "logo", "stamp": "cachet / signature"}
TEXT_LIMITS = {
    "name": 200,
    "address": 500,
    "city": 100,
    "nda_region": 100,
    "legal_representative": 200,
    "legal_representative_title": 200,
    "contact_name": 200,
    "accessibility_contact": 1000,
    "internal_rules": 4000,
}
MULTILINE = ("address", "accessibility_contact", "internal_rules")


@dataclass(frozen=True)
class ProviderData:
    """Every field of a provider's identity, as the form or the command line gives it and as
    documents print it (all empty when a course names no provider)."""

    name: str = ""  # raison sociale
    address: str = ""  # street lines
    postcode: str = ""
    city: str = ""
    siret: str = ""
    nda: str = ""
    nda_region: str = ""
    legal_representative: str = ""
    legal_representative_title: str = ""
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    accessibility_contact: str = ""  # référent handicap: name and how to reach them
    internal_rules: str = ""  # règlement intérieur: a URL or the text itself
    logo: StoredImage | None = field(default=None, repr=False)
    stamp: StoredImage | None = field(default=None, repr=False)

    @property
    def address_lines(self) -> list[str]:
        """Street lines, then « 67000 Strasbourg »."""
        lines = [line.strip() for line in self.address.splitlines() if line.strip()]
        town = " ".join(part for part in (self.postcode, self.city) if part)
        if town:
            lines.append(town)
        return lines

    @property
    def siret_label(self) -> str:
        return f"SIRET {format_siret(self.siret)}" if self.siret else ""

    @property
    def nda_label(self) -> str:
        """« Déclaration d'activité n° 44 67 01234 67 (préfet de région Grand Est) »."""
        if not self.nda:
            return ""
        region = f" auprès du préfet de région {self.nda_region}" if self.nda_region else ""
        return f"Déclaration d'activité enregistrée sous le n° {format_nda(self.nda)}{region}"

    @property
    def contact_line(self) -> str:
        parts = (self.contact_name, self.contact_email, self.contact_phone)
        return " – ".join(part for part in parts if part)

    @property
    def identity(self) -> DocumentIdentity:
        """The provider as an issuer: letterhead, signatory (never anyone else) and city."""
        return DocumentIdentity(
            organisation_name=self.name,
            address="\n".join(self.address_lines),
            signatory_name=self.legal_representative,
            signatory_title=self.legal_representative_title,
            city=self.city,
            logo=self.logo,
            signature=self.stamp,
        )

    @classmethod
    def from_provider(cls, session: Session | None, provider: TrainingProvider) -> ProviderData:
        """The provider's identity with its images (read through ``session``, the provider's
        own session; none when it is detached)."""
        logo, stamp = provider_images(session, provider.id) if session else (None, None)
        texts = {
            item.name: getattr(provider, item.name)
            for item in fields(cls)
            if item.name not in IMAGE_KINDS
        }
        return cls(**texts, logo=logo, stamp=stamp)


def digits_only(value: str) -> str:
    """« 123 456 789 00012 » -> « 12345678900012 » (spaces, dots and dashes dropped)."""
    return SEPARATORS.sub("", value or "")


def luhn_valid(number: str) -> bool:
    """The Luhn checksum of a string of digits (SIREN and SIRET use it)."""
    total = 0
    for position, char in enumerate(reversed(number)):
        digit = int(char)
        if position % 2:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def siret_valid(siret: str) -> bool:
    """14 digits passing Luhn, or a La Poste establishment (digit sum a multiple of 5)."""
    if len(siret) != 14 or not siret.isdigit():
        return False
    if luhn_valid(siret):
        return True
    return siret.startswith(LA_POSTE_SIREN) and sum(int(c) for c in siret) % 5 == 0


def image_key(provider_id: int, kind: str) -> str:
    return f"provider.{provider_id}.{kind}"


def provider_images(
    session: Session, provider_id: int
) -> tuple[StoredImage | None, StoredImage | None]:
    """The provider's logo and stamp/signature image (None when not given)."""
    images: list[StoredImage | None] = []
    for kind in IMAGE_KINDS:
        stored = session.get(StoredFile, image_key(provider_id, kind))
        images.append(None if stored is None else StoredImage(stored.file_name, stored.content))
    return images[0], images[1]


def get_provider(session: Session, provider_id: int) -> TrainingProvider:
    provider = session.get(TrainingProvider, provider_id)
    if provider is None:
        raise NotFoundError("organisme de formation", provider_id)
    return provider


def list_providers(session: Session, search: str = "") -> list[TrainingProvider]:
    stmt = select(TrainingProvider).order_by(func.lower(TrainingProvider.name))
    for term in search_terms(search):
        stmt = stmt.where(TrainingProvider.search_text.contains(term, autoescape=True))
    return list(session.scalars(stmt))


def courses_count(session: Session, provider_id: int) -> int:
    return session.scalar(select(func.count()).where(Course.provider_id == provider_id)) or 0


def _clean_text(name: str, value: str) -> str:
    if name in MULTILINE:
        return "\n".join(line.strip() for line in value.strip().splitlines() if line.strip())
    return clean(value)


def _validate(session: Session, data: ProviderData, provider_id: int | None) -> ProviderData:
    errors = Errors()
    texts = {name: _clean_text(name, getattr(data, name)) for name in TEXT_LIMITS}
    require(errors, "name", texts["name"], "Raison sociale")
    for name, limit in TEXT_LIMITS.items():
        if len(texts[name]) > limit:
            errors.add(name, f"Ce champ est limité à {limit} caractères.")
    siret = digits_only(data.siret)
    if siret and not siret.isdigit():
        errors.add("siret", f"Le SIRET « {clean(data.siret)} » ne doit contenir que des chiffres.")
    elif siret and len(siret) != 14:
        errors.add(
            "siret", f"Le SIRET compte 14 chiffres ; « {clean(data.siret)} » en a {len(siret)}."
        )
    elif siret and not siret_valid(siret):
        errors.add(
            "siret",
            f"Le SIRET « {format_siret(siret)} » n'est pas valide (clé de contrôle fausse) : "
            "vérifiez-le sur l'avis de situation Insee.",
        )
    nda = digits_only(data.nda)
    if nda and (not nda.isdigit() or len(nda) != 11):
        errors.add(
            "nda",
            f"Le numéro de déclaration d'activité compte 11 chiffres ; « {clean(data.nda)} » "
            "ne convient pas.",
        )
    postcode = digits_only(data.postcode)
    if postcode and not POSTCODE.match(postcode):
        errors.add("postcode", f"Le code postal « {clean(data.postcode)} » doit avoir 5 chiffres.")
    email = clean_email(errors, "contact_email", data.contact_email) or ""
    phone = clean_phone(errors, "contact_phone", data.contact_phone)
    for kind, what in IMAGE_KINDS.items():
        image: StoredImage | None = getattr(data, kind)
        if image is not None:
            try:
                check_image(image.file_name, image.content, what)
            except SettingsError as exc:
                errors.add(kind, exc.message)
    if texts["name"]:
        clash = session.scalar(
            select(TrainingProvider.id).where(
                func.lower(TrainingProvider.name) == texts["name"].lower(),
                TrainingProvider.id != (provider_id or 0),
            )
        )
        if clash is not None:
            errors.add("name", f"L'organisme « {texts['name']} » existe déjà.")
    errors.raise_if_any()
    return ProviderData(
        **texts,
        postcode=postcode,
        siret=siret,
        nda=nda,
        contact_email=email,
        contact_phone=phone,
        logo=data.logo,
        stamp=data.stamp,
    )


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


def _apply(session: Session, provider: TrainingProvider, data: ProviderData) -> None:
    for item in fields(ProviderData):
        if item.name not in IMAGE_KINDS:
            setattr(provider, item.name, getattr(data, item.name))
    session.flush()
    for kind in IMAGE_KINDS:
        _save_image(session, image_key(provider.id, kind), getattr(data, kind))
    session.flush()


def create_provider(session: Session, data: ProviderData) -> TrainingProvider:
    cleaned = _validate(session, data, None)
    provider = TrainingProvider(name=cleaned.name)
    session.add(provider)
    _apply(session, provider, cleaned)
    return provider


def update_provider(session: Session, provider_id: int, data: ProviderData) -> TrainingProvider:
    provider = get_provider(session, provider_id)
    cleaned = _validate(session, data, provider_id)
    _apply(session, provider, cleaned)
    return provider


def describe_provider_deletion(session: Session, provider_id: int) -> DeletionImpact:
    provider = get_provider(session, provider_id)
    impact = DeletionImpact(subject=f"l'organisme de formation « {provider.name} »")
    used = courses_count(session, provider_id)
    if used:
        impact.blockers.append(
            f"Cet organisme dispense {plural(used, 'formation')} : choisissez un autre "
            "organisme pour ces formations avant de le supprimer (leurs attestations et "
            "certificats portent son identité)."
        )
    return impact


def delete_provider(session: Session, provider_id: int) -> None:
    impact = describe_provider_deletion(session, provider_id)
    if not impact.allowed:
        raise DeletionBlockedError(impact.message())
    for kind in IMAGE_KINDS:
        _save_image(session, image_key(provider_id, kind), None)
    session.delete(get_provider(session, provider_id))
    session.flush()


def missing_identity(provider: TrainingProvider | None) -> list[str]:
    """French labels of what a certificat de réalisation needs from its provider."""
    if provider is None:
        return ["organisme de formation"]
    labels = {
        "legal_representative": "représentant légal",
        "siret": "SIRET",
        "nda": "numéro de déclaration d'activité",
    }
    return [label for name, label in labels.items() if not getattr(provider, name)]
