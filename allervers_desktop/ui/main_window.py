"""The main window: four tabs, menus with shortcuts, remembered geometry, first-start offer."""

from __future__ import annotations

import html
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QByteArray, QMimeData, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QMenu,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import func, select

from allervers_desktop import APP_DISPLAY_NAME, version
from allervers_desktop.db.database import READ_ONLY_TIP, Database
from allervers_desktop.db.models import Course, Participant
from allervers_desktop.db.notifications import ChangeListener
from allervers_desktop.paths import log_dir
from allervers_desktop.ui.context import AppContext
from allervers_desktop.ui.operations import Operations
from allervers_desktop.ui.prompts import Prompts
from allervers_desktop.ui.read_only import ReadOnlyLock
from allervers_desktop.ui.tabs.record_tab import RecordTab
from allervers_desktop.ui.tabs.registry import (
    DASHBOARD_KEY,
    DASHBOARD_TITLE,
    TAB_KEYS,
    TAB_TABLES,
    TAB_TITLES,
)

NO_GROUP_CHOSEN = "Sélectionnez d'abord un groupe dans l'onglet Groupes."

if TYPE_CHECKING:
    from allervers_desktop.ui.backup_actions import BackupContext
    from allervers_desktop.ui.calendar_view import CalendarWindow
    from allervers_desktop.ui.dashboard.tab import DashboardTab
    from allervers_desktop.ui.tabs.courses_tab import CoursesTab
    from allervers_desktop.ui.tabs.groups_tab import GroupsTab
    from allervers_desktop.ui.tabs.participants_tab import ParticipantsTab
    from allervers_desktop.ui.tabs.trainers_tab import TrainersTab
    from allervers_desktop.ui.tasks import BackgroundTask

IMPORTABLE_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")


def _dropped_list(mime: QMimeData) -> Path | None:
    """The spreadsheet file being dropped on the window, if it is one."""
    for url in mime.urls():
        if url.isLocalFile():
            path = Path(url.toLocalFile())
            if path.suffix.lower() in IMPORTABLE_SUFFIXES:
                return path
    return None


def _build_tab(key: str, context: AppContext) -> RecordTab:
    """Import and build a tab only when it is first shown (keeps start-up short)."""
    if key == "courses":
        from allervers_desktop.ui.tabs.courses_tab import CoursesTab

        return CoursesTab(context)
    if key == "groups":
        from allervers_desktop.ui.tabs.groups_tab import GroupsTab

        return GroupsTab(context)
    if key == "trainers":
        from allervers_desktop.ui.tabs.trainers_tab import TrainersTab

        return TrainersTab(context)
    from allervers_desktop.ui.tabs.participants_tab import ParticipantsTab

    return ParticipantsTab(context)


SERVER_BACKUP_TIP = (
    "Les données sont sur le serveur de l'équipe : c'est son administrateur qui les sauvegarde."
)


