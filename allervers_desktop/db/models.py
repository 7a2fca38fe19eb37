"""SQLAlchemy ORM models: the catalogue, groups, people, enrollments and attendance."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    Time,
    UniqueConstraint,
    event,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship

from allervers_desktop.presence import hours_between
from allervers_desktop.text import search_key

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with a constraint naming convention (needed by Alembic batch mode)."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class ActionNature(enum.StrEnum):
    """Nature de l'action (Code du travail, L6313-1)."""

    TRAINING = "training"
    SKILLS_ASSESSMENT = "skills_assessment"
    VAE = "vae"
    APPRENTICESHIP = "apprenticeship"


class GroupStatus(enum.StrEnum):
    """Statut d'un groupe."""

    PLANNED = "planned"
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"
    COMPLETED = "completed"


class Period(enum.StrEnum):
    """Demi-journée : matin (am) ou après-midi (pm)."""

    AM = "am"
    PM = "pm"


class EnrollmentStatus(enum.StrEnum):
    """Statut d'une inscription."""

    REGISTERED = "registered"
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"
    # Moved to another group (revision 0016): kept for the history, pointing to the new one.
    TRANSFERRED = "transferred"


class AttendanceStatus(enum.StrEnum):
    """Présence sur une demi-journée."""

    PRESENT = "present"
    ABSENT = "absent"
    EXCUSED = "excused"
    LATE = "late"


def _in_check(column: str, values: type[enum.StrEnum]) -> str:
    quoted = ", ".join(f"'{member.value}'" for member in values)
    return f"{column} IN ({quoted})"


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


class AssessmentResult(enum.StrEnum):
    """Évaluation des acquis d'un participant : objectifs acquis, en partie, non acquis."""

    ACQUIRED = "acquired"
    PARTIAL = "partial"
    NOT_ACQUIRED = "not_acquired"


