"""Build (once, then cache) the large benchmark database: 100,000 participants and their world."""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import random
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, func, insert, select
from sqlalchemy.orm.attributes import set_committed_value

from allervers_desktop.db.database import open_database
from allervers_desktop.db.models import (
    Course,
    CourseObjective,
    Employer,
    Enrollment,
    Group,
    GroupDay,
    GroupTrainer,
    HalfDay,
    Participant,
    ProgrammeDay,
    ProgrammeItem,
    Trainer,
    TrainingProvider,
)
from allervers_desktop.db.schema_version import HEAD_REVISION
from allervers_desktop.text import compact_key

# Bump when the generated content changes; the cache key also hashes the sources it relies on.
GENERATOR_VERSION = 1
SEED = 20230925
BENCH_DIR = Path(__file__).resolve().parent
OUT_DIR = BENCH_DIR / "out"
PACKAGE_DIR = BENCH_DIR.parent / "allervers_desktop"
CHUNK = 20_000
NOW = dt.datetime(2024, 6, 1, 9, 0, 0)


@dataclass(frozen=True)
class Sizes:
    """How many rows of each kind the benchmark database holds."""

    participants: int = 100_000
    employers: int = 3_000
    groups: int = 2_000
    enrollments: int = 150_000
    courses: int = 40
    trainers: int = 150


