"""The connection form's fields, the URL they give, and the recent connections list."""

from __future__ import annotations

import pytest

from allervers_desktop.db.connections import (
    RECENT_LIMIT,
    ConnectionFieldError,
    ServerConnection,
    from_fields,
    readable,
    remember,
)


def test_fields_give_the_url_and_the_remembered_text_has_no_password() -> None:
    connection = from_fields(" pg.exemple.local ", "5433", "equipe-ge", "marie")
    url = connection.url("secret")
    assert (url.drivername, url.host, url.port, url.database) == (
        "postgresql+psycopg",
        "pg.exemple.local",
        5433,
        "equipe-ge",
    )
    assert url.username == "marie" and url.password == "secret"
    assert connection.text == "postgresql://marie@pg.exemple.local:5433/equipe-ge"
    assert "secret" not in connection.text
    assert ServerConnection.from_text(connection.text) == connection


@pytest.mark.parametrize(
    ("host", "port", "database", "user", "field", "words"),
    [
        ("", "5432", "b", "u", "host", "Indiquez le serveur"),
        ("pg local", "5432", "b", "u", "host", "n'est pas un nom de serveur"),
        ("pg", "0", "b", "u", "port", "entre 1 et 65535"),
        ("pg", "cinq", "b", "u", "port", "entre 1 et 65535"),
        ("pg", "70000", "b", "u", "port", "entre 1 et 65535"),
        ("pg", "5432", " ", "u", "database", "nom de la base"),
        ("pg", "5432", "b", "", "user", "nom d'utilisateur"),
    ],
)
def test_each_wrong_field_is_named(
    host: str, port: str, database: str, user: str, field: str, words: str
) -> None:
    with pytest.raises(ConnectionFieldError) as caught:
        from_fields(host, port, database, user)
    assert caught.value.field == field
    assert words in caught.value.message


def test_recent_connections_most_recent_first_without_duplicates() -> None:
    a = from_fields("pg", 5432, "a", "marie")
    b = from_fields("pg", 5432, "b", "marie")
    recent = remember(remember(remember([], a), b), a)
    assert recent == [a.text, b.text]
    many: list[str] = []
    for index in range(RECENT_LIMIT + 3):
        many = remember(many, from_fields("pg", 5432, f"base{index}", "marie"))
    assert len(many) == RECENT_LIMIT and many[0].endswith("/base10")


def test_damaged_remembered_entries_are_dropped() -> None:
    good = from_fields("pg", 5432, "a", "marie")
    assert readable(["n'importe quoi", "postgresql://pg/a", good.text]) == [good]
