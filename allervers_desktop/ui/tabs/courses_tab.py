"""Formations tab: the catalogue of courses and their full course sheet."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from allervers_desktop.db.models import Course, Group, TrainingProvider
from allervers_desktop.formatting import ACTION_NATURE_LABELS, date_list, decimal_fr, hours_fr
from allervers_desktop.services.courses import delete_course, describe_course_deletion, get_course
from allervers_desktop.services.deletion import DeletionImpact
from allervers_desktop.ui.html import bullet_list, esc, fields, heading, paragraphs, section
from allervers_desktop.ui.lazy_table_model import AnySelect, Column, LazyTableModel
from allervers_desktop.ui.tabs.record_tab import RecordTab

if TYPE_CHECKING:
    from allervers_desktop.ui.context import AppContext

GROUP_COUNT = (
    select(func.count()).where(Group.course_id == Course.id).correlate(Course).scalar_subquery()
)


class CoursesModel(LazyTableModel):
    columns = (
        Column("Intitulé", Course.title),
        Column("Module", Course.module),
        Column("Référence", Course.reference),
        Column("Organisme", TrainingProvider.name),
        Column("Durée", Course.duration_hours),
        Column("Groupes", GROUP_COUNT),
    )
    search_column = Course.search_text.expression

    def query(self) -> AnySelect:
        return select(
            Course.id,
            Course.title,
            Course.module,
            Course.reference,
            TrainingProvider.name,
            Course.duration_days,
            Course.duration_hours,
            GROUP_COUNT,
        ).outerjoin(TrainingProvider, Course.provider_id == TrainingProvider.id)

    def display(self, row: Any) -> list[str]:
        _id, title, module, reference, provider, days, hours, groups = row
        duration = f"{decimal_fr(days)} j ({hours_fr(hours)})"
        return [title, module, reference or "", provider or "", duration, str(groups)]


class CoursesTab(RecordTab):
    tracked_model = Course
    noun = "formation"
    noun_plural = "formations"
    noun_with_article = "une formation"
    search_placeholder = "Rechercher une formation (intitulé, module, organisme…)"

    def __init__(self, context: AppContext) -> None:
        super().__init__(context, CoursesModel(context.database))

    def open_form(self, record_id: int | None) -> int | None:
        from allervers_desktop.ui.forms.course_form import CourseForm

        form = CourseForm(self.database, record_id, self, self.prompts)
        return self.saved_by(form)

    def describe_deletion(self, session: Session, record_id: int) -> DeletionImpact:
        return describe_course_deletion(session, record_id)

    def delete_record(self, session: Session, record_id: int) -> None:
        delete_course(session, record_id)

    def detail_html(self, session: Session, record_id: int) -> str:
        course = get_course(session, record_id)
        contact = course.opco_contact_name
        if course.opco_contact_email:
            contact += f" <{course.opco_contact_email}>"
        trainers = sorted({t.full_name for g in course.groups for t in g.trainers})
        groups = [f"{g.label} — {g.city.upper()} : {date_list(g.dates)}" for g in course.groups]
        programme = "".join(
            f"<p><b>Jour {day.position + 1} : {esc(day.title)}</b></p>"
            + bullet_list([item.text for item in day.items])
            for day in course.programme_days
        )
        return (
            heading(course.title, course.module)
            + fields(
                [
                    ("Région", course.region),
                    ("Financement", course.funding_scheme),
                    ("Secteurs", course.sectors),
                    ("Public", course.audience),
                    (
                        "Durée",
                        f"{decimal_fr(course.duration_days)} jours — "
                        f"{hours_fr(course.duration_hours)}",
                    ),
                    ("Organisme de formation", _provider_line(course.provider)),
                    ("Évaluation des acquis", "oui" if course.assesses_learning else ""),
                    ("À apporter", course.what_to_bring),
                    ("Nature de l'action", ACTION_NATURE_LABELS[course.action_nature]),
                    (f"Interlocuteur {course.opco_name}".strip(), contact),
                    ("Partenariat & cofinancement", ", ".join(course.partner_list)),
                    ("Référence", course.reference),
                ]
            )
            + section("Lieux & dates")
            + bullet_list(groups)
            + section("Intervenants")
            + bullet_list(trainers)
            + section("Contexte")
            + paragraphs(course.context)
            + section("Objectifs")
            + bullet_list([o.text for o in course.objectives])
            + section("Prérequis")
            + paragraphs(course.prerequisites)
            + section("Contenu")
            + programme
        )


def _provider_line(provider: TrainingProvider | None) -> str:
    """« PRAXIS — SIRET … — NDA … — représentée par … », or what its record still lacks."""
    from allervers_desktop.formatting import format_nda, format_siret

    if provider is None:
        return ""
    parts = [provider.name]
    if provider.siret:
        parts.append(f"SIRET {format_siret(provider.siret)}")
    if provider.nda:
        parts.append(f"NDA {format_nda(provider.nda)}")
    if provider.legal_representative:
        parts.append(f"représenté par {provider.legal_representative}")
    else:
        parts.append("représentant légal non renseigné")
    return " — ".join(parts)
