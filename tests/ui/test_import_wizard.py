"""The import wizard driven through the window: file, mapping, preview, result, cancel."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QPushButton
from sqlalchemy import func, select

from allervers_desktop.db.models import Enrollment, ImportBatch, Participant
from allervers_desktop.excel.mapping import ImportField
from allervers_desktop.ui.import_wizard import PAGE_MAPPING, PAGE_PREVIEW, ImportWizard
from allervers_desktop.ui.main_window import MainWindow

LISTS = Path(__file__).resolve().parents[1] / "data" / "lists"


def count(window: MainWindow, model: type) -> int:
    with window.database.session() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def wait_preview(qtbot, wizard: ImportWizard) -> None:
    qtbot.waitUntil(lambda: wizard.preview_page.report is not None, timeout=15000)


def finish(qtbot, wizard: ImportWizard) -> None:
    wizard.next()  # the preview is the commit page: « Importer »
    qtbot.waitUntil(lambda: wizard.result_page.isComplete(), timeout=15000)
    wizard.accept()


def test_import_a_messy_employer_list_into_a_group(qtbot, window: MainWindow, prompts) -> None:
    seen: dict[str, object] = {}

    def drive(wizard: ImportWizard) -> None:
        page = wizard.file_page
        page.browse()
        assert page.sheet_combo.currentText() == "Inscriptions"
        page.group_combo.setCurrentIndex(page.group_combo.findData(2))  # Groupe 2, Metz
        wizard.next()
        assert wizard.currentId() == PAGE_MAPPING
        mapping = wizard.mapping_page
        assert mapping.header_spin.value() == 4  # title lines skipped
        assert mapping.combos[1].currentData() == ImportField.LAST_NAME.value
        assert mapping.combos[6].currentData() == ImportField.EMPLOYER.value
        wizard.next()
        assert wizard.currentId() == PAGE_PREVIEW
        wait_preview(qtbot, wizard)
        preview = wizard.preview_page
        seen["summary"] = preview.summary.text()
        seen["outcomes"] = [
            preview.rows_model.index(r, 2).data() for r in range(preview.rows_model.rowCount())
        ]
        assert count(window, Participant) == 21  # a preview writes nothing
        finish(qtbot, wizard)
        seen["result"] = wizard.result_page.result_label.text()

    prompts.files = [str(LISTS / "employeur-lignes-de-titre.xlsx")]
    prompts.dialog_handlers.append(drive)
    window.show_tab("participants")
    window.import_action.trigger()
    assert str(seen["summary"]).startswith("Simulation (rien n'a été écrit) :")
    assert "Créé" in seen["outcomes"]  # type: ignore[operator]
    assert not str(seen["result"]).startswith("Simulation")
    assert count(window, ImportBatch) == 1
    added = count(window, Participant) - 21
    assert added >= 2
    assert window.participants_tab.model.rowCount() == 21 + added
    with window.database.session() as session:
        lefevre = session.scalars(
            select(Participant).where(Participant.email == "celine.lefevre@foyer-saint-eloi.fr")
        ).one()
        assert lefevre.last_name == "LEFÈVRE" and lefevre.first_name == "Céline"
        enrolled = session.scalar(
            select(func.count()).where(
                Enrollment.participant_id == lefevre.id, Enrollment.group_id == 2
            )
        )
        assert enrolled == 1


def test_reimporting_the_same_file_changes_nothing(qtbot, window: MainWindow, prompts) -> None:
    summaries: list[str] = []

    def drive(wizard: ImportWizard) -> None:
        wizard.file_page.group_combo.setCurrentIndex(wizard.file_page.group_combo.findData(1))
        wizard.next()
        wizard.next()
        wait_preview(qtbot, wizard)
        summaries.append(wizard.preview_page.summary.text())
        finish(qtbot, wizard)

    for _ in range(2):
        prompts.dialog_handlers.append(drive)
        window.import_list(LISTS / "capacite.xlsx")
    assert "Ce fichier a déjà été importé le" in summaries[1]
    assert "aucune modification" in summaries[1]
    assert count(window, ImportBatch) == 1


def test_conflict_choice_replaces_the_value(qtbot, window: MainWindow, prompts) -> None:
    def drive(wizard: ImportWizard) -> None:
        wizard.file_page.no_enrollment.setChecked(True)
        wizard.next()
        wizard.next()
        wait_preview(qtbot, wizard)
        conflicts = wizard.preview_page.conflicts
        texts = [conflicts.item(i).text() for i in range(conflicts.count())]
        phone = next(i for i, t in enumerate(texts) if "MULLER Hélène" in t and "Téléphone" in t)
        conflicts.item(phone).setCheckState(Qt.CheckState.Checked)
        finish(qtbot, wizard)

    prompts.dialog_handlers.append(drive)
    window.import_list(LISTS / "conflits.xlsx")
    with window.database.session() as session:
        muller = session.scalars(
            select(Participant).where(Participant.email == "helene.muller@exemple.fr")
        ).one()
        assert muller.phone == "+33611223344"
        schneider = session.scalars(
            select(Participant).where(Participant.email == "loic.schneider@exemple.fr")
        ).one()
        assert schneider.job_title == "Moniteur-éducateur"  # conflict left as « keep »


def test_a_lookalike_is_the_same_person_unless_unticked(qtbot, window: MainWindow, prompts) -> None:
    seen: list[tuple[str, bool, int]] = []

    def drive(wizard: ImportWizard) -> None:
        wizard.file_page.no_enrollment.setChecked(True)
        wizard.next()
        wizard.next()
        wait_preview(qtbot, wizard)
        page = wizard.preview_page
        assert page.lookalikes.isVisibleTo(page) and page.lookalikes.count() == 1
        item = page.lookalikes.item(0)
        assert page.report is not None
        seen.append((item.text(), item.checkState() == Qt.CheckState.Checked, 0))
        assert page.report.counts.created == 0  # the same person: her record is updated
        item.setCheckState(Qt.CheckState.Unchecked)  # « personne différente »
        wait_preview(qtbot, wizard)  # the preview is made again with that choice
        assert page.report is not None and page.report.counts.created == 1
        assert page.lookalikes.item(0).checkState() == Qt.CheckState.Unchecked
        finish(qtbot, wizard)

    prompts.dialog_handlers.append(drive)
    before = count(window, Participant)
    window.import_list(LISTS / "conflits.xlsx")
    text, ticked, _ = seen[0]
    assert ticked and text.startswith("Ligne 5 : WEBER Céline (Foyer Saint-Éloi (Colmar))")
    assert text.endswith(" : même personne")
    assert count(window, Participant) == before + 1  # a second WEBER Céline, as chosen


def test_unreadable_file_gives_a_french_message(qtbot, window: MainWindow, prompts) -> None:
    bad = Path(__file__).resolve().parents[1] / "data" / "bad" / "corrompu.xlsx"
    states: list[bool] = []

    def drive(wizard: ImportWizard) -> None:
        states.append(wizard.file_page.isComplete())
        wizard.reject()

    prompts.dialog_handlers.append(drive)
    assert not window.import_list(bad)
    assert states == [False]
    assert "corrompu.xlsx" in prompts.messages("error")[0]
    assert count(window, Participant) == 21


def big_list(path: Path, rows: int) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Nom", "Prénom", "E-mail", "Établissement", "Ville"])
    for n in range(rows):
        sheet.append(
            [f"NOM{n:05d}", f"Prénom{n}", f"p{n}@exemple.fr", f"Structure {n % 40}", "Metz"]
        )
    workbook.save(path)
    return path


def test_cancel_during_import_writes_nothing(qtbot, window: MainWindow, prompts, tmp_path) -> None:
    path = big_list(tmp_path / "gros.xlsx", 5000)
    results: list[str] = []

    def drive(wizard: ImportWizard) -> None:
        wizard.file_page.no_enrollment.setChecked(True)
        wizard.next()
        wizard.next()
        wait_preview(qtbot, wizard)
        wizard.next()
        task = wizard.result_page.task
        assert task is not None
        button = task.dialog.findChild(QPushButton)
        assert button is not None
        button.click()  # « Annuler » on the progress dialog
        qtbot.waitUntil(lambda: not task.running, timeout=30000)
        results.append(wizard.result_page.result_label.text())
        wizard.accept()

    prompts.dialog_handlers.append(drive)
    assert not window.import_list(path)
    assert results == ["Import annulé : rien n'a été écrit."]
    assert count(window, Participant) == 21
    assert count(window, ImportBatch) == 0


def test_dropping_a_spreadsheet_opens_the_wizard(qtbot, window: MainWindow, prompts) -> None:
    opened: list[str] = []

    def drive(wizard: ImportWizard) -> None:
        opened.append(wizard.file_page.path_edit.text())
        wizard.reject()

    prompts.dialog_handlers.append(drive)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(LISTS / "capacite.xlsx"))])
    enter = QDragEnterEvent(
        QPoint(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dragEnterEvent(enter)  # Qt delivers drops only inside a real drag: call the handlers
    assert enter.isAccepted()
    drop = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(drop)
    assert opened == [str(LISTS / "capacite.xlsx")]


def test_other_files_are_not_accepted_for_drop(window: MainWindow) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile("/tmp/photo.png")])
    enter = QDragEnterEvent(
        QPoint(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    enter.ignore()
    window.dragEnterEvent(enter)
    assert not enter.isAccepted()


def test_a_file_whose_every_row_is_refused_says_so(
    qtbot, window: MainWindow, prompts, tmp_path
) -> None:
    path = tmp_path / "refusees.csv"
    path.write_text(
        "Nom;Prénom;E-mail\n" + "".join(f"{'X' * 150};Anne{n};a{n}@exemple.fr\n" for n in range(3)),
        encoding="utf-8",
    )
    seen: dict[str, str] = {}

    def drive(wizard: ImportWizard) -> None:
        wizard.file_page.no_enrollment.setChecked(True)
        wizard.next()
        wizard.next()
        wait_preview(qtbot, wizard)
        seen["preview"] = wizard.preview_page.summary.text()
        wizard.next()
        qtbot.waitUntil(lambda: wizard.result_page.isComplete(), timeout=15000)
        seen["result"] = wizard.result_page.result_label.text()
        wizard.accept()

    prompts.dialog_handlers.append(drive)
    window.import_list(path)
    assert seen["preview"] == (
        "Aucun participant importé : les 3 lignes du fichier ont été refusées (motifs "
        "ci-dessous), rien ne serait écrit."
    )
    assert seen["result"] == (
        "Aucun participant importé : les 3 lignes du fichier ont été refusées (motifs "
        "ci-dessous), rien n'a été écrit."
    )
    assert count(window, Participant) == 21
    assert count(window, ImportBatch) == 0


def test_hostile_files_are_refused_by_the_window(
    qtbot, window: MainWindow, prompts, tmp_path
) -> None:
    from tests.data import make_hostile

    files = [
        make_hostile.far_cell(tmp_path),
        make_hostile.bomb_one_member(tmp_path),
        make_hostile.named_pipe(tmp_path),
        make_hostile.mixed_encoding_csv(tmp_path),
    ]
    for path in files:
        prompts.dialog_handlers.append(lambda wizard: wizard.reject())
        assert not window.import_list(path)
    errors = prompts.messages("error")
    assert len(errors) == len(files)
    assert "s'étend jusqu'à la cellule XFD1048576" in errors[0]
    assert "bombe de décompression" in errors[1]
    assert "est un tube nommé (FIFO), pas un fichier" in errors[2]
    assert "mélange deux encodages de caractères" in errors[3]
    assert count(window, Participant) == 21
    assert count(window, ImportBatch) == 0
