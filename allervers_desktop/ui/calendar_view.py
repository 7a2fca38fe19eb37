"""Affichage › Calendrier: every group's half-days by month or by week, filtered by course,
city or trainer (a trainer's own schedule); a double-click opens the group.

The days are painted by one widget (``CalendarCanvas``) from plain ``CalendarEntry`` data read
in one bounded query (``services/calendar.py``): a month is six weeks of cells, a week seven
columns with the half-days placed by their times. Keyboard: Page précédente / suivante move by
a month or a week, Origine comes back to today, Entrée opens the group under the focus."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, QSettings, QSize, Qt, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QColor,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPicture,
    QShortcut,
)
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from allervers_desktop.calendar_export import build_calendar, write_calendar
from allervers_desktop.db.database import Database
from allervers_desktop.formatting import MONTHS, WEEKDAYS, WEEKDAYS_SHORT, clock
from allervers_desktop.services.calendar import (
    CalendarEntry,
    CalendarFilter,
    calendar_choices,
    calendar_entries,
)
from allervers_desktop.ui.operations import attempt, failure_message
from allervers_desktop.ui.prompts import Prompts
from allervers_desktop.ui.tasks import wait_while_repainting
from allervers_desktop.ui.view_state import restore_geometry

GEOMETRY_KEY = "calendar/geometry"
ICS_FILTER = "Calendrier iCalendar (*.ics)"
MODE_KEY = "calendar/mode"
MONTH, WEEK = "month", "week"
# Soft colours, one per course (by id), readable with black text.
PALETTE = ("#d7e8fb", "#dcf2dc", "#fde3c8", "#eadcf5", "#fbe0e6", "#d9f1ef", "#f6efc4", "#e4e4e4")
FIRST_HOUR, LAST_HOUR = 8, 19  # the week view's time range
NAVIGATION_KEYS: dict[int, int] = {
    Qt.Key.Key_PageUp: -1,
    Qt.Key.Key_PageDown: 1,
    Qt.Key.Key_Home: 0,
}


def month_days(anchor: dt.date) -> list[dt.date]:
    """The 42 days shown for ``anchor``'s month: from the Monday of the week of the 1st."""
    first = anchor.replace(day=1)
    start = first - dt.timedelta(days=first.weekday())
    return [start + dt.timedelta(days=i) for i in range(42)]


def week_days(anchor: dt.date) -> list[dt.date]:
    start = anchor - dt.timedelta(days=anchor.weekday())
    return [start + dt.timedelta(days=i) for i in range(7)]


