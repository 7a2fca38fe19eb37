"""Run in its own process (the screen and QT_SCALE_FACTOR are read at QApplication creation):
open every form and dialog on the example data, print JSON {dialog: [problems], ...}."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication, QWidget


def main(db_path: Path) -> None:
    from allervers_desktop.db.database import open_database
    from allervers_desktop.mail.compose import MailKind
    from allervers_desktop.services.demo import load_demo
    from allervers_desktop.services.participant_merge import Difference
    from allervers_desktop.ui.choice_dialog import ChoiceDialog
    from allervers_desktop.ui.complaints_dialog import ComplaintsDialog
    from allervers_desktop.ui.conflicts_dialog import ConflictsDialog
    from allervers_desktop.ui.costs_dialog import CostsDialog
    from allervers_desktop.ui.duplicates_dialog import DuplicatesDialog
    from allervers_desktop.ui.employer_list import EmployersDialog
    from allervers_desktop.ui.forms.course_form import CourseForm
    from allervers_desktop.ui.forms.employer_form import EmployerForm
    from allervers_desktop.ui.forms.group_form import GroupForm
    from allervers_desktop.ui.forms.participant_form import ParticipantForm
    from allervers_desktop.ui.forms.provider_form import ProviderForm
    from allervers_desktop.ui.forms.settings_form import SettingsForm
    from allervers_desktop.ui.forms.trainer_form import TrainerForm
    from allervers_desktop.ui.import_wizard import ImportWizard
    from allervers_desktop.ui.issue_date_dialog import IssueDateDialog
    from allervers_desktop.ui.lifecycle_actions import MergeDialog
    from allervers_desktop.ui.mail.outbox_dialog import OutboxDialog
    from allervers_desktop.ui.mail.reminders_dialog import RemindersDialog
    from allervers_desktop.ui.mail.send_dialog import SendDialog
    from allervers_desktop.ui.mail.settings_dialog import MailSettingsForm
    from allervers_desktop.ui.mail.templates_dialog import TemplatesDialog
    from allervers_desktop.ui.prompts import Prompts
    from allervers_desktop.ui.tabs.enroll_dialog import EnrollDialog
    from tests.ui.screen_fit import fit_problems

    app = QApplication(sys.argv[:1])
    database = open_database(db_path)
    with database.transaction() as session:
        load_demo(session)
    prompts = Prompts()
    today = dt.date(2024, 6, 3)
    context = _context(database, prompts, db_path.parent / "settings.ini")
    builders: dict[str, Callable[[], QWidget]] = {
        "course_new": lambda: CourseForm(database, None, prompts=prompts),
        "course_edit": lambda: CourseForm(database, 1, prompts=prompts),
        "group_edit": lambda: GroupForm(database, 1),
        "participant_new": lambda: ParticipantForm(database, None),
        "trainer_new": lambda: TrainerForm(database, None),
        "provider_edit": lambda: ProviderForm(database, prompts, 1),
        "settings": lambda: SettingsForm(database, prompts),
        "issue_date": lambda: IssueDateDialog("attestations", today),
        "enroll": lambda: EnrollDialog(database, group_id=1),
        "import_wizard": lambda: ImportWizard(database, prompts, None),
        "employers": lambda: EmployersDialog(context),
        "costs": lambda: CostsDialog(context, 1),
        "complaints": lambda: ComplaintsDialog(context),
        "employer_edit": lambda: EmployerForm(database, 1),
        "duplicates": lambda: DuplicatesDialog(context, lambda _id: None),
        "conflicts": lambda: ConflictsDialog(context, lambda _id: None),
        "transfer_choice": lambda: ChoiceDialog(
            "Transférer vers un autre groupe",
            "Vers quel groupe ?",
            [
                (n, f"La pratique de l'Aller Vers les publics — Module {n} · Groupe {n}")
                for n in range(60)
            ],
        ),
        "merge": lambda: MergeDialog(
            ("MULLER Hélène", "MULLER Helene"),
            (1, 2),
            [Difference(f"f{n}", f"Champ {n}", f"valeur {n}", f"autre {n}") for n in range(14)],
        ),
        "mail_settings": lambda: MailSettingsForm(context, context.window),
        "mail_templates": lambda: TemplatesDialog(context, context.window, 1, "Groupe 1"),
        "mail_send": lambda: SendDialog(
            context, MailKind.FREE, 1, "La pratique de l'Aller Vers — Groupe 1", context.window
        ),
        "outbox": lambda: OutboxDialog(context, context.window),
        "reminders": lambda: RemindersDialog(context, context.window, lambda _id, _t: None),
    }
    screen = app.primaryScreen().availableGeometry()
    report: dict[str, object] = {"screen": [screen.width(), screen.height()]}
    for name, build in builders.items():
        dialog = build()
        dialog.show()
        app.processEvents()
        frame = dialog.frameGeometry()
        report[name] = {"size": [frame.width(), frame.height()], "problems": fit_problems(dialog)}
        if len(sys.argv) > 2:
            dialog.grab().save(str(Path(sys.argv[2]) / f"{name}.png"))
        dialog.close()
        dialog.deleteLater()
        app.processEvents()
    database.close()
    print(json.dumps(report))


def _context(database: Any, prompts: Any, settings_file: Path) -> Any:
    """What the dialogs opened from the window's menus get (no main window here)."""
    from PySide6.QtCore import QSettings

    from allervers_desktop.ui.context import AppContext
    from allervers_desktop.ui.operations import Operations

    owner = QWidget()
    return AppContext(
        window=owner,
        database=database,
        prompts=prompts,
        settings=QSettings(str(settings_file), QSettings.Format.IniFormat),
        operations=Operations(database, prompts, owner),
        status=lambda _message, _ms: None,
        refresh_all=lambda: None,
        switch_to=lambda _database: None,
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
