"""Route a row to a group: the group chosen for the whole file, or its Groupe/Session value."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cached_property

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from allervers_desktop.db.models import Group, GroupStatus
from allervers_desktop.formatting import parse_date, short_date
from allervers_desktop.services.errors import NotFoundError
from allervers_desktop.text import compact_key, fold

_DATE_IN_TEXT = re.compile(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2}")
_NUMBER_SIGN = re.compile(r"\bn\s*[°ºo]\s*(?=\d)", re.IGNORECASE)
_WORD = re.compile(r"[a-z0-9]+")
# Words that say nothing about which group: « Session du 16/10/2023 » is a date alone.
FILLER_WORDS = frozenset(
    [
        "session",
        "sessions",
        "groupe",
        "du",
        "le",
        "la",
        "les",
        "de",
        "des",
        "d",
        "au",
        "aux",
        "a",
        "et",
        "formation",
        "date",
        "dates",
        "jour",
        "journee",
        "journees",
        "le",
    ]
)


@dataclass(frozen=True)
class GroupInfo:
    """What routing and capacity need to know about a group (plain data, no ORM object)."""

    id: int
    course_id: int
    label: str
    city: str
    dates: tuple[dt.date, ...]
    capacity: int | None
    cancelled: bool

    @cached_property
    def title(self) -> str:
        city = f" – {self.city}" if self.city else ""
        when = f" ({short_date(self.dates[0])})" if self.dates else ""
        return f"{self.label}{city}{when}"


@dataclass(frozen=True)
class Route:
    """The group of a row, or why there is none (``reason``: the row is skipped)."""

    group: GroupInfo | None = None
    reason: str | None = None


@dataclass
class GroupRouter:
    """Matches a Groupe/Session value against the candidate groups by label, city or date."""

    fixed: GroupInfo | None
    candidates: list[GroupInfo]
    _cache: dict[tuple[str, dt.date | None], Route] = field(default_factory=dict)

    def route(self, text: str, date: dt.date | None) -> Route:
        if self.fixed is not None:
            return Route(self.fixed)
        if not text and date is None:
            return Route()
        key = (text, date)
        if key not in self._cache:
            self._cache[key] = self._match(text, date)
        return self._cache[key]

    def _match(self, text: str, date: dt.date | None) -> Route:
        dates = {date} if date is not None else set()
        for found in _DATE_IN_TEXT.findall(text):
            parsed = parse_date(found)
            if parsed is not None:
                dates.add(parsed)
        rest = _NUMBER_SIGN.sub("", _DATE_IN_TEXT.sub(" ", text))
        words = compact_key(rest)
        if dates and all(word in FILLER_WORDS for word in _WORD.findall(fold(rest))):
            words = ""
        scored: list[tuple[int, GroupInfo]] = []
        for group in self.candidates:
            score = _score(group, words, dates)
            if score:
                scored.append((score, group))
        if not scored:
            return Route(reason=f"groupe « {text} » introuvable")
        best = max(score for score, _ in scored)
        winners = [group for score, group in scored if score == best]
        if len(winners) > 1:
            names = ", ".join(group.title for group in winners[:4])
            return Route(reason=f"groupe « {text} » ambigu ({names})")
        return Route(winners[0])


def _score(group: GroupInfo, words: str, dates: set[dt.date]) -> int:
    """How well a group matches: each of label, city and date that matches counts."""
    score = 0
    if dates:
        if not dates & set(group.dates):
            return 0
        score += 1
    label, city = compact_key(group.label), compact_key(group.city)
    if words:
        matched_label = bool(label) and _contains(words, label)
        short_label = _label_number(group.label)
        matched_number = short_label is not None and words in {short_label, f"g{short_label}"}
        matched_city = bool(city) and _contains(words, city)
        if not (matched_label or matched_number or matched_city):
            return 0
        score += int(matched_label or matched_number) + int(matched_city)
    return score


def _contains(words: str, part: str) -> bool:
    """``part`` is in ``words``, not glued to other digits (« groupe1 » is not in « groupe10 »)."""
    return re.search(rf"(?<!\d){re.escape(part)}(?!\d)", words) is not None


def _label_number(label: str) -> str | None:
    digits = re.findall(r"\d+", label)
    return digits[0] if len(digits) == 1 else None


def _info(group: Group) -> GroupInfo:
    return GroupInfo(
        id=group.id,
        course_id=group.course_id,
        label=group.label,
        city=group.city,
        dates=tuple(group.dates),
        capacity=group.capacity,
        cancelled=group.status == GroupStatus.CANCELLED.value,
    )


def make_router(session: Session, group_id: int | None, course_id: int | None) -> GroupRouter:
    """A router for one file: a fixed group, or the groups of a course (all groups without)."""
    query = select(Group).options(selectinload(Group.days))
    if group_id is not None:
        group = session.scalar(query.where(Group.id == group_id))
        if group is None:
            raise NotFoundError("groupe", group_id)
        return GroupRouter(_info(group), [])
    if course_id is not None:
        query = query.where(Group.course_id == course_id)
    groups = session.scalars(query.order_by(Group.first_date, Group.label))
    return GroupRouter(None, [_info(group) for group in groups])