class TrainingProvider(Base):
    """Organisme de formation (e.g. PRAXIS): the issuer of attestations and certificats.

    ``name`` is the raison sociale; ``address`` holds the street lines, ``postcode`` and
    ``city`` the rest. SIRET (14 digits) and NDA (11 digits) are stored without spaces. The
    logo and the stamp/signature image live in ``stored_files`` under ``provider.<id>.logo``
    and ``provider.<id>.stamp``."""

    __tablename__ = "training_providers"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Edited through forms by several coordinators: each save checks and bumps it.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    modified_by: Mapped[str] = mapped_column(String(100), default="", server_default="")
    modified_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    name: Mapped[str] = mapped_column(String(200), unique=True)
    address: Mapped[str] = mapped_column(Text, default="")
    postcode: Mapped[str] = mapped_column(String(10), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    siret: Mapped[str] = mapped_column(String(14), default="")
    nda: Mapped[str] = mapped_column(String(11), default="")
    nda_region: Mapped[str] = mapped_column(String(100), default="")
    legal_representative: Mapped[str] = mapped_column(String(200), default="")
    legal_representative_title: Mapped[str] = mapped_column(String(200), default="")
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    accessibility_contact: Mapped[str] = mapped_column(Text, default="")
    internal_rules: Mapped[str] = mapped_column(Text, default="")
    search_text: Mapped[str] = mapped_column(Text, default="", index=True)
    courses: Mapped[list[Course]] = relationship(back_populates="provider")

    __table_args__ = (CheckConstraint("length(trim(name)) > 0", name="name_not_blank"),)

    def refresh_search_text(self) -> None:
        self.search_text = search_key(self.name, self.city, self.siret, self.nda)


class Course(Base):
    """Formation: a catalogue entry described by a course sheet (fiche technique)."""

    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Edited through forms by several coordinators: each save checks and bumps it.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    modified_by: Mapped[str] = mapped_column(String(100), default="", server_default="")
    modified_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    title: Mapped[str] = mapped_column(String(300))
    module: Mapped[str] = mapped_column(String(300), default="")
    reference: Mapped[str | None] = mapped_column(String(50), unique=True)
    sectors: Mapped[str] = mapped_column(String(300), default="")
    audience: Mapped[str] = mapped_column(Text, default="")
    duration_days: Mapped[float] = mapped_column(Float, default=2)
    duration_hours: Mapped[float] = mapped_column(Float, default=14)
    provider_id: Mapped[int | None] = mapped_column(
        ForeignKey("training_providers.id", ondelete="RESTRICT")
    )
    funding_scheme: Mapped[str] = mapped_column(String(200), default="")
    region: Mapped[str] = mapped_column(String(100), default="")
    opco_name: Mapped[str] = mapped_column(String(100), default="")
    opco_contact_name: Mapped[str] = mapped_column(String(200), default="")
    opco_contact_email: Mapped[str] = mapped_column(String(254), default="")
    partners: Mapped[str] = mapped_column(Text, default="")
    context: Mapped[str] = mapped_column(Text, default="")
    prerequisites: Mapped[str] = mapped_column(Text, default="")
    action_nature: Mapped[str] = mapped_column(String(30), default=ActionNature.TRAINING.value)
    assesses_learning: Mapped[bool] = mapped_column(Boolean, default=False)
    what_to_bring: Mapped[str] = mapped_column(Text, default="")
    search_text: Mapped[str] = mapped_column(Text, default="", index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now, onupdate=_now)

    provider: Mapped[TrainingProvider | None] = relationship(back_populates="courses")
    objectives: Mapped[list[CourseObjective]] = relationship(
        back_populates="course",
        order_by="CourseObjective.position",
        cascade="all, delete-orphan",
    )
    programme_days: Mapped[list[ProgrammeDay]] = relationship(
        back_populates="course",
        order_by="ProgrammeDay.position",
        cascade="all, delete-orphan",
    )
    groups: Mapped[list[Group]] = relationship(back_populates="course", order_by="Group.label")

    __table_args__ = (
        CheckConstraint("length(trim(title)) > 0", name="title_not_blank"),
        CheckConstraint("duration_days > 0", name="days_positive"),
        CheckConstraint("duration_hours > 0", name="hours_positive"),
        CheckConstraint(_in_check("action_nature", ActionNature), name="action_nature_valid"),
    )

    @property
    def partner_list(self) -> list[str]:
        """Partners and co-financers, one per line."""
        return [line.strip() for line in self.partners.splitlines() if line.strip()]

    def refresh_search_text(self) -> None:
        provider = self.provider.name if self.provider else ""
        self.search_text = search_key(self.title, self.module, self.reference, provider)


class CourseObjective(Base):
    """One objective of a course, in order."""

    __tablename__ = "course_objectives"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    course: Mapped[Course] = relationship(back_populates="objectives")

    __table_args__ = (UniqueConstraint("course_id", "position"),)


class ProgrammeDay(Base):
    """A day of a course's programme (« Jour 1 : … ») with its ordered items."""

    __tablename__ = "programme_days"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text, default="")
    course: Mapped[Course] = relationship(back_populates="programme_days")
    items: Mapped[list[ProgrammeItem]] = relationship(
        back_populates="day", order_by="ProgrammeItem.position", cascade="all, delete-orphan"
    )

    __table_args__ = (UniqueConstraint("course_id", "position"),)


class ProgrammeItem(Base):
    """One item of a programme day."""

    __tablename__ = "programme_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_day_id: Mapped[int] = mapped_column(
        ForeignKey("programme_days.id", ondelete="CASCADE")
    )
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    day: Mapped[ProgrammeDay] = relationship(back_populates="items")

    __table_args__ = (UniqueConstraint("programme_day_id", "position"),)


