"""French message templates with checked placeholders, stored in the settings table."""

from __future__ import annotations

import enum
import string
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session

from allervers_desktop.db.models import Setting
from allervers_desktop.services.errors import ServiceError


class TemplateKind(enum.StrEnum):
    CONVOCATION = "convocation"
    EMPLOYER_LIST = "employer_list"
    REMINDER = "reminder"
    CERTIFICATES = "certificates"
    FREE = "free"


# Placeholder name -> what it stands for (shown in Messages › Modèles des messages and the README).
PLACEHOLDERS: dict[str, str] = {
    "civilite": "civilité du participant (M., Mme)",
    "prenom": "prénom du participant",
    "nom": "nom du participant",
    "etablissement": "nom de l'établissement",
    "formation": "intitulé de la formation",
    "groupe": "nom du groupe",
    "dates": "dates des journées",
    "horaires": "horaires des demi-journées",
    "lieu": "lieu et adresse",
    "participants": "liste des participants de l'établissement",
    "contact_opco": "contact de l'Opco (nom, courriel, téléphone)",
}


@dataclass(frozen=True)
class Template:
    subject: str
    body: str


DEFAULTS: dict[TemplateKind, Template] = {
    TemplateKind.CONVOCATION: Template(
        "Convocation : {formation} ({groupe})",
        "Bonjour {prenom} {nom},\n\nVous êtes inscrit(e) à la formation « {formation} ».\n\n"
        "Dates : {dates}\nHoraires : {horaires}\nLieu : {lieu}\n\n"
        "Vous trouverez ci-joint votre convocation, la fiche technique de la formation et "
        "l'invitation à ajouter à votre agenda.\n\nPour toute question : {contact_opco}\n",
    ),
    TemplateKind.EMPLOYER_LIST: Template(
        "Inscriptions à la formation {formation} ({groupe})",
        "Bonjour,\n\nVoici les personnes de {etablissement} inscrites à la formation "
        "« {formation} » :\n{participants}\n\nDates : {dates}\nLieu : {lieu}\n\n"
        "Contact : {contact_opco}\n",
    ),
    TemplateKind.REMINDER: Template(
        "Rappel : formation {formation} dans une semaine",
        "Bonjour {prenom} {nom},\n\nNous vous rappelons la formation « {formation} ».\n\n"
        "Dates : {dates}\nHoraires : {horaires}\nLieu : {lieu}\n\nContact : {contact_opco}\n",
    ),
    TemplateKind.CERTIFICATES: Template(
        "Attestations de la formation {formation} ({groupe})",
        "Bonjour,\n\nVous trouverez ci-joint les attestations des personnes de {etablissement} "
        "ayant suivi la formation « {formation} » :\n{participants}\n\n"
        "Contact : {contact_opco}\n",
    ),
    TemplateKind.FREE: Template("{formation} ({groupe})", "Bonjour,\n\n\n{contact_opco}\n"),
}


def _key(kind: TemplateKind, part: str) -> str:
    return f"mail.template.{kind.value}.{part}"


def load_template(session: Session, kind: TemplateKind) -> Template:
    """The stored template of ``kind``, or its French default."""
    default = DEFAULTS[kind]
    subject = session.get(Setting, _key(kind, "subject"))
    body = session.get(Setting, _key(kind, "body"))
    return Template(
        subject.value if subject is not None else default.subject,
        body.value if body is not None else default.body,
    )


def save_template(session: Session, kind: TemplateKind, template: Template) -> None:
    """Store ``template`` after checking it (inside the caller's transaction)."""
    check_template(template)
    for part, value in (("subject", template.subject), ("body", template.body)):
        session.merge(Setting(key=_key(kind, part), value=value))


def _fields(text: str, where: str) -> list[str]:
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as exc:
        raise ServiceError(
            f"Le {where} du modèle est mal formé (accolade seule ?). "
            "Écrivez les champs sous la forme {prenom}."
        ) from exc
    names = []
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in PLACEHOLDERS or spec or conversion:
            known = ", ".join("{" + key + "}" for key in PLACEHOLDERS)
            raise ServiceError(
                f"Champ inconnu {{{name}}} dans le {where} du modèle. Champs possibles : {known}."
            )
        names.append(name)
    return names


def check_template(template: Template) -> None:
    """Raise a French ServiceError for an empty subject or an unknown placeholder."""
    if not template.subject.strip():
        raise ServiceError("L'objet du message est vide : écrivez un objet.")
    if "\n" in template.subject or "\r" in template.subject:
        raise ServiceError("L'objet du message doit tenir sur une seule ligne.")
    _fields(template.subject, "objet")
    _fields(template.body, "texte")


def render(template: Template, values: Mapping[str, str], recipient: str) -> Template:
    """The template filled with ``values``; a used field without a value is an error."""
    check_template(template)
    used = _fields(template.subject, "objet") + _fields(template.body, "texte")
    missing = sorted({name for name in used if not values.get(name, "").strip()})
    if missing:
        labels = ", ".join(f"{{{name}}} ({PLACEHOLDERS[name]})" for name in missing)
        raise ServiceError(f"Message pour {recipient} : valeur manquante pour {labels}.")
    return Template(template.subject.format_map(values), template.body.format_map(values))
