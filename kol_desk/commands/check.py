"""``kol-desk check``: is the database intact and a KOL Desk workspace of this version?"""

from __future__ import annotations

import argparse

from kol_desk.commands.common import EXIT_OK, EXIT_PROBLEMS, count_text, db_target
from kol_desk.errors import N_, BadInputError
from kol_desk.i18n import tr
from kol_desk.store.database import database_url
from kol_desk.store.inspection import HealthReport, inspect_workspace


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
        for line in _lines(report):
            print(line)
    return EXIT_OK if report.ok else EXIT_PROBLEMS


def _lines(report: HealthReport) -> list[str]:
    """The report in the command's language (the problems keep SQLite's own words)."""
    head = tr("OK") if report.ok else tr("{n} problem(s)", n=len(report.problems))
    out = [f"{report.location}: {head}",
           tr("schema: {revision}", revision=report.revision or tr("none"))]
    out += [count_text(name, count) for name, count in report.counts.items()]
    out += [tr("problem: {problem}", problem=problem) for problem in report.problems]
    return out
