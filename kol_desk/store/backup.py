"""Backups of SQLite workspaces with SQLite's online backup API, their rotation, listing
and restore.

A plain file copy of a live WAL database can miss committed pages still in the -wal
file; the backup API copies a consistent snapshot even while the app has it open.

Backups live in the backups folder as ``<workspace stem>-<UTC time>-<reason>.sqlite``.
Rotation keeps the newest ``keep_last`` plus the newest of each of the last
``keep_weeks`` weeks (a workspace setting, ``backup_rotation``), so a mistake noticed a
month later can still be undone while the folder stays bounded.
"""

from __future__ import annotations

import os
import re
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kol_desk.errors import N_, Text
from kol_desk.store import failures, files

if TYPE_CHECKING:
    from kol_desk.store.database import Workspace

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}T\d{12}Z)-(?P<reason>[A-Za-z0-9._-]+)\.sqlite$")
_STAMP = "%Y%m%dT%H%M%S%fZ"
ROTATION_KEY = "backup_rotation"
KEEP_LAST = 10
KEEP_WEEKS = 8
COUNTED = ("creators", "platform_accounts", "quotes", "campaigns", "collaborations")


def _private_dir(folder: Path) -> None:
    if not folder.parent.exists():  # the data folder itself, on a first run
        folder.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    if os.name == "posix" and folder.stat().st_mode & 0o077:
        folder.chmod(0o700)  # mkdir's mode is subject to umask, and an old folder keeps its


def backup_sqlite(source: Path, backup_dir: Path, reason: str,
                  now: datetime | None = None) -> Path:
    """Copy ``source`` into ``backup_dir`` as ``<name>-<UTC time>-<reason>.sqlite``."""
    _private_dir(backup_dir)
    stamp = (now or datetime.now(UTC)).strftime(_STAMP)
    target = backup_dir / f"{source.stem}-{stamp}-{_UNSAFE.sub('_', reason)}.sqlite"
    return backup_to(source, target)


