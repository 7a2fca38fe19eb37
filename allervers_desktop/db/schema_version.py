"""The Alembic revisions this version knows, so start-up can check without importing Alembic."""

# Oldest first. A test checks that this matches migrations/versions exactly.
KNOWN_REVISIONS: tuple[str, ...] = (
    "0001",
    "0002",
    "0003",
    "0004",
    "0005",
    "0006",
    "0007",
    "0008",
    "0009",
    "0010",
    "0011",
    "0012",
    "0013",
    "0014",
    "0015",
    "0016",
    "0018",
    "0019",
)
HEAD_REVISION = KNOWN_REVISIONS[-1]
