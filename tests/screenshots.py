"""Write PNGs of the window (tabs, attendance grid, « Paramètres ») and of the first page of
each document, with the example data, to a folder: ``make screenshots``."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPointF, QRectF, QSettings, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from allervers_desktop.clock import FixedClock, SystemClock
from allervers_desktop.db.database import Database, open_database
from allervers_desktop.services import attendance
from allervers_desktop.services.demo import load_demo
from allervers_desktop.services.providers import ProviderData, get_provider, update_provider
from allervers_desktop.services.settings import DocumentIdentity, StoredImage, save_identity
from allervers_desktop.services.teaching import half_day_trainers, set_half_day_trainers
from allervers_desktop.ui.app import make_application
from allervers_desktop.ui.attendance_grid import FIXED_COLUMNS
from allervers_desktop.ui.main_window import MainWindow
from allervers_desktop.ui.tabs.registry import TAB_KEYS

GROUP_1 = 1  # Groupe 1 – Strasbourg in the example data


def settle(app: QApplication) -> None:
    for _ in range(5):
        app.processEvents()


def save_widget(widget: QWidget, path: Path) -> Path:
    if not widget.grab().save(str(path)):
        raise OSError(f"L'image « {path} » ne peut pas être écrite.")
    return path


def _png_bytes(image: QImage) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "image.png"
        if not image.save(str(path)):
            raise OSError("Image d'exemple impossible à écrire.")
        return path.read_bytes()


def example_logo() -> bytes:
    """A plain two-colour logo, as an organisation would upload one."""
    image = QImage(360, 160, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor("#1f3a5f"))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(QRectF(10, 20, 120, 120))
    painter.setBrush(QColor("#e07a1f"))
    painter.drawEllipse(QRectF(70, 50, 60, 60))
    font = QFont()
    font.setPixelSize(54)
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(QColor("#1f3a5f"))
    painter.drawText(QRectF(145, 20, 215, 120), Qt.AlignmentFlag.AlignVCenter, "Opco")
    painter.end()
    return _png_bytes(image)


def example_signature() -> bytes:
    """A hand-written-looking stroke."""
    image = QImage(400, 140, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(QColor("#1b2a6b"), 5)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    painter.setPen(pen)
    path = QPainterPath(QPointF(20, 100))
    path.cubicTo(QPointF(60, 10), QPointF(90, 130), QPointF(130, 60))
    path.cubicTo(QPointF(160, 20), QPointF(180, 120), QPointF(220, 70))
    path.cubicTo(QPointF(250, 40), QPointF(300, 110), QPointF(380, 50))
    painter.drawPath(path)
    painter.end()
    return _png_bytes(image)


EXAMPLE_IDENTITY = DocumentIdentity(
    organisation_name="Opco Santé – Délégation Grand Est",
    address="2 rue de Rome\n67300 Schiltigheim",
    signatory_name="Aurore JOANNES",
    signatory_title="Chargée de mission formation",
    city="Strasbourg",
)


def set_example_identity(database: Database) -> None:
    identity = replace(
        EXAMPLE_IDENTITY,
        logo=StoredImage("logo.png", example_logo()),
        signature=StoredImage("signature.png", example_signature()),
    )
    with database.transaction() as session:
        save_identity(session, identity)
        # The provider signs its own certificates: its stamp, not the Opco's signature.
        praxis = replace(
            ProviderData.from_provider(session, get_provider(session, 1)),
            stamp=StoredImage("cachet.png", example_signature()),
        )
        update_provider(session, 1, praxis)


def record_first_day(database: Database) -> None:
    """The first day taken: everyone present, one absence, one excused, one late (9 h 20),
    one who left early (16 h 00); the first trainer alone on the first afternoon."""
    with database.transaction() as session:
        grid = attendance.attendance_grid(session, GROUP_1)
        first_day = [column.half_day_id for column in grid.columns[:2]]
        attendance.mark_all(session, GROUP_1, half_day_ids=first_day)
        rows = grid.rows
        attendance.set_cell(session, rows[1].enrollment_id, first_day[1], "absent")
        attendance.set_cell(
            session, rows[4].enrollment_id, first_day[0], "excused", "Rendez-vous médical"
        )
        attendance.set_cell(
            session, rows[6].enrollment_id, first_day[0], "late", arrived_at=dt.time(9, 20)
        )
        attendance.set_cell(
            session, rows[8].enrollment_id, first_day[1], "present", left_at=dt.time(16, 0)
        )
        first_trainer = half_day_trainers(session, GROUP_1)[first_day[0]][0]
        set_half_day_trainers(session, first_day[1], [first_trainer.id])


def record_second_day(database: Database) -> None:
    with database.transaction() as session:
        attendance.mark_all(session, GROUP_1, only_empty=True)


def tab_shots(app: QApplication, window: MainWindow, folder: Path) -> list[Path]:
    written = []
    for key in TAB_KEYS:
        tab = window.show_tab(key)
        settle(app)
        tab.view.selectRow(0)
        settle(app)
        written.append(save_widget(window, folder / f"tab-{key}.png"))
    return written


def attendance_shot(app: QApplication, window: MainWindow, folder: Path) -> Path:
    window.show_tab("groups")
    groups = window.groups_tab
    groups.view.selectRow(0)
    groups.splitter.setSizes([300, 1100])  # room for the four half-days, as a user would do
    settle(app)
    detail = groups.group_detail
    detail.pages.setCurrentWidget(detail.attendance)
    settle(app)
    detail.attendance.view.setFocus()
    detail.attendance.view.setCurrentIndex(detail.attendance.model.index(0, FIXED_COLUMNS))
    settle(app)
    return save_widget(window, folder / "attendance-grid.png")


def settings_shot(app: QApplication, window: MainWindow, folder: Path) -> Path:
    from allervers_desktop.ui.forms.settings_form import SettingsForm

    form = SettingsForm(window.database, window.prompts, window)
    form.show()
    settle(app)
    path = save_widget(form, folder / "settings.png")
    form.close()
    return path


def privacy_shot(app: QApplication, window: MainWindow, folder: Path) -> Path:
    """« Données personnelles (RGPD) » as it will look three years after the example data was
    entered: the attended group keeps its names (its sign-in sheets are kept), the other not."""
    import datetime as dt

    from allervers_desktop.ui.privacy_dialog import PrivacyDialog

    later = dt.date.today() + dt.timedelta(days=3 * 366)
    dialog = PrivacyDialog(window.database, window.prompts, lambda: None, window, later)
    dialog.show()
    settle(app)
    path = save_widget(dialog, folder / "privacy.png")
    dialog.close()
    return path


def history_shot(app: QApplication, window: MainWindow, folder: Path) -> Path:
    """A participant's Historique after two changes."""
    from sqlalchemy import select

    from allervers_desktop.db.models import Participant
    from allervers_desktop.services.history import record_history
    from allervers_desktop.services.participants import ParticipantData, update_participant
    from allervers_desktop.ui.history_dialog import HistoryDialog

    database = window.database
    with database.transaction() as session:
        person = session.scalars(select(Participant).where(Participant.last_name == "MULLER")).one()
        data = ParticipantData.from_participant(person)
        data.phone, data.job_title = "06 12 34 56 78", "Cheffe de service"
        update_participant(session, person.id, data)
        person_id = person.id
    with database.session() as session:
        history = record_history(session, Participant, person_id)
    dialog = HistoryDialog("MULLER Hélène", history, window)
    dialog.show()
    settle(app)
    path = save_widget(dialog, folder / "history.png")
    dialog.close()
    return path