def backup_to(source: Path, target: Path) -> Path:
    """Write a consistent copy of the database ``source`` to ``target`` (mode 600)."""
    # Renamed over the target when complete: never over a workspace in use (the source
    # itself, say) or its side files. An older backup there may be replaced.
    files.refuse_to_overwrite_database(target, any_database=False)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    try:
        fd = os.open(partial, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
        os.close(fd)
        # A backup is a single file: fold the copy's journal mode back to DELETE.
        copy_database(source, partial, journal_mode="DELETE")
        # The copy appears under its real name only when complete.
        os.replace(partial, target)
    except (sqlite3.Error, OSError) as exc:
        partial.unlink(missing_ok=True)
        raise failures.backup_failed(source, target.parent, exc) from exc
    return target


def copy_database(source: Path, destination: Path, journal_mode: str) -> None:
    """SQLite's online backup of ``source`` (read-only) into ``destination``, a
    consistent copy even while another connection writes; raises sqlite3.Error."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(destination)
        try:
            src.backup(dst)
            dst.execute(f"PRAGMA journal_mode = {journal_mode}")
        finally:
            dst.close()
    finally:
        src.close()


# ---------------------------------------------------------------------------- listing

@dataclass
class BackupInfo:
    path: Path
    created: datetime
    reason: str
    size: int
    counts: dict[str, int] = field(default_factory=dict)
    revision: str | None = None
    # why this backup cannot be restored (translated where shown), None when good
    problem: Text | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def _parse_name(path: Path) -> tuple[str, datetime, str] | None:
    match = _NAME.match(path.name)
    if match is None:
        return None
    created = datetime.strptime(match["stamp"], _STAMP).replace(tzinfo=UTC)
    return match["stem"], created, match["reason"]


def _backups_of(backup_dir: Path, stem: str) -> list[tuple[Path, datetime, str]]:
    found = []
    if backup_dir.is_dir():
        for path in backup_dir.glob("*.sqlite"):
            parsed = _parse_name(path)
            if parsed is not None and parsed[0] == stem:
                found.append((path, parsed[1], parsed[2]))
    return sorted(found, key=lambda item: item[1], reverse=True)


def describe_backup(path: Path, *, check: bool = False) -> BackupInfo:
    """Date, size and record counts of one backup; ``check`` also runs quick_check."""
    parsed = _parse_name(path)
    created = parsed[1] if parsed else datetime.fromtimestamp(path.stat().st_mtime, UTC)
    info = BackupInfo(path, created, parsed[2] if parsed else "", path.stat().st_size)
    try:
        if not files.is_open(path) and files.read_header(path, 16) != b"SQLite format 3\x00":
            info.problem = Text(N_("not an SQLite database"))
            return info
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            if check:
                verdict = connection.execute("PRAGMA quick_check").fetchone()
                if not verdict or verdict[0] != "ok":
                    info.problem = Text(N_("damaged: {detail}"),
                                        detail=verdict[0] if verdict else "no answer")
                    return info
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            info.revision = row[0] if row else None
            for table in COUNTED:
                info.counts[table] = int(
                    connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
        finally:
            connection.close()
    except sqlite3.Error as exc:
        info.problem = Text(N_("unreadable: {reason}"), reason=exc)
    return info


def list_backups(backup_dir: Path, stem: str, *, check: bool = False) -> list[BackupInfo]:
    """The backups of the workspace named ``stem``, newest first."""
    return [describe_backup(path, check=check) for path, _, _ in _backups_of(backup_dir, stem)]


def latest_good_backup(backup_dir: Path, stem: str) -> BackupInfo | None:
    """The newest backup that passes SQLite's quick_check and is a KOL Desk database."""
    for path, _, _ in _backups_of(backup_dir, stem):
        info = describe_backup(path, check=True)
        if info.ok and info.revision:
            return info
    return None


# ---------------------------------------------------------------------------- rotation

@dataclass(frozen=True)
class Rotation:
    keep_last: int = KEEP_LAST
    keep_weeks: int = KEEP_WEEKS

    @classmethod
    def from_setting(cls, value: Any) -> Rotation:
        """Tolerant of a hand-edited or missing setting: bad values mean the defaults."""
        if not isinstance(value, dict):
            return cls()
        last, weeks = value.get("keep_last", KEEP_LAST), value.get("keep_weeks", KEEP_WEEKS)
        return cls(max(1, last) if isinstance(last, int) else KEEP_LAST,
                   max(0, weeks) if isinstance(weeks, int) else KEEP_WEEKS)


def rotate(backup_dir: Path, stem: str, rotation: Rotation,
           now: datetime | None = None) -> list[Path]:
    """Delete the backups of ``stem`` that the rotation no longer keeps; returns them."""
    now = now or datetime.now(UTC)
    backups = _backups_of(backup_dir, stem)  # newest first
    keep = {path for path, _, _ in backups[: rotation.keep_last]}
    horizon = now - timedelta(weeks=rotation.keep_weeks)
    weeks_seen: set[tuple[int, int]] = set()
    for path, created, _ in backups:
        week = created.isocalendar()[:2]
        if created >= horizon and week not in weeks_seen:
            weeks_seen.add(week)
            keep.add(path)  # the newest backup of each recent week
    removed = []
    for path, _, _ in backups:
        if path not in keep:
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def rotation_of(workspace: Workspace) -> Rotation:
    from sqlalchemy import select

    from kol_desk.models import Setting

    try:
        with workspace.session() as session:
            value = session.scalar(select(Setting.value).where(Setting.key == ROTATION_KEY))
    except Exception:  # a damaged or foreign database still gets the default rotation
        return Rotation()
    return Rotation.from_setting(value)


def backup_before(workspace: Workspace, reason: str, backup_dir: Path | None = None,
                  ) -> Path | None:
    """Back the workspace up before a risky change (import, bulk delete, restore...),
    then rotate. Returns the backup, or None for a server database (its own tools back
    it up). Raises ``StoreError`` when the backup fails: do not go on without one."""
    path = workspace.path
    if path is None or not path.exists():
        return None
    if backup_dir is None:
        from kol_desk.paths import backups_dir

        backup_dir = backups_dir()
    target = backup_sqlite(path, backup_dir, reason)
    rotate(backup_dir, path.stem, rotation_of(workspace))
    return target


def backup_at_start(workspace: Workspace, backup_dir: Path) -> Path | None:
    """The start-up backup, skipped when the newest backup is newer than the last change
    (identical copies would only push older, different ones out of the rotation)."""
    path = workspace.path
    if path is None or not path.exists() or workspace.read_only:
        return None
    backups = _backups_of(backup_dir, path.stem)
    changed = max((p.stat().st_mtime for p in (path, path.with_name(path.name + "-wal"))
                   if p.exists()), default=0.0)
    if backups and backups[0][1].timestamp() > changed:
        return None
    return backup_before(workspace, "startup", backup_dir)
