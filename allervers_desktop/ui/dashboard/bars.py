"""From ``Stats`` to the bars and table lines of the dashboard's charts (no Qt, no pyqtgraph)."""

from __future__ import annotations

from dataclasses import dataclass

from allervers_desktop.formatting import short_date
from allervers_desktop.stats.figures import Breakdown, Stats
from allervers_desktop.ui.dashboard.labels import count_fr, hours_minutes_fr, percent_fr

TOP = 10
OTHERS = "Autres"
MONTHS = (
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
)


@dataclass(frozen=True)
class BarData:
    key: str
    label: str
    values: tuple[float, ...]
    cells: list[str]


def _people(line: Breakdown) -> BarData:
    return BarData(
        line.key,
        line.label,
        (float(line.participants),),
        [line.label, count_fr(line.participants), hours_minutes_fr(line.trainee_minutes)],
    )


def departement_bars(stats: Stats) -> list[BarData]:
    return [_people(line) for line in stats.by_departement if line.participants]


def employer_bars(stats: Stats) -> list[BarData]:
    """The ten employers with most people trained, then « Autres » (the rest added up)."""
    lines = [line for line in stats.by_employer if line.participants]
    bars = [_people(line) for line in lines[:TOP]]
    rest = lines[TOP:]
    if rest:
        people = sum(line.participants for line in rest)
        minutes = sum(line.trainee_minutes for line in rest)
        bars.append(
            BarData(
                "",
                f"{OTHERS} ({len(rest)})",
                (float(people),),
                [f"{OTHERS} ({len(rest)})", count_fr(people), hours_minutes_fr(minutes)],
            )
        )
    return bars


def month_label(month: str) -> str:
    """« 2023-09 » -> « sept. 2023 »."""
    year, number = month.split("-")
    return f"{MONTHS[int(number) - 1]} {year}"


def month_bars(stats: Stats) -> list[BarData]:
    return [
        BarData(
            month.month,
            month_label(month.month),
            (month.trainee_minutes / 60,),
            [month_label(month.month), hours_minutes_fr(month.trainee_minutes)],
        )
        for month in stats.by_month
    ]


def group_bars(stats: Stats) -> list[BarData]:
    """The groups not cancelled, by date: fill rate and attendance rate (in %)."""
    groups = [g for g in stats.by_group if g.status != "cancelled"]
    groups.sort(key=lambda g: (g.first_date is None, g.first_date, g.group_id))
    lines = []
    for g in groups:
        day = short_date(g.first_date)  # once per group: strftime is slow
        lines.append(
            BarData(
                str(g.group_id),
                f"{g.label} ({day})" if g.first_date else g.label,
                ((g.fill_rate or 0) * 100, (g.attendance_rate or 0) * 100),
                [
                    f"{g.label} — {g.course_title} — {day}",
                    percent_fr(g.fill_rate),
                    percent_fr(g.attendance_rate),
                ],
            )
        )
    return lines


def sparse_ticks(bars: list[BarData], most: int = 8) -> list[tuple[int, str]]:
    """At most ``most`` labels along an axis of many bars (every n-th)."""
    step = max(1, -(-len(bars) // most))
    return [(i, bar.label) for i, bar in enumerate(bars) if i % step == 0]
