"""``kol-desk restore FILE``: replace the workspace with a backup; the current state is
backed up first (a damaged file is renamed aside), so a restore is never a loss."""

from __future__ import annotations

import argparse
from pathlib import Path

from kol_desk.commands.common import EXIT_OK, counts_text, db_target
from kol_desk.errors import N_, BadInputError
from kol_desk.i18n import tr
from kol_desk.paths import backups_dir
from kol_desk.store.database import database_url
from kol_desk.store.lock import WorkspaceLock
from kol_desk.store.restore import restore_backup


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="the backup to restore")


def run(args: argparse.Namespace) -> int:
    url = database_url(db_target(args))
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise BadInputError(N_("{location} is a database server; restore it with the server's "
                               "own tools."), location=url.render_as_string(hide_password=True))
    target = Path(url.database)
    backup = Path(args.file).expanduser().resolve()
    if backup == target.resolve():
        raise BadInputError(N_("{file} is the workspace itself, not a backup of it; give the "
                               "backup file to restore."), file=str(backup))
    # Refuses while a KOL Desk window has the workspace open (WorkspaceInUseError).
    with WorkspaceLock.acquire(target):
        result = restore_backup(backup, target, backups_dir())
    counts = counts_text(result.restored.counts)
    print(tr("{target} restored from {file} ({counts}).", target=str(target), file=str(backup),
             counts=counts))
    if result.safety_backup is not None:
        print(tr("The state before the restore is kept in {file}.", file=str(result.safety_backup)))
    if result.set_aside is not None:
        print(tr("The damaged file was kept as {file}.", file=str(result.set_aside)))
    return EXIT_OK