class MainWindow(QMainWindow):
    # Tables changed by another program on the server (from the listener's thread).
    _changes_elsewhere = Signal(object)

    def __init__(
        self,
        database: Database,
        prompts: Prompts | None = None,
        settings: QSettings | None = None,
        *,
        automatic_backup: bool = False,
    ) -> None:
        super().__init__()
        self.database = database
        # The backup made when the window closes (run_gui turns it on; tests choose).
        self.automatic_backup = automatic_backup and not database.on_server
        self.closing_backup: BackgroundTask | None = None
        self.next_database: Database | None = None  # set by « Se connecter… » / « Ouvrir… »
        self.calendar_window: CalendarWindow | None = None
        self.prompts = prompts or Prompts()
        self.settings = settings or QSettings()
        self.operations = Operations(database, self.prompts, self)
        self.operations.changed.connect(self._changed_here)
        self.context = AppContext(
            window=self,
            database=database,
            prompts=self.prompts,
            settings=self.settings,
            operations=self.operations,
            status=self.show_status,
            refresh_all=self.refresh_all,
            switch_to=self.switch_to,
            show_group=self.show_group,
        )
        self.setWindowTitle(f"{APP_DISPLAY_NAME} — {database.display_name}")
        self.tab_widget = QTabWidget(self)
        self.tab_widget.setDocumentMode(True)
        self._tabs: dict[str, RecordTab] = {}
        self._pages: dict[str, QWidget] = {}
        self._stale: set[str] = set(TAB_KEYS)
        for key, title in zip(TAB_KEYS, TAB_TITLES, strict=True):
            page = QWidget(self.tab_widget)
            layout = QVBoxLayout(page)
            layout.setContentsMargins(0, 0, 0, 0)
            self._pages[key] = page
            self.tab_widget.addTab(page, title)
        self.dashboard: DashboardTab | None = None  # built when first shown
        self._pages[DASHBOARD_KEY] = QWidget(self.tab_widget)
        QVBoxLayout(self._pages[DASHBOARD_KEY]).setContentsMargins(0, 0, 0, 0)
        self.tab_widget.addTab(self._pages[DASHBOARD_KEY], DASHBOARD_TITLE)
        self._stale.add(DASHBOARD_KEY)
        self.setCentralWidget(self.tab_widget)
        self.setAcceptDrops(True)
        self._build_menus()
        self.statusBar().addPermanentWidget(QLabel(database.location, self))
        self.read_only_lock: ReadOnlyLock | None = None
        if database.read_only:
            self.read_only_lock = ReadOnlyLock(self)
            self.read_only_lock.hold(*self.editing_actions())
            for menu in self.menuBar().findChildren(QMenu):
                menu.setToolTipsVisible(True)
            badge = QLabel("Lecture seule", self)
            badge.setObjectName("read_only")
            badge.setToolTip(READ_ONLY_TIP)
            badge.setStyleSheet("QLabel { color: #8a4b00; font-weight: bold; }")
            self.statusBar().addPermanentWidget(badge)
        self.change_listener: ChangeListener | None = None
        if database.on_server:
            self._changes_elsewhere.connect(self._changed_elsewhere)
            self.change_listener = ChangeListener(database.engine, self._changes_elsewhere.emit)
            self.change_listener.start()
        self._restore_state()
        self.tab_widget.currentChanged.connect(self._tab_shown)
        self._tab_shown(self.tab_widget.currentIndex())

    # --- menus -------------------------------------------------------------------------------
    def _action(
        self,
        menu: QMenu,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
    ) -> QAction:
        action = menu.addAction(text)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("&Fichier")
        self.import_action = self._action(
            self.file_menu, "&Importer une liste…", lambda: self.import_list(), "Ctrl+I"
        )
        self.history_action = self._action(
            self.file_menu, "&Historique des imports…", self.show_import_history
        )
        export_menu = self.file_menu.addMenu("E&xporter")
        self.export_group_action = self._action(
            export_menu, "Liste du groupe sélectionné…", self.export_selected_group, "Ctrl+Shift+E"
        )
        self.export_course_action = self._action(
            export_menu, "Tous les groupes de la formation…", self.export_selected_course
        )
        self.export_directory_action = self._action(
            export_menu, "Annuaire des participants…", self.export_participants
        )
        self.file_menu.addSeparator()
        self.connect_action = self._action(
            self.file_menu, "Se co&nnecter à un serveur…", self.connect_to_server
        )
        self.open_file_action = self._action(
            self.file_menu,
            "&Ouvrir un fichier…",
            self.open_other_file,
            QKeySequence.StandardKey.Open,
        )
        self.file_menu.addSeparator()
        self.backup_action = self._action(
            self.file_menu, "&Sauvegarder maintenant", self.backup_now, "Ctrl+Shift+S"
        )
        self.restore_action = self._action(
            self.file_menu, "&Restaurer une sauvegarde…", self.restore_backup
        )
        self.save_copy_action = self._action(
            self.file_menu, "Enregistrer une &copie…", self.save_copy
        )
        if self.database.on_server:  # the administrator backs the server up (pg_dump)
            for action in (self.backup_action, self.restore_action, self.save_copy_action):
                action.setEnabled(False)
                action.setStatusTip(SERVER_BACKUP_TIP)
        self.file_menu.addSeparator()
        self.demo_action = self._action(
            self.file_menu, "Charger les données d'exemple", self.load_demo_data
        )
        self.privacy_action = self._action(
            self.file_menu, "Données personnelles (RGPD)…", self.show_privacy
        )
        self.file_menu.addSeparator()
        self.providers_action = self._action(
            self.file_menu, "Organismes de &formation…", self.show_providers
        )
        self.employers_action = self._action(
            self.file_menu, "É&tablissements…", self.show_employers
        )
        self.complaints_action = self._action(
            self.file_menu, "Réclamations et actions d'a&mélioration…", self.show_complaints
        )
        self.settings_action = self._action(
            self.file_menu, "&Paramètres…", self.edit_settings, QKeySequence.StandardKey.Preferences
        )
        self.settings_action.setShortcut(QKeySequence("Ctrl+,"))
        self.file_menu.addSeparator()
        self.quit_action = self._action(
            self.file_menu, "&Quitter", self.close, QKeySequence.StandardKey.Quit
        )
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))

        edit = bar.addMenu("É&dition")
        self.new_action = self._action(
            edit, "&Nouveau…", lambda: self.current_tab().add_record(), QKeySequence.StandardKey.New
        )
        self.edit_action = self._action(
            edit, "&Modifier…", lambda: self.current_tab().edit_selected(), "Ctrl+E"
        )
        self.delete_action = self._action(
            edit,
            "&Supprimer",
            self.delete_focused,
            QKeySequence.StandardKey.Delete,
        )
        edit.addSeparator()
        self.find_action = self._action(
            edit,
            "&Rechercher",
            lambda: self.current_tab().focus_search(),
            QKeySequence.StandardKey.Find,
        )
        edit.addSeparator()
        self.duplicates_action = self._action(edit, "D&oublons probables…", self.show_duplicates)
        self.conflicts_action = self._action(edit, "&Conflits…", self.show_conflicts)
        edit.addSeparator()
        self.budget_action = self._action(edit, "&Budget du groupe…", self.show_budget)

        view = bar.addMenu("&Affichage")
        for index, title in enumerate(TAB_TITLES):
            self._action(
                view,
                title,
                partial(self.tab_widget.setCurrentIndex, index),
                f"Ctrl+{index + 1}",
            )
        self.dashboard_action = self._action(
            view, DASHBOARD_TITLE, self.show_dashboard, f"Ctrl+{len(TAB_TITLES) + 1}"
        )
        view.addSeparator()
        self.refresh_action = self._action(
            view, "Actualiser", self.refresh_all, QKeySequence.StandardKey.Refresh
        )
        self.refresh_action.setShortcut(QKeySequence("F5"))
        self.session_action = self._action(  # the selected group's attendance, full width
            view, "&Feuille de présence…", lambda: self.groups_tab.open_session_view(), "Ctrl+P"
        )
        self.calendar_action = self._action(view, "&Calendrier…", self.show_calendar, "Ctrl+K")

        from allervers_desktop.ui.document_actions import DocumentMenu

        self.documents_menu = DocumentMenu(self.context)
        bar.addMenu(self.documents_menu)

        from allervers_desktop.ui.mail.menu import MailMenu

        self.mail_menu = MailMenu(self.context)
        bar.addMenu(self.mail_menu)

        help_menu = bar.addMenu("A&ide")
        self.about_action = self._action(help_menu, "À &propos", self.show_about)

    # --- tabs --------------------------------------------------------------------------------
    def editing_actions(self) -> list[QAction]:
        """The menu actions that change the data (disabled for a read-only login)."""
        return [
            self.import_action,
            self.restore_action,
            self.demo_action,
            self.privacy_action,
            self.settings_action,
            self.new_action,
            self.edit_action,
            self.delete_action,
            *self.mail_menu.editing_actions(),
        ]

    def tab(self, key: str) -> RecordTab:
        """The tab for ``key``, built the first time it is asked for."""
        tab = self._tabs.get(key)
        if tab is None:
            tab = _build_tab(key, self.context)
            self._tabs[key] = tab
            layout = self._pages[key].layout()
            assert layout is not None
            layout.addWidget(tab)
            self._connect_tab(key, tab)
        return tab

    def _connect_tab(self, key: str, tab: RecordTab) -> None:
        """The one place where a tab is wired to the rest of the window."""
        if self.read_only_lock is not None:
            self.read_only_lock.hold(*tab.editing_controls())
        if key == "groups":
            groups = cast("GroupsTab", tab)
            groups.group_detail.documents_button.setMenu(self.documents_menu)
            groups.groupShown.connect(self.documents_menu.set_group)
            groups.group_detail.messages_button.setMenu(self.mail_menu)
            groups.groupShown.connect(self.mail_menu.set_group)
            self.documents_menu.selection = groups.document_selection

    def show_status(self, message: str, milliseconds: int = 5000) -> None:
        self.statusBar().showMessage(message, milliseconds)

    @property
    def courses_tab(self) -> CoursesTab:
        return cast("CoursesTab", self.tab("courses"))

    @property
    def groups_tab(self) -> GroupsTab:
        return cast("GroupsTab", self.tab("groups"))

    @property
    def trainers_tab(self) -> TrainersTab:
        return cast("TrainersTab", self.tab("trainers"))

    @property
    def participants_tab(self) -> ParticipantsTab:
        return cast("ParticipantsTab", self.tab("participants"))

    def _key_at(self, index: int) -> str:
        return TAB_KEYS[index] if index < len(TAB_KEYS) else DASHBOARD_KEY

    def current_tab(self) -> RecordTab:
        """The record tab shown (the last one while the dashboard is shown)."""
        return self.tab(TAB_KEYS[min(self.tab_widget.currentIndex(), len(TAB_KEYS) - 1)])

    def show_dashboard(self) -> DashboardTab:
        """« Tableau de bord »: shown, and built the first time (pyqtgraph imported then)."""
        self.tab_widget.setCurrentIndex(len(TAB_KEYS))
        return self._dashboard()

    def _dashboard(self) -> DashboardTab:
        if self.dashboard is None:
            from allervers_desktop.ui.dashboard.tab import DashboardTab

            self.dashboard = DashboardTab(self.context, self._pages[DASHBOARD_KEY])
            layout = self._pages[DASHBOARD_KEY].layout()
            assert layout is not None
            layout.addWidget(self.dashboard)
        return self.dashboard

    def show_tab(self, key: str) -> RecordTab:
        self.tab_widget.setCurrentIndex(TAB_KEYS.index(key))
        return self.tab(key)

    def _tab_shown(self, index: int) -> None:
        key = self._key_at(index)
        if self.read_only_lock is None:  # the dashboard has no records to add, edit or delete
            for action in (self.new_action, self.edit_action, self.delete_action):
                action.setEnabled(key != DASHBOARD_KEY)
        self.find_action.setEnabled(key != DASHBOARD_KEY)
        tab = self._dashboard() if key == DASHBOARD_KEY else self.tab(key)
        if key in self._stale:
            self._stale.discard(key)
            tab.load()

    def _changed_here(self, tables: object, source: object) -> None:
        """A write of this window: the tab it came from reloads itself; the others that show
        the tables it changed reload now (the current one, in place) or when next shown."""
        changed = set(tables) if isinstance(tables, set | frozenset) else set()
        self._reload_tabs_showing(changed, source if isinstance(source, QWidget) else None)

    def _reload_tabs_showing(self, changed: set[str], origin: QWidget | None = None) -> None:
        """The tabs that show ``changed`` tables, except the one ``origin`` is in: the current
        one in place (search, selection and scroll kept), the others when next shown."""
        current = self._key_at(self.tab_widget.currentIndex())
        for key, shown in TAB_TABLES.items():
            if not changed & shown:
                continue
            tab = self.dashboard if key == DASHBOARD_KEY else self._tabs.get(key)
            if (
                tab is not None
                and origin is not None
                and (origin is tab or tab.isAncestorOf(origin))
            ):
                continue
            if key == current and tab is not None and key not in self._stale:
                tab.refresh_keeping_view()
            else:
                self._stale.add(key)

    def _changed_elsewhere(self, tables: object) -> None:
        """Another coordinator's committed change: refresh the tabs that show it now (the
        current one in place, the others when next shown), and the open attendance views."""
        if self.change_listener is None:  # closed meanwhile: a late notification
            return
        changed = set(tables) if isinstance(tables, set | frozenset) else set()
        self._reload_tabs_showing(changed)
        if changed & {"attendances", "enrollments", "half_days", "attendance_unlocks"}:
            from allervers_desktop.ui.attendance_grid import attendance_events

            groups = self._tabs.get("groups")
            open_groups = cast("GroupsTab", groups).open_group_ids() if groups else set()
            for group_id in open_groups:  # the grids showing them read them again
                attendance_events().changed.emit(group_id, self)

    def delete_focused(self) -> None:
        """Suppr acts on the list that has the focus (an enrollment list, or the records)."""
        self.current_tab().delete_focused()

    def refresh_all(self) -> None:
        self._stale = {*TAB_KEYS, DASHBOARD_KEY}
        self._tab_shown(self.tab_widget.currentIndex())

    # --- actions -----------------------------------------------------------------------------
    def database_is_empty(self) -> bool:
        with self.database.session() as session:
            courses = session.scalar(select(func.count()).select_from(Course)) or 0
            participants = session.scalar(select(func.count()).select_from(Participant)) or 0
        return courses == 0 and participants == 0

    def offer_demo_data(self) -> None:
        """On an empty local database, offer to load the example data (never on the team's
        server, where fictitious people would mix with the real ones)."""
        if self.database.on_server or not self.database_is_empty():
            return
        if self.prompts.confirm(
            self,
            "Base de données vide",
            "La base de données est vide. Charger les données d'exemple ?",
            "Formation « La pratique de l'Aller Vers les publics » (module 1) avec ses deux "
            "groupes (Strasbourg et Metz), ses trois intervenants et 21 participants fictifs.",
        ):
            self.load_demo_data()

    def load_demo_data(self) -> None:
        from allervers_desktop.services.demo import load_demo

        done = self.operations.write(self, "Données d'exemple", load_demo)
        if done is None:
            return
        result = done.value
        self.refresh_all()
        self.statusBar().showMessage(result.message, 8000)
        if not result.loaded:
            self.prompts.inform(self, "Données d'exemple", result.message)

    def import_list(self, path: Path | None = None, group_id: int | None = None) -> bool:
        """Open the import wizard (on ``path`` when a file was dropped); True if data changed."""
        from allervers_desktop.ui.import_wizard import ImportWizard

        if group_id is None and self.current_tab() is self._tabs.get("groups"):
            group_id = self.groups_tab.current_id()
        wizard = ImportWizard(self.database, self.prompts, self, path=path, group_id=group_id)
        self.prompts.run_dialog(wizard)
        if wizard.imported:
            self.refresh_all()
            if wizard.result_page.report is not None:
                self.statusBar().showMessage(wizard.result_page.report.summary(), 10000)
            return True
        return False

    def show_import_history(self) -> None:
        from allervers_desktop.ui.import_history import show_import_history

        show_import_history(self.context)

    def _selected_course_id(self) -> int | None:
        """The course of the current tab's selection: a course, or the course of a group."""
        current = self.current_tab()
        if current is self._tabs.get("groups"):
            group_id = current.current_id()
            if group_id is not None:
                from allervers_desktop.services.groups import get_group

                with self.database.session() as session:
                    return get_group(session, group_id).course_id
        if "courses" in self._tabs:
            return self.courses_tab.current_id()
        return None

    def export_selected_group(self) -> None:
        from allervers_desktop.ui import excel_actions

        group_id = self.groups_tab.current_id() if "groups" in self._tabs else None
        if group_id is None:
            self.prompts.inform(
                self, "Exporter", "Sélectionnez d'abord un groupe dans l'onglet Groupes."
            )
            return
        excel_actions.export_group_roster(self.context, group_id)

    def export_selected_course(self) -> None:
        from allervers_desktop.ui import excel_actions

        course_id = self._selected_course_id()
        if course_id is None:
            self.prompts.inform(
                self,
                "Exporter",
                "Sélectionnez d'abord une formation (onglet Formations) ou un de ses groupes.",
            )
            return
        excel_actions.export_course_workbook(self.context, course_id)

    def export_participants(self) -> None:
        from allervers_desktop.ui import excel_actions

        excel_actions.export_participants(self.context)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if _dropped_list(event.mimeData()) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        path = _dropped_list(event.mimeData())
        if path is not None:
            event.acceptProposedAction()
            self.import_list(path)

    def show_calendar(self) -> CalendarWindow:
        """Every group's half-days by month or week (one window, brought to the front)."""
        from allervers_desktop.ui.calendar_view import CalendarWindow

        if self.calendar_window is None:
            self.calendar_window = CalendarWindow(
                self.database,
                self.settings,
                on_error=lambda message: self.prompts.error(
                    self.calendar_window, "Calendrier", message
                ),
                open_group=self.open_group,
                parent=self,
                prompts=self.prompts,
            )
            self.calendar_window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.calendar_window.destroyed.connect(self._calendar_closed)
        else:
            self.calendar_window.reload()
        self.calendar_window.show()
        self.calendar_window.activateWindow()
        self.calendar_window.canvas.setFocus()
        return self.calendar_window

    def _calendar_closed(self) -> None:
        self.calendar_window = None

    def open_group(self, group_id: int) -> None:
        """Show a group in the Groupes tab (from the calendar)."""
        tab = self.show_tab("groups")
        tab.search_field.clear()
        tab.select_id(group_id, max_batches=50)
        self.activateWindow()

    def show_providers(self) -> None:
        """The training providers, whose identity attestations and certificats carry."""
        from allervers_desktop.ui.provider_list import show_providers

        if show_providers(self.database, self.prompts, self):
            self.refresh_all()

    def show_employers(self) -> None:
        """« Établissements »: list, edit, merge (the tabs showing them reload)."""
        from allervers_desktop.ui.employer_list import show_employers

        show_employers(self.context)

    def show_duplicates(self) -> None:
        """« Doublons probables »; a double-click shows the person in « Participants »."""
        from allervers_desktop.ui.duplicates_dialog import show_duplicates

        show_duplicates(self.context, self.show_participant)

    def show_budget(self) -> None:
        """« Budget du groupe… » for the group shown in the Groupes tab."""
        from allervers_desktop.ui.costs_dialog import CostsDialog

        group_id = self.mail_menu.group_id
        if group_id is None:
            self.prompts.inform(self, "Budget du groupe", NO_GROUP_CHOSEN)
            return
        dialog = CostsDialog(self.context, group_id, self)
        self.prompts.run_dialog(dialog)
        dialog.deleteLater()

    def show_complaints(self) -> None:
        from allervers_desktop.ui.complaints_dialog import ComplaintsDialog

        dialog = ComplaintsDialog(self.context, self)
        self.prompts.run_dialog(dialog)
        dialog.deleteLater()

    def show_participant(self, participant_id: int) -> None:
        tab = self.show_tab("participants")
        tab.search_field.clear()
        tab.select_id(participant_id)

    def show_conflicts(self) -> None:
        """« Conflits »: a trainer or a venue twice at once; a double-click shows the group."""
        from allervers_desktop.ui.conflicts_dialog import show_conflicts

        show_conflicts(self.context, self.show_group)

    def show_group(self, group_id: int) -> None:
        tab = self.show_tab("groups")
        tab.search_field.clear()
        tab.select_id(group_id)

    def edit_settings(self) -> None:
        from allervers_desktop.ui.forms.settings_form import SettingsForm

        form = SettingsForm(self.database, self.prompts, self)
        if self.prompts.run_dialog(form):
            self.statusBar().showMessage("Paramètres enregistrés.", 5000)

    def show_privacy(self) -> None:
        from allervers_desktop.ui.privacy_dialog import PrivacyDialog

        dialog = PrivacyDialog(self.database, self.prompts, self.refresh_all, self)
        self.prompts.run_dialog(dialog)
        dialog.deleteLater()

    def show_about(self) -> None:
        self.prompts.about(
            self,
            "À propos",
            f"<h3>{APP_DISPLAY_NAME}</h3><p>Version {html.escape(version())}</p>"
            "<p>Gestion des actions de formation d'un Opco : catalogue, groupes, intervenants, "
            "participants, inscriptions et présences.</p>"
            f"<p>Base de données : <code>{html.escape(self.database.location)}</code></p>"
            f"<p>Journaux : <code>{html.escape(str(log_dir()))}</code></p>",
        )

    # --- persistence of the window's state ---------------------------------------------------
    def _restore_state(self) -> None:
        """Geometry as left (clamped to this screen), or fitted to the screen the first time;
        the tabs' splitters, widths and sort orders are restored by ``view_state.remember``."""
        from allervers_desktop.ui.view_state import restore_geometry

        restore_geometry(self, "window/geometry", self.settings)
        state = self.settings.value("window/state")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)
        tab = self.settings.value("window/tab", 0)
        index = int(tab) if isinstance(tab, int | str) and str(tab).isdigit() else 0
        if 0 <= index < len(TAB_KEYS):
            self.tab_widget.setCurrentIndex(index)

    def save_state(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.setValue("window/tab", self.tab_widget.currentIndex())
        self.settings.sync()

    # --- backups -----------------------------------------------------------------------------
    def backup_context(self) -> BackupContext:
        from allervers_desktop.ui.backup_actions import BackupContext

        return BackupContext(self, self.database, self.prompts, self.statusBar(), self.refresh_all)

    def backup_now(self) -> None:
        from allervers_desktop.ui import backup_actions

        backup_actions.backup_now(self.backup_context())

    def restore_backup(self) -> None:
        from allervers_desktop.ui import backup_actions

        backup_actions.restore(self.backup_context())

    def save_copy(self) -> None:
        from allervers_desktop.ui import backup_actions

        backup_actions.save_copy(self.backup_context())

    # --- another database ----------------------------------------------------------------
    def connect_to_server(self) -> None:
        from allervers_desktop.ui import database_switch

        database_switch.connect_to_server(self.context)

    def open_other_file(self) -> None:
        from allervers_desktop.ui import database_switch

        database_switch.open_other_file(self.context)

    def switch_to(self, database: Database) -> None:
        """Close this window as usual (automatic backup included); ``run_gui`` then opens a
        window on ``database``."""
        self.next_database = database
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.closing_backup is not None and self.closing_backup.running:
            self.closing_backup.cancel()  # asked again: stop the backup, then close
            event.ignore()
            return
        if self.automatic_backup and self.closing_backup is None:
            from allervers_desktop.ui import backup_actions

            self.closing_backup = backup_actions.backup_on_close(self.backup_context(), self.close)
            if self.closing_backup is not None:
                event.ignore()  # closes once the backup has ended, whatever its outcome
                return
        self.save_state()
        if self.change_listener is not None:
            self.change_listener.stop()
            self.change_listener = None
        super().closeEvent(event)
        if self.next_database is not None:  # other windows (register…) must not keep it open
            QTimer.singleShot(0, QApplication.quit)
