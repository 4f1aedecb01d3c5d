"""Reading and parsing agency / MCN creator lists (no Qt, no database).

``parse_file`` is the entry point; see ``parse.py`` for the result types.

The names below are loaded on first use: a module that needs one small part (e.g.
``values.normalise_handle`` for the creator forms, on the GUI's start-up path) does not
pay for the reader, the layout detection and defusedxml.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the same names for type checkers ("as": re-exported)
    from kol_desk.importing.errors import BadFileError as BadFileError
    from kol_desk.importing.errors import ImportCancelled as ImportCancelled
    from kol_desk.importing.errors import Problem as Problem
    from kol_desk.importing.errors import ValueProblem as ValueProblem
    from kol_desk.importing.layout import ColumnMapping as ColumnMapping
    from kol_desk.importing.layout import RowKind as RowKind
    from kol_desk.importing.parse import MappingOverrides as MappingOverrides
    from kol_desk.importing.parse import ParsedFile as ParsedFile
    from kol_desk.importing.parse import ParsedRow as ParsedRow
    from kol_desk.importing.parse import ParsedSheet as ParsedSheet
    from kol_desk.importing.parse import group_accounts as group_accounts
    from kol_desk.importing.parse import parse_file as parse_file
    from kol_desk.importing.values import Price as Price
    from kol_desk.importing.values import Unit as Unit

_HOMES = {
    "BadFileError": "errors", "ImportCancelled": "errors", "Problem": "errors",
    "ValueProblem": "errors", "ColumnMapping": "layout", "RowKind": "layout",
    "MappingOverrides": "parse", "ParsedFile": "parse", "ParsedRow": "parse",
    "ParsedSheet": "parse", "group_accounts": "parse", "parse_file": "parse",
    "Price": "values", "Unit": "values",
}
__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{home}"), name)
