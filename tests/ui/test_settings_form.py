"""« Paramètres » through the window: identity saved, images checked and stored."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QColor, QImage

from allervers_desktop.services.settings import get_identity
from allervers_desktop.ui.forms.settings_form import SettingsForm
from allervers_desktop.ui.main_window import MainWindow
from tests.ui.helpers import click_save, type_into


def png_file(path: Path) -> Path:
    image = QImage(120, 40, QImage.Format.Format_RGB32)
    image.fill(QColor("#1a4f8b"))
    assert image.save(str(path))
    return path


def test_identity_with_logo_is_saved(qtbot, window: MainWindow, prompts, tmp_path) -> None:
    logo = png_file(tmp_path / "logo.png")
    not_image = tmp_path / "signature.png"
    not_image.write_text("pas une image", encoding="utf-8")

    def fill(form: SettingsForm) -> None:
        type_into(qtbot, form.organisation, "PRAXIS")
        type_into(qtbot, form.address, "12 rue du Faubourg National\n67000 Strasbourg")
        type_into(qtbot, form.signatory_name, "Claire Dubois")
        type_into(qtbot, form.signatory_title, "Directrice")
        type_into(qtbot, form.city, "Strasbourg")
        form.logo.choose_button.click()
        form.signature.choose_button.click()
        click_save(qtbot, form)

    prompts.files = [str(logo), str(not_image)]
    prompts.dialog_handlers.append(fill)
    window.settings_action.trigger()
    assert prompts.messages("error") == [
        "Le fichier de signature « signature.png » n'est pas une image PNG, JPEG, GIF ou BMP."
    ]
    with window.database.session() as session:
        identity = get_identity(session)
    assert identity.organisation_name == "PRAXIS"
    assert identity.address_lines == ["12 rue du Faubourg National", "67000 Strasbourg"]
    assert identity.is_complete
    assert identity.logo is not None and identity.logo.format == "PNG"
    assert identity.signature is None


def test_reopening_shows_saved_values_and_can_remove_logo(
    qtbot, window: MainWindow, prompts, tmp_path
) -> None:
    logo = png_file(tmp_path / "logo.png")

    def first(form: SettingsForm) -> None:
        type_into(qtbot, form.organisation, "Opco Santé")
        form.logo.choose_button.click()
        click_save(qtbot, form)

    def second(form: SettingsForm) -> None:
        assert form.organisation.text() == "Opco Santé"
        assert form.logo.remove_button.isEnabled()
        form.logo.remove_button.click()
        click_save(qtbot, form)

    prompts.files = [str(logo)]
    prompts.dialog_handlers += [first, second]
    window.settings_action.trigger()
    window.settings_action.trigger()
    with window.database.session() as session:
        assert get_identity(session).logo is None


def test_a_truncated_or_oversized_logo_is_refused_and_nothing_is_stored(
    qtbot, window: MainWindow, prompts, tmp_path
) -> None:
    whole = png_file(tmp_path / "entier.png").read_bytes()
    truncated = tmp_path / "tronque.png"
    truncated.write_bytes(whole[: len(whole) // 2])
    followed = tmp_path / "suivi.png"
    followed.write_bytes(whole + b"\x00garbage" * 20)
    huge = tmp_path / "geant.png"
    QImage(6000, 10, QImage.Format.Format_Mono).save(str(huge))

    def fill(form: SettingsForm) -> None:
        type_into(qtbot, form.organisation, "PRAXIS")
        for _ in range(3):
            form.logo.choose_button.click()
        assert form.logo.image is None
        assert form.logo.preview.text() == "Aucune image"
        click_save(qtbot, form)

    prompts.files = [str(truncated), str(followed), str(huge)]
    prompts.dialog_handlers.append(fill)
    window.settings_action.trigger()
    errors = prompts.messages("error")
    assert errors == [
        "Le fichier de logo « tronque.png » est refusé : l'image est tronquée (fichier incomplet).",
        "Le fichier de logo « suivi.png » est refusé : des données étrangères suivent l'image "
        "(fichier trafiqué ou corrompu).",
        "Le fichier de logo « geant.png » est refusé : elle mesure 6000 × 10 pixels, 5000 "
        "pixels de côté au plus (16 millions de pixels en tout) ; réduisez-la.",
    ]
    with window.database.session() as session:
        identity = get_identity(session)
    assert identity.organisation_name == "PRAXIS"
    assert identity.logo is None


def test_a_stored_logo_that_cannot_be_drawn_is_named_in_the_form(
    qtbot, window: MainWindow, prompts, tmp_path
) -> None:
    from allervers_desktop.db.models import StoredFile
    from allervers_desktop.services.settings import LOGO_KEY

    whole = png_file(tmp_path / "entier.png").read_bytes()
    with window.database.transaction() as session:  # stored by an older version
        session.add(StoredFile(key=LOGO_KEY, file_name="ancien.png", content=whole[:60]))
    seen: list[str] = []

    def look(form: SettingsForm) -> None:
        seen.append(form.logo.preview.text())
        assert form.logo.remove_button.isEnabled()
        form.reject()

    prompts.dialog_handlers.append(look)
    window.settings_action.trigger()
    assert seen == ["Image inutilisable : l'image est tronquée (fichier incomplet)"]
