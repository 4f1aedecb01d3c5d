"""Reading and parsing agency / MCN creator lists (no Qt, no database).

``parse_file`` is the entry point; see ``parse.py`` for the result types.
"""

from kol_desk.importing.errors import BadFileError, ImportCancelled, Problem, ValueProblem
from kol_desk.importing.layout import ColumnMapping, RowKind
from kol_desk.importing.parse import (
    MappingOverrides,
    ParsedFile,
    ParsedRow,
    ParsedSheet,
    group_accounts,
    parse_file,
)
from kol_desk.importing.values import Price, Unit

__all__ = [
    "BadFileError",
    "ColumnMapping",
    "ImportCancelled",
    "MappingOverrides",
    "ParsedFile",
    "ParsedRow",
    "ParsedSheet",
    "Price",
    "Problem",
    "RowKind",
    "Unit",
    "ValueProblem",
    "group_accounts",
    "parse_file",
]