# --- word lists (fictitious people and places, French spellings) ---------------------------
FEMALE_FIRST_NAMES = (
    "Hélène",
    "Françoise",
    "Zoé",
    "Amélie",
    "Céline",
    "Léa",
    "Inès",
    "Maëlle",
    "Chloé",
    "Anaïs",
    "Océane",
    "Émilie",
    "Marie",
    "Sophie",
    "Nathalie",
    "Isabelle",
    "Sylvie",
    "Catherine",
    "Camille",
    "Manon",
    "Jeanne",
    "Thérèse",
    "Agnès",
    "Bérénice",
    "Clémence",
    "Mélanie",
    "Valérie",
    "Cécile",
    "Ève",
    "Anne-Sophie",
    "Marie-Hélène",
    "Noémie",
    "Aurélie",
    "Élodie",
    "Laëtitia",
    "Séverine",
    "Gaëlle",
    "Pénélope",
    "Joëlle",
    "Héloïse",
    "Lucie",
    "Claire",
    "Julie",
    "Sarah",
    "Laura",
    "Mathilde",
    "Pauline",
    "Margaux",
    "Louise",
    "Adèle",
)
MALE_FIRST_NAMES = (
    "François",
    "Loïc",
    "Théo",
    "Noël",
    "Jérôme",
    "Benoît",
    "Gaël",
    "Raphaël",
    "Aurélien",
    "Jean",
    "Pierre",
    "Christophe",
    "Nicolas",
    "Julien",
    "Lucas",
    "Hugo",
    "Gérald",
    "Hervé",
    "Stéphane",
    "Frédéric",
    "Joël",
    "Jean-François",
    "Jean-Xavier",
    "Mickaël",
    "Grégoire",
    "Clément",
    "Valentin",
    "Maxime",
    "Thomas",
    "Antoine",
    "Étienne",
    "Rémi",
    "Anaël",
    "Cédric",
    "Sébastien",
    "Jérémie",
    "Léon",
    "Mathéo",
    "Bruno",
    "Didier",
)
LAST_NAMES = (
    "DUPONT",
    "Dupont",
    "DUPUIS",
    "DURAND",
    "Dupré",
    "DUPUY",
    "MULLER",
    "MÜLLER",
    "Müller",
    "Muller",
    "SCHNEIDER",
    "KLEIN",
    "WEBER",
    "HOFFMANN",
    "FISCHER",
    "MEYER",
    "WAGNER",
    "SCHMITT",
    "BECKER",
    "GÉRARD",
    "LEFÈVRE",
    "Lefèvre",
    "FAURE",
    "GIRARD",
    "BONNET",
    "FRANÇOIS",
    "MERCIER",
    "BOUCHER",
    "CHEVALIER",
    "LEMAÎTRE",
    "Lemaître",
    "BOËL",
    "N'DIAYE",
    "MARTIN",
    "BERNARD",
    "THOMAS",
    "PETIT",
    "ROBERT",
    "RICHARD",
    "DUBOIS",
    "MOREAU",
    "LAURENT",
    "SIMON",
    "MICHEL",
    "GARCIA",
    "DAVID",
    "BERTRAND",
    "ROUX",
    "VINCENT",
    "FOURNIER",
    "MOREL",
    "ANDRÉ",
    "LEROY",
    "ROUSSEL",
    "LAMBERT",
    "COLIN",
    "MARCHAL",
    "HUMBERT",
    "THIRIET",
    "PERRIN",
    "NICOLAS",
    "DIDIER",
    "HOUILLON",
    "BRÉNIÈRE",
    "CŒUR",
    "Cœur",
    "HÉBERT",
    "JOLY",
    "GAUTHIER",
    "Gaillard",
    "Brunet",
    "Blanc",
    "Guérin",
    "Bœuf",
    "Lacroix",
    "de La Fontaine",
    "DE SAINT-ÉTIENNE",
    "Saint-Hilaire",
    "Ménétrier",
    "Aubertin",
    "SCHWEITZER",
    "ZIMMERMANN",
    "KŒNIG",
    "Koenig",
    "Hæberlé",
    "Grünenwald",
    "GRUNENWALD",
    "STÉPHAN",
    "BAUER",
    "KELLER",
    "HUBER",
    "WALTER",
    "SCHERRER",
    "ÉTIENNE",
    "Émery",
    "Ozturk",
    "Benali",
    "Haddad",
    "N'Guyen",
    "NGUYEN",
    "da Silva",
    "FERREIRA",
    "Kowalski",
)
JOB_TITLES = (
    "Éducatrice spécialisée",
    "Éducateur spécialisé",
    "Moniteur-éducateur",
    "Assistante de service social",
    "Cheffe de service",
    "Chef de service",
    "Travailleur social",
    "Conseillère en économie sociale et familiale",
    "Intervenante sociale",
    "Veilleur de nuit",
    "Accompagnante éducative et sociale",
    "Directrice adjointe",
    "Conseillère en insertion",
    "Éducatrice de jeunes enfants",
    "Infirmière",
    "Aide-soignant",
    "Psychologue",
    "Animateur socio-culturel",
    "Maîtresse de maison",
    "Agent d'accueil",
    "Coordinatrice de parcours",
    "Médiateur social",
)
CITIES = (
    ("Strasbourg", "67000"),
    ("Metz", "57000"),
    ("Nancy", "54000"),
    ("Reims", "51100"),
    ("Mulhouse", "68100"),
    ("Colmar", "68000"),
    ("Thionville", "57100"),
    ("Épinal", "88000"),
    ("Troyes", "10000"),
    ("Charleville-Mézières", "08000"),
    ("Châlons-en-Champagne", "51000"),
    ("Haguenau", "67500"),
    ("Sélestat", "67600"),
    ("Saint-Dié-des-Vosges", "88100"),
    ("Forbach", "57600"),
    ("Sarreguemines", "57200"),
    ("Lunéville", "54300"),
    ("Verdun", "55100"),
    ("Bar-le-Duc", "55000"),
    ("Chaumont", "52000"),
    ("Saint-Louis", "68300"),
    ("Obernai", "67210"),
    ("Saverne", "67700"),
    ("Épernay", "51200"),
    ("Sedan", "08200"),
    ("Toul", "54200"),
    ("Pont-à-Mousson", "54700"),
    ("Guebwiller", "68500"),
    ("Sarrebourg", "57400"),
    ("Vitry-le-François", "51300"),
)
EMPLOYER_KINDS = (
    "Association",
    "CCAS de",
    "EHPAD",
    "Foyer",
    "Centre d'hébergement",
    "Maison d'accueil",
    "IME",
    "MECS",
    "SAVS",
    "Service d'aide à domicile",
    "CHRS",
    "Résidence",
)
EMPLOYER_NAMES = (
    "Les Tilleuls",
    "Saint-Éloi",
    "L'Arc-en-ciel",
    "Horizon",
    "Le Relais de l'Ill",
    "Les Glycines",
    "Sainte-Thérèse",
    "Notre-Dame",
    "La Clairière",
    "Émeraude",
    "Les Peupliers",
    "Le Phare",
    "Les Érables",
    "Le Château d'Eau",
    "Les Mésanges",
    "L'Étoile du Berger",
    "Les Vergers",
    "La Roseraie",
    "Saint-Joseph",
    "Le Trèfle",
    "Les Hirondelles",
    "Élan",
    "Les Coquelicots",
    "La Passerelle",
    "Le Moulin",
    "Les Lilas",
    "Pierre Clément",
    "Jean Œhmichen",
    "Marguerite Müller",
    "La Source",
    "Les Châtaigniers",
    "L'Oasis",
    "Le Pont",
    "Les Marronniers",
    "Le Tremplin",
    "Sainte-Odile",
    "Les Sapins",
    "La Maisonnée",
    "L'Escale",
    "Les Genêts",
)
STREETS = (
    "rue de la Paix",
    "avenue de la Liberté",
    "rue du Général-de-Gaulle",
    "place de l'Église",
    "rue des Écoles",
    "boulevard Clemenceau",
    "rue Pasteur",
    "quai des Bateliers",
)
PROVIDERS = (
    "PRAXIS",
    "IRTS Grand Est",
    "Institut régional du travail social de Lorraine",
    "ARFOS Formation",
    "Formation & Éthique",
    "Cnam Grand Est",
    "ESTES Strasbourg",
    "Le Creuset Formation",
)
COURSE_THEMES = (
    "La pratique de l'Aller Vers les publics",
    "Prévention des risques psychosociaux",
    "Accompagnement de fin de vie",
    "Bientraitance en établissement",
    "Gestion des conflits et de l'agressivité",
    "Premiers secours en santé mentale",
    "Travail de nuit en établissement",
    "Écrits professionnels",
    "Laïcité et travail social",
    "Accueil des publics en situation de précarité",
    "Développer le pouvoir d'agir",
    "Handicap psychique : repères et pratiques",
    "Parentalité et protection de l'enfance",
    "Santé et addictions : réduire les risques",
    "Numérique et accès aux droits",
    "Violences conjugales : repérer et orienter",
    "Travailler en équipe pluridisciplinaire",
    "Animer une réunion d'équipe",
    "Manager de proximité",
    "Éthique et déontologie",
)
OBJECTIVE_VERBS = (
    "Identifier",
    "Comprendre",
    "Mettre en œuvre",
    "Analyser",
    "Repérer",
    "Adapter",
    "Accompagner",
    "Évaluer",
    "Construire",
    "Mobiliser",
)
OBJECTIVE_OBJECTS = (
    "les besoins des personnes accompagnées",
    "les enjeux éthiques de la démarche",
    "les ressources du territoire",
    "sa posture professionnelle",
    "les obstacles à la mise en œuvre",
    "les dispositifs existants",
    "le cadre réglementaire",
    "les outils de coordination",
)


