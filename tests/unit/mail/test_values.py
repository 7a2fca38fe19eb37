"""Placeholder values: days and times said the French way."""

from __future__ import annotations

import datetime as dt

from allervers_desktop.documents.model import CourseInfo, GroupInfo
from allervers_desktop.mail.values import group_values
from allervers_desktop.services.attendance import HalfDayColumn

MONDAY, TUESDAY = dt.date(2024, 9, 23), dt.date(2024, 9, 24)


def group(*halves: HalfDayColumn) -> GroupInfo:
    course = CourseInfo(1, "Aller vers", opco_contact_name="Aurore JOANNES")
    return GroupInfo(1, "Groupe 2", "Metz", "3 avenue Ney, 57000 Metz", course, halves)


def test_days_with_other_times_are_listed_one_per_line() -> None:
    values = group_values(
        group(
            HalfDayColumn(1, MONDAY, "am", dt.time(9), dt.time(12, 30)),
            HalfDayColumn(2, MONDAY, "pm", dt.time(13, 30), dt.time(17)),
            HalfDayColumn(3, TUESDAY, "am", dt.time(8, 45), dt.time(12)),
        )
    )
    assert values["dates"] == "lundi 23 septembre 2024 et mardi 24 septembre 2024"
    assert values["horaires"] == (
        "\n- lundi 23 septembre 2024 : 9 h 00 – 12 h 30 et 13 h 30 – 17 h 00"
        "\n- mardi 24 septembre 2024 : 8 h 45 – 12 h 00"
    )
    assert values["groupe"] == "Groupe 2 – Metz"
    assert values["lieu"] == "3 avenue Ney, 57000 Metz"
    assert values["contact_opco"] == "Aurore JOANNES"


def test_one_day() -> None:
    values = group_values(group(HalfDayColumn(1, MONDAY, "am", dt.time(9), dt.time(12))))
    assert (values["dates"], values["horaires"]) == ("lundi 23 septembre 2024", "9 h 00 – 12 h 00")
