"""Errors the user is told about (a known kind with a clear message), as opposed to bugs.

Every message names the file or database involved and, where there is one, what to do.
"""

from __future__ import annotations


class KnownError(Exception):
    """An error with a message meant for the user; shown without a traceback."""


class BadInputError(KnownError):
    """A file or value the user gave us cannot be used (CLI exit code 3)."""


class StoreError(KnownError):
    """The database cannot be opened or written (locked, read-only, full, corrupt...)."""


class NewerSchemaError(StoreError):
    """The database was written by a newer KOL Desk than this one."""


class NotAWorkspaceError(StoreError):
    """The file is not a KOL Desk database, or is damaged."""


class DamagedDatabaseError(NotAWorkspaceError):
    """The file is an SQLite database but damaged (truncated, failed integrity check)."""


class WorkspaceInUseError(StoreError):
    """Another KOL Desk (process ``pid``) has the database open for writing."""

    def __init__(self, message: str, pid: int | None = None) -> None:
        super().__init__(message)
        self.pid = pid


class WriteFailedError(StoreError):
    """A transaction could not be written; nothing of it was saved (it was rolled back)."""


class ReadOnlyStoreError(WriteFailedError):
    """The database is read-only: a read-only medium, file permissions, or read-only mode."""


class DiskFullError(WriteFailedError):
    """The disk (or the database's size limit) is full."""


class DiskIOError(WriteFailedError):
    """The operating system reported an I/O error (failing disk, removed USB stick)."""


class DatabaseLockedError(WriteFailedError):
    """Another program held the database locked for longer than we wait."""
