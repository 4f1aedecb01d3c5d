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
