"""One writer at a time: an exclusive OS lock on ``<database>.lock`` while a window has
the workspace open for writing.

SQLite alone would let two KOL Desk windows write the same file, each overwriting the
other's view of the data. The lock is the operating system's (``flock`` on POSIX,
``msvcrt.locking`` on Windows), so it disappears when the holder exits or is killed —
a stale lock file can never lock the user out. It is a separate file because POSIX
record locks on the database file itself would interfere with SQLite's own locks. The
holder's PID is written into it, so the second window can say who has it.
"""

from __future__ import annotations

import errno
import os
import sys
from pathlib import Path
from typing import IO

from kol_desk.errors import N_, ReadOnlyStoreError, WorkspaceInUseError


def lock_path(database: Path) -> Path:
    return database.with_name(database.name + ".lock")


def _try_lock(handle: IO[bytes]) -> bool:
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import msvcrt

        try:
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
            return False
        raise
    return True


def holder_pid(database: Path) -> int | None:
    """The PID written by the window that holds (or last held) the lock."""
    try:
        text = lock_path(database).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return int(text) if text.isdigit() else None


class WorkspaceLock:
    """Held while this process may write ``database``; ``release()`` when done."""

    def __init__(self, database: Path, handle: IO[bytes]) -> None:
        self.database = database
        self._handle: IO[bytes] | None = handle

    @classmethod
    def acquire(cls, database: Path) -> WorkspaceLock:
        """Take the lock or raise ``WorkspaceInUseError`` (another window has it) or
        ``ReadOnlyStoreError`` (the folder cannot be written: a read-only medium)."""
        path = lock_path(database)
        try:
            # On first start the data folder does not exist yet (private, like the data).
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
                raise ReadOnlyStoreError(N_(
                    "{file} is on a read-only disk or folder; it can only be opened "
                    "read-only."), file=str(database)) from exc
            raise
        handle = os.fdopen(fd, "r+b")
        if not _try_lock(handle):
            handle.close()
            pid = holder_pid(database)
            raise WorkspaceInUseError(N_(
                "{file} is already open in another KOL Desk window (process {pid}). Two "
                "windows writing the same workspace would overwrite each other's work."),
                pid=pid, file=str(database))
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()).encode("ascii"))
        handle.flush()
        return cls(database, handle)

    @property
    def held(self) -> bool:
        return self._handle is not None

    def release(self) -> None:
        if self._handle is not None:
            # Closing the descriptor releases the OS lock; the file stays (harmless, and
            # deleting it would race with a window that is just opening it).
            self._handle.close()
            self._handle = None

    def __enter__(self) -> WorkspaceLock:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()
