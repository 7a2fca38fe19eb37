"""Cost figures on the hand-counted sample (tests/unit/stats/sample.py), every one by hand.

Added here: Groupe 3 (Metz, planned) is held: CAMUS present on the 14/11 morning (210 min),
DORE present morning and afternoon (420 min): 630 minutes; Groupe 1 has 1810 (840 + 340 + 630).

Costs: the course 1 000,00 € (prestataire, Opco), spread by trainee-hours over the held
groups 1 and 3 (Groupe 2 is cancelled); Groupe 1 300,00 € (salle, DGCS); Groupe 2 50,00 €
(salle, Opco: a cancelled group's fee still counts); Groupe 3 120,50 € (restauration, DGCS).
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from allervers_desktop.budgets.costs import CostInput, add_cost, list_costs
from allervers_desktop.budgets.figures import spread
from allervers_desktop.db.database import Database
from allervers_desktop.db.models import Attendance, Enrollment, Group
from allervers_desktop.services.errors import ServiceError
from allervers_desktop.stats.compute import compute_stats
from allervers_desktop.stats.figures import Stats
from allervers_desktop.stats.filters import StatsFilter
from allervers_desktop.stats.serialise import stats_json
from tests.unit.stats.sample import Sample, build_sample


@pytest.fixture
def sample(database: Database) -> Sample:
    return build_costed_sample(database)


def build_costed_sample(database: Database) -> Sample:
    """The sample with Groupe 3 held and the costs of the module docstring."""
    sample = build_sample(database)
    with database.transaction() as session:
        g3 = session.get(Group, sample.groups["g3"])
        assert g3 is not None
        am, pm = g3.half_days
        enrollments = {
            e.participant_id: e
            for e in session.scalars(select(Enrollment).where(Enrollment.group_id == g3.id))
        }
        camus, dore = enrollments[sample.people["camus"]], enrollments[sample.people["dore"]]
        session.add_all(
            [
                Attendance(enrollment=camus, half_day=am, status="present"),
                Attendance(enrollment=camus, half_day=pm, status="absent"),
                Attendance(enrollment=dore, half_day=am, status="present"),
                Attendance(enrollment=dore, half_day=pm, status="present"),
            ]
        )
        add_cost(session, CostInput("prestataire", 100000, "opco"), course_id=sample.course_id)
        add_cost(
            session,
            CostInput("salle", 30000, "cofinanceur", "DGCS", "Salle Kléber"),
            group_id=sample.groups["g1"],
        )
        add_cost(session, CostInput("salle", 5000, "opco"), group_id=sample.groups["g2"])
        add_cost(
            session,
            CostInput("restauration", 12050, "cofinanceur", " DGCS "),
            group_id=sample.groups["g3"],
        )
    return sample


def stats(database: Database, **fields: object) -> Stats:
    with database.session() as session:
        return compute_stats(session, StatsFilter(**fields))  # type: ignore[arg-type]


def test_every_cost_figure_by_hand(database: Database, sample: Sample) -> None:
    s = stats(database)
    costs = s.costs
    assert costs is not None and costs.has_budget
    assert (s.participants_trained, s.trainee_minutes) == (4, 2440)  # AUBRY BARDOT CAMUS DORE
    by_group = {g.group_id: g for g in costs.by_group}
    g1, g2, g3 = (by_group[sample.groups[k]] for k in ("g1", "g2", "g3"))
    # 100 000 × 1810 / 2440 = 74 180,33 and × 630 / 2440 = 25 819,67: the larger remainder
    # (Groupe 3's 0,67) gets the last cent.
    assert (g1.course_share_cents, g3.course_share_cents, g2.course_share_cents) == (
        74180,
        25820,
        0,
    )
    assert (g1.own_cents, g2.own_cents, g3.own_cents) == (30000, 5000, 12050)
    assert (g1.opco_cents, g1.cofinancer_cents) == (74180, 30000)
    assert (g1.participants_trained, g3.participants_trained, g2.participants_trained) == (3, 2, 0)
    assert g3.cost_per_participant == pytest.approx((25820 + 12050) / 2)
    assert costs.total_cents == 147050
    assert (costs.opco_cents, costs.cofinancer_cents) == (105000, 42050)
    assert costs.by_cofinancer == [("DGCS", 42050)]
    assert costs.by_kind == [("provider", 100000), ("venue", 35000), ("catering", 12050)]
    assert costs.cost_per_participant == pytest.approx(147050 / 4)
    assert costs.cost_per_trainee_hour == pytest.approx(147050 * 60 / 2440)  # 3 616 cents
    assert costs.unspread_cents == 0


def test_the_json_keys(database: Database, sample: Sample) -> None:
    data = stats_json(stats(database))
    assert data["total_cost"] == 1470.50
    assert data["opco_cost"] == 1050.00
    assert data["cofinancer_cost"] == 420.50
    assert data["cost_per_participant"] == 367.62  # 36 762,5 cents, half to even
    assert data["cost_per_trainee_hour"] == 36.16
    assert data["cost_by_cofinancer"] == [{"cofinancer": "DGCS", "cost": 420.5}]


def test_no_budget_gives_nulls(database: Database) -> None:
    build_sample(database)
    data = stats_json(stats(database))
    for key in (
        "total_cost",
        "opco_cost",
        "cofinancer_cost",
        "cost_per_participant",
        "cost_per_trainee_hour",
    ):
        assert key in data and data[key] is None


def test_the_period_gives_the_whole_course_cost_to_the_group_held_in_it(
    database: Database, sample: Sample
) -> None:
    s = stats(database, date_to=dt.date(2024, 10, 31))  # Groupes 1 and 2 only
    assert s.costs is not None
    assert s.costs.total_cents == 100000 + 30000 + 5000
    assert (s.participants_trained, s.trainee_minutes) == (3, 1810)


def test_a_course_cost_without_a_held_group_is_not_counted(
    database: Database, sample: Sample
) -> None:
    s = stats(database, group_status="cancelled")  # Groupe 2 alone
    assert s.costs is not None
    assert (s.costs.total_cents, s.costs.unspread_cents) == (5000, 100000)
    assert s.costs.cost_per_participant is None  # nobody trained


def test_an_employer_takes_its_share_of_each_group(database: Database, sample: Sample) -> None:
    s = stats(database, employer_id=sample.employers["tilleuls"])
    assert s.costs is not None
    # Les Tilleuls: AUBRY 840 + BARDOT 340 = 1180 of Groupe 1's 1810 minutes; nothing in 3.
    own = (2 * 30000 * 1180 + 1810) // (2 * 1810)  # 19 558,01 -> 19 558
    share = (2 * 74180 * 1180 + 1810) // (2 * 1810)  # 48 360,33 -> 48 360
    assert (own, share) == (19558, 48360)
    assert s.costs.total_cents == own + share
    assert s.costs.cost_per_participant == pytest.approx((own + share) / 2)


def test_spread_adds_up_exactly() -> None:
    assert spread(100, [1, 1, 1]) == [34, 33, 33]
    assert spread(10, [0, 0]) == [5, 5]
    assert sum(spread(99999, [7, 13, 0, 5])) == 99999


def test_a_line_has_one_owner_and_a_named_cofinancer(database: Database, sample: Sample) -> None:
    with database.transaction() as session:
        with pytest.raises(ServiceError, match="soit un groupe, soit une formation"):
            add_cost(session, CostInput("salle", 1, "opco"))
        with pytest.raises(ServiceError, match="soit un groupe, soit une formation"):
            add_cost(
                session,
                CostInput("salle", 1, "opco"),
                group_id=sample.groups["g1"],
                course_id=sample.course_id,
            )
        with pytest.raises(ServiceError, match="nom du cofinanceur"):
            add_cost(session, CostInput("salle", 1, "cofinanceur"), group_id=sample.groups["g1"])
        with pytest.raises(ServiceError, match="Nature de coût inconnue"):
            add_cost(session, CostInput("traiteur", 1, "opco"), group_id=sample.groups["g1"])
        with pytest.raises(ServiceError, match="Aucun groupe"):
            add_cost(session, CostInput("salle", 1, "opco"), group_id=999)
        rows = list_costs(session, group_id=sample.groups["g1"])
    assert [(r.kind_label, r.label, r.funder_label) for r in rows] == [
        ("Salle", "Salle Kléber", "Cofinanceur (DGCS)")
    ]
