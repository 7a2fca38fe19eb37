"""Courses (formations): create, edit, delete, with objectives and the programme by day."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from allervers_desktop.db.models import (
    ActionNature,
    Course,
    CourseObjective,
    Group,
    ProgrammeDay,
    ProgrammeItem,
    TrainingProvider,
)
from allervers_desktop.services.deletion import DeletionImpact, plural
from allervers_desktop.services.errors import DeletionBlockedError, Errors, NotFoundError
from allervers_desktop.services.validation import clean, clean_email, require


@dataclass
class ProgrammeDayData:
    title: str
    items: list[str] = field(default_factory=list)


@dataclass
class CourseData:
    """Every field of a course sheet, as a form or the example data gives it."""

    title: str
    module: str = ""
    reference: str = ""
    sectors: str = ""
    audience: str = ""
    duration_days: float = 2
    duration_hours: float = 14
    provider_name: str = ""
    funding_scheme: str = ""
    region: str = ""
    opco_name: str = ""
    opco_contact_name: str = ""
    opco_contact_email: str = ""
    partners: list[str] = field(default_factory=list)
    context: str = ""
    prerequisites: str = ""
    action_nature: str = ActionNature.TRAINING.value
    assesses_learning: bool = False  # « évaluation des acquis »: a result per participant
    what_to_bring: str = ""
    objectives: list[str] = field(default_factory=list)
    programme: list[ProgrammeDayData] = field(default_factory=list)

    @classmethod
    def from_course(cls, course: Course) -> CourseData:
        return cls(
            title=course.title,
            module=course.module,
            reference=course.reference or "",
            sectors=course.sectors,
            audience=course.audience,
            duration_days=course.duration_days,
            duration_hours=course.duration_hours,
            provider_name=course.provider.name if course.provider else "",
            funding_scheme=course.funding_scheme,
            region=course.region,
            opco_name=course.opco_name,
            opco_contact_name=course.opco_contact_name,
            opco_contact_email=course.opco_contact_email,
            partners=course.partner_list,
            context=course.context,
            prerequisites=course.prerequisites,
            action_nature=course.action_nature,
            assesses_learning=course.assesses_learning,
            what_to_bring=course.what_to_bring,
            objectives=[objective.text for objective in course.objectives],
            programme=[
                ProgrammeDayData(day.title, [item.text for item in day.items])
                for day in course.programme_days
            ],
        )


def get_course(session: Session, course_id: int) -> Course:
    course = session.scalar(
        select(Course)
        .where(Course.id == course_id)
        .options(
            selectinload(Course.objectives),
            selectinload(Course.programme_days).selectinload(ProgrammeDay.items),
            selectinload(Course.provider),
        )
    )
    if course is None:
        raise NotFoundError("formation", course_id)
    return course


def provider_names(session: Session) -> list[str]:
    return list(session.scalars(select(TrainingProvider.name).order_by(TrainingProvider.name)))


def _provider(session: Session, name: str) -> TrainingProvider | None:
    if not name:
        return None
    provider = session.scalar(
        select(TrainingProvider).where(func.lower(TrainingProvider.name) == name.lower())
    )
    if provider is None:
        provider = TrainingProvider(name=name)
        session.add(provider)
    return provider


def _validate(session: Session, data: CourseData, course_id: int | None) -> CourseData:
    errors = Errors()
    cleaned = CourseData(
        title=clean(data.title),
        module=clean(data.module),
        reference=clean(data.reference),
        sectors=clean(data.sectors),
        audience=data.audience.strip(),
        duration_days=data.duration_days,
        duration_hours=data.duration_hours,
        provider_name=clean(data.provider_name),
        funding_scheme=clean(data.funding_scheme),
        region=clean(data.region),
        opco_name=clean(data.opco_name),
        opco_contact_name=clean(data.opco_contact_name),
        opco_contact_email=clean_email(errors, "opco_contact_email", data.opco_contact_email) or "",
        partners=[clean(p) for p in data.partners if clean(p)],
        context=data.context.strip(),
        prerequisites=data.prerequisites.strip(),
        action_nature=data.action_nature,
        assesses_learning=bool(data.assesses_learning),
        what_to_bring=data.what_to_bring.strip(),
        objectives=[clean(o) for o in data.objectives if clean(o)],
        programme=[
            ProgrammeDayData(clean(day.title), [clean(i) for i in day.items if clean(i)])
            for day in data.programme
            if clean(day.title) or any(clean(i) for i in day.items)
        ],
    )
    require(errors, "title", cleaned.title, "Intitulé")
    if cleaned.duration_days <= 0:
        errors.add("duration_days", "La durée en jours doit être positive.")
    if cleaned.duration_hours <= 0:
        errors.add("duration_hours", "La durée en heures doit être positive.")
    if cleaned.action_nature not in {nature.value for nature in ActionNature}:
        errors.add("action_nature", "La nature de l'action n'est pas reconnue.")
    if cleaned.reference:
        clash = session.scalar(
            select(Course.id).where(Course.reference == cleaned.reference, Course.id != course_id)
        )
        if clash is not None:
            errors.add("reference", f"La référence « {cleaned.reference} » est déjà utilisée.")
    errors.raise_if_any()
    return cleaned


def _apply(session: Session, course: Course, data: CourseData) -> None:
    course.title = data.title
    course.module = data.module
    course.reference = data.reference or None
    course.sectors = data.sectors
    course.audience = data.audience
    course.duration_days = data.duration_days
    course.duration_hours = data.duration_hours
    course.provider = _provider(session, data.provider_name)
    course.funding_scheme = data.funding_scheme
    course.region = data.region
    course.opco_name = data.opco_name
    course.opco_contact_name = data.opco_contact_name
    course.opco_contact_email = data.opco_contact_email
    course.partners = "\n".join(data.partners)
    course.context = data.context
    course.prerequisites = data.prerequisites
    course.action_nature = data.action_nature
    course.assesses_learning = data.assesses_learning
    course.what_to_bring = data.what_to_bring
    # Lists are replaced whole; flush the removals first so positions stay unique.
    course.objectives.clear()
    course.programme_days.clear()
    session.flush()
    course.objectives.extend(
        CourseObjective(position=index, text=text) for index, text in enumerate(data.objectives)
    )
    course.programme_days.extend(
        ProgrammeDay(
            position=index,
            title=day.title,
            items=[ProgrammeItem(position=n, text=text) for n, text in enumerate(day.items)],
        )
        for index, day in enumerate(data.programme)
    )


def create_course(session: Session, data: CourseData) -> Course:
    cleaned = _validate(session, data, None)
    course = Course(title=cleaned.title)
    session.add(course)
    _apply(session, course, cleaned)
    session.flush()
    return course


def update_course(session: Session, course_id: int, data: CourseData) -> Course:
    course = get_course(session, course_id)
    cleaned = _validate(session, data, course_id)
    _apply(session, course, cleaned)
    # A group is searched by its course's title too: keep its stored column in step.
    for group in session.scalars(select(Group).where(Group.course_id == course_id)):
        group.refresh_search_text()
    session.flush()
    return course


def describe_course_deletion(session: Session, course_id: int) -> DeletionImpact:
    course = get_course(session, course_id)
    impact = DeletionImpact(subject=f"la formation « {course.title} »")
    groups = session.scalar(select(func.count()).where(Group.course_id == course_id)) or 0
    if groups:
        impact.blockers.append(
            f"Cette formation a {plural(groups, 'groupe')} : "
            "supprimez d'abord ses groupes pour pouvoir la supprimer."
        )
    return impact


def delete_course(session: Session, course_id: int) -> None:
    impact = describe_course_deletion(session, course_id)
    if not impact.allowed:
        raise DeletionBlockedError(impact.message())
    session.delete(get_course(session, course_id))
    session.flush()