def stale_form_shot(app: QApplication, window: MainWindow, folder: Path) -> list[Path]:
    """A save refused because a colleague saved first: the question, then the reloaded form."""
    from sqlalchemy import select

    from allervers_desktop.db.models import Participant
    from allervers_desktop.services.participants import ParticipantData, update_participant
    from allervers_desktop.ui.forms.form_dialog import FormDialog
    from allervers_desktop.ui.forms.participant_form import ParticipantForm
    from allervers_desktop.ui.prompts import Prompts

    shots: list[Path] = []

    class Shooting(Prompts):
        def choose(
            self,
            parent: QWidget | None,
            title: str,
            text: str,
            choices: list[str],
            *,
            result: bool = False,
        ) -> str:
            from PySide6.QtWidgets import QMessageBox

            box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=parent)
            for choice in choices:
                box.addButton(choice, QMessageBox.ButtonRole.ActionRole)
            box.show()
            settle(app)
            shots.append(save_widget(box, folder / "stale-question.png"))
            box.close()
            return choices[0]

        def run_dialog(self, dialog: QDialog) -> bool:
            dialog.show()
            settle(app)
            shots.append(save_widget(dialog, folder / "stale-reloaded.png"))
            dialog.close()
            return False

    database = window.database
    with database.session() as session:
        person_id = session.scalars(
            select(Participant.id).where(Participant.last_name == "WEBER")
        ).first()
    assert person_id is not None
    form = ParticipantForm(database, person_id, window)
    form.discard_prompts = Shooting()
    form.show()
    settle(app)
    form.phone.setText("06 98 76 54 32")
    with database.transaction() as session:
        data = ParticipantData.from_participant(session.get(Participant, person_id))  # type: ignore[arg-type]
        data.email, data.job_title = "c.weber@collegue.fr", "Infirmière coordinatrice"
        update_participant(session, person_id, data)
    FormDialog.accept(form)
    form.close()
    return shots