class GroupTrainer(Base):
    """Assignment of a trainer to a group."""

    __tablename__ = "group_trainers"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("groups.id", ondelete="RESTRICT"), primary_key=True
    )
    trainer_id: Mapped[int] = mapped_column(
        ForeignKey("trainers.id", ondelete="RESTRICT"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)


class Group(Base):
    """Groupe: one run of a course, in a city, on given days."""

    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Edited through forms by several coordinators: each save checks and bumps it.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    modified_by: Mapped[str] = mapped_column(String(100), default="", server_default="")
    modified_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="RESTRICT"))
    label: Mapped[str] = mapped_column(String(100))
    city: Mapped[str] = mapped_column(String(100), default="")
    venue_address: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default=GroupStatus.PLANNED.value)
    capacity: Mapped[int | None] = mapped_column(Integer)
    notes: Mapped[str] = mapped_column(Text, default="")
    first_date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    search_text: Mapped[str] = mapped_column(Text, default="", index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now, onupdate=_now)

    course: Mapped[Course] = relationship(back_populates="groups")
    days: Mapped[list[GroupDay]] = relationship(
        back_populates="group", order_by="GroupDay.date", cascade="all, delete-orphan"
    )
    trainers: Mapped[list[Trainer]] = relationship(
        secondary="group_trainers",
        order_by="GroupTrainer.position",
        back_populates="groups",
    )
    enrollments: Mapped[list[Enrollment]] = relationship(back_populates="group")

    __table_args__ = (
        UniqueConstraint("course_id", "label"),
        CheckConstraint("length(trim(label)) > 0", name="label_not_blank"),
        CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
        CheckConstraint(_in_check("status", GroupStatus), name="status_valid"),
    )

    @property
    def half_days(self) -> list[HalfDay]:
        return [half for day in self.days for half in day.half_days]

    @property
    def hours_planned(self) -> float:
        return sum(half.hours for half in self.half_days)

    @property
    def dates(self) -> list[dt.date]:
        return [day.date for day in self.days]

    def refresh_search_text(self) -> None:
        course = self.course.title if self.course else ""
        self.search_text = search_key(self.label, self.city, course)
        self.first_date = min(self.dates) if self.days else None


class GroupDay(Base):
    """Journée: one date of a group's schedule."""

    __tablename__ = "group_days"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    date: Mapped[dt.date] = mapped_column(Date)
    group: Mapped[Group] = relationship(back_populates="days")
    half_days: Mapped[list[HalfDay]] = relationship(
        back_populates="day", order_by="HalfDay.period", cascade="all, delete-orphan"
    )

    __table_args__ = (
        UniqueConstraint("group_id", "date"),
        Index("ix_group_days_date", "date"),  # conflicts: who else works that day
    )


class HalfDay(Base):
    """Demi-journée (am/pm) of a group day, with its times: the unit of attendance."""

    __tablename__ = "half_days"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_day_id: Mapped[int] = mapped_column(ForeignKey("group_days.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(2))
    start_time: Mapped[dt.time] = mapped_column(Time)
    end_time: Mapped[dt.time] = mapped_column(Time)
    day: Mapped[GroupDay] = relationship(back_populates="half_days")

    __table_args__ = (
        UniqueConstraint("group_day_id", "period"),
        CheckConstraint(_in_check("period", Period), name="period_valid"),
        CheckConstraint("end_time > start_time", name="end_after_start"),
    )

    @property
    def hours(self) -> float:
        return hours_between(self.start_time, self.end_time)


class Trainer(Base):
    """Intervenant: who teaches a group."""

    __tablename__ = "trainers"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Edited through forms by several coordinators: each save checks and bumps it.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    modified_by: Mapped[str] = mapped_column(String(100), default="", server_default="")
    modified_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    civility: Mapped[str] = mapped_column(String(10), default="")
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    job_title: Mapped[str] = mapped_column(String(200), default="")
    organisation: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str] = mapped_column(String(40), default="")
    search_text: Mapped[str] = mapped_column(Text, default="", index=True)
    groups: Mapped[list[Group]] = relationship(
        secondary="group_trainers", back_populates="trainers", order_by="Group.first_date"
    )

    __table_args__ = (
        CheckConstraint("length(trim(last_name)) > 0", name="last_name_not_blank"),
        Index("ix_trainers_name", "last_name", "first_name"),
    )

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name.upper()}".strip()

    def refresh_search_text(self) -> None:
        self.search_text = search_key(
            self.last_name, self.first_name, self.email, self.job_title, self.organisation
        )


class Employer(Base):
    """Établissement: a participant's employer, shared by participants."""

    __tablename__ = "employers"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Edited through forms by several coordinators: each save checks and bumps it.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    modified_by: Mapped[str] = mapped_column(String(100), default="", server_default="")
    modified_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    name: Mapped[str] = mapped_column(String(200))
    city: Mapped[str] = mapped_column(String(100), default="")
    match_key: Mapped[str] = mapped_column(String(320), unique=True)
    address: Mapped[str] = mapped_column(Text, default="")
    siret: Mapped[str] = mapped_column(String(14), default="", index=True)
    finess: Mapped[str] = mapped_column(String(9), default="", index=True)
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    participants: Mapped[list[Participant]] = relationship(back_populates="employer")

    __table_args__ = (CheckConstraint("length(trim(name)) > 0", name="name_not_blank"),)

    @property
    def display_name(self) -> str:
        return f"{self.name} ({self.city})" if self.city else self.name

    def refresh_search_text(self) -> None:
        self.match_key = employer_match_key(self.name, self.city)


