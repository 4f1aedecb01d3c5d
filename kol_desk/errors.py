"""Errors the user is told about (a known kind with a clear message), as opposed to bugs.

Every message names the file or database involved and, where there is one, what to do.
"""

from __future__ import annotations

from collections.abc import Iterable

from kol_desk.i18n import tr


def N_(text: str) -> str:
    """Marks an English message for the catalog (``i18n_scan``) without translating it:
    the layers below the UI word their errors this way, and the message is translated
    where it is shown."""
    return text


class Text:
    """A message translated when it is shown, e.g. a reason placed inside another one."""

    def __init__(self, template: str, /, **values: object) -> None:
        self.template, self.values = template, values

    def __str__(self) -> str:
        return tr(self.template, **self.values)


class Listed:
    """Several values (e.g. ``Text`` reasons) shown as one list inside a message; each
    item is made text, so translated, when the message is shown."""

    def __init__(self, items: Iterable[object], /) -> None:
        self.items = tuple(items)

    def __str__(self) -> str:
        return tr(", ").join(str(item) for item in self.items)


class KnownError(Exception):
    """An error with a message meant for the user; shown without a traceback.

    The message is either ready text or an English template (marked with ``N_``) with
    its ``values``: then ``str()`` translates it into the language of the moment, at
    the edge that shows it (window, command line), not where it was raised."""

    def __init__(self, message: str = "", /, **values: object) -> None:
        super().__init__(message)
        self.values = values

    def __str__(self) -> str:
        return str(Text(str(self.args[0]) if self.args else "", **self.values))


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

    def __init__(self, message: str, /, pid: int | None = None, **values: object) -> None:
        super().__init__(message, pid=pid if pid is not None else "?", **values)
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
