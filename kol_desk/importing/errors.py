"""Errors of the agency-list import.

Two kinds, kept apart on purpose: a ``BadFileError`` stops the whole import (the file
cannot be read at all), while a ``ValueProblem`` concerns one cell and becomes a
``Problem`` in the preview, so one odd cell never costs the user the other 49,999 rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kol_desk.errors import N_, KnownError, Text


class ImportingError(Exception):
    """Base of every error the importing package raises on purpose."""


class BadFileError(ImportingError, KnownError):
    """The file cannot be imported at all; the message names the file and says why.

    ``reason`` is an English template (``N_``) filled with ``values``, or a ``Text``:
    like every ``KnownError``, it is translated where it is shown (wizard, command line)."""

    def __init__(self, path: str | Path, reason: str | Text, /, **values: object) -> None:
        self.path = Path(path)
        self.reason = reason if isinstance(reason, Text) else Text(reason, **values)
        super().__init__(N_("Cannot import '{file}': {reason}"), file=self.path.name,
                         reason=self.reason)


class ImportCancelled(ImportingError):
    """The user cancelled a running import; nothing was produced."""


class ValueProblem(ValueError):
    """One cell could not be understood. ``reason`` is English a marketer can read;
    the caller adds where the cell is (see ``Problem``)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


@dataclass(frozen=True, slots=True)
class Problem:
    """A cell the import could not understand, with enough context to find it in Excel."""

    file: str
    sheet: str
    row: int  # 1-based, as Excel shows it
    column: str  # Excel letter and header text, e.g. "F 报价"
    raw: str
    reason: str
    col: int = -1  # 0-based, for a correction typed in the wizard; -1 for a whole row

    def __str__(self) -> str:
        return f"{self.file} / {self.sheet} / row {self.row} / {self.column}: {self.reason} ({self.raw!r})"