def employer_match_key(name: str, city: str) -> str:
    """Identity of an employer: folded name and city."""
    return f"{search_key(name)}|{search_key(city)}"


class Participant(Base):
    """Participant (stagiaire): a person trained."""

    __tablename__ = "participants"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Edited through forms by several coordinators: each save checks and bumps it.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    modified_by: Mapped[str] = mapped_column(String(100), default="", server_default="")
    modified_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    civility: Mapped[str] = mapped_column(String(10), default="")
    last_name: Mapped[str] = mapped_column(String(100))
    first_name: Mapped[str] = mapped_column(String(100), default="")
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    phone: Mapped[str] = mapped_column(String(40), default="")
    job_title: Mapped[str] = mapped_column(String(200), default="")
    employer_id: Mapped[int | None] = mapped_column(
        ForeignKey("employers.id", ondelete="RESTRICT"), index=True
    )
    notes: Mapped[str] = mapped_column(Text, default="")
    sort_name: Mapped[str] = mapped_column(String(210), default="")
    search_text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now, onupdate=_now)
    # RGPD: when the contact data were erased, and when the whole record was anonymised.
    contact_erased_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    anonymised_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    employer: Mapped[Employer | None] = relationship(back_populates="participants")
    enrollments: Mapped[list[Enrollment]] = relationship(back_populates="participant")

    __table_args__ = (
        CheckConstraint("length(trim(last_name)) > 0", name="last_name_not_blank"),
        CheckConstraint("civility IN ('', 'M.', 'Mme')", name="civility_valid"),
        # Covering index: the list walks names in order and filters on search_text
        # without reading the table rows, so a search with few matches stays fast.
        Index("ix_participants_sort_search", "sort_name", "id", "search_text"),
        # « Doublons probables »: same folded name and employer, same phone, found by GROUP BY.
        Index("ix_participants_name_employer", "sort_name", "employer_id"),
        Index("ix_participants_phone", "phone"),
        # PostgreSQL: « contains » searches (LIKE '%term%') use a trigram index (revision 0013).
        Index(
            "ix_participants_search_trgm",
            "search_text",
            postgresql_using="gin",
            postgresql_ops={"search_text": "gin_trgm_ops"},
        ).ddl_if(dialect="postgresql"),
    )

    @property
    def full_name(self) -> str:
        """« DUPONT Marie », as printed on documents."""
        return f"{self.last_name.upper()} {self.first_name}".strip()

    def refresh_search_text(self) -> None:
        employer = self.employer.name if self.employer else ""
        self.sort_name = search_key(self.last_name, self.first_name)
        self.search_text = search_key(
            self.last_name, self.first_name, self.email, self.job_title, employer
        )


class Enrollment(Base):
    """Inscription: a participant in a group."""

    __tablename__ = "enrollments"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="RESTRICT"))
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="RESTRICT"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=EnrollmentStatus.REGISTERED.value)
    enrolled_on: Mapped[dt.date] = mapped_column(Date, default=dt.date.today)
    source: Mapped[str] = mapped_column(String(300), default="")
    assessment_result: Mapped[str | None] = mapped_column(String(20))
    # Place on the waiting list once the coordinator has reordered it (revision 0014); until
    # then, and for those who join it later, the order of enrollment (the id).
    waitlist_rank: Mapped[int | None] = mapped_column(Integer)
    # « Transféré » (revision 0016): the enrollment that replaced this one in another group.
    transferred_to_id: Mapped[int | None] = mapped_column(
        ForeignKey("enrollments.id", ondelete="SET NULL"), index=True
    )

    participant: Mapped[Participant] = relationship(back_populates="enrollments")
    group: Mapped[Group] = relationship(back_populates="enrollments")
    attendances: Mapped[list[Attendance]] = relationship(back_populates="enrollment")

    __table_args__ = (
        UniqueConstraint("participant_id", "group_id"),
        # The statistics count enrollments by group and status, with the person.
        Index("ix_enrollments_group_status", "group_id", "status", "participant_id"),
        CheckConstraint(_in_check("status", EnrollmentStatus), name="status_valid"),
        CheckConstraint(
            "assessment_result IS NULL OR " + _in_check("assessment_result", AssessmentResult),
            name="assessment_result_valid",
        ),
    )


