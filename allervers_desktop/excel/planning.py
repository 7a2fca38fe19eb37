"""Decide, without writing, what each row does: create, merge, enroll, skip, or conflict."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from allervers_desktop.db.models import EnrollmentStatus
from allervers_desktop.excel.cells import phone_key
from allervers_desktop.excel.keys import fast_compact
from allervers_desktop.excel.matching import (
    DatabaseIndex,
    EmployerKey,
    ExistingParticipant,
    person_key,
)
from allervers_desktop.excel.progress import ProgressTicker
from allervers_desktop.excel.report import (
    LOOKALIKE_PREFIX,
    SAME_PERSON,
    Conflict,
    ConflictChoice,
    ImportCounts,
    Lookalike,
    Notice,
    RowOutcome,
    RowResult,
)
from allervers_desktop.excel.routing import GroupInfo, GroupRouter
from allervers_desktop.excel.rows import ParsedRow, RowValues
from allervers_desktop.formatting import ENROLLMENT_STATUS_LABELS, PERSON_FIELD_LABELS
from allervers_desktop.phones import display_phone

TEXT_FIELDS = ("civility", "last_name", "first_name", "email", "phone", "job_title", "notes")
FIELD_LABELS = {**PERSON_FIELD_LABELS, "notes": "Observations"}
REGISTERED = EnrollmentStatus.REGISTERED.value
WAITLISTED = EnrollmentStatus.WAITLISTED.value
CANCELLED = EnrollmentStatus.CANCELLED.value
ACTIVE = (REGISTERED, EnrollmentStatus.CONFIRMED.value)


def _same_text(a: str, b: str) -> bool:
    return a == b or fast_compact(a) == fast_compact(b)


SAME: dict[str, Callable[[str, str], bool]] = {
    "civility": lambda a, b: a == b,
    "email": lambda a, b: a.lower() == b.lower(),
    "phone": lambda a, b: phone_key(a) == phone_key(b),
}


def same_value(field_name: str, a: str, b: str) -> bool:
    return SAME.get(field_name, _same_text)(a, b)


@dataclass(slots=True)
class PersonPlan:
    """One person of the file: a new participant, or an existing one (``participant_id``)."""

    index: int
    participant_id: int | None
    first_row: int
    incoming: dict[str, str]
    employer: EmployerKey | None
    updates: dict[str, tuple[object, object]] = field(default_factory=dict)
    conflicts: list[Conflict] = field(default_factory=list)

    @property
    def display_name(self) -> str:
        return f"{self.incoming['last_name'].upper()} {self.incoming['first_name']}".strip()


@dataclass(slots=True)
class EnrollmentPlan:
    person: int
    group_id: int
    status: str
    enrolled_on: dt.date
    row: int


@dataclass
class ImportPlan:
    """Everything the writer needs, and the report the wizard shows."""

    persons: list[PersonPlan]
    enrollments: list[EnrollmentPlan]
    rows: list[RowResult]
    conflicts: list[Conflict]
    warnings: list[Notice]
    counts: ImportCounts
    index: DatabaseIndex
    lookalikes: list[Lookalike] = field(default_factory=list)


@dataclass(slots=True)
class _RowState:
    parsed: ParsedRow
    person: int | None = None
    group: GroupInfo | None = None
    filled: bool = False
    enrollment: str = ""  # what happened to the enrollment, for the row message
    new_enrollment: bool = False


class Planner:
    """Builds an ImportPlan from parsed rows against the database index."""

    def __init__(
        self,
        index: DatabaseIndex,
        router: GroupRouter,
        decisions: Mapping[str, ConflictChoice | str],
        *,
        has_group_column: bool,
        today: dt.date,
    ) -> None:
        self.index = index
        self.router = router
        self.decisions = {
            key: ConflictChoice(value)
            for key, value in decisions.items()
            if not key.startswith(LOOKALIKE_PREFIX)
        }
        # « même personne » or « personne différente », by look-alike key (default: the same).
        self.identity = {
            key: str(value) for key, value in decisions.items() if key.startswith(LOOKALIKE_PREFIX)
        }
        self.lookalikes: list[Lookalike] = []
        self.new_addresses: set[int] = set()  # same person, new e-mail: replaced by default
        self.has_group_column = has_group_column
        self.today = today
        self.persons: list[PersonPlan] = []
        self.by_participant: dict[int, int] = {}
        self.plan_by_email: dict[str, int] = {}
        self.new_by_name_employer: dict[tuple[str, EmployerKey | None], list[int]] = {}
        self.new_by_name: dict[str, list[int]] = {}
        self.warnings: list[Notice] = []
        self.enrollments: list[EnrollmentPlan] = []
        self.enrolled_pairs: set[tuple[int, int]] = set()  # (person plan, group)

    def plan(self, parsed_rows: list[ParsedRow], ticker: ProgressTicker) -> ImportPlan:
        states: list[_RowState] = []
        for parsed in parsed_rows:
            state = _RowState(parsed)
            states.append(state)
            self._identify(state)
            ticker.advance()
        for person in self.persons:
            if person.participant_id is not None:
                self._compare(person)
        for state in states:
            if state.person is not None and state.group is not None:
                self._enroll(state)
        rows = []
        for state in states:
            rows.append(self._result(state))
            ticker.advance()
        conflicts = [conflict for person in self.persons for conflict in person.conflicts]
        return ImportPlan(
            persons=self.persons,
            enrollments=self.enrollments,
            rows=rows,
            conflicts=conflicts,
            warnings=self.warnings,
            counts=self._counts(rows),
            index=self.index,
            lookalikes=self.lookalikes,
        )

    def _warn(self, row: int, message: str) -> None:
        self.warnings.append(Notice(row, message))

    # -- pass 1: who is each row -------------------------------------------------------------

    def _identify(self, state: _RowState) -> None:
        parsed = state.parsed
        for message in parsed.warnings:
            self._warn(parsed.row, message)
        if parsed.skip_reason is not None:
            return
        values = parsed.values
        route = self.router.route(values.group_text, values.group_date)
        if route.reason is not None:
            parsed.skip_reason = route.reason
            return
        if route.group is not None and route.group.cancelled:
            parsed.skip_reason = f"le {route.group.title} est annulé"
            return
        employer = self.index.employers.resolve(
            values.employer, values.city, values.siret, values.finess
        )
        name = person_key(values.last_name, values.first_name)
        found = self._find(values, employer, name, parsed)
        if parsed.skip_reason is not None:
            return
        state.group = route.group
        if route.group is None and self.has_group_column:
            self._warn(parsed.row, "groupe non renseigné : participant importé sans inscription")
        if found is None:
            state.person = self._add_person(None, values, employer, name, parsed.row)
            return
        state.person = found
        state.filled = self._merge_duplicate(self.persons[found], values, employer, parsed.row)

    def _find(
        self, values: RowValues, employer: EmployerKey | None, name: str, parsed: ParsedRow
    ) -> int | None:
        """The plan of the person this row names (existing participants get one), or None."""
        in_db = not isinstance(employer, str)  # a new employer has no participants yet
        db_key = (name, employer if isinstance(employer, int) else None)
        email = values.email
        if email:
            found = self.plan_by_email.get(email)
            if found is not None:
                return found
            participant_id = self.index.by_email.get(email)
            if participant_id is not None:
                return self._touch(participant_id, values, employer, parsed.row)
            if (not in_db or db_key not in self.index.by_name_employer) and (
                (name, employer) not in self.new_by_name_employer
            ):
                return None  # nobody of that name: the common case of a new person
            # Same name and employer, without an e-mail yet: the same person.
            same_name = self.index.by_name_employer.get(db_key, []) if in_db else []
            tokens: set[tuple[str, int]] = {
                ("n", i)
                for i in self.new_by_name_employer.get((name, employer), [])
                if not self.persons[i].incoming["email"]
            }
            for pid in same_name:
                if self.index.participants[pid].email:
                    continue
                touched = self.by_participant.get(pid)
                if touched is None:
                    tokens.add(("p", pid))
                elif not self.persons[touched].incoming["email"]:
                    tokens.add(("n", touched))
            if len(tokens) == 1:
                kind, number = tokens.pop()
                return self._touch(number, values, employer, parsed.row) if kind == "p" else number
            if same_name:
                other = self.index.participants[same_name[0]]
                same = self._same_person(other, values, employer, parsed.row)
                if same:
                    self.new_addresses.add(other.id)
                    return self._touch(other.id, values, employer, parsed.row)
                self._warn(
                    parsed.row,
                    f"{other.display_name} existe déjà dans le même établissement avec l'adresse "
                    f"« {other.email} » : un nouveau participant est créé ; vérifiez qu'il ne "
                    "s'agit pas de la même personne",
                )
            return None
        db_matches = self.index.by_name_employer.get(db_key, []) if in_db else []
        planned = self.new_by_name_employer.get((name, employer), [])
        if employer is None and not db_matches and not planned:
            db_matches = self.index.by_name.get(name, [])
            planned = self.new_by_name.get(name, [])
        tokens = {("n", i) for i in planned}
        for pid in db_matches:
            touched = self.by_participant.get(pid)
            tokens.add(("p", pid) if touched is None else ("n", touched))
        if len(tokens) > 1:
            parsed.skip_reason = (
                f"plusieurs participants s'appellent {values.display_name} : "
                "ajoutez leur e-mail ou leur établissement pour les distinguer"
            )
            return None
        if not tokens:
            return None
        kind, number = tokens.pop()
        return self._touch(number, values, employer, parsed.row) if kind == "p" else number

    def _touch(
        self, participant_id: int, values: RowValues, employer: EmployerKey | None, row: int
    ) -> int:
        """The plan of an existing participant, made from this row on first sight."""
        if participant_id in self.by_participant:
            return self.by_participant[participant_id]
        index = self._add_person(participant_id, values, employer, "", row)
        self.by_participant[participant_id] = index
        existing = self.index.participants[participant_id]
        if existing.email:
            self.plan_by_email[existing.email] = index
        return index

    def _add_person(
        self,
        participant_id: int | None,
        values: RowValues,
        employer: EmployerKey | None,
        name: str,
        row: int,
    ) -> int:
        person = PersonPlan(
            index=len(self.persons),
            participant_id=participant_id,
            first_row=row,
            incoming={
                "civility": values.civility,
                "last_name": values.last_name,
                "first_name": values.first_name,
                "email": values.email,
                "phone": values.phone,
                "job_title": values.job_title,
                "notes": values.notes,
            },
            employer=employer,
        )
        self.persons.append(person)
        incoming = person.incoming
        if incoming["email"]:
            self.plan_by_email[incoming["email"]] = person.index
        if participant_id is None:
            self.new_by_name_employer.setdefault((name, employer), []).append(person.index)
            self.new_by_name.setdefault(name, []).append(person.index)
        return person.index

    def _merge_duplicate(
        self, person: PersonPlan, values: RowValues, employer: EmployerKey | None, row: int
    ) -> bool:
        """Fold a later row of the same person into its plan; True when it added something."""
        first = person.first_row
        if first == row:
            return False
        self._warn(row, f"même personne que la ligne {first} : lignes fusionnées")
        added = False
        for name in TEXT_FIELDS:
            new, old = getattr(values, name), person.incoming[name]
            if not new:
                continue
            if not old:
                person.incoming[name] = new
                added = True
                if name == "email":
                    self.plan_by_email[new] = person.index
            elif not same_value(name, old, new):
                self._warn(
                    row,
                    f"{FIELD_LABELS[name]} « {new} » différent de la ligne {first} : "
                    f"« {old} » gardé",
                )
        if employer is not None:
            employers = self.index.employers
            if person.employer is None:
                person.employer = employer
                added = True
            elif employer != person.employer:
                self._warn(
                    row,
                    f"établissement « {employers.label(employer)} » différent de la ligne "
                    f"{first} : « {employers.label(person.employer)} » gardé",
                )
        return added

    # -- pass 2: compare known participants with the file -----------------------------------

    def _compare(self, person: PersonPlan) -> None:
        assert person.participant_id is not None
        existing = self.index.participants[person.participant_id]
        for name in TEXT_FIELDS:
            old, new = str(existing.value(name) or ""), person.incoming[name]
            if not new or same_value(name, old, new):
                continue
            if not old:
                person.updates[name] = (old, new)
            else:
                self._conflict(person, name, old, new, (old, new))
        if person.employer is not None and person.employer != existing.employer_id:
            if existing.employer_id is None:
                person.updates["employer_id"] = (None, person.employer)
            else:
                employers = self.index.employers
                self._conflict(
                    person,
                    "employer_id",
                    employers.label(existing.employer_id),
                    employers.label(person.employer),
                    (existing.employer_id, person.employer),
                )

    def _same_person(
        self, other: ExistingParticipant, values: RowValues, employer: EmployerKey | None, row: int
    ) -> bool:
        """Whether a row with the name and employer of ``other`` but another e-mail is that
        person (the user's choice; by default yes: people change address more often than two
        colleagues share a name). A record another row already matched stays that row's."""
        key = f"{LOOKALIKE_PREFIX}p{other.id}"
        free = other.id not in self.by_participant and all(
            look.participant_id != other.id for look in self.lookalikes
        )
        same = free and self.identity.get(key, SAME_PERSON) == SAME_PERSON
        if free:
            self.lookalikes.append(
                Lookalike(
                    key=key,
                    row=row,
                    name=values.display_name,
                    incoming_email=values.email,
                    participant_id=other.id,
                    existing_email=other.email,
                    employer=self.index.employers.label(employer),
                    same=same,
                )
            )
        return same

    def _conflict(
        self, person: PersonPlan, name: str, old: str, new: str, change: tuple[object, object]
    ) -> None:
        assert person.participant_id is not None
        key = f"p{person.participant_id}.{name}"
        # The same person with a new address: the file's address by default.
        default = (
            ConflictChoice.REPLACE
            if name == "email" and person.participant_id in self.new_addresses
            else ConflictChoice.KEEP
        )
        choice = self.decisions.get(key, default)
        existing = self.index.participants[person.participant_id]
        person.conflicts.append(
            Conflict(
                key=key,
                row=person.first_row,
                participant_id=person.participant_id,
                participant_name=existing.display_name,
                field=name,
                field_label=FIELD_LABELS[name],
                existing=display_phone(old) if name == "phone" else old,
                incoming=display_phone(new) if name == "phone" else new,
                choice=choice,
            )
        )
        if choice is ConflictChoice.REPLACE:
            person.updates[name] = change

    # -- pass 3: enrollments, in row order so that the waiting list follows the file --------

    def _enroll(self, state: _RowState) -> None:
        assert state.person is not None and state.group is not None
        person, group = self.persons[state.person], state.group
        values = state.parsed.values
        if person.participant_id is not None:
            status = self.index.enrollments.get((person.participant_id, group.id))
            if status is not None:
                state.enrollment = f"déjà inscrit au {group.title}"
                if values.status is not None and values.status != status:
                    self._warn(
                        state.parsed.row,
                        f"déjà inscrit au {group.title} avec le statut "
                        f"« {ENROLLMENT_STATUS_LABELS[status]} » : statut du fichier "
                        f"« {ENROLLMENT_STATUS_LABELS[values.status]} » non appliqué",
                    )
                return
        if (person.index, group.id) in self.enrolled_pairs:
            state.enrollment = f"déjà inscrit au {group.title} (ligne précédente)"
            return
        status = values.status or REGISTERED
        if status == CANCELLED:
            state.enrollment = "statut « Annulé » : pas d'inscription"
            return
        full = group.capacity is not None and self.index.active_counts.get(group.id, 0) >= (
            group.capacity
        )
        if status in ACTIVE and full:
            status = WAITLISTED
            self._warn(
                state.parsed.row,
                f"{group.title} complet ({group.capacity} places) : "
                f"{values.display_name} mis(e) en liste d'attente",
            )
        if status in ACTIVE:
            self.index.active_counts[group.id] = self.index.active_counts.get(group.id, 0) + 1
        if person.participant_id is not None:
            for other in self.index.same_course_groups(person.participant_id, group.id):
                self._warn(
                    state.parsed.row,
                    f"{values.display_name} est déjà inscrit(e) à cette formation dans le "
                    f"groupe {other}",
                )
        self.enrollments.append(
            EnrollmentPlan(
                person.index, group.id, status, values.enrolled_on or self.today, state.parsed.row
            )
        )
        self.enrolled_pairs.add((person.index, group.id))
        state.new_enrollment = True
        if status == WAITLISTED:
            state.enrollment = f"en liste d'attente du {group.title}"
        else:
            state.enrollment = f"inscrit au {group.title}"

    # -- results -----------------------------------------------------------------------------

    def _result(self, state: _RowState) -> RowResult:
        parsed = state.parsed
        name = parsed.values.display_name
        if parsed.skip_reason is not None or state.person is None:
            return RowResult(parsed.row, RowOutcome.SKIPPED, name, parsed.skip_reason or "")
        person = self.persons[state.person]
        first = person.first_row == parsed.row
        parts: list[str] = []
        if not first:
            changed = state.filled or state.new_enrollment
            outcome = RowOutcome.MERGED if changed else RowOutcome.UNCHANGED
            parts.append(f"même personne que la ligne {person.first_row}")
        elif person.participant_id is None:
            outcome = RowOutcome.CREATED
            parts.append("nouveau participant")
        else:
            if person.conflicts:
                outcome = RowOutcome.CONFLICT
                parts.append(f"{len(person.conflicts)} conflit(s) avec la fiche existante")
            elif person.updates or state.new_enrollment:
                outcome = RowOutcome.MERGED
            else:
                outcome = RowOutcome.UNCHANGED
            if person.updates:
                labels = ", ".join(FIELD_LABELS[field_name] for field_name in person.updates)
                parts.append(f"fiche existante complétée ({labels})")
            elif not person.conflicts:
                parts.append("déjà dans la base")
        if state.enrollment:
            parts.append(state.enrollment)
        return RowResult(
            row=parsed.row,
            outcome=outcome,
            name=name,
            message=", ".join(parts),
            participant_id=person.participant_id,
            group_id=state.group.id if state.group is not None else None,
            conflict_keys=[c.key for c in person.conflicts] if first else [],
        )

    def _counts(self, rows: list[RowResult]) -> ImportCounts:
        counts = ImportCounts()
        counts.created = sum(1 for p in self.persons if p.participant_id is None)
        counts.updated = sum(1 for p in self.persons if p.participant_id is not None and p.updates)
        for enrollment in self.enrollments:
            if enrollment.status == WAITLISTED:
                counts.waitlisted += 1
            else:
                counts.enrolled += 1
        counts.unchanged = sum(1 for row in rows if row.outcome is RowOutcome.UNCHANGED)
        counts.skipped = sum(1 for row in rows if row.outcome is RowOutcome.SKIPPED)
        counts.employers_created = len(used_new_employers(self.persons))
        return counts


def used_new_employers(persons: list[PersonPlan]) -> list[str]:
    """Match keys of the new employers that created or updated participants will point to."""
    keys: dict[str, None] = {}
    for person in persons:
        if person.participant_id is None:
            key: object = person.employer
        else:
            key = person.updates.get("employer_id", (None, None))[1]
        if isinstance(key, str):
            keys[key] = None
    return list(keys)
