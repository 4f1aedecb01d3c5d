"""Restoring a backup into a workspace file, without ever losing the current state.

Before the backup is copied in, the current database is itself backed up (reason
``before-restore``); a damaged current file is renamed aside instead, never overwritten,
so whatever could still be rescued from it stays on disk. The copy goes through SQLite's
backup API into the workspace file: one write transaction, so a crash mid-restore leaves
the old content, never a mix.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from kol_desk.errors import N_, BadInputError, StoreError, Text
from kol_desk.store import files
from kol_desk.store.backup import (
    BackupInfo,
    Rotation,
    backup_sqlite,
    copy_database,
    describe_backup,
    rotate,
    rotation_of,
)
from kol_desk.store.migrate import SQLITE_MAGIC, alembic_config, truncation


@dataclass
class RestoreResult:
    restored: BackupInfo
    safety_backup: Path | None  # the state just before the restore
    set_aside: Path | None  # the damaged file, renamed


def verify_backup(path: Path) -> BackupInfo:
    """A backup that can be restored by this version, or ``BadInputError`` saying why."""
    from alembic.script import ScriptDirectory
    from alembic.util.exc import CommandError

    if not path.is_file():
        raise BadInputError(N_("{file}: no such backup file."), file=str(path))
    info = describe_backup(path, check=True)
    if info.problem is not None or info.revision is None:
        raise BadInputError(N_("{file} cannot be restored: {reason}."), file=str(path),
                            reason=info.problem or Text(N_("it is not a KOL Desk database")))
    try:
        ScriptDirectory.from_config(alembic_config()).get_revision(info.revision)
    except CommandError:
        raise BadInputError(
            N_("{file} was written by a newer version of KOL Desk (schema {schema}); "
               "install that version to restore it."), file=str(path),
            schema=info.revision) from None
    return info


def is_healthy(path: Path) -> bool:
    """Whether ``path`` is an SQLite file that passes quick_check (worth backing up).

    A file this process has open (the running app's start-up check) is asked through
    SQLite alone: a plain read would drop this process's locks on it (``store.files``);
    SQLite refuses a file that is not a database and reports a truncated one as
    malformed. A closed file is first looked at by hand, so that SQLite does not leave
    side files beside a damaged one."""
    try:
        if not files.is_open(path):
            header = files.read_header(path, len(SQLITE_MAGIC))
            if header != SQLITE_MAGIC or truncation(path):
                return False
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = connection.execute("PRAGMA quick_check").fetchone()
        finally:
            connection.close()
    except (OSError, sqlite3.Error):
        return False
    return bool(row) and row[0] == "ok"


def set_aside(path: Path) -> Path:
    """Rename a damaged database (and its -wal/-shm) to ``<name>.damaged-<time>``."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    aside = path.with_name(f"{path.name}.damaged-{stamp}")
    for suffix in ("-wal", "-shm", "-journal"):
        extra = path.with_name(path.name + suffix)
        if extra.exists():
            os.replace(extra, aside.with_name(aside.name + suffix))
    os.replace(path, aside)
    return aside


def restore_backup(backup: Path, target: Path, backup_dir: Path,
                   rotation: Rotation | None = None) -> RestoreResult:
    """Replace the database ``target`` with ``backup`` (then migrated to this version).

    The caller must have closed every connection to ``target`` (``engine.dispose()``)
    and hold the workspace lock."""
    info = verify_backup(backup)
    # A healthy KOL Desk file is backed up; anything else (damaged, another program's
    # file) is renamed aside: restoring never overwrites what was there.
    safety: Path | None = None
    aside: Path | None = None
    if target.exists() and target.stat().st_size > 0:
        if is_healthy(target) and describe_backup(target).revision:
            safety = backup_sqlite(target, backup_dir, "before-restore")
        else:
            aside = set_aside(target)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.close(os.open(target, os.O_CREAT | os.O_WRONLY, 0o600))
    try:
        copy_database(backup, target, journal_mode="WAL")
    except sqlite3.Error as exc:
        if safety is None:
            raise StoreError(N_("Could not restore {backup} into {file}: {reason}. The "
                                "workspace is as it was."),
                             backup=str(backup), file=str(target), reason=exc) from exc
        raise StoreError(N_("Could not restore {backup} into {file}: {reason}. The workspace "
                            "is as it was; its previous state is also in {safety}."),
                         backup=str(backup), file=str(target), reason=exc,
                         safety=str(safety)) from exc
    # An older backup is brought up to this version's schema (backed up first, as always).
    from kol_desk.store.migrate import open_workspace

    workspace = open_workspace(target, backup_dir)
    try:
        rotate(backup_dir, target.stem, rotation or rotation_of(workspace))
    finally:
        workspace.dispose()
    return RestoreResult(info, safety, aside)
