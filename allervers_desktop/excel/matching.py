"""What the database already holds, indexed to recognise people, employers and enrollments."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from allervers_desktop.db.models import Employer, Enrollment, Group, GroupStatus, Participant
from allervers_desktop.excel.keys import fast_compact, fast_employer_key, fast_fold
from allervers_desktop.services.groups import ACTIVE_STATUSES

PARTICIPANT_FIELDS = (
    "civility",
    "last_name",
    "first_name",
    "email",
    "phone",
    "job_title",
    "employer_id",
    "notes",
)

# Employer identity inside a plan: an existing id (int) or the match key of a new one (str).
EmployerKey = int | str


def person_key(last_name: str, first_name: str) -> str:
    return f"{fast_compact(last_name)}|{fast_compact(first_name)}"


@dataclass(frozen=True)
class ExistingParticipant:
    id: int
    civility: str
    last_name: str
    first_name: str
    email: str
    phone: str
    job_title: str
    employer_id: int | None
    notes: str

    @property
    def display_name(self) -> str:
        return f"{self.last_name.upper()} {self.first_name}".strip()

    def value(self, name: str) -> str | int | None:
        return getattr(self, name)  # type: ignore[no-any-return]


@dataclass
class EmployerIndex:
    """Existing employers by match key and by name; new ones met in the file."""

    by_key: dict[str, int] = field(default_factory=dict)
    by_name: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    labels: dict[int, str] = field(default_factory=dict)
    names: dict[int, str] = field(default_factory=dict)
    new: dict[str, tuple[str, str]] = field(default_factory=dict)
    new_by_name: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    by_siret: dict[str, int] = field(default_factory=dict)
    by_finess: dict[str, int] = field(default_factory=dict)
    # A new employer's SIRET and FINESS (the first row that gave them), by its key.
    new_identifiers: dict[str, tuple[str, str]] = field(default_factory=dict)
    new_by_siret: dict[str, str] = field(default_factory=dict)
    new_by_finess: dict[str, str] = field(default_factory=dict)

    def resolve(
        self, name: str, city: str, siret: str = "", finess: str = ""
    ) -> EmployerKey | None:
        """The employer a row names: by its SIRET, then its FINESS number, then its name and
        city; a name alone matches the only employer of that name."""
        if not name:
            return None
        for number, known, planned in (
            (siret, self.by_siret, self.new_by_siret),
            (finess, self.by_finess, self.new_by_finess),
        ):
            if number and number in known:
                return known[number]
            if number and number in planned:
                return planned[number]
        key = self._resolve_name(name, city)
        if isinstance(key, str):  # a new employer: it keeps the numbers the file gives
            old_siret, old_finess = self.new_identifiers.get(key, ("", ""))
            self.new_identifiers[key] = (old_siret or siret, old_finess or finess)
            if siret:
                self.new_by_siret.setdefault(siret, key)
            if finess:
                self.new_by_finess.setdefault(finess, key)
        return key

    def _resolve_name(self, name: str, city: str) -> EmployerKey | None:
        key = fast_employer_key(name, city)
        if key in self.by_key:
            return self.by_key[key]
        if key in self.new:
            return key
        folded = fast_fold(name)
        if not city:
            existing = self.by_name.get(folded, [])
            planned = self.new_by_name.get(folded, [])
            if len(existing) + len(planned) == 1:
                return existing[0] if existing else planned[0]
        self.new[key] = (name, city)
        self.new_by_name[folded].append(key)
        return key

    def name_of(self, key: EmployerKey | None) -> str:
        if key is None:
            return ""
        return self.names.get(key, "") if isinstance(key, int) else self.new[key][0]

    def label(self, key: EmployerKey | None) -> str:
        if key is None:
            return ""
        if isinstance(key, int):
            return self.labels.get(key, "")
        name, city = self.new[key]
        return f"{name} ({city})" if city else name


@dataclass
class DatabaseIndex:
    """Participants by e-mail, by name + employer and by name; enrollments of the groups."""

    participants: dict[int, ExistingParticipant]
    by_email: dict[str, int]
    by_name_employer: dict[tuple[str, int | None], list[int]]
    by_name: dict[str, list[int]]
    employers: EmployerIndex
    enrollments: dict[tuple[int, int], str]  # (participant, group) -> status
    active_counts: dict[int, int]
    # « Même formation deux fois »: the course of each target group, and who already is in an
    # active group of those courses: (participant, course) -> [(group id, « label (dates) »)].
    group_courses: dict[int, int] = field(default_factory=dict)
    course_enrollments: dict[tuple[int, int], list[tuple[int, str]]] = field(default_factory=dict)

    def same_course_groups(self, participant_id: int, group_id: int) -> list[str]:
        course_id = self.group_courses.get(group_id)
        if course_id is None:
            return []
        others = self.course_enrollments.get((participant_id, course_id), [])
        return [label for other_id, label in others if other_id != group_id]


def load_index(session: Session, group_ids: list[int]) -> DatabaseIndex:
    """Read what the import compares against, in a few queries."""
    participants: dict[int, ExistingParticipant] = {}
    by_email: dict[str, int] = {}
    by_name_employer: dict[tuple[str, int | None], list[int]] = defaultdict(list)
    by_name: dict[str, list[int]] = defaultdict(list)
    columns = [getattr(Participant, name) for name in PARTICIPANT_FIELDS]
    for row in session.execute(select(Participant.id, *columns)):
        person = ExistingParticipant(
            id=row[0],
            civility=row[1] or "",
            last_name=row[2] or "",
            first_name=row[3] or "",
            email=(row[4] or "").lower(),
            phone=row[5] or "",
            job_title=row[6] or "",
            employer_id=row[7],
            notes=row[8] or "",
        )
        participants[person.id] = person
        if person.email:
            by_email[person.email] = person.id
        key = person_key(person.last_name, person.first_name)
        by_name_employer[(key, person.employer_id)].append(person.id)
        by_name[key].append(person.id)
    employers = EmployerIndex()
    for employer_id, name, city, match_key, siret, finess in session.execute(
        select(
            Employer.id,
            Employer.name,
            Employer.city,
            Employer.match_key,
            Employer.siret,
            Employer.finess,
        )
    ):
        employers.by_key[match_key] = employer_id
        if siret:
            employers.by_siret[siret] = employer_id
        if finess:
            employers.by_finess[finess] = employer_id
        employers.by_name[fast_fold(name)].append(employer_id)
        employers.labels[employer_id] = f"{name} ({city})" if city else name
        employers.names[employer_id] = name
    enrollments: dict[tuple[int, int], str] = {}
    active_counts: dict[int, int] = defaultdict(int)
    if group_ids:
        query = select(Enrollment.participant_id, Enrollment.group_id, Enrollment.status).where(
            Enrollment.group_id.in_(group_ids)
        )
        for participant_id, group_id, status in session.execute(query):
            enrollments[(participant_id, group_id)] = status
        counts = session.execute(
            select(Enrollment.group_id, func.count())
            .where(Enrollment.group_id.in_(group_ids), Enrollment.status.in_(ACTIVE_STATUSES))
            .group_by(Enrollment.group_id)
        )
        active_counts.update({group_id: count for group_id, count in counts})
    index = DatabaseIndex(
        participants, by_email, by_name_employer, by_name, employers, enrollments, active_counts
    )
    if group_ids:
        _load_course_enrollments(session, group_ids, index)
    return index


def _load_course_enrollments(session: Session, group_ids: list[int], index: DatabaseIndex) -> None:
    from allervers_desktop.services.same_course import group_dates

    index.group_courses = {
        gid: course_id
        for gid, course_id in session.execute(
            select(Group.id, Group.course_id).where(Group.id.in_(group_ids))
        )
    }
    courses = sorted(set(index.group_courses.values()))
    groups = session.scalars(
        select(Group)
        .options(selectinload(Group.days))
        .where(Group.course_id.in_(courses), Group.status != GroupStatus.CANCELLED.value)
    ).all()
    labels = {g.id: (g.course_id, f"« {g.label} » ({group_dates(g)})") for g in groups}
    if not labels:
        return
    rows = session.execute(
        select(Enrollment.participant_id, Enrollment.group_id).where(
            Enrollment.group_id.in_(list(labels)), Enrollment.status.in_(ACTIVE_STATUSES)
        )
    )
    for participant_id, group_id in rows:
        course_id, label = labels[group_id]
        index.course_enrollments.setdefault((participant_id, course_id), []).append(
            (group_id, label)
        )
