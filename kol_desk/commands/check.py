"""``kol-desk check``: is the database intact and a KOL Desk workspace of this version?"""

from __future__ import annotations

import argparse

from kol_desk.commands.common import EXIT_OK, EXIT_PROBLEMS, db_target
from kol_desk.errors import N_, BadInputError
from kol_desk.store.database import database_url
from kol_desk.store.inspection import inspect_workspace


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print the findings as JSON")


def run(args: argparse.Namespace) -> int:
    url = database_url(db_target(args))
    report = inspect_workspace(url)
    if report.missing:
        raise BadInputError(N_("{file}: no database there; check the --db path."),
                            file=report.location)
    if args.json:
        import json

        print(json.dumps(report.as_dict(), ensure_ascii=False))
    else:
        for line in report.lines():
            print(line)
    return EXIT_OK if report.ok else EXIT_PROBLEMS