def cache_key() -> str:
    """Schema revision, generator version and a digest of the code the stored values come from
    (this file, the models' refresh methods and the text folding), so that an unrelated edit
    of models.py does not cost a regeneration but a change of the normalisation does."""
    import inspect

    from allervers_desktop import text
    from allervers_desktop.db import models

    digest = hashlib.sha256(Path(__file__).resolve().read_bytes())
    digest.update(inspect.getsource(text).encode())
    for function in (
        *(model.refresh_search_text for model in models.SEARCHABLE),
        models.employer_match_key,
    ):
        digest.update(inspect.getsource(function).encode())
    return f"{HEAD_REVISION}-g{GENERATOR_VERSION}-{digest.hexdigest()[:10]}"


def _stem(sizes: Sizes) -> str:
    return f"large-{sizes.participants // 1000}k"


def cached_path(sizes: Sizes = Sizes()) -> Path:
    return OUT_DIR / f"{_stem(sizes)}-{cache_key()}.sqlite3"


def ensure_database(sizes: Sizes = Sizes(), *, force: bool = False) -> Path:
    """Return the cached benchmark database, generating it first when missing or stale."""
    path = cached_path(sizes)
    if path.exists() and not force:
        return path
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for old in OUT_DIR.glob(f"{_stem(sizes)}-*.sqlite3*"):
        old.unlink()  # an earlier version of the same size
    building = path.with_name(f"building-{path.name}")
    for leftover in OUT_DIR.glob(f"{building.name}*"):
        leftover.unlink()
    started = time.perf_counter()
    print(f"Génération de la base de test « {path.name} »…", flush=True)
    generate(building, sizes)
    building.rename(path)
    print(f"Base générée en {time.perf_counter() - started:.1f} s.", flush=True)
    return path