def shifted(anchor: dt.date, mode: str, step: int) -> dt.date:
    """The month (or week) ``step`` away from ``anchor``'s."""
    if mode == WEEK:
        return anchor + dt.timedelta(weeks=step)
    month = anchor.month - 1 + step
    return dt.date(anchor.year + month // 12, month % 12 + 1, 1)


def day_month(day: dt.date) -> str:
    """« 1er octobre », « 25 septembre »."""
    return f"{'1er' if day.day == 1 else day.day} {MONTHS[day.month - 1]}"


def period_title(anchor: dt.date, mode: str) -> str:
    """« mars 2027 », « semaine du 8 au 14 mars 2027 », « semaine du 29 mars au 4 avril 2027 »."""
    if mode == MONTH:
        return f"{MONTHS[anchor.month - 1]} {anchor.year}"
    days = week_days(anchor)
    first, last = days[0], days[-1]
    if first.month == last.month:
        start = "1er" if first.day == 1 else str(first.day)
    else:
        start = day_month(first) + (f" {first.year}" if first.year != last.year else "")
    return f"semaine du {start} au {day_month(last)} {last.year}"


def entry_text(entry: CalendarEntry) -> str:
    """The tooltip: everything about the half-day."""
    lines = [
        entry.course,
        f"{entry.group} — {entry.city}" if entry.city else entry.group,
        f"{WEEKDAYS[entry.date.weekday()]} {entry.date:%d/%m/%Y}, "
        f"{clock(entry.start)}–{clock(entry.end)}",
    ]
    if entry.trainers:
        lines.append("Intervenants : " + ", ".join(entry.trainers))
    if entry.cancelled:
        lines.append("Groupe annulé")
    return "\n".join(lines)


class CalendarCanvas(QWidget):
    """Paints the days and their half-days; reports the group double-clicked."""

    groupActivated = Signal(int)
    navigate = Signal(int)  # -1 / +1: the previous or next period; 0: today

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("calendar_canvas")
        self.mode = MONTH
        self.anchor = dt.date.today()
        self.today = dt.date.today()
        self.entries: list[CalendarEntry] = []
        self._by_day: dict[dt.date, list[CalendarEntry]] = {}
        self._hits: list[tuple[QRectF, CalendarEntry]] = []
        self._hits_for: tuple[object, ...] = ()
        self.current: CalendarEntry | None = None  # the one under the keyboard focus
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(QSize(560, 360))
        self.setAutoFillBackground(True)

    def days(self) -> list[dt.date]:
        return month_days(self.anchor) if self.mode == MONTH else week_days(self.anchor)

    def set_entries(self, entries: list[CalendarEntry]) -> None:
        self.entries = entries
        by_day: dict[dt.date, list[CalendarEntry]] = defaultdict(list)
        for entry in entries:
            by_day[entry.date].append(entry)
        self._by_day = dict(by_day)
        if self.current not in entries:
            self.current = entries[0] if entries else None
        self.update()

    # --- painting ----------------------------------------------------------------------------
    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        self._paint(painter)

    def _paint(self, painter: QPainter) -> None:
        """Paint the period on ``painter``; the entries' rectangles are kept for the mouse."""
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        self._hits = []
        if self.mode == MONTH:
            self._paint_month(painter)
        else:
            self._paint_week(painter)
        painter.end()
        self._hits_for = self._layout_key()

    def _layout_key(self) -> tuple[object, ...]:
        return (self.width(), self.height(), self.mode, self.anchor, id(self.entries))

    def _header_height(self) -> float:
        return float(self.fontMetrics().height() + 8)

    def _paint_header(self, painter: QPainter, labels: list[str], left: float) -> None:
        width = (self.width() - left) / len(labels)
        bold = QFont(self.font())
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(QColor("#444444"))
        for i, label in enumerate(labels):
            rect = QRectF(left + i * width, 0, width, self._header_height())
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, label)
        painter.setFont(self.font())

    def _paint_month(self, painter: QPainter) -> None:
        top = self._header_height()
        self._paint_header(painter, [w.capitalize() for w in WEEKDAYS], 0)
        width = self.width() / 7
        height = (self.height() - top) / 6
        metrics = QFontMetrics(self.font())
        line = metrics.height() + 3
        for index, day in enumerate(month_days(self.anchor)):
            cell = QRectF((index % 7) * width, top + (index // 7) * height, width, height)
            in_month = day.month == self.anchor.month
            background = "#fff8e1" if day == self.today else ("#ffffff" if in_month else "#f3f3f3")
            painter.fillRect(cell, QColor(background))
            painter.setPen(QPen(QColor("#d0d0d0")))
            painter.drawRect(cell)
            painter.setPen(QColor("#222222" if in_month else "#9a9a9a"))
            number = QRectF(cell.x() + 4, cell.y() + 2, cell.width() - 8, line)
            painter.drawText(number, Qt.AlignmentFlag.AlignLeft, str(day.day))
            entries = self._by_day.get(day, [])
            room = max(int((cell.height() - line - 4) // line), 0)
            shown = entries if len(entries) <= room else entries[: max(room - 1, 0)]
            for n, entry in enumerate(shown):
                rect = QRectF(
                    cell.x() + 2, cell.y() + line + 2 + n * line, cell.width() - 4, line - 1
                )
                text = f"{clock(entry.start)} {entry.group}" + (
                    f" · {entry.city}" if entry.city else ""
                )
                self._paint_entry(painter, rect, entry, [text])
            if len(shown) < len(entries):
                more = len(entries) - len(shown)
                rect = QRectF(
                    cell.x() + 4, cell.y() + line + 2 + len(shown) * line, cell.width() - 8, line
                )
                painter.setPen(QColor("#555555"))
                painter.drawText(
                    rect, Qt.AlignmentFlag.AlignLeft, f"+ {more} autre{'s' if more > 1 else ''}"
                )

    def _paint_week(self, painter: QPainter) -> None:
        top = self._header_height()
        gutter = float(self.fontMetrics().horizontalAdvance("00:00") + 10)
        days = week_days(self.anchor)
        self._paint_header(
            painter, [f"{WEEKDAYS_SHORT[d.weekday()]} {d:%d/%m}" for d in days], gutter
        )
        width = (self.width() - gutter) / 7
        hours = LAST_HOUR - FIRST_HOUR
        per_minute = (self.height() - top - 10) / (hours * 60)  # room for « 19:00 »
        painter.setPen(QPen(QColor("#e0e0e0")))
        for hour in range(FIRST_HOUR, LAST_HOUR + 1):
            y = top + (hour - FIRST_HOUR) * 60 * per_minute
            painter.drawLine(QPointF(gutter, y), QPointF(self.width(), y))
            painter.setPen(QColor("#777777"))
            painter.drawText(
                QRectF(0, y - 8, gutter - 4, 16), Qt.AlignmentFlag.AlignRight, f"{hour:02d}:00"
            )
            painter.setPen(QPen(QColor("#e0e0e0")))
        for i, day in enumerate(days):
            column = QRectF(gutter + i * width, top, width, self.height() - top)
            if day == self.today:
                painter.fillRect(column, QColor("#fff8e1"))
            painter.setPen(QPen(QColor("#d0d0d0")))
            painter.drawLine(column.topLeft(), column.bottomLeft())
            entries = self._by_day.get(day, [])
            slots: dict[str, list[CalendarEntry]] = defaultdict(list)
            for entry in entries:
                slots[entry.period].append(entry)
            for same_time in slots.values():
                share = (width - 4) / len(same_time)
                for n, entry in enumerate(same_time):
                    start = (entry.start.hour - FIRST_HOUR) * 60 + entry.start.minute
                    end = (entry.end.hour - FIRST_HOUR) * 60 + entry.end.minute
                    rect = QRectF(
                        column.x() + 2 + n * share,
                        top + max(start, 0) * per_minute,
                        share - 2,
                        max(end - max(start, 0), 20) * per_minute,
                    )
                    lines = [
                        f"{clock(entry.start)}–{clock(entry.end)}",
                        entry.group + (f" · {entry.city}" if entry.city else ""),
                        entry.course,
                        ", ".join(entry.trainers),
                    ]
                    self._paint_entry(painter, rect, entry, lines)

    def _paint_entry(
        self, painter: QPainter, rect: QRectF, entry: CalendarEntry, lines: list[str]
    ) -> None:
        colour = (
            QColor("#eeeeee")
            if entry.cancelled
            else QColor(PALETTE[entry.course_id % len(PALETTE)])
        )
        painter.fillRect(rect, colour)
        if entry is self.current and self.hasFocus():
            painter.setPen(QPen(QColor("#1565c0"), 2))
            painter.drawRect(rect.adjusted(1, 1, -1, -1))
        font = QFont(self.font())
        font.setStrikeOut(entry.cancelled)
        painter.setFont(font)
        painter.setPen(QColor("#777777" if entry.cancelled else "#1a1a1a"))
        metrics = QFontMetrics(font)
        y = rect.y()
        for text in lines:
            if y + metrics.height() > rect.bottom() + 1 or not text:
                break
            elided = metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(rect.width() - 6))
            painter.drawText(QRectF(rect.x() + 3, y, rect.width() - 6, metrics.height()), elided)
            y += metrics.height()
        painter.setFont(self.font())
        self._hits.append((rect, entry))

    # --- interaction -------------------------------------------------------------------------
    def entry_at(self, point: QPointF) -> CalendarEntry | None:
        if self._hits_for != self._layout_key():  # not painted since it changed
            picture = QPicture()  # kept alive while the painter works on it
            self._paint(QPainter(picture))
        for rect, entry in self._hits:
            if rect.contains(point):
                return entry
        return None

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        entry = self.entry_at(event.position())
        if entry is not None:
            self.current = entry
            self.groupActivated.emit(entry.group_id)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        entry = self.entry_at(event.position())
        if entry is not None:
            self.current = entry
            self.update()
        super().mousePressEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.current is not None:
            self.groupActivated.emit(self.current.group_id)
            return
        if key in NAVIGATION_KEYS:
            self.navigate.emit(NAVIGATION_KEYS[key])
            return
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down):
            self._move_current(key)
            return
        super().keyPressEvent(event)

    def _move_current(self, key: int) -> None:
        """Arrows: the next or previous half-day of the period shown."""
        if not self.entries:
            return
        index = self.entries.index(self.current) if self.current in self.entries else 0
        step = 1 if key in (Qt.Key.Key_Right, Qt.Key.Key_Down) else -1
        self.current = self.entries[max(0, min(len(self.entries) - 1, index + step))]
        self.update()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            entry = self.entry_at(QPointF(event.pos()))
            if entry is None:
                QToolTip.hideText()
                event.ignore()
            else:
                QToolTip.showText(event.globalPos(), entry_text(entry), self)
            return True
        return super().event(event)


class CalendarWindow(QWidget):
    """The calendar in its own window: navigation, filters, the canvas."""

    def __init__(
        self,
        database: Database,
        settings: QSettings,
        on_error: Callable[[str], None],
        open_group: Callable[[int], None],
        parent: QWidget | None = None,
        prompts: Prompts | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("calendar_window")
        self.setWindowTitle("Calendrier des groupes")
        self.database = database
        self.settings = settings
        self.on_error = on_error
        self.prompts = prompts
        self.canvas = CalendarCanvas(self)
        self.canvas.groupActivated.connect(open_group)
        self.canvas.anchor = self.canvas.today = database.clock.now().date()

        self.mode_box = QComboBox(self)
        self.mode_box.setObjectName("calendar_mode")
        self.mode_box.addItem("Mois", MONTH)
        self.mode_box.addItem("Semaine", WEEK)
        self.previous_button = QToolButton(self)
        self.previous_button.setText("‹")
        self.previous_button.setToolTip("Précédent (Page précédente)")
        self.next_button = QToolButton(self)
        self.next_button.setText("›")
        self.next_button.setToolTip("Suivant (Page suivante)")
        self.today_button = QPushButton("Aujourd'hui", self)
        self.today_button.setToolTip("Revenir à aujourd'hui (Origine)")
        self.title = QLabel(self)
        self.title.setObjectName("calendar_title")
        self.title.setStyleSheet("font-weight: bold; font-size: 12pt")
        self.course_box = QComboBox(self)
        self.course_box.setObjectName("calendar_course")
        self.city_box = QComboBox(self)
        self.city_box.setObjectName("calendar_city")
        self.trainer_box = QComboBox(self)
        self.trainer_box.setObjectName("calendar_trainer")
        for box in (self.course_box, self.city_box, self.trainer_box):
            box.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            box.setMinimumContentsLength(14)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("calendar_count")
        self.export_button = QPushButton("Exporter (.ics)…", self)
        self.export_button.setObjectName("calendar_export")
        self.export_button.setToolTip(
            "Le calendrier (ou celui de l'intervenant choisi) pour Outlook ou Thunderbird"
        )
        self.export_button.clicked.connect(self.export_ics)
        self.export_button.setVisible(prompts is not None)

        navigation = QHBoxLayout()
        navigation.addWidget(self.mode_box)
        navigation.addWidget(self.previous_button)
        navigation.addWidget(self.today_button)
        navigation.addWidget(self.next_button)
        navigation.addSpacing(8)
        navigation.addWidget(self.title, 1)
        navigation.addWidget(self.count_label)
        navigation.addWidget(self.export_button)
        filters = QHBoxLayout()
        for label, box in (
            ("&Formation :", self.course_box),
            ("&Ville :", self.city_box),
            ("&Intervenant :", self.trainer_box),
        ):
            caption = QLabel(label, self)
            caption.setBuddy(box)
            filters.addWidget(caption)
            filters.addWidget(box, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(navigation)
        layout.addLayout(filters)
        layout.addWidget(self.canvas, 1)

        self._fill_filters()
        stored_mode = settings.value(MODE_KEY, MONTH)
        self.mode_box.setCurrentIndex(1 if stored_mode == WEEK else 0)
        self.canvas.mode = self.mode_box.currentData()
        self.mode_box.currentIndexChanged.connect(self._mode_changed)
        self.previous_button.clicked.connect(lambda: self.go(-1))
        self.next_button.clicked.connect(lambda: self.go(1))
        self.today_button.clicked.connect(self.go_today)
        for box in (self.course_box, self.city_box, self.trainer_box):
            box.currentIndexChanged.connect(self.reload)
        self.canvas.navigate.connect(lambda step: self.go(step) if step else self.go_today())
        for keys, slot in (
            (QKeySequence.StandardKey.Refresh, self.reload),
            (QKeySequence.StandardKey.Close, self.close),
        ):
            QShortcut(QKeySequence(keys), self).activated.connect(slot)
        self.reload()
        restore_geometry(self, GEOMETRY_KEY, settings)
        # It closes with the main window, and never keeps the application running alone.
        self.setAttribute(Qt.WidgetAttribute.WA_QuitOnClose, False)
        self.owner = parent.window() if parent is not None else None
        if self.owner is not None:
            self.owner.installEventFilter(self)

    def _fill_filters(self) -> None:
        done = attempt(self.database, calendar_choices, self.on_error, write=False)
        if done is None:
            return
        choices = done.value
        self.course_box.addItem("Toutes les formations", None)
        for course_id, label in choices.courses:
            self.course_box.addItem(label, course_id)
        self.city_box.addItem("Toutes les villes", None)
        for city in choices.cities:
            self.city_box.addItem(city, city)
        self.trainer_box.addItem("Tous les intervenants", None)
        for trainer_id, name in choices.trainers:
            self.trainer_box.addItem(name, trainer_id)

    def current_filter(self) -> CalendarFilter:
        return CalendarFilter(
            course_id=self.course_box.currentData(),
            city=self.city_box.currentData(),
            trainer_id=self.trainer_box.currentData(),
        )

    def reload(self) -> None:
        """Read the half-days of the period shown, with the filters, and paint them."""
        days = self.canvas.days()
        where = self.current_filter()
        done = attempt(
            self.database,
            lambda session: calendar_entries(session, days[0], days[-1], where),
            self.on_error,
            write=False,
        )
        entries = done.value if done is not None else []
        self.canvas.set_entries(entries)
        self.title.setText(period_title(self.canvas.anchor, self.canvas.mode))
        groups = len({entry.group_id for entry in entries})
        self.count_label.setText(
            f"{len(entries)} demi-journée{'s' if len(entries) > 1 else ''}, "
            f"{groups} groupe{'s' if groups > 1 else ''}"
        )

    def export_ics(self) -> Path | None:
        """Write the whole calendar (or the chosen trainer's), or the group of the selected
        half-day, as an iCalendar file."""
        if self.prompts is None:
            return None
        trainer_id = self.trainer_box.currentData()
        group_id: int | None = None
        name = (
            f"Planning - {self.trainer_box.currentText()}.ics"
            if trainer_id is not None
            else "Calendrier des formations.ics"
        )
        current = self.canvas.current
        if current is not None:
            everything = (
                f"Le planning de {self.trainer_box.currentText()}"
                if trainer_id is not None
                else "Tout le calendrier"
            )
            group = f"Le groupe « {current.group} »"
            answer = self.prompts.choose(
                self,
                "Exporter le calendrier",
                "Que faut-il exporter ?",
                [everything, group, "Annuler"],
            )
            if answer not in (everything, group):
                return None
            if answer == group:
                group_id, trainer_id = current.group_id, None
                name = f"Agenda - {current.group} - {current.city}.ics".replace(" - .ics", ".ics")
        chosen = self.prompts.save_file(self, "Exporter le calendrier", name, ICS_FILTER)
        if not chosen:
            return None
        target = Path(chosen)
        if target.suffix.lower() != ".ics":
            target = target.with_name(target.name + ".ics")

        database = self.database

        def work() -> Path:  # on a thread of its own, with its own session
            with database.session() as session:
                calendar = build_calendar(session, group_id=group_id, trainer_id=trainer_id)
            return write_calendar(calendar, target)

        try:
            written = wait_while_repainting(work)
        except Exception as error:
            message = failure_message(error)
            if message is None:
                raise  # a bug: the last-resort handler
            self.on_error(message)
            return None
        self.prompts.inform(
            self, "Exporter le calendrier", f"Calendrier enregistré : « {written.name} »."
        )
        return written

    def go(self, step: int) -> None:
        self.canvas.anchor = shifted(self.canvas.anchor, self.canvas.mode, step)
        self.reload()

    def go_today(self) -> None:
        self.canvas.anchor = self.canvas.today
        self.reload()

    def show_date(self, day: dt.date) -> None:
        self.canvas.anchor = day
        self.reload()

    def _mode_changed(self) -> None:
        self.canvas.mode = self.mode_box.currentData()
        self.settings.setValue(MODE_KEY, self.canvas.mode)
        self.reload()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.owner and event.type() == QEvent.Type.Close:
            self.close()
        return False

    def closeEvent(self, event: QCloseEvent) -> None:
        self.settings.setValue(GEOMETRY_KEY, self.saveGeometry())
        super().closeEvent(event)