class Attendance(Base):
    """Présence: one record per enrollment and half-day."""

    __tablename__ = "attendances"

    id: Mapped[int] = mapped_column(primary_key=True)
    enrollment_id: Mapped[int] = mapped_column(ForeignKey("enrollments.id", ondelete="RESTRICT"))
    half_day_id: Mapped[int] = mapped_column(
        ForeignKey("half_days.id", ondelete="RESTRICT"), index=True
    )
    status: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(Text, default="")
    # Real presence time: arrival of someone late; departure of someone who left early
    # (present or late). See presence.attended_minutes for the hours they give.
    arrived_at: Mapped[dt.time | None] = mapped_column(Time)
    left_at: Mapped[dt.time | None] = mapped_column(Time)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now, onupdate=_now)

    enrollment: Mapped[Enrollment] = relationship(back_populates="attendances")
    half_day: Mapped[HalfDay] = relationship()

    __table_args__ = (
        UniqueConstraint("enrollment_id", "half_day_id"),
        # The statistics aggregate the attendance per half-day and per enrollment by
        # scanning these (covering) indexes, never the table.
        Index(
            "ix_attendances_half_day_marks",
            "half_day_id",
            "status",
            "arrived_at",
            "left_at",
            "enrollment_id",
        ),
        Index(
            "ix_attendances_enrollment_marks",
            "enrollment_id",
            "status",
            "half_day_id",
            "arrived_at",
            "left_at",
        ),
        CheckConstraint(_in_check("status", AttendanceStatus), name="status_valid"),
        CheckConstraint(
            "(status = 'late') = (arrived_at IS NOT NULL)", name="late_has_arrival_time"
        ),
        CheckConstraint(
            "left_at IS NULL OR status IN ('present', 'late')", name="departure_when_attended"
        ),
        CheckConstraint(
            "left_at IS NULL OR arrived_at IS NULL OR left_at > arrived_at",
            name="left_after_arrival",
        ),
    )


