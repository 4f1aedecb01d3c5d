"""Turning SQLite's low-level write failures into errors the user can act on.

A full disk, a read-only medium, a failing USB stick or another program holding a lock
all arrive as ``sqlite3.OperationalError`` with a terse English message. The user needs
to hear which file, what happened, and that the change was not saved (the transaction
was rolled back as a whole) — and the app must keep running.
"""

from __future__ import annotations

import errno
from pathlib import Path

from kol_desk.errors import (
    N_,
    DatabaseLockedError,
    DiskFullError,
    DiskIOError,
    ReadOnlyStoreError,
    StoreError,
    Text,
    WriteFailedError,
)

# sqlite3's message fragment → (error class, what to tell the user). Matched in order.
_KNOWN: tuple[tuple[str, type[WriteFailedError]], ...] = (
    ("database or disk is full", DiskFullError),
    ("attempt to write a readonly database", ReadOnlyStoreError),
    ("readonly database", ReadOnlyStoreError),
    ("disk i/o error", DiskIOError),
    ("database is locked", DatabaseLockedError),
    ("database table is locked", DatabaseLockedError),
)


_OS_ERRORS: dict[int, type[WriteFailedError]] = {
    errno.ENOSPC: DiskFullError, errno.EDQUOT: DiskFullError, errno.EFBIG: DiskFullError,
    errno.EROFS: ReadOnlyStoreError, errno.EACCES: ReadOnlyStoreError,
    errno.EPERM: ReadOnlyStoreError, errno.EIO: DiskIOError,
}

# PostgreSQL's SQLSTATE codes for the same kinds (psycopg's ``sqlstate``).
_POSTGRES: dict[str, type[WriteFailedError]] = {
    "53100": DiskFullError,  # disk_full
    "25006": ReadOnlyStoreError,  # read_only_sql_transaction
    "58030": DiskIOError,  # io_error
    "55P03": DatabaseLockedError,  # lock_not_available
}


# What to tell the user, per kind; translated where it is shown (``KnownError``).
_MESSAGES: dict[type[WriteFailedError], str] = {
    DiskFullError: N_("Your change was not saved: the disk holding {file} is full. Free some "
                      "space and try again; everything saved before is intact."),
    ReadOnlyStoreError: N_("Your change was not saved: {file} cannot be written (read-only "
                           "mode, a read-only disk or missing permission). Everything saved "
                           "before is intact."),
    DiskIOError: N_("Your change was not saved: the disk holding {file} reported an error "
                    "(was a USB drive removed?). Check the disk, then restart KOL Desk."),
    DatabaseLockedError: N_("Your change was not saved: another program kept {file} locked. "
                            "Close it and try again."),
}
_REASONS: dict[type[WriteFailedError], str] = {
    DiskFullError: N_("the disk is full"),
    ReadOnlyStoreError: N_("the file or folder cannot be written"),
    DiskIOError: N_("the disk reported an error (was a USB drive removed?)"),
    DatabaseLockedError: N_("another program kept the file locked"),
}


def backup_failed(source: Path, folder: Path, exc: BaseException) -> StoreError:
    return StoreError(N_("Could not back up {file} into {folder} ({reason}), so nothing was "
                         "changed."), file=str(source), folder=str(folder),
                      reason=short_reason(exc))


def short_reason(exc: BaseException) -> Text | str:
    """What went wrong in a few words, for a message that says itself what was not done."""
    kind = classify(exc)
    if kind is not None:
        return Text(_REASONS[kind])
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(getattr(exc, "orig", None) or exc)


def classify(exc: BaseException) -> type[WriteFailedError] | None:
    """The known kind of a database exception (SQLAlchemy's, sqlite3's or psycopg's) or
    of an OSError, or None."""
    if isinstance(exc, OSError):
        return _OS_ERRORS.get(exc.errno or 0)
    original = getattr(exc, "orig", None) or exc
    state = getattr(original, "sqlstate", None)
    if isinstance(state, str):
        return _POSTGRES.get(state)
    text = str(original).lower()
    for fragment, kind in _KNOWN:
        if fragment in text:
            return kind
    return None


def translate(exc: BaseException, location: str) -> WriteFailedError | None:
    """A user-facing error for ``exc`` naming ``location``, or None when it is a bug."""
    kind = classify(exc)
    if kind is None:
        return None
    return kind(_MESSAGES[kind], file=location)