# --- generation ------------------------------------------------------------------------------
def generate(path: Path, sizes: Sizes) -> None:
    """Create ``path`` at the current schema and fill it with bulk inserts."""
    rng = random.Random(SEED)
    database = open_database(path)
    try:
        with database.engine.begin() as connection:
            providers = _providers(connection)
            courses = _courses(connection, rng, sizes, providers)
            trainers = _trainers(connection, rng, sizes)
            employers = _employers(connection, rng, sizes)
        with database.engine.begin() as connection:
            groups = _groups(connection, rng, sizes, courses, trainers)
        with database.engine.begin() as connection:
            participant_ids = _participants(connection, rng, sizes, employers)
        with database.engine.begin() as connection:
            _enrollments(connection, rng, sizes, groups, participant_ids)
        _check(database.engine.connect(), sizes)
    finally:
        database.close()
    for suffix in ("-wal", "-shm"):
        if path.with_name(path.name + suffix).exists():
            raise RuntimeError(f"{path.name}{suffix} est resté après fermeture de la base")


def _table(model: type[Any]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


def _bulk(connection: Connection, model: type[Any], rows: Sequence[dict[str, Any]]) -> None:
    """executemany in chunks (keeps the parameter lists small)."""
    statement = insert(_table(model))
    for start in range(0, len(rows), CHUNK):
        connection.execute(statement, list(rows[start : start + CHUNK]))


def _providers(connection: Connection) -> list[TrainingProvider]:
    providers = []
    for number, name in enumerate(PROVIDERS, start=1):
        providers.append(TrainingProvider(id=number, name=name, address=""))
    _bulk(
        connection,
        TrainingProvider,
        [{"id": p.id, "name": p.name, "address": ""} for p in providers],
    )
    return providers


def _courses(
    connection: Connection, rng: random.Random, sizes: Sizes, providers: list[TrainingProvider]
) -> list[Course]:
    courses: list[Course] = []
    rows: list[dict[str, Any]] = []
    objectives: list[dict[str, Any]] = []
    days: list[dict[str, Any]] = []
    items: list[dict[str, Any]] = []
    for number in range(1, sizes.courses + 1):
        theme = COURSE_THEMES[(number - 1) % len(COURSE_THEMES)]
        module_number = (number - 1) // len(COURSE_THEMES) + 1
        duration_days = rng.choice((1, 2, 2, 2, 3))
        provider = rng.choice(providers)
        course = Course(
            id=number,
            title=theme,
            module=f"Module {module_number} « {rng.choice(OBJECTIVE_OBJECTS).capitalize()} »",
            reference=f"GE-{number:04d}",
            provider_id=provider.id,
        )
        set_committed_value(course, "provider", provider)
        course.refresh_search_text()
        courses.append(course)
        rows.append(
            {
                "id": number,
                "title": course.title,
                "module": course.module,
                "reference": course.reference,
                "sectors": "Social et Médico-social",
                "audience": "Les travailleurs sociaux et les professionnels de première ligne",
                "duration_days": float(duration_days),
                "duration_hours": float(7 * duration_days),
                "provider_id": provider.id,
                "funding_scheme": "Fonds mutualisé de Branche",
                "region": "Grand Est",
                "opco_name": "Opco Santé",
                "opco_contact_name": "Aurore JOANNES",
                "opco_contact_email": "aurore.joannes@opco-sante.fr",
                "partners": "DGCS",
                "context": f"Contexte de la formation « {theme} » en région Grand Est.",
                "prerequisites": "Occuper une fonction d'intervenant social",
                "action_nature": "training",
                "search_text": course.search_text,
                "created_at": NOW,
                "updated_at": NOW,
            }
        )
        for position in range(rng.randint(4, 7)):
            objectives.append(
                {
                    "course_id": number,
                    "position": position,
                    "text": f"{rng.choice(OBJECTIVE_VERBS)} {rng.choice(OBJECTIVE_OBJECTS)}",
                }
            )
        for day_position in range(duration_days):
            day_id = len(days) + 1
            days.append(
                {
                    "id": day_id,
                    "course_id": number,
                    "position": day_position,
                    "title": f"Jour {day_position + 1} : {rng.choice(OBJECTIVE_OBJECTS)}",
                }
            )
            for item_position in range(rng.randint(3, 5)):
                items.append(
                    {
                        "programme_day_id": day_id,
                        "position": item_position,
                        "text": f"{rng.choice(OBJECTIVE_VERBS)} {rng.choice(OBJECTIVE_OBJECTS)}",
                    }
                )
    _bulk(connection, Course, rows)
    _bulk(connection, CourseObjective, objectives)
    _bulk(connection, ProgrammeDay, days)
    _bulk(connection, ProgrammeItem, items)
    return courses


def _person_name(rng: random.Random, last_weights: Sequence[float]) -> tuple[str, str, str]:
    """(civility, last name, first name), with a skewed surname distribution."""
    female = rng.random() < 0.7
    first = rng.choice(FEMALE_FIRST_NAMES if female else MALE_FIRST_NAMES)
    last = rng.choices(LAST_NAMES, weights=last_weights)[0]
    return ("Mme" if female else "M.", last, first)


def _surname_weights() -> list[float]:
    return [1 / (rank + 1) ** 0.6 for rank in range(len(LAST_NAMES))]


def _trainers(connection: Connection, rng: random.Random, sizes: Sizes) -> list[int]:
    weights = _surname_weights()
    rows: list[dict[str, Any]] = []
    for number in range(1, sizes.trainers + 1):
        civility, last, first = _person_name(rng, weights)
        trainer = Trainer(
            civility=civility,
            first_name=first,
            last_name=last,
            job_title=rng.choice(
                (
                    "Formatrice",
                    "Formateur",
                    "Chargée de projets",
                    "Consultant",
                    "Psychologue clinicienne",
                )
            ),
            organisation=rng.choice(PROVIDERS),
            email=f"{compact_key(first)}.{compact_key(last)}.{number}@formateurs.example.fr",
            phone=_phone(rng),
        )
        trainer.refresh_search_text()
        rows.append(
            {
                "id": number,
                "civility": trainer.civility,
                "first_name": trainer.first_name,
                "last_name": trainer.last_name,
                "job_title": trainer.job_title,
                "organisation": trainer.organisation,
                "email": trainer.email,
                "phone": trainer.phone,
                "search_text": trainer.search_text,
            }
        )
    _bulk(connection, Trainer, rows)
    return [row["id"] for row in rows]


def _phone(rng: random.Random) -> str:
    if rng.random() < 0.2:
        return ""
    digits = " ".join(f"{rng.randint(0, 99):02d}" for _ in range(4))
    return f"0{rng.choice('3667')} {digits}"


def _employers(connection: Connection, rng: random.Random, sizes: Sizes) -> list[Employer]:
    candidates = sorted(
        {
            (f"CCAS de {city}" if kind == "CCAS de" else f"{kind} {name}", city)
            for kind in EMPLOYER_KINDS
            for name in EMPLOYER_NAMES
            for city, _postcode in CITIES
        }
    )
    employers: list[Employer] = []
    for number, (name, city) in enumerate(rng.sample(candidates, sizes.employers), start=1):
        employer = Employer(id=number, name=name, city=city)
        employer.refresh_search_text()
        employers.append(employer)
    _bulk(
        connection,
        Employer,
        [{"id": e.id, "name": e.name, "city": e.city, "match_key": e.match_key} for e in employers],
    )
    return employers


@dataclass
class GeneratedGroup:
    """What the enrollment step needs to know about a group."""

    id: int
    first_date: dt.date
    capacity: int | None
    source: str


def _groups(
    connection: Connection,
    rng: random.Random,
    sizes: Sizes,
    courses: list[Course],
    trainer_ids: list[int],
) -> list[GeneratedGroup]:
    labels_used: dict[int, int] = {}
    rows: list[dict[str, Any]] = []
    day_rows: list[dict[str, Any]] = []
    half_rows: list[dict[str, Any]] = []
    trainer_rows: list[dict[str, Any]] = []
    generated: list[GeneratedGroup] = []
    start, span = dt.date(2022, 1, 3), (dt.date(2026, 12, 31) - dt.date(2022, 1, 3)).days
    for number in range(1, sizes.groups + 1):
        course = rng.choice(courses)
        labels_used[course.id] = labels_used.get(course.id, 0) + 1
        city, postcode = rng.choice(CITIES)
        first = start + dt.timedelta(days=rng.randrange(span))
        while first.weekday() >= 4:  # start Monday to Thursday
            first += dt.timedelta(days=1)
        day_count = rng.choice((1, 2, 2, 2, 2, 3))
        dates = _weekdays_from(first, day_count)
        group = Group(
            id=number,
            course_id=course.id,
            label=f"Groupe {labels_used[course.id]}",
            city=city,
        )
        set_committed_value(group, "course", course)
        set_committed_value(group, "days", [GroupDay(date=date) for date in dates])
        group.refresh_search_text()
        assert group.first_date is not None
        capacity = rng.choice((None, 60, 70, 80, 80, 90, 100))
        past = first < NOW.date()
        status = (
            rng.choice(("completed",) * 18 + ("cancelled",))
            if past
            else rng.choice(("planned", "confirmed", "confirmed"))
        )
        rows.append(
            {
                "id": number,
                "course_id": course.id,
                "label": group.label,
                "city": city,
                "venue_address": f"{rng.randint(1, 120)} {rng.choice(STREETS)}, {postcode} {city}",
                "status": status,
                "capacity": capacity,
                "notes": "",
                "first_date": group.first_date,
                "search_text": group.search_text,
                "created_at": NOW,
                "updated_at": NOW,
            }
        )
        for date in dates:
            day_id = len(day_rows) + 1
            day_rows.append({"id": day_id, "group_id": number, "date": date})
            am_start = rng.choice((dt.time(9, 0), dt.time(9, 0), dt.time(9, 30)))
            half_rows.append(
                {
                    "group_day_id": day_id,
                    "period": "am",
                    "start_time": am_start,
                    "end_time": dt.time(12, 30),
                }
            )
            if rng.random() < 0.97:
                half_rows.append(
                    {
                        "group_day_id": day_id,
                        "period": "pm",
                        "start_time": dt.time(13, 30),
                        "end_time": dt.time(17, 0),
                    }
                )
        for position, trainer_id in enumerate(rng.sample(trainer_ids, rng.choice((1, 1, 2)))):
            trainer_rows.append(
                {"group_id": number, "trainer_id": trainer_id, "position": position}
            )
        source = f"inscriptions-{compact_key(city)}-{first.year}.xlsx"
        generated.append(GeneratedGroup(number, group.first_date, capacity, source))
    _bulk(connection, Group, rows)
    _bulk(connection, GroupDay, day_rows)
    _bulk(connection, HalfDay, half_rows)
    _bulk(connection, GroupTrainer, trainer_rows)
    return generated


def _weekdays_from(first: dt.date, count: int) -> list[dt.date]:
    dates = [first]
    while len(dates) < count:
        following = dates[-1] + dt.timedelta(days=1)
        while following.weekday() >= 5:
            following += dt.timedelta(days=1)
        dates.append(following)
    return dates


def _participants(
    connection: Connection, rng: random.Random, sizes: Sizes, employers: list[Employer]
) -> list[int]:
    weights = _surname_weights()
    employer_weights = [rng.paretovariate(1.5) for _ in employers]
    domains = ("example.org", "asso-example.fr", "exemple.fr", "ccas-example.fr")
    emails: set[str] = set()
    rows: list[dict[str, Any]] = []
    for number in range(1, sizes.participants + 1):
        civility, last, first = _person_name(rng, weights)
        employer = (
            rng.choices(employers, weights=employer_weights)[0] if rng.random() < 0.97 else None
        )
        email: str | None = None
        if rng.random() < 0.95:
            local = f"{compact_key(first)}.{compact_key(last)}"
            email = f"{local}@{rng.choice(domains)}"
            suffix = 1
            while email in emails:
                suffix += 1
                email = f"{local}{suffix}@{rng.choice(domains)}"
            emails.add(email)
        participant = Participant(
            civility=civility,
            last_name=last,
            first_name=first,
            email=email,
            job_title=rng.choice(JOB_TITLES),
            employer_id=employer.id if employer else None,
        )
        set_committed_value(participant, "employer", employer)
        participant.refresh_search_text()
        rows.append(
            {
                "id": number,
                "civility": civility,
                "last_name": last,
                "first_name": first,
                "email": email,
                "phone": _phone(rng),
                "job_title": participant.job_title,
                "employer_id": participant.employer_id,
                "notes": "Régime alimentaire : végétarien." if rng.random() < 0.02 else "",
                "sort_name": participant.sort_name,
                "search_text": participant.search_text,
                "created_at": NOW,
                "updated_at": NOW,
            }
        )
    _bulk(connection, Participant, rows)
    return [row["id"] for row in rows]


def _enrollments(
    connection: Connection,
    rng: random.Random,
    sizes: Sizes,
    groups: list[GeneratedGroup],
    participant_ids: list[int],
) -> None:
    # Group sizes around the mean, scaled to hit the exact total.
    raw = [rng.uniform(0.5, 1.5) for _ in groups]
    scale = sizes.enrollments / sum(raw)
    targets = [int(value * scale) for value in raw]
    for index in range(sizes.enrollments - sum(targets)):
        targets[index % len(targets)] += 1
    rows: list[dict[str, Any]] = []
    for group, target in zip(groups, targets, strict=True):
        members = rng.sample(participant_ids, target)
        active = 0
        for participant_id in members:
            if rng.random() < 0.05:
                status = "cancelled"
            elif group.capacity is not None and active >= group.capacity:
                status = "waitlisted"
            else:
                status = "confirmed" if group.first_date < NOW.date() else "registered"
                active += 1
            rows.append(
                {
                    "participant_id": participant_id,
                    "group_id": group.id,
                    "status": status,
                    "enrolled_on": group.first_date - dt.timedelta(days=rng.randint(7, 90)),
                    "source": group.source if rng.random() < 0.4 else "",
                }
            )
    rng.shuffle(rows)  # rows arrive over time, not group by group
    _bulk(connection, Enrollment, rows)


def _check(connection: Connection, sizes: Sizes) -> None:
    """The counts asked for are the counts written."""
    expected: Iterable[tuple[type[Any], int]] = (
        (Participant, sizes.participants),
        (Employer, sizes.employers),
        (Group, sizes.groups),
        (Enrollment, sizes.enrollments),
    )
    with connection:
        for model, count in expected:
            found = connection.scalar(select(func.count()).select_from(_table(model)))
            if found != count:
                raise RuntimeError(f"{model.__name__} : {found} lignes au lieu de {count}")


def verify(path: Path, sample: int = 300) -> list[str]:
    """Reload a sample through the ORM and recompute the normalised columns as the app does;
    return the differences found (none expected)."""
    from sqlalchemy.orm import selectinload

    problems: list[str] = []
    database = open_database(path)
    try:
        with database.session() as session:
            checks: list[tuple[type[Any], tuple[str, ...], Any]] = [
                (Participant, ("sort_name", "search_text"), selectinload(Participant.employer)),
                (Employer, ("match_key",), None),
                (Group, ("search_text", "first_date"), selectinload(Group.days)),
                (Course, ("search_text",), selectinload(Course.provider)),
                (Trainer, ("search_text",), None),
            ]
            for model, columns, option in checks:
                statement = select(model).order_by(func.random()).limit(sample)
                if option is not None:
                    statement = statement.options(option)
                for record in session.scalars(statement):
                    stored = [getattr(record, column) for column in columns]
                    record.refresh_search_text()
                    fresh = [getattr(record, column) for column in columns]
                    if stored != fresh:
                        problems.append(f"{model.__name__} {record.id}: {stored} != {fresh}")
            session.rollback()
    finally:
        database.close()
    return problems


def counts(path: Path) -> dict[str, int]:
    """Rows per main table of a benchmark database (read-only look)."""
    import sqlite3

    from allervers_desktop.db.database import read_only_uri

    connection = sqlite3.connect(read_only_uri(path), uri=True)
    try:
        return {
            table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in (
                "participants",
                "employers",
                "groups",
                "group_days",
                "half_days",
                "courses",
                "trainers",
                "enrollments",
            )
        }
    finally:
        connection.close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Génère la base de test du banc d'essai.")
    parser.add_argument("--force", action="store_true", help="régénérer même si elle existe")
    parser.add_argument(
        "--verify",
        action="store_true",
        help="recalculer les colonnes normalisées d'un échantillon comme le fait l'application",
    )
    args = parser.parse_args(argv)
    path = ensure_database(force=args.force)
    print(path)
    for table, count in counts(path).items():
        print(f"  {table:<12} {count:>8}")
    if args.verify:
        problems = verify(path)
        for problem in problems[:20]:
            print(f"  écart : {problem}")
        print(
            "Colonnes normalisées : "
            + ("conformes." if not problems else f"{len(problems)} écart(s).")
        )
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