class HalfDayTrainer(Base):
    """Who taught a half-day; a half-day without any is taught by the group's trainers."""

    __tablename__ = "half_day_trainers"

    half_day_id: Mapped[int] = mapped_column(
        ForeignKey("half_days.id", ondelete="CASCADE"), primary_key=True
    )
    trainer_id: Mapped[int] = mapped_column(
        ForeignKey("trainers.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)


class AttendanceUnlock(Base):
    """Déverrouillage: the attendance of a finished group was reopened, by whom, why, when."""

    __tablename__ = "attendance_unlocks"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    unlocked_by: Mapped[str] = mapped_column(String(100), default="")
    unlocked_at: Mapped[dt.datetime] = mapped_column(DateTime)

    __table_args__ = (CheckConstraint("length(trim(reason)) > 0", name="reason_not_blank"),)


class Setting(Base):
    """A named preference or identity field (Paramètres), stored in the database."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


class AllerversMeta(Base):
    """The one row saying « this database is allervers' » (a server's marker; revision 0010)."""

    __tablename__ = "allervers_meta"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    application: Mapped[str] = mapped_column(String(40))


class ImportBatch(Base):
    """Historique des imports: one imported file, with its counts; can be undone."""

    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    file_name: Mapped[str] = mapped_column(String(300))
    file_path: Mapped[str] = mapped_column(Text, default="")
    sheet_name: Mapped[str] = mapped_column(String(200), default="")
    file_sha256: Mapped[str] = mapped_column(String(64), default="", index=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="SET NULL"))
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    created_count: Mapped[int] = mapped_column(Integer, default=0)
    updated_count: Mapped[int] = mapped_column(Integer, default=0)
    enrolled_count: Mapped[int] = mapped_column(Integer, default=0)
    waitlisted_count: Mapped[int] = mapped_column(Integer, default=0)
    unchanged_count: Mapped[int] = mapped_column(Integer, default=0)
    skipped_count: Mapped[int] = mapped_column(Integer, default=0)
    report: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="applied")
    undone_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # RGPD: the row-level details (values written, conflicts, messages) were dropped then.
    details_purged_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    changes: Mapped[list[ImportChange]] = relationship(
        back_populates="batch", cascade="all, delete-orphan", order_by="ImportChange.id"
    )

    __table_args__ = (CheckConstraint("status IN ('applied', 'undone')", name="status_valid"),)


class ImportChange(Base):
    """Records an import created or updated, with the values it replaced (for undo).

    A « created » change covers the ``entity_count`` consecutive ids from ``entity_id`` (an
    import allocates the ids of what it creates in one block); an « updated » change covers one.
    """

    __tablename__ = "import_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(
        ForeignKey("import_batches.id", ondelete="CASCADE"), index=True
    )
    entity: Mapped[str] = mapped_column(String(20))
    entity_id: Mapped[int] = mapped_column(Integer)
    entity_count: Mapped[int] = mapped_column(Integer, default=1)
    action: Mapped[str] = mapped_column(String(10))
    # JSON: for « updated », the replaced values; « new_values »: what the import wrote (a list,
    # one item per id, for « created »), so that undo can tell whether it was changed since.
    previous_values: Mapped[str] = mapped_column(Text, default="")
    new_values: Mapped[str] = mapped_column(Text, default="")

    batch: Mapped[ImportBatch] = relationship(back_populates="changes")

    __table_args__ = (
        CheckConstraint("entity IN ('participant', 'employer', 'enrollment')", name="entity_valid"),
        CheckConstraint("action IN ('created', 'updated')", name="action_valid"),
        CheckConstraint("entity_count > 0", name="entity_count_positive"),
        Index("ix_import_changes_entity", "entity", "entity_id"),
    )


class DocumentState(enum.StrEnum):
    """État d'une version du journal des documents."""

    VALID = "valid"
    CANCELLED = "cancelled"


VALID_ONLY = "state = 'valid'"


class IssuedDocument(Base):
    """Journal des documents: one version of a numbered document issued for an enrollment.

    A version never changes once issued: ``content`` is the snapshot it is reprinted from
    (JSON, see ``documents/snapshot.py``; NULL for a document issued before the register
    existed, « contenu antérieur au journal »). A corrected version is a new row that
    ``replaces`` the old one, which becomes « cancelled »."""

    __tablename__ = "issued_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    number: Mapped[str] = mapped_column(String(40), unique=True)
    year: Mapped[int] = mapped_column(Integer)
    sequence: Mapped[int] = mapped_column(Integer)
    enrollment_id: Mapped[int] = mapped_column(ForeignKey("enrollments.id", ondelete="RESTRICT"))
    issued_on: Mapped[dt.date] = mapped_column(Date)  # the date printed
    backdated: Mapped[bool] = mapped_column(Boolean, default=False)
    first_issued_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)  # real moment
    last_printed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    print_count: Mapped[int] = mapped_column(Integer, default=1)
    hours_attended: Mapped[float] = mapped_column(Float, default=0)
    content: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(10), default=DocumentState.VALID.value)
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    replaces_id: Mapped[int | None] = mapped_column(
        ForeignKey("issued_documents.id", ondelete="RESTRICT"), unique=True
    )

    enrollment: Mapped[Enrollment] = relationship()
    replaces: Mapped[IssuedDocument | None] = relationship(remote_side=[id])

    __table_args__ = (
        UniqueConstraint("kind", "year", "sequence"),
        # One valid version per person and kind; cancelled ones stay beside it.
        Index(
            "uq_issued_documents_valid_kind",
            "kind",
            "enrollment_id",
            unique=True,
            sqlite_where=text(VALID_ONLY),
            postgresql_where=text(VALID_ONLY),
        ),
        CheckConstraint("kind IN ('attestation', 'realisation')", name="kind_valid"),
        CheckConstraint(_in_check("state", DocumentState), name="state_valid"),
        CheckConstraint("sequence > 0", name="sequence_positive"),
    )


