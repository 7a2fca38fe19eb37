"""Affichage › Calendrier through the real window: months, weeks, filters, opening a group."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from icalendar import Calendar
from PySide6.QtCore import QPoint, QPointF, Qt

from allervers_desktop.ui.calendar_view import CalendarWindow, period_title
from allervers_desktop.ui.main_window import MainWindow


def opened(qtbot: Any, window: MainWindow) -> CalendarWindow:
    window.calendar_action.trigger()
    calendar = window.calendar_window
    assert calendar is not None and calendar.isVisible()
    qtbot.waitExposed(calendar)
    calendar.resize(1300, 700)
    calendar.show_date(dt.date(2023, 9, 25))
    calendar.canvas.repaint()
    return calendar


def test_month_week_and_navigation(qtbot: Any, window: MainWindow) -> None:
    calendar = opened(qtbot, window)
    assert calendar.title.text() == "septembre 2023"
    assert calendar.count_label.text() == "4 demi-journées, 1 groupe"
    qtbot.keyClick(calendar.canvas, Qt.Key.Key_PageDown)  # the next month
    assert calendar.title.text() == "octobre 2023"  # 25 September to 5 November shown
    assert calendar.count_label.text() == "8 demi-journées, 2 groupes"
    calendar.mode_box.setCurrentIndex(1)  # Semaine
    calendar.show_date(dt.date(2023, 9, 27))
    assert calendar.title.text() == "semaine du 25 septembre au 1er octobre 2023"
    assert calendar.count_label.text() == "4 demi-journées, 1 groupe"
    qtbot.keyClick(calendar.canvas, Qt.Key.Key_PageUp)
    assert calendar.title.text() == "semaine du 18 au 24 septembre 2023"
    assert calendar.count_label.text() == "0 demi-journée, 0 groupe"
    qtbot.keyClick(calendar.canvas, Qt.Key.Key_Home)  # today (the database's clock)
    assert calendar.canvas.anchor == window.database.clock.now().date()


def test_filters_and_a_trainers_schedule(qtbot: Any, window: MainWindow) -> None:
    calendar = opened(qtbot, window)
    calendar.show_date(dt.date(2023, 10, 1))  # from Monday 25 September to 5 November
    assert {entry.group for entry in calendar.canvas.entries} == {"Groupe 1", "Groupe 2"}
    calendar.city_box.setCurrentIndex(calendar.city_box.findText("Strasbourg"))
    assert {entry.group for entry in calendar.canvas.entries} == {"Groupe 1"}
    calendar.city_box.setCurrentIndex(0)  # Toutes les villes
    calendar.trainer_box.setCurrentIndex(calendar.trainer_box.findText("Lara GELDREICH"))
    assert calendar.count_label.text() == "4 demi-journées, 1 groupe"
    assert {entry.group for entry in calendar.canvas.entries} == {"Groupe 2"}


def test_double_click_and_enter_open_the_group(qtbot: Any, window: MainWindow) -> None:
    calendar = opened(qtbot, window)
    calendar.mode_box.setCurrentIndex(1)  # Semaine
    calendar.show_date(dt.date(2023, 10, 16))
    entry = calendar.canvas.entries[0]
    assert entry.group == "Groupe 2"
    assert calendar.canvas.entry_at(QPointF(0, 0)) is None  # the header
    [rect] = [rect for rect, hit in calendar.canvas._hits if hit is entry]
    centre = QPoint(int(rect.center().x()), int(rect.center().y()))
    qtbot.mouseDClick(calendar.canvas, Qt.MouseButton.LeftButton, pos=centre)
    assert window.tab_widget.currentIndex() == 1  # Groupes
    assert window.groups_tab.current_id() == entry.group_id
    window.groups_tab.view.clearSelection()
    calendar.canvas.setFocus()
    qtbot.keyClick(calendar.canvas, Qt.Key.Key_Return)
    assert window.groups_tab.current_id() == entry.group_id
    # One calendar window: asking again brings it back.
    window.calendar_action.trigger()
    assert window.calendar_window is calendar


def test_titles_in_french() -> None:
    assert period_title(dt.date(2027, 3, 12), "month") == "mars 2027"
    assert period_title(dt.date(2027, 3, 12), "week") == "semaine du 8 au 14 mars 2027"
    assert period_title(dt.date(2026, 12, 30), "week") == (
        "semaine du 28 décembre 2026 au 3 janvier 2027"
    )
    assert period_title(dt.date(2027, 3, 1), "week") == "semaine du 1er au 7 mars 2027"


def test_export_a_trainers_calendar_as_ics(
    qtbot: Any, window: MainWindow, prompts: Any, tmp_path: Path
) -> None:
    calendar = opened(qtbot, window)
    calendar.trainer_box.setCurrentIndex(calendar.trainer_box.findText("Lara GELDREICH"))
    calendar.canvas.current = None  # no half-day selected: nothing else to choose
    prompts.files = [str(tmp_path / "lara")]  # the extension is added
    calendar.export_button.click()
    assert prompts.messages("inform") == ["Calendrier enregistré : « lara.ics »."]
    parsed = Calendar.from_ical((tmp_path / "lara.ics").read_bytes())
    events = [c for c in parsed.walk() if c.name == "VEVENT"]
    assert len(events) == 4  # Groupe 2's half-days
    assert all("Groupe 2" in str(event["SUMMARY"]) for event in events)
    assert {event.decoded("DTSTART").tzinfo.key for event in events} == {"Europe/Paris"}
    prompts.files = [str(tmp_path / "absent" / "x.ics")]
    calendar.export_button.click()
    [message] = prompts.messages("error")
    assert "absent" in message and "Errno" not in message


def test_export_the_selected_half_days_group(
    qtbot: Any, window: MainWindow, prompts: Any, tmp_path: Path
) -> None:
    calendar = opened(qtbot, window)
    calendar.show_date(dt.date(2023, 10, 16))
    calendar.canvas.current = next(e for e in calendar.canvas.entries if e.group == "Groupe 2")
    prompts.choice_answers = ["Le groupe « Groupe 2 »"]
    prompts.files = [str(tmp_path / "groupe2.ics")]
    calendar.export_button.click()
    events = [
        c
        for c in Calendar.from_ical((tmp_path / "groupe2.ics").read_bytes()).walk()
        if c.name == "VEVENT"
    ]
    assert len(events) == 4 and all("Metz" in str(event["LOCATION"]) for event in events)
