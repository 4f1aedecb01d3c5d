"""Long tables (the creator list, the report's posts) written at close to bare XlsxWriter
speed.

``XlsxExport.add_table`` sets the sheet up (title, header, frozen panes, printing); the
rows are then written here with one format per column decided once, instead of per cell,
and without cells for missing text. Text still goes through the same injection check as
every export (``looks_like_formula`` → a quote-prefixed string cell), so the safety of
point 6 holds unchanged.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from kol_desk.exporting.xlsx import (
    CURRENCY_FORMATS,
    MAX_CELL_TEXT,
    MAYBE_FORMULA,
    ExportColumn,
    TableInfo,
    XlsxExport,
    cell_writers,
    looks_like_formula,
    print_setup,
)
from kol_desk.metrics import DASH

Progress = Callable[[int], None]
_WIDTH_SAMPLE = 200
_NUMBER_FORMATS = {"int": "#,##0", "percent": "0.00%", "decimal": "#,##0.00", "date": "yyyy-mm-dd"}


def _width(text: str) -> float:
    return sum(2.0 if unicodedata.east_asian_width(ch) in "WF" else 1.0 for ch in text)


def stream_table(export: XlsxExport, name: str, columns: Sequence[ExportColumn], rows: Iterable[Sequence[Any]],
                 *, title: str | None = None, subtitle: str | None = None,
                 progress: Progress | None = None, every: int = 2000) -> TableInfo:
    """Write a table sheet; ``progress(rows_written)`` every ``every`` rows."""
    info = export.add_table(name, columns, [], title=title, subtitle=subtitle)
    sheet = info.sheet
    formats: list[Any] = []
    for column in columns:
        number_format = (CURRENCY_FORMATS.get(column.currency, "#,##0.00") if column.kind == "money"
                         else _NUMBER_FORMATS.get(column.kind))
        # Plain text cells get no format at all: in one-line rows vertical centring shows
        # nothing, and a style index on every text cell of a 100k-row list was a fifth
        # of the writer's time over bare XlsxWriter.
        formats.append(export.format(valign="vcenter", num_format=number_format) if number_format else None)
    dash = export.format(align="center", valign="vcenter")
    quoted = export.format(quote_prefix=True, valign="vcenter")
    text_column = [c.kind == "text" for c in columns]
    write_string, write_number, write_datetime = cell_writers(sheet)
    iterator = iter(rows)
    sample = list(itertools.islice(iterator, _WIDTH_SAMPLE))
    widths = [_width(c.header) for c in columns]
    for values in sample:
        for c, value in enumerate(values):
            if value is not None:
                shown = f"{value:,.2f}" if isinstance(value, Decimal | float) else str(value)
                widths[c] = max(widths[c], _width(shown))
    widths = [column.width or min(max(widths[c] + 2, 8), 60) for c, column in enumerate(columns)]
    for c, width in enumerate(widths):
        sheet.set_column(c, c, width)
    print_setup(sheet, widths, title=title or name, header_row=info.header_row)
    row = info.header_row
    for row, values in enumerate(itertools.chain(sample, iterator), start=info.header_row + 1):
        for c, value in enumerate(values):
            kind = type(value)
            # Numbers first: most cells of a long table are counts and money.
            if (kind is int or kind is Decimal or kind is float) and not text_column[c]:
                write_number(row, c, float(value), formats[c])
            elif value is None:
                if not text_column[c]:
                    write_string(row, c, DASH, dash)
            elif kind is str:
                text = value[:MAX_CELL_TEXT]
                # Only text starting with one of these can be a formula (looks_like_formula).
                risky = bool(text) and text[0] in MAYBE_FORMULA and looks_like_formula(text)
                write_string(row, c, text, quoted if risky else formats[c])
            elif isinstance(value, datetime | date):
                write_datetime(row, c, value, formats[c])
            elif text_column[c]:
                write_string(row, c, str(value), formats[c])
            else:
                write_number(row, c, float(value) if isinstance(value, Decimal) else value, formats[c])
        if progress is not None and (row - info.header_row) % every == 0:
            progress(row - info.header_row)
    if columns:
        sheet.autofilter(info.header_row, 0, max(row, info.header_row), len(columns) - 1)
    return TableInfo(sheet, info.name, info.header_row, info.header_row + 1, row, len(columns))