class DocumentCounter(Base):
    """The last number given per kind and year, incremented in the issuing transaction (so
    that numbers stay gap-free and unique when several programs issue at once)."""

    __tablename__ = "document_counters"

    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class SignedSheet(Base):
    """Feuille d'émargement signée: a scan (PDF or image) attached to a day of a group."""

    __tablename__ = "signed_sheets"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_day_id: Mapped[int] = mapped_column(
        ForeignKey("group_days.id", ondelete="CASCADE"), index=True
    )
    file_name: Mapped[str] = mapped_column(String(300))
    media_type: Mapped[str] = mapped_column(String(50))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    attached_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)

    day: Mapped[GroupDay] = relationship()

    __table_args__ = (CheckConstraint("size > 0", name="size_positive"),)


class StoredFile(Base):
    """A small file kept in the database (logo, signature image) under a settings key."""

    __tablename__ = "stored_files"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    file_name: Mapped[str] = mapped_column(String(300), default="")
    content: Mapped[bytes] = mapped_column(LargeBinary)


class OutboxStatus(enum.StrEnum):
    """Where a message of the outbox is: see ``mail.smtp`` for the at-most-once rule."""

    PENDING = "pending"
    SENDING = "sending"  # handed to the server; left so only by a crash: never resent unasked
    SENT = "sent"
    FAILED = "failed"


class OutboxMessage(Base):
    """Boîte d'envoi: one e-mail built at queue time (``content`` is the whole RFC 5322
    message with its attachments, so what is sent is what was previewed)."""

    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("groups.id", ondelete="SET NULL"), index=True
    )
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL"), index=True
    )
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("employers.id", ondelete="SET NULL"))
    message_id: Mapped[str] = mapped_column(String(250), unique=True)
    sender: Mapped[str] = mapped_column(String(254))
    to_addresses: Mapped[str] = mapped_column(Text)  # comma-separated
    cc_addresses: Mapped[str] = mapped_column(Text, default="")
    subject: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    attachment_names: Mapped[str] = mapped_column(Text, default="")  # one per line
    content: Mapped[bytes] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(String(10), default=OutboxStatus.PENDING.value)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    queued_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    __table_args__ = (
        CheckConstraint(_in_check("status", OutboxStatus), name="status_valid"),
        Index("ix_outbox_messages_status", "status"),
    )


class PrivacyLogEntry(Base):
    """Journal RGPD: one purge, erasure or export; counts only, never the personal data."""

    __tablename__ = "privacy_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    performed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    action: Mapped[str] = mapped_column(String(10))
    performed_by: Mapped[str] = mapped_column(String(100), default="")
    participant_id: Mapped[int | None] = mapped_column(Integer)  # no key: the log outlives rows
    summary: Mapped[str] = mapped_column(Text, default="")
    counts: Mapped[str] = mapped_column(Text, default="{}")  # JSON

    __table_args__ = (
        CheckConstraint("action IN ('purge', 'erase', 'export')", name="action_valid"),
    )


class CostKind(enum.StrEnum):
    """Nature d'une ligne de coût."""

    PROVIDER = "provider"  # prestataire
    VENUE = "venue"  # salle
    CATERING = "catering"  # restauration
    TRAVEL = "travel"  # déplacements
    OTHER = "other"  # autre


class Funder(enum.StrEnum):
    """Qui paie une ligne de coût : l'Opco ou un cofinanceur (nommé, par ex. « DGCS »)."""

    OPCO = "opco"
    COFINANCER = "cofinancer"


