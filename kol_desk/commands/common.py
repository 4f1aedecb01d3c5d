"""What the command line and every subcommand share: exit codes and the database option.

Exit codes: 0 success, 1 a check found problems, 2 usage error (argparse), 3 bad input or
a database that cannot be used (a one-line message on stderr naming the file, no traceback),
141 the reader of the output went away (`| head`; 128 + SIGPIPE, as the shell reports it).
"""

from __future__ import annotations

import argparse
import gc
from collections.abc import Callable
from functools import wraps
from pathlib import Path

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2
EXIT_BAD_INPUT = 3
EXIT_BROKEN_PIPE = 141


def add_db_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        help="database file or SQLAlchemy URL (default: the workspace in your data folder)",
    )


def db_target(args: argparse.Namespace) -> Path | str:
    from kol_desk.paths import default_database

    return args.db or default_database()


def without_cycle_collector(run: Callable[[argparse.Namespace], int]
                            ) -> Callable[[argparse.Namespace], int]:
    """For a command whose work makes many small objects and no cycles (reading a list,
    writing a workbook): the collector would walk them again and again. Only for commands
    on the main thread of a process that does nothing else; the window leaves the
    process-wide collector alone."""

    @wraps(run)
    def wrapper(args: argparse.Namespace) -> int:
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return run(args)
        finally:
            if was_enabled:
                gc.enable()

    return wrapper


def count_text(table: str, n: int) -> str:
    """One table's record count as the user reads it, in the command's language
    ("300 creators"), never the table's name."""
    from kol_desk.errors import N_
    from kol_desk.i18n import tr

    templates = {"creators": N_("{n} creators"), "platform_accounts": N_("{n} accounts"),
                 "quotes": N_("{n} quotes"), "campaigns": N_("{n} campaigns"),
                 "collaborations": N_("{n} collaborations")}
    return tr(templates[table], n=f"{n:,}") if table in templates else f"{n:,} {table}"


def counts_text(counts: dict[str, int]) -> str:
    """Record counts by table (a backup's, a restore's) on one line: "300 creators, 395
    accounts, ..."."""
    from kol_desk.i18n import tr

    return tr(", ").join(count_text(table, n) for table, n in counts.items())
