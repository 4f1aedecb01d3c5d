"""``kol-desk backup --out FILE``: a consistent copy of the workspace, even while open."""

from __future__ import annotations

import argparse
from pathlib import Path

from kol_desk.commands.common import EXIT_OK, counts_text, db_target
from kol_desk.errors import N_, BadInputError
from kol_desk.i18n import tr
from kol_desk.store import files
from kol_desk.store.backup import backup_to, describe_backup
from kol_desk.store.database import database_url


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", required=True, metavar="FILE", help="the backup file to write")


def run(args: argparse.Namespace) -> int:
    url = database_url(db_target(args))
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise BadInputError(N_("{location} is a database server; back it up with the server's "
                               "own tools (e.g. pg_dump)."),
                            location=url.render_as_string(hide_password=True))
    source = Path(url.database)
    if not source.is_file():
        raise BadInputError(N_("{file}: no database there; check the --db path."), file=str(source))
    out = Path(args.out).expanduser()
    if out.exists():
        raise BadInputError(N_("{file} already exists; choose a new file name (nothing is "
                               "overwritten)."), file=str(out))
    # Not there yet, but named as a database's -wal or -journal: SQLite would take it
    # for that database's own and read it back into the database.
    files.refuse_to_overwrite_database(out)
    backup_to(source, out)
    info = describe_backup(out)
    counts = counts_text(info.counts)
    print(tr("{source} backed up to {file} ({size} bytes; {counts})", source=str(source),
             file=str(out), size=f"{info.size:,}", counts=counts or tr("no KOL Desk data")))
    return EXIT_OK
