"""A separate program issuing attestations one transaction each (the two-process test).

    python -m tests.unit.documents.issuing_worker DB GROUP_ID FOLDER NAME PARTICIPANT_ID...

Writes FOLDER/NAME.ready, waits for FOLDER/go, issues, prints the numbers as JSON."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from allervers_desktop.db.location import parse_location
from allervers_desktop.db.server import open_location
from allervers_desktop.documents.issuing import prepare_certificates
from allervers_desktop.documents.model import DocumentKind


def main(argv: list[str]) -> int:
    db_path, group_id, folder, name, *participants = argv
    database = open_location(parse_location(db_path))  # a file or a server URL
    numbers: list[str] = []
    try:
        (Path(folder) / f"{name}.ready").touch()
        while not (Path(folder) / "go").exists():
            time.sleep(0.005)
        for participant_id in participants:
            with database.transaction() as session:
                certificates, _report = prepare_certificates(
                    session, DocumentKind.ATTESTATION, int(group_id), [int(participant_id)]
                )
                numbers += [certificate.number for certificate in certificates]
    finally:
        database.close()
    print(json.dumps(numbers))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
