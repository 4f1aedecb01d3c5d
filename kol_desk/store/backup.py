"""Backups of SQLite workspaces with SQLite's online backup API.

A plain file copy of a live WAL database can miss committed pages still in the -wal
file; the backup API copies a consistent snapshot even while the app has it open.
"""

from __future__ import annotations

import os
import re
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from kol_desk.errors import StoreError

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def backup_sqlite(source: Path, backup_dir: Path, reason: str) -> Path:
    """Copy ``source`` into ``backup_dir`` as ``<name>-<UTC time>-<reason>.sqlite``."""
    backup_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = backup_dir / f"{source.stem}-{stamp}-{_UNSAFE.sub('_', reason)}.sqlite"
    return backup_to(source, target)


def backup_to(source: Path, target: Path) -> Path:
    """Write a consistent copy of the database ``source`` to ``target`` (mode 600)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    fd = os.open(partial, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
    os.close(fd)
    try:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            dst = sqlite3.connect(partial)
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
        # The copy appears under its real name only when complete.
        os.replace(partial, target)
    except sqlite3.Error as exc:
        partial.unlink(missing_ok=True)
        raise StoreError(f"Could not back up {source} to {target}: {exc}") from exc
    return target
