"""Templates: French defaults, stored edits, and the checks before anything goes out."""

from __future__ import annotations

from pathlib import Path

import pytest

from allervers_desktop.db.database import open_database
from allervers_desktop.mail.templates import (
    DEFAULTS,
    PLACEHOLDERS,
    Template,
    TemplateKind,
    check_template,
    load_template,
    render,
    save_template,
)
from allervers_desktop.services.errors import ServiceError

VALUES = {name: f"<{name}>" for name in PLACEHOLDERS}


def test_every_default_renders_with_all_values() -> None:
    for template in DEFAULTS.values():
        rendered = render(template, VALUES, "marie@example.org")
        assert "{" not in rendered.subject + rendered.body
        assert "Bonjour" in rendered.body


def test_unknown_placeholder_is_named() -> None:
    with pytest.raises(ServiceError, match=r"Champ inconnu \{ville\} dans le texte"):
        check_template(Template("Objet", "Bonjour {ville}"))


def test_empty_subject_is_refused() -> None:
    with pytest.raises(ServiceError, match="objet du message est vide"):
        check_template(Template("  ", "Bonjour"))


def test_lone_brace_is_refused() -> None:
    with pytest.raises(ServiceError, match="mal formé"):
        check_template(Template("Objet {", "Bonjour"))


def test_missing_value_names_the_field_and_the_recipient() -> None:
    values = dict(VALUES, lieu="  ")
    with pytest.raises(ServiceError, match=r"marie@example.org.*\{lieu\}"):
        render(DEFAULTS[TemplateKind.CONVOCATION], values, "marie@example.org")


def test_edited_template_is_stored_and_read_back(tmp_path: Path) -> None:
    database = open_database(tmp_path / "a.sqlite")
    try:
        edited = Template("Votre convocation {groupe}", "Bonjour {prenom}")
        with database.transaction() as session:
            save_template(session, TemplateKind.CONVOCATION, edited)
        with database.session() as session:
            assert load_template(session, TemplateKind.CONVOCATION) == edited
            assert load_template(session, TemplateKind.REMINDER) == DEFAULTS[TemplateKind.REMINDER]
        with pytest.raises(ServiceError), database.transaction() as session:
            save_template(session, TemplateKind.FREE, Template("", "x"))
        with database.session() as session:
            assert load_template(session, TemplateKind.FREE) == DEFAULTS[TemplateKind.FREE]
    finally:
        database.close()