def plant_planning_examples(database: Database) -> None:
    """What the « Doublons probables » and « Conflits » lists are for: Hélène MULLER entered a
    second time with her e-mail spelt otherwise, and a third group on Groupe 1's first day
    taught by the same trainer."""
    from allervers_desktop.services.employer_directory import EmployerData, save_employer
    from allervers_desktop.services.employers import find_employer
    from allervers_desktop.services.groups import DayData, GroupData, create_group
    from allervers_desktop.services.participants import ParticipantData, create_participant

    with database.transaction() as session:
        foyer = find_employer(session, "Foyer Saint-Éloi", "Colmar")
        assert foyer is not None
        data = EmployerData.from_employer(foyer)
        data.address, data.siret, data.finess = "4 rue des Clefs, 68000 Colmar", "", "680001005"
        data.contact_name, data.contact_email = "Mme Roth", "rh@foyer-saint-eloi.fr"
        save_employer(session, foyer.id, data)
        create_participant(
            session,
            ParticipantData(
                last_name="Muller",
                first_name="Hélène",
                email="Helene.Muller+opco@exemple.fr",
                job_title="Éducatrice spécialisée",
                employer_name="Association Le Relais de l'Ill",
                employer_city="Strasbourg",
            ),
        )
        create_participant(
            session,
            ParticipantData(
                last_name="KOENIG",
                first_name="Antoine",
                job_title="Moniteur-éducateur",
                employer_name="Foyer Saint-Éloi (site de Wittenheim)",
            ),
        )
        create_group(
            session,
            GroupData(
                course_id=1,
                label="Groupe 3",
                city="Colmar",
                venue_address="Foyer Saint-Éloi, 4 rue des Clefs, 68000 Colmar",
                capacity=12,
                days=[DayData(dt.date(2023, 9, 25))],
                trainer_ids=[1],
            ),
        )


def planning_shots(app: QApplication, folder: Path) -> list[Path]:
    """« Établissements » (with its form), « Doublons probables » and « Conflits », on a copy
    of the example data with a duplicate and a conflict planted (the other shots keep theirs)."""
    from allervers_desktop.ui.conflicts_dialog import ConflictsDialog
    from allervers_desktop.ui.duplicates_dialog import DuplicatesDialog
    from allervers_desktop.ui.employer_list import EmployersDialog
    from allervers_desktop.ui.forms.employer_form import EmployerForm
    from tests.ui.helpers import column_values

    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        database = open_database(Path(tmp) / "allervers.sqlite3")
        with database.transaction() as session:
            load_demo(session)
        plant_planning_examples(database)
        settings = QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(database, settings=settings)
        window.resize(1400, 820)
        window.show()
        settle(app)
        employers = EmployersDialog(window.context, window)
        employers.show()
        settle(app)
        foyer = employers.model.id_at(column_values(employers.model, 0).index("Foyer Saint-Éloi"))
        assert foyer is not None
        employers.select_id(foyer)
        settle(app)
        written.append(save_widget(employers, folder / "employers.png"))
        form = EmployerForm(database, foyer, employers)
        form.siret_edit.setText("123 456 789 00012")
        form.show()
        form.accept()  # refused: the SIRET's key is wrong
        settle(app)
        written.append(save_widget(form, folder / "employer-form.png"))
        form.discard()
        employers.close()
        shown: list[QDialog] = [
            DuplicatesDialog(window.context, lambda _id: None, window),
            ConflictsDialog(window.context, lambda _id: None, window),
        ]
        for dialog, name in zip(shown, ("duplicates", "conflicts"), strict=True):
            dialog.show()
            settle(app)
            written.append(save_widget(dialog, folder / f"{name}.png"))
            dialog.close()
        window.close()
        database.close()
    return written


