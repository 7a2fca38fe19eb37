"""Example data built from the real course sheet (« Aller vers » module 1, Grand Est)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from allervers_desktop.db.models import Course, EnrollmentStatus, GroupStatus
from allervers_desktop.services.courses import CourseData, ProgrammeDayData, create_course
from allervers_desktop.services.enrollments import enroll
from allervers_desktop.services.groups import DayData, GroupData, create_group
from allervers_desktop.services.participants import ParticipantData, create_participant
from allervers_desktop.services.providers import ProviderData, update_provider
from allervers_desktop.services.trainers import TrainerData, create_trainer
from allervers_desktop.text import compact_key

DEMO_REFERENCE = "GE-ALLERVERS-M1"

COURSE = CourseData(
    title="La pratique de l'Aller Vers les publics",
    module="Module 1 « Aller vers : une nécessaire préparation »",
    reference=DEMO_REFERENCE,
    sectors="Social et Médico-social",
    audience=(
        "Les travailleurs sociaux et les professionnels de première ligne, "
        "les cadres (à l'appréciation des employeurs)"
    ),
    duration_days=2,
    duration_hours=14,
    provider_name="PRAXIS",
    funding_scheme="Fonds mutualisé de Branche",
    region="Grand Est",
    opco_name="Opco Santé",
    opco_contact_name="Aurore JOANNES",
    opco_contact_email="aurore.joannes@opco-sante.fr",
    partners=["DGCS"],
    context=(
        "Penser à « ALLER VERS », doit permettre de réduire les inégalités d'accès aux droits, "
        "qu'elles soient liées à des difficultés de déplacements, à la méconnaissance des "
        "institutions, à une situation personnelle de vulnérabilité. « ALLER VERS » pour "
        "rencontrer, échanger, proposer, sans présumer des besoins des personnes, en respectant "
        "leur singularité, leur liberté et leur autonomie. Cela passe pour les professionnels "
        "par le ré investissement dans la dimension relationnelle, comme une étape indispensable "
        "avant d'envisager la mise en œuvre de tout type de projet d'accompagnement social.\n"
        "Ce changement de posture des travailleurs sociaux, qui nous replonge dans la genèse du "
        "travail social, doit s'accompagner d'une prise de conscience par les acteurs impliqués "
        "de la nécessité de modifier les organisations au sein desquelles l'encadrement est en "
        "effet pleinement concerné par ces transformations et se doit de les soutenir et les "
        "accompagner."
    ),
    prerequisites="Occuper une fonction d'intervenant social",
    assesses_learning=True,
    what_to_bring=(
        "De quoi prendre des notes, et une situation d'« aller vers » rencontrée dans votre "
        "structure (anonymisée), à partager en groupe."
    ),
    objectives=[
        "Mettre en perspective les pratiques professionnelles dans la dynamique de "
        "l'« ALLER VERS » : Porter un regard réflexif sur ses propres pratiques",
        "Resituer les enjeux organisationnels",
        "Concevoir l'ALLER VERS comme élément d'une pratique professionnelle",
        "Organiser et ajuster sa pratique de l'ALLER VERS au regard de son ancrage territorial "
        "et de ses atouts",
        "Visualiser les obstacles à la mise en œuvre de l'« ALLER VERS »",
        "Accompagner les équipes dans cette transformation",
        "Repenser les organisations",
    ],
    programme=[
        ProgrammeDayData(
            "« ALLER VERS », fondements et enjeux professionnels",
            [
                "Se resituer dans le contexte : les engagements et leviers de la Stratégie "
                "pauvreté",
                "Les enjeux sociétaux",
                "La genèse de cette notion : feed back sur les modèles professionnels",
                "Une démarche qui concerne les pratiques professionnelles mais aussi "
                "organisationnelles",
                "Les enjeux éthiques : comment réduire les inégalités sociales, comment se "
                "situer, comment entendre de manière inconditionnelle, travailler avec la "
                "non-demande, soutenir le pouvoir d'agir",
            ],
        ),
        ProgrammeDayData(
            "« ALLER VERS », un élément incontournable pour une pratique professionnelle",
            [
                "Identification de la question du sens de l'ALLER VERS et de sa finalité",
                "Les limites et les possibles de la pratique de l'ALLER VERS : un cadre de "
                "l'intervention à repenser",
                "La mobilisation des acteurs d'un territoire incontournable dans la rencontre "
                "d'un public « invisible »",
                "L'ancrage d'une pratique de l'ALLER VERS dans son articulation avec les "
                "dispositifs existants",
            ],
        ),
    ],
)

# PRAXIS's identity, with clearly fictitious numbers: the SIRET 123 456 782 00010 only passes
# the Luhn check, and the NDA 44 67 99999 67 reads « Grand Est, Bas-Rhin » with a made-up
# sequence. The people are invented too.
PROVIDER = ProviderData(
    name="PRAXIS",
    address="12 rue du Faubourg National",
    postcode="67000",
    city="Strasbourg",
    siret="123 456 782 00010",
    nda="44 67 99999 67",
    nda_region="Grand Est",
    legal_representative="Claire FONTAINE",
    legal_representative_title="Directrice",
    contact_name="Accueil formation PRAXIS",
    contact_email="formation@praxis.exemple.fr",
    contact_phone="03 88 00 00 00",
    accessibility_contact="Julien MARTIN – handicap@praxis.exemple.fr – 03 88 00 00 01",
    internal_rules="https://www.praxis.exemple.fr/reglement-interieur",
)

TRAINERS = [
    TrainerData("Chantal", "CORNIER", "Mme", "Chargée de projets", "PRAXIS"),
    TrainerData("Jean-Xavier", "COUROT", "M.", "Chef de service hébergement", "PRAXIS"),
    TrainerData("Lara", "GELDREICH", "Mme", "Directrice d'un chez soi d'abord", "PRAXIS"),
]

# Fictitious employers and participants (names invented for the example).
EMPLOYERS = [
    ("Association Le Relais de l'Ill", "Strasbourg"),
    ("Foyer Saint-Éloi", "Colmar"),
    ("CCAS de Metz", "Metz"),
    ("Maison d'accueil Les Tilleuls", "Thionville"),
    ("Centre d'hébergement Horizon", "Mulhouse"),
]

# (civility, last name, first name, job title, employer index, group index)
PARTICIPANTS = [
    ("Mme", "MULLER", "Hélène", "Éducatrice spécialisée", 0, 0),
    ("M.", "SCHNEIDER", "Loïc", "Moniteur-éducateur", 0, 0),
    ("Mme", "KLEIN", "Amélie", "Assistante de service social", 0, 0),
    ("Mme", "WEBER", "Céline", "Cheffe de service", 1, 0),
    ("M.", "HOFFMANN", "François", "Travailleur social", 1, 0),
    ("Mme", "BAUER", "Zoé", "Conseillère en économie sociale et familiale", 1, 0),
    ("M.", "FISCHER", "Théo", "Éducateur spécialisé", 4, 0),
    ("Mme", "MEYER", "Léa", "Intervenante sociale", 4, 0),
    ("M.", "WAGNER", "Noël", "Veilleur de nuit", 4, 0),
    ("Mme", "SCHMITT", "Inès", "Accompagnante éducative et sociale", 0, 0),
    ("M.", "BECKER", "Jérôme", "Chef de service", 2, 1),
    ("Mme", "ROUSSEL", "Maëlle", "Assistante de service social", 2, 1),
    ("Mme", "LAMBERT", "Chloé", "Éducatrice spécialisée", 2, 1),
    ("M.", "MARCHAL", "Benoît", "Travailleur social", 3, 1),
    ("Mme", "HUMBERT", "Sophie", "Directrice adjointe", 3, 1),
    ("M.", "THIRIET", "Gaël", "Moniteur-éducateur", 3, 1),
    ("Mme", "COLIN", "Anaïs", "Conseillère en insertion", 2, 1),
    ("M.", "GÉRARD", "Raphaël", "Intervenant social", 3, 1),
    ("Mme", "PERRIN", "Océane", "Éducatrice de jeunes enfants", 2, 1),
    ("Mme", "NICOLAS", "Émilie", "Cheffe de service", 3, 1),
    ("M.", "DIDIER", "Aurélien", "Éducateur spécialisé", 1, 1),
]


@dataclass(frozen=True)
class DemoResult:
    loaded: bool
    course_id: int
    message: str


def load_demo(session: Session) -> DemoResult:
    """Create the example course, groups, trainers and participants unless already present."""
    existing = session.scalar(select(Course.id).where(Course.reference == DEMO_REFERENCE))
    if existing is not None:
        return DemoResult(False, existing, "Les données d'exemple sont déjà chargées.")
    course = create_course(session, COURSE)
    if course.provider is not None:
        update_provider(session, course.provider.id, PROVIDER)
    trainers = [create_trainer(session, data) for data in TRAINERS]
    groups = [
        create_group(
            session,
            GroupData(
                course_id=course.id,
                label="Groupe 1",
                city="Strasbourg",
                venue_address="PRAXIS — 12 rue du Faubourg National, 67000 Strasbourg",
                status=GroupStatus.CONFIRMED.value,
                capacity=15,
                days=[DayData(dt.date(2023, 9, 25)), DayData(dt.date(2023, 9, 26))],
                trainer_ids=[trainers[0].id, trainers[1].id],
            ),
        ),
        create_group(
            session,
            GroupData(
                course_id=course.id,
                label="Groupe 2",
                city="Metz",
                venue_address="Salle de l'Arsenal — 3 avenue Ney, 57000 Metz",
                status=GroupStatus.PLANNED.value,
                capacity=15,
                days=[DayData(dt.date(2023, 10, 16)), DayData(dt.date(2023, 10, 17))],
                trainer_ids=[trainers[0].id, trainers[2].id],
            ),
        ),
    ]
    for index, (civility, last, first, job, employer_index, group_index) in enumerate(PARTICIPANTS):
        employer_name, employer_city = EMPLOYERS[employer_index]
        participant = create_participant(
            session,
            ParticipantData(
                last_name=last,
                first_name=first,
                civility=civility,
                email=f"{compact_key(first)}.{compact_key(last)}@exemple.fr",
                phone=f"03 88 {10 + index:02d} {20 + index:02d} {30 + index:02d}",
                job_title=job,
                employer_name=employer_name,
                employer_city=employer_city,
            ),
        )
        status = (
            EnrollmentStatus.CONFIRMED.value if index % 3 else EnrollmentStatus.REGISTERED.value
        )
        enroll(
            session,
            groups[group_index].id,
            participant.id,
            status=status,
            source="données d'exemple",
            on=dt.date(2023, 9, 1),
        )
    return DemoResult(
        True,
        course.id,
        f"Données d'exemple chargées : 1 formation, {len(groups)} groupes, "
        f"{len(TRAINERS)} intervenants, {len(PARTICIPANTS)} participants.",
    )
