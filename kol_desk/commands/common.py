"""What the command line and every subcommand share: exit codes and the database option.

Exit codes: 0 success, 1 a check found problems, 2 usage error (argparse), 3 bad input or
a database that cannot be used (a one-line message on stderr naming the file, no traceback).
"""

from __future__ import annotations

import argparse
from pathlib import Path

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2
EXIT_BAD_INPUT = 3


def add_db_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        help="database file or SQLAlchemy URL (default: the workspace in your data folder)",
    )


def db_target(args: argparse.Namespace) -> Path | str:
    from kol_desk.paths import default_database

    return args.db or default_database()
