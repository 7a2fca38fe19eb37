"""The window's tabs: their keys, titles, and the tables whose changes they show."""

from __future__ import annotations

TAB_KEYS = ("courses", "groups", "trainers", "participants")
TAB_TITLES = ("Formations", "Groupes", "Intervenants", "Participants")
# The dashboard comes after the record tabs (it has no list of records): built, and
# pyqtgraph imported, only when first shown.
DASHBOARD_KEY = "dashboard"
DASHBOARD_TITLE = "Tableau de bord"

# The tables each tab shows (names, counts): a change to one of them elsewhere refreshes it.
TAB_TABLES: dict[str, frozenset[str]] = {
    "courses": frozenset(
        {"courses", "course_objectives", "programme_days", "programme_items", "groups"}
        | {"training_providers"}
    ),
    "groups": frozenset(
        {"groups", "group_days", "half_days", "group_trainers", "enrollments", "attendances"}
        | {"half_day_trainers", "attendance_unlocks", "issued_documents", "signed_sheets"}
        | {"courses", "trainers", "participants", "employers"}
    ),
    "trainers": frozenset({"trainers", "group_trainers", "half_day_trainers"}),
    "participants": frozenset({"participants", "employers", "enrollments"}),
    DASHBOARD_KEY: frozenset(
        {"courses", "groups", "group_days", "half_days", "enrollments", "attendances"}
        | {"participants", "employers"}
    ),
}