class CostLine(Base):
    """Ligne de budget: a cost of a group or of a course (exactly one), in cents."""

    __tablename__ = "cost_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), index=True
    )
    course_id: Mapped[int | None] = mapped_column(
        ForeignKey("courses.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(String(200), default="")
    amount_cents: Mapped[int] = mapped_column(Integer)
    funder: Mapped[str] = mapped_column(String(20))
    cofinancer: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now, onupdate=_now)

    __table_args__ = (
        CheckConstraint("(group_id IS NULL) <> (course_id IS NULL)", name="one_owner"),
        CheckConstraint("amount_cents >= 0", name="amount_not_negative"),
        CheckConstraint(_in_check("kind", CostKind), name="kind_valid"),
        CheckConstraint(_in_check("funder", Funder), name="funder_valid"),
    )


class ComplaintSource(enum.StrEnum):
    """Origine d'une réclamation."""

    TRAINEE = "trainee"  # stagiaire
    EMPLOYER = "employer"  # employeur
    TRAINER = "trainer"  # formateur
    FUNDER = "funder"  # financeur
    INTERNAL = "internal"  # interne
    OTHER = "other"  # autre


class ComplaintStatus(enum.StrEnum):
    """Statut d'une réclamation : ouverte, en cours, close."""

    OPEN = "open"
    IN_PROGRESS = "in_progress"
    CLOSED = "closed"


class Complaint(Base):
    """Réclamation ou action d'amélioration (Qualiopi, indicateurs 31–32)."""

    __tablename__ = "complaints"

    id: Mapped[int] = mapped_column(primary_key=True)
    received_on: Mapped[dt.date] = mapped_column(Date, index=True)
    source: Mapped[str] = mapped_column(String(20))
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("groups.id", ondelete="SET NULL"), index=True
    )
    description: Mapped[str] = mapped_column(Text)
    analysis: Mapped[str] = mapped_column(Text, default="")
    action_taken: Mapped[str] = mapped_column(Text, default="")
    person_in_charge: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(20), default=ComplaintStatus.OPEN.value)
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now, onupdate=_now)

    group: Mapped[Group | None] = relationship()

    __table_args__ = (
        CheckConstraint("length(trim(description)) > 0", name="description_not_blank"),
        CheckConstraint(_in_check("source", ComplaintSource), name="source_valid"),
        CheckConstraint(_in_check("status", ComplaintStatus), name="status_valid"),
        CheckConstraint("status <> 'closed' OR closed_on IS NOT NULL", name="closed_has_date"),
    )


SEARCHABLE = (Course, Group, Trainer, Employer, Participant, TrainingProvider)


@event.listens_for(Session, "before_flush")
def _refresh_search_columns(session: Session, _context: object, _instances: object) -> None:
    """Keep the stored normalised columns in step with the fields they are built from."""
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, SEARCHABLE):
            obj.refresh_search_text()
        if isinstance(obj, Employer) and obj in session.dirty:
            for participant in obj.participants:
                participant.refresh_search_text()
        if isinstance(obj, GroupDay | HalfDay):
            day = obj if isinstance(obj, GroupDay) else obj.day
            group = day.group if day is not None else None
            if group is not None:
                group.refresh_search_text()
        if isinstance(obj, TrainingProvider) and obj in session.dirty:
            for course in obj.courses:
                course.refresh_search_text()
        if isinstance(obj, Course) and obj in session.dirty:
            for group in obj.groups:
                group.refresh_search_text()


__all__ = [
    "ActionNature",
    "AssessmentResult",
    "Attendance",
    "AttendanceStatus",
    "AttendanceUnlock",
    "Base",
    "Complaint",
    "ComplaintSource",
    "ComplaintStatus",
    "CostKind",
    "CostLine",
    "Course",
    "CourseObjective",
    "DocumentCounter",
    "DocumentState",
    "Employer",
    "Enrollment",
    "EnrollmentStatus",
    "Funder",
    "Group",
    "GroupDay",
    "GroupStatus",
    "GroupTrainer",
    "HalfDay",
    "HalfDayTrainer",
    "ImportBatch",
    "ImportChange",
    "IssuedDocument",
    "Participant",
    "Period",
    "PrivacyLogEntry",
    "ProgrammeDay",
    "ProgrammeItem",
    "Setting",
    "SignedSheet",
    "StoredFile",
    "Trainer",
    "TrainingProvider",
]


class ChangeLogEntry(Base):
    """Historique: one change of a record edited by coordinators (who, when, which fields)."""

    __tablename__ = "change_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    table_name: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(10))
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime)
    changed_by: Mapped[str] = mapped_column(String(100), default="")
    # {"field": [before, after], …} as JSON text (values as shown: strings, numbers, null).
    details: Mapped[str] = mapped_column(Text, default="{}")

    __table_args__ = (
        CheckConstraint("action IN ('create', 'update', 'delete')", name="action_valid"),
        Index("ix_change_log_record", "table_name", "record_id", "id"),
    )
