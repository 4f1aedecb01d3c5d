"""The one import engine the wizard and ``kol-desk import`` share: read a list with the
column mapping remembered for its agency, plan the merge, commit.

A remembered mapping is kept by header text, not by column position
(``{"columns": {header: field key, or "" for a column left out}}``), so it still fits
when the agency's next list has its columns in another order or an extra sheet.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import select

from kol_desk.errors import N_, Text
from kol_desk.importing.layout import ESSENTIAL_FIELDS, ColumnMapping, field_keys, is_field_key
from kol_desk.importing.parse import (
    Corrections,
    MappingOverrides,
    ParsedFile,
    ParsedSheet,
    parse_file,
)
from kol_desk.models import Agency
from kol_desk.store.database import Workspace

__all__ = [
    "check_mapping",
    "mapping_to_remember",
    "merge_mappings",
    "missing_fields",
    "overrides_from_memory",
    "read_list",
    "read_list_with_overrides",
    "remembered_mapping",
    "sheet_columns",
]

Progress = Callable[[int, int], None]


def remembered_mapping(workspace: Workspace, agency: str | None) -> dict[str, Any] | None:
    if not agency:
        return None
    with workspace.session() as session:
        found = session.scalar(select(Agency.column_mapping).where(Agency.name == agency))
    return found if isinstance(found, dict) else None


def _current(sheet: ParsedSheet) -> dict[int, tuple[str, str]]:
    """0-based column → (header, field key or '' for an unmapped column)."""
    out = {c: (h, "") for c, h in sheet.extra_columns.items()}
    out.update({m.column: (m.header, m.key) for m in sheet.mapping})
    return out


def overrides_from_memory(parsed: ParsedFile, memory: Mapping[str, Any] | None
                          ) -> dict[str, dict[str, int | None]]:
    """The overrides that make each sheet's mapping agree with a remembered one; empty
    when detection already agrees (the usual case, so nothing is parsed twice)."""
    columns = (memory or {}).get("columns")
    if not isinstance(columns, dict):
        return {}
    out: dict[str, dict[str, int | None]] = {}
    for sheet in parsed.sheets:
        if sheet.header_row is None:
            continue
        changes: dict[str, int | None] = {}
        for column, (header, key) in _current(sheet).items():
            wanted = columns.get(header)
            if not isinstance(wanted, str) or wanted == key:
                continue
            if wanted:
                changes[wanted] = column
            elif key and key not in changes:
                changes[key] = None
        if changes:
            out[sheet.name] = changes
    return out


def read_list(
    workspace: Workspace,
    path: str | Path,
    *,
    agency: str | None = None,
    overrides: MappingOverrides | None = None,
    mapping: Mapping[str, Any] | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ParsedFile:
    """Parse a list; without explicit ``overrides``, the agency's remembered mapping is
    applied, with ``mapping`` (the same format, e.g. from the command line) over it.
    Raises ``BadFileError`` / ``ImportCancelled`` like ``parse_file``."""
    return read_list_with_overrides(workspace, path, agency=agency, overrides=overrides,
                                    mapping=mapping, progress=progress, cancelled=cancelled)[0]


def read_list_with_overrides(
    workspace: Workspace,
    path: str | Path,
    *,
    agency: str | None = None,
    overrides: MappingOverrides | None = None,
    mapping: Mapping[str, Any] | None = None,
    corrections: Corrections | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> tuple[ParsedFile, dict[str, dict[str, int | None]]]:
    """``read_list`` that also returns the overrides in effect, so an editor can add the
    user's changes to them."""
    parsed = parse_file(path, mapping_overrides=overrides, corrections=corrections,
                        progress=progress, cancelled=cancelled)
    if overrides is not None:
        return parsed, {sheet: dict(keys) for sheet, keys in overrides.items()}
    memory = overrides_from_memory(parsed, merge_mappings(remembered_mapping(workspace, agency),
                                                          mapping))
    if memory:
        parsed = parse_file(path, mapping_overrides=memory, corrections=corrections,
                            progress=progress, cancelled=cancelled)
    return parsed, memory


def merge_mappings(*mappings: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """Remembered mappings merged, later ones winning header by header."""
    columns: dict[str, str] = {}
    for found in mappings:
        given = (found or {}).get("columns")
        if isinstance(given, dict):
            columns.update({str(k): str(v) for k, v in given.items()})
    return {"columns": columns} if columns else None


def check_mapping(mapping: Mapping[str, Any]) -> Text | None:
    """Why a mapping (``{"columns": {header: field key}}``) cannot be used, or None
    (translated where it is shown)."""
    columns = mapping.get("columns")
    if not isinstance(columns, dict):
        return Text(N_('it has no "columns" object ({example})'),
                    example='{"columns": {"header": "field"}}')
    for header, key in columns.items():
        if not isinstance(key, str) or not is_field_key(key):
            return Text(N_("'{header}' is mapped to '{key}', which is not a field ({fields})"),
                        header=header, key=key, fields=field_keys())
    return None


def mapping_to_remember(parsed: ParsedFile, memory: Mapping[str, Any] | None = None
                        ) -> dict[str, Any]:
    """The confirmed mapping of every sheet, merged into what was remembered before."""
    columns: dict[str, str] = {}
    old = (memory or {}).get("columns")
    if isinstance(old, dict):
        columns.update({str(k): str(v) for k, v in old.items()})
    for sheet in parsed.sheets:
        for header, key in _current(sheet).values():
            if header:
                columns[header] = key
    return {"columns": columns}


def missing_fields(sheet: ParsedSheet) -> list[str]:
    """The essential facts (platform, handle, followers, price) no column of a sheet gives;
    a platform named by the sheet, its titles, headers or links counts as given."""
    if sheet.header_row is None:
        return []
    fields = {m.field.value for m in sheet.mapping}
    return [f for f in ESSENTIAL_FIELDS
            if f not in fields and not (f == "platform" and sheet.platform_source)]


def sheet_columns(sheet: ParsedSheet) -> list[tuple[int, str, ColumnMapping | None]]:
    """Every header cell of a sheet in column order, with its mapping (None = not used)."""
    mapped = {m.column: m for m in sheet.mapping}
    headers = {c: h for c, (h, _) in _current(sheet).items()}
    return [(c, headers[c], mapped.get(c)) for c in sorted(headers)]