def lifecycle_shots(app: QApplication, window: MainWindow, folder: Path) -> list[Path]:
    """The calendar (month and week), the waiting list in the group pane with the freed seat
    proposed, the transfer's choice of group and the merge dialog."""
    from allervers_desktop.services.enrollments import enroll
    from allervers_desktop.services.groups import GroupData, get_group, update_group
    from allervers_desktop.services.participant_merge import Difference
    from allervers_desktop.services.participants import ParticipantData, create_participant
    from allervers_desktop.services.transfers import transfer_targets
    from allervers_desktop.ui.choice_dialog import ChoiceDialog
    from allervers_desktop.ui.lifecycle_actions import MergeDialog

    written: list[Path] = []
    calendar = window.show_calendar()
    calendar.resize(1200, 760)
    calendar.show_date(dt.date(2023, 9, 25))
    settle(app)
    written.append(save_widget(calendar, folder / "calendar-month.png"))
    calendar.mode_box.setCurrentIndex(1)
    calendar.show_date(dt.date(2023, 9, 25))
    settle(app)
    written.append(save_widget(calendar, folder / "calendar-week.png"))
    calendar.mode_box.setCurrentIndex(0)
    calendar.close()
    database = window.database
    with database.transaction() as session:  # Groupe 2 full, two people waiting
        group = get_group(session, 2)
        data = GroupData.from_group(group)
        data.capacity = 11
        update_group(session, 2, data)
        for last, first in (("RENARD", "Maëlle"), ("COLIN", "Théo")):
            person = create_participant(session, ParticipantData(last_name=last, first_name=first))
            enroll(session, 2, person.id)
        choices = transfer_targets(session, 1)
    tab = window.show_tab("groups")
    tab.view.selectRow(1)
    detail = window.groups_tab.group_detail
    detail.pages.setCurrentIndex(0)  # Inscriptions
    settle(app)
    written.append(save_widget(detail, folder / "waiting-list.png"))
    dialog = ChoiceDialog(
        "Transférer vers un autre groupe",
        "Vers quel groupe ? (les groupes de la même formation d'abord)",
        choices,
        window,
        action="Transférer",
    )
    dialog.show()
    settle(app)
    written.append(save_widget(dialog, folder / "transfer.png"))
    dialog.close()
    merge = MergeDialog(
        ("MULLER Hélène", "MULLER Hélène"),
        (1, 22),
        [
            Difference("email", "E-mail", "helene.muller@exemple.fr", "h.muller@exemple.fr"),
            Difference("phone", "Téléphone", "06 12 34 56 78", ""),
            Difference("job_title", "Fonction", "Éducatrice spécialisée", "Éducatrice"),
        ],
        window,
    )
    merge.show()
    settle(app)
    written.append(save_widget(merge, folder / "merge.png"))
    merge.close()
    return written


def mail_shots(app: QApplication, window: MainWindow, folder: Path) -> list[Path]:
    """The convocations' preview before sending, the outbox with a failure and the log, the
    templates with their preview, and the sending set-up."""
    from sqlalchemy import select

    from allervers_desktop.db.models import OutboxMessage, OutboxStatus
    from allervers_desktop.mail.compose import MailKind, compose
    from allervers_desktop.mail.config import MailSettings, Security, save_mail_settings
    from allervers_desktop.mail.outbox import queue
    from allervers_desktop.ui.mail.outbox_dialog import OutboxDialog
    from allervers_desktop.ui.mail.send_dialog import SendDialog
    from allervers_desktop.ui.mail.settings_dialog import MailSettingsForm
    from allervers_desktop.ui.mail.templates_dialog import TemplatesDialog

    database = window.database
    with database.transaction() as session:
        save_mail_settings(
            session,
            MailSettings(
                sender="coordination@opco-sante.fr", smtp_host="smtp.office365.com",
                smtp_security=Security.STARTTLS, smtp_user="coordination@opco-sante.fr",
            ),
        )  # fmt: skip
    written: list[Path] = []
    context = window.context
    title = "La pratique de l'Aller Vers — Groupe 1"
    shown_clock = database.clock
    database.clock = FixedClock(dt.datetime(2023, 9, 15, 10, 0))  # ten days before: convocations
    send = SendDialog(context, MailKind.CONVOCATION, GROUP_1, title, window)
    send.show()
    while send.task is not None:
        app.processEvents()
    settle(app)
    written.append(save_widget(send, folder / "mail-send.png"))
    send.close()
    with database.session() as session:
        reminders = compose(session, MailKind.REMINDER, GROUP_1).messages
    with database.transaction() as session:
        ids = queue(session, reminders)
        rows = session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(ids))).all()
        for number, row in enumerate(rows):
            if number < 6:
                row.status = OutboxStatus.SENT.value
                row.sent_at = row.queued_at
            elif number == 6:
                row.status = OutboxStatus.FAILED.value
                row.attempts = 1
                row.last_error = (
                    "Le serveur a refusé le destinataire : 550 5.1.1 Mailbox unavailable"
                )
    outbox = OutboxDialog(context, window)
    outbox.show()
    outbox.view.selectRow(0)
    settle(app)
    written.append(save_widget(outbox, folder / "outbox.png"))
    outbox.close()
    templates = TemplatesDialog(context, window, GROUP_1, title)
    templates.show()
    settle(app)
    written.append(save_widget(templates, folder / "mail-templates.png"))
    templates.close()
    form = MailSettingsForm(context, window)
    form.show()
    settle(app)
    written.append(save_widget(form, folder / "mail-settings.png"))
    form.close()
    database.clock = shown_clock
    return written


