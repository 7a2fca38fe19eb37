"""Commands ``providers``, ``provider`` (a training provider's identity) and ``assessment``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from allervers_desktop.cli.context import fail, guarded, opened_database, print_json, print_table

RESULTS = ("acquired", "partial", "not_acquired", "none")
# option -> ProviderData field
TEXT_OPTIONS = {
    "name": "name",
    "address": "address",
    "postcode": "postcode",
    "city": "city",
    "siret": "siret",
    "nda": "nda",
    "nda_region": "nda_region",
    "representative": "legal_representative",
    "representative_title": "legal_representative_title",
    "contact": "contact_name",
    "contact_email": "contact_email",
    "contact_phone": "contact_phone",
    "accessibility_contact": "accessibility_contact",
    "rules_url_or_text": "internal_rules",
}
LABELS = {
    "name": "Raison sociale",
    "address": "Adresse",
    "postcode": "Code postal",
    "city": "Ville",
    "siret": "SIRET",
    "nda": "N° de déclaration d'activité",
    "nda_region": "Région de la déclaration",
    "legal_representative": "Représentant légal",
    "legal_representative_title": "Qualité",
    "contact_name": "Contact",
    "contact_email": "E-mail du contact",
    "contact_phone": "Téléphone du contact",
    "accessibility_contact": "Référent handicap",
    "internal_rules": "Règlement intérieur",
    "logo": "Logo",
    "stamp": "Cachet / signature",
    "courses": "Formations",
}


def register(subparsers: Any) -> None:
    listing = subparsers.add_parser("providers", help="lister les organismes de formation")
    listing.add_argument("--search", default="", help="filtrer (nom, ville, SIRET, NDA)")
    listing.add_argument("--json", action="store_true", help="sortie JSON")
    listing.set_defaults(handler=guarded(run_providers))

    provider = subparsers.add_parser(
        "provider",
        help="voir, créer ou modifier un organisme de formation",
        description=(
            "« provider ID » affiche l'organisme ; avec des options, les modifie. "
            "« provider new --name … » en crée un."
        ),
    )
    provider.add_argument("id", metavar="ID|new", help="numéro de l'organisme, ou « new »")
    provider.add_argument("--name", help="raison sociale")
    provider.add_argument("--address", help="adresse : rue (\\n pour aller à la ligne)")
    provider.add_argument("--postcode", help="code postal")
    provider.add_argument("--city", help="ville")
    provider.add_argument("--siret", help="SIRET (14 chiffres, espaces permis)")
    provider.add_argument("--nda", help="numéro de déclaration d'activité (11 chiffres)")
    provider.add_argument("--nda-region", help="région où l'activité a été déclarée")
    provider.add_argument("--representative", help="représentant légal (signataire)")
    provider.add_argument("--representative-title", help="qualité du représentant légal")
    provider.add_argument("--contact", help="nom du contact")
    provider.add_argument("--contact-email", help="e-mail du contact")
    provider.add_argument("--contact-phone", help="téléphone du contact")
    provider.add_argument("--accessibility-contact", help="référent handicap et ses coordonnées")
    provider.add_argument("--rules-url-or-text", help="règlement intérieur : adresse web ou texte")
    provider.add_argument("--logo", type=Path, metavar="IMAGE", help="logo (PNG, JPEG…)")
    provider.add_argument("--stamp", type=Path, metavar="IMAGE", help="cachet et signature")
    provider.add_argument("--no-logo", action="store_true", help="retirer le logo")
    provider.add_argument("--no-stamp", action="store_true", help="retirer le cachet")
    provider.add_argument("--delete", action="store_true", help="supprimer l'organisme")
    provider.add_argument("--json", action="store_true", help="sortie JSON")
    provider.set_defaults(handler=guarded(run_provider))

    assessment = subparsers.add_parser(
        "assessment",
        help="évaluation des acquis d'un participant (objectifs acquis, en partie, non acquis)",
    )
    assessment.add_argument("group", type=int, metavar="GROUP_ID")
    assessment.add_argument("participant", type=int, metavar="PARTICIPANT_ID")
    assessment.add_argument(
        "result", choices=RESULTS, metavar="RÉSULTAT", help="acquired, partial, not_acquired, none"
    )
    assessment.set_defaults(handler=guarded(run_assessment))


def _row(provider: Any, courses: int) -> dict[str, Any]:
    return {
        "id": provider.id,
        "name": provider.name,
        "city": provider.city,
        "siret": provider.siret,
        "nda": provider.nda,
        "legal_representative": provider.legal_representative,
        "courses": courses,
    }


def run_providers(args: argparse.Namespace) -> int:
    from allervers_desktop.formatting import format_nda, format_siret
    from allervers_desktop.services.providers import courses_count, list_providers

    with opened_database(args) as database, database.session() as session:
        rows = [
            _row(provider, courses_count(session, provider.id))
            for provider in list_providers(session, args.search)
        ]
    if args.json:
        print_json(rows)
        return 0
    print_table(
        ["N°", "Organisme", "Ville", "SIRET", "NDA", "Représentant légal", "Formations"],
        [
            [
                str(row["id"]),
                row["name"],
                row["city"],
                format_siret(row["siret"]),
                format_nda(row["nda"]),
                row["legal_representative"],
                str(row["courses"]),
            ]
            for row in rows
        ],
    )
    return 0


def _provider_id(text: str) -> int | None:
    """« new » -> None; a number -> that id."""
    from allervers_desktop.services.errors import ServiceError

    if text == "new":
        return None
    try:
        return int(text)
    except ValueError:
        raise ServiceError(
            f"Numéro d'organisme illisible : « {text} » (un nombre, ou « new »)."
        ) from None


def run_provider(args: argparse.Namespace) -> int:
    from dataclasses import asdict, replace

    from allervers_desktop.formatting import format_nda, format_siret
    from allervers_desktop.services.providers import (
        IMAGE_KINDS,
        ProviderData,
        courses_count,
        create_provider,
        delete_provider,
        get_provider,
        update_provider,
    )
    from allervers_desktop.services.settings import read_image_file

    provider_id = _provider_id(args.id)
    changes = {
        field: getattr(args, option)
        for option, field in TEXT_OPTIONS.items()
        if getattr(args, option) is not None
    }
    for multiline in ("address", "internal_rules", "accessibility_contact"):
        if multiline in changes:
            changes[multiline] = changes[multiline].replace("\\n", "\n")
    if args.logo and args.no_logo:
        return fail("--logo et --no-logo s'excluent.")
    if args.stamp and args.no_stamp:
        return fail("--stamp et --no-stamp s'excluent.")
    logo = read_image_file(args.logo, "logo") if args.logo else None
    stamp = read_image_file(args.stamp, IMAGE_KINDS["stamp"]) if args.stamp else None
    changing = bool(changes or logo or stamp or args.no_logo or args.no_stamp)
    if args.delete:
        if provider_id is None or changing:
            return fail("--delete prend le numéro d'un organisme, sans autre option.")
        with opened_database(args) as database, database.transaction() as session:
            name = get_provider(session, provider_id).name
            delete_provider(session, provider_id)
        print(f"Organisme « {name} » supprimé.")
        return 0
    if provider_id is None and "name" not in changes:
        return fail("« provider new » demande au moins --name (la raison sociale).")
    with opened_database(args) as database, database.transaction() as session:
        if provider_id is None:
            data = ProviderData(name="")
        else:
            data = ProviderData.from_provider(session, get_provider(session, provider_id))
        data = replace(data, **changes)
        if logo is not None or args.no_logo:
            data = replace(data, logo=logo)
        if stamp is not None or args.no_stamp:
            data = replace(data, stamp=stamp)
        if provider_id is None:
            provider = create_provider(session, data)
        elif changing:
            provider = update_provider(session, provider_id, data)
        else:
            provider = get_provider(session, provider_id)
        saved = ProviderData.from_provider(session, provider)
        saved_id = provider.id
        courses = courses_count(session, provider.id)
    values: dict[str, Any] = {
        key: value for key, value in asdict(saved).items() if key not in IMAGE_KINDS
    }
    values["logo"] = saved.logo.file_name if saved.logo else ""
    values["stamp"] = saved.stamp.file_name if saved.stamp else ""
    values["courses"] = courses
    if args.json:
        print_json({"id": saved_id, **values})
        return 0
    shown = dict(values, siret=format_siret(saved.siret), nda=format_nda(saved.nda))
    print(f"Organisme n° {saved_id}")
    for key, label in LABELS.items():
        text = str(shown[key]).replace("\n", ", ") or "(vide)"
        print(f"{label} : {text}")
    if provider_id is None:
        print("Organisme créé.")
    elif changing:
        print("Organisme enregistré.")
    return 0


def run_assessment(args: argparse.Namespace) -> int:
    from allervers_desktop.services.assessment import assessment_label, set_assessment_of

    result = None if args.result == "none" else args.result
    with opened_database(args) as database, database.transaction() as session:
        enrollment = set_assessment_of(session, args.group, args.participant, result)
        name = enrollment.participant.full_name
    print(f"{name} : {assessment_label(result).lower() if result else 'évaluation effacée'}.")
    return 0
