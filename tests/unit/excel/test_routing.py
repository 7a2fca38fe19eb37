"""Routing rows to groups by label, city or date."""

from __future__ import annotations

import datetime as dt

import pytest

from allervers_desktop.db.database import Database
from allervers_desktop.excel.routing import GroupInfo, GroupRouter, make_router

G1 = GroupInfo(
    1, 1, "Groupe 1", "Strasbourg", (dt.date(2023, 9, 25), dt.date(2023, 9, 26)), 15, False
)
G2 = GroupInfo(2, 1, "Groupe 2", "Metz", (dt.date(2023, 10, 16), dt.date(2023, 10, 17)), 15, False)
G10 = GroupInfo(10, 1, "Groupe 10", "Metz", (dt.date(2024, 1, 8),), None, False)
ROUTER = GroupRouter(None, [G1, G2, G10])


@pytest.mark.parametrize(
    ("text", "date", "group"),
    [
        ("Groupe 1", None, G1),
        ("GROUPE 1", None, G1),
        ("groupe n°1", None, G1),
        ("Nancy 25/09/2023", None, None),
        ("1", None, G1),
        ("G2", None, G2),
        ("STRASBOURG", None, G1),
        ("Groupe 1 – Strasbourg", None, G1),
        ("25/09/2023", None, G1),
        ("Session du 16/10/2023", None, G2),
        ("", dt.date(2023, 10, 17), G2),
        ("Groupe 10", None, G10),
        ("Metz 08/01/2024", None, G10),
    ],
)
def test_route(text: str, date: dt.date | None, group: GroupInfo | None) -> None:
    route = ROUTER.route(text, date)
    assert route.group == group
    assert (route.reason is None) == (group is not None)


def test_ambiguous_and_unknown() -> None:
    assert ROUTER.route("Metz", None).reason == (
        "groupe « Metz » ambigu (Groupe 2 – Metz (16/10/2023), Groupe 10 – Metz (08/01/2024))"
    )
    assert ROUTER.route("Nancy", None).reason == "groupe « Nancy » introuvable"
    assert ROUTER.route("01/01/2030", None).reason == "groupe « 01/01/2030 » introuvable"
    assert ROUTER.route("", None).group is None and ROUTER.route("", None).reason is None


def test_fixed_group_wins(demo_database: Database) -> None:
    with demo_database.session() as session:
        router = make_router(session, 2, None)
        assert router.route("Groupe 1", None).group == router.fixed
        routed = make_router(session, None, 1)
    assert [group.label for group in routed.candidates] == ["Groupe 1", "Groupe 2"]
    assert routed.candidates[0].dates == (dt.date(2023, 9, 25), dt.date(2023, 9, 26))
