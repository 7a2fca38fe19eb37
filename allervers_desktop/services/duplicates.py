"""« Doublons probables »: people who look like the same person, across the whole database.

Three kinds of candidates, each a GROUP BY on an indexed column so that 100,000 participants
take well under a second: the same folded name (``sort_name``) and employer, the same phone
number (E.164), and the same e-mail once spelt alike (case, dots and « +tag » of the local
part ignored: « marie.dupont+opco@x.fr » and « mariedupont@x.fr »). Anonymised records are
left out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from allervers_desktop.db.models import Employer, Participant
from allervers_desktop.phones import display_phone

NAME_AND_EMPLOYER = "name_employer"
PHONE = "phone"
EMAIL = "email"
REASONS = {
    NAME_AND_EMPLOYER: "même nom et même établissement",
    PHONE: "même téléphone",
    EMAIL: "même e-mail à l'orthographe près",
}


@dataclass(frozen=True)
class Candidate:
    """Participants that may be one person, and why."""

    kind: str
    value: str
    participant_ids: tuple[int, ...]
    names: tuple[str, ...]

    @property
    def reason(self) -> str:
        return REASONS[self.kind]

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "reason": self.reason,
            "value": self.value,
            "participant_ids": list(self.participant_ids),
            "names": list(self.names),
        }


def email_key(email: str) -> str:
    """« Marie.Dupont+opco@X.fr » -> « mariedupont@x.fr »."""
    local, _, domain = email.lower().partition("@")
    return f"{local.split('+', 1)[0].replace('.', '')}@{domain}"


def probable_duplicates(session: Session) -> list[Candidate]:
    """All candidates, by kind then by the first participant's name."""
    live = Participant.anonymised_at.is_(None)
    groups: list[tuple[str, str, list[int]]] = []
    # The keys held more than once (GROUP BY on an index), then their participants: plain SQL
    # that SQLite and PostgreSQL both run, with no group_concat / string_agg.
    names_twice = (
        select(Participant.sort_name, Participant.employer_id)
        .where(live, Participant.sort_name != "")
        .group_by(Participant.sort_name, Participant.employer_id)
        .having(func.count() > 1)
        .subquery()
    )
    rows = session.execute(
        select(Participant.sort_name, Participant.employer_id, Participant.id)
        .join(
            names_twice,
            (names_twice.c.sort_name == Participant.sort_name)
            & (
                (names_twice.c.employer_id == Participant.employer_id)
                | (names_twice.c.employer_id.is_(None) & Participant.employer_id.is_(None))
            ),
        )
        .where(live)
        .order_by(Participant.sort_name, Participant.employer_id, Participant.id)
    )
    employers = {eid: name for eid, name in session.execute(select(Employer.id, Employer.name))}
    by_name: dict[tuple[str, int | None], list[int]] = defaultdict(list)
    for sort_name, employer_id, participant_id in rows:
        by_name[(sort_name, employer_id)].append(participant_id)
    for (sort_name, employer_id), ids in by_name.items():
        label = f"{sort_name} — {employers.get(employer_id or 0, 'sans établissement')}"
        groups.append((NAME_AND_EMPLOYER, label, ids))
    phones_twice = (
        select(Participant.phone)
        .where(live, Participant.phone != "")
        .group_by(Participant.phone)
        .having(func.count() > 1)
        .subquery()
    )
    by_phone: dict[str, list[int]] = defaultdict(list)
    for phone, participant_id in session.execute(
        select(Participant.phone, Participant.id)
        .join(phones_twice, phones_twice.c.phone == Participant.phone)
        .where(live)
        .order_by(Participant.phone, Participant.id)
    ):
        by_phone[phone].append(participant_id)
    groups += [(PHONE, display_phone(phone), ids) for phone, ids in by_phone.items()]
    by_email: dict[str, list[int]] = defaultdict(list)
    emails = select(Participant.email, Participant.id).where(live, Participant.email.is_not(None))
    for email, participant_id in session.execute(emails):
        by_email[email_key(email or "")].append(participant_id)
    groups += [(EMAIL, key, ids) for key, ids in by_email.items() if len(ids) > 1]
    names = _names(session, {pid for _kind, _value, ids in groups for pid in ids})
    candidates = [
        Candidate(kind, value, tuple(ids), tuple(names[pid] for pid in ids))
        for kind, value, ids in groups
    ]
    order = list(REASONS)
    candidates.sort(key=lambda c: (order.index(c.kind), c.names, c.participant_ids))
    return candidates


def _names(session: Session, ids: set[int]) -> dict[int, str]:
    names: dict[int, str] = {}
    id_list = sorted(ids)
    for start in range(0, len(id_list), 500):
        part = id_list[start : start + 500]
        rows = session.execute(
            select(Participant.id, Participant.last_name, Participant.first_name).where(
                Participant.id.in_(part)
            )
        )
        names.update({pid: f"{last.upper()} {first}".strip() for pid, last, first in rows})
    return names