def dashboard_shot(app: QApplication, window: MainWindow, path: Path) -> Path:
    """« Tableau de bord » with every filter cleared, once its figures and charts are drawn
    (two employers given a postal address, so that the départements chart has bars)."""
    from allervers_desktop.db.models import Employer

    with window.database.transaction() as session:
        session.get_one(Employer, 1).address = "3 quai des Bateliers, 67000 Strasbourg"
        session.get_one(Employer, 2).address = "1 rue Saint-Éloi, 68000 Colmar"
    dashboard = window.show_dashboard()
    painted: list[bool] = []
    dashboard.painted.connect(lambda: painted.append(True))
    dashboard.load()
    for _turn in range(500):  # at most 10 s
        settle(app)
        if painted and dashboard.task is not None and not dashboard.task.running:
            break
        time.sleep(0.02)
    settle(app)
    return save_widget(window, path)


def budget_shots(app: QApplication, window: MainWindow, folder: Path) -> list[Path]:
    """« Budget du groupe… » of Groupe 1 with a room, catering and the course's provider."""
    from allervers_desktop.budgets.costs import CostInput, add_cost
    from allervers_desktop.ui.costs_dialog import CostsDialog

    with window.context.database.transaction() as session:
        add_cost(session, CostInput("prestataire", 420000, "opco", "", "PRAXIS"), course_id=1)
        add_cost(
            session, CostInput("salle", 36000, "cofinanceur", "DGCS", "Salle"), group_id=GROUP_1
        )
        add_cost(session, CostInput("restauration", 18450, "opco", "", "Repas"), group_id=GROUP_1)
    dialog = CostsDialog(window.context, GROUP_1)
    dialog.show()
    settle(app)
    path = save_widget(dialog, folder / "budget-du-groupe.png")
    dialog.close()
    return [path, complaints_shot(app, window, folder)]


def complaints_shot(app: QApplication, window: MainWindow, folder: Path) -> Path:
    """« Réclamations et actions d'amélioration… » with one closed and one open complaint."""
    from allervers_desktop.services.complaints import ComplaintData, add_complaint
    from allervers_desktop.ui.complaints_dialog import ComplaintsDialog

    with window.context.database.transaction() as session:
        add_complaint(
            session,
            ComplaintData(
                dt.date(2023, 9, 27),
                "employeur",
                "Convocation reçue la veille de la formation",
                group_id=GROUP_1,
                action_taken="Convocations envoyées 15 jours avant",
                status="closed",
                closed_on=dt.date(2023, 10, 2),
            ),
        )
        add_complaint(session, ComplaintData(dt.date(2023, 9, 28), "stagiaire", "Salle froide"))
    dialog = ComplaintsDialog(window.context)
    dialog.show()
    settle(app)
    path = save_widget(dialog, folder / "reclamations.png")
    dialog.close()
    return path


def take_screenshots(folder: Path) -> list[Path]:
    from allervers_desktop.documents.thumbnail import save_screenshots

    folder.mkdir(parents=True, exist_ok=True)
    app = make_application([sys.argv[0]])
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        database = open_database(Path(tmp) / "allervers.sqlite3")
        with database.transaction() as session:
            load_demo(session)
        set_example_identity(database)
        # The window is shot on the second morning: the second afternoon is still to come.
        database.clock = FixedClock(dt.datetime(2023, 9, 26, 10, 0))
        record_first_day(database)
        settings = QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(database, settings=settings)
        window.resize(1400, 820)
        window.show()
        settle(app)
        written += tab_shots(app, window, folder)
        written.append(dashboard_shot(app, window, folder / "tab-dashboard.png"))
        written.append(attendance_shot(app, window, folder))
        written.append(settings_shot(app, window, folder))
        written.append(privacy_shot(app, window, folder))
        written += stale_form_shot(app, window, folder)
        written.append(history_shot(app, window, folder))
        written += planning_shots(app, folder)
        written += lifecycle_shots(app, window, folder)
        written += mail_shots(app, window, folder)
        written += budget_shots(app, window, folder)
        window.close()
        database.clock = SystemClock()
        record_second_day(database)
        written += save_screenshots(database, folder, group_id=GROUP_1, course_id=1)
        database.close()
    return written


SCREENS = (("1366", 1366, 768, "1"), ("150", 1366, 768, "1.5"))  # prefix, width, height, scale


def screen_shots(folder: Path, prefix: str) -> list[Path]:
    """On the virtual screen this process was started with (see ``screen_variants``): the main
    window as it first opens, each tab, the « Feuille de présence » and the course form."""
    from allervers_desktop.ui.forms.course_form import CourseForm

    app = make_application([sys.argv[0]])
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        database = open_database(Path(tmp) / "allervers.sqlite3")
        with database.transaction() as session:
            load_demo(session)
        database.clock = FixedClock(dt.datetime(2023, 9, 26, 10, 0))
        record_first_day(database)
        settings = QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(database, settings=settings)
        window.show()  # first start: fitted to the screen
        settle(app)
        for key in TAB_KEYS:
            tab = window.show_tab(key)
            settle(app)
            tab.view.selectRow(0)
            settle(app)
            written.append(save_widget(window, folder / f"screen-{prefix}-tab-{key}.png"))
        written.append(dashboard_shot(app, window, folder / f"screen-{prefix}-tab-dashboard.png"))
        window.show_tab("groups")
        window.groups_tab.select_id(GROUP_1)
        settle(app)
        session_view = window.groups_tab.open_session_view()
        assert session_view is not None
        settle(app)
        grid = session_view.panel.view
        grid.setCurrentIndex(grid.model().index(0, FIXED_COLUMNS + 2))
        settle(app)
        written.append(save_widget(session_view, folder / f"screen-{prefix}-attendance.png"))
        session_view.close()
        window.show_tab("courses")
        form = CourseForm(database, 1, window, window.prompts)
        form.show()
        settle(app)
        written.append(save_widget(form, folder / f"screen-{prefix}-course-form.png"))
        form.close()
        window.close()
        database.close()
    return written


def screen_variants(folder: Path) -> list[Path]:
    """The same shots at 1366×768 and at 150 %: each in its own process, since Qt reads the
    screen and the scale factor when the application starts."""
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        for prefix, width, height, scale in SCREENS:
            config = Path(tmp) / f"screen-{prefix}.json"
            config.write_text(
                json.dumps(
                    {
                        "screens": [
                            {
                                "name": "Écran",
                                "x": 0,
                                "y": 0,
                                "width": width,
                                "height": height,
                                "logicalDpi": 96,
                                "logicalBaseDpi": 96,
                                "dpr": 1,
                            }
                        ]
                    }
                ),
                encoding="utf-8",
            )
            env = dict(os.environ)
            env["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"
            env["QT_SCALE_FACTOR"] = scale
            result = subprocess.run(
                [sys.executable, "-m", "tests.screenshots", "--screen", prefix, str(folder)],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            written += [Path(line) for line in result.stdout.splitlines() if line]
    return written


if __name__ == "__main__":
    arguments = sys.argv[1:]
    if arguments[:1] == ["--screen"]:
        for written_path in screen_shots(Path(arguments[2]), arguments[1]):
            print(written_path)
        sys.exit(0)
    target = Path(arguments[0] if arguments else "docs")
    for written_path in take_screenshots(target) + screen_variants(target):
        print(written_path)
