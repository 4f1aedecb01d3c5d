"""Long tables (the creator list, the report's posts) written at close to bare XlsxWriter
speed.

``XlsxExport.add_table`` sets the sheet up (title, header, frozen panes, printing); the
rows are then written by ``xlsx.write_line`` with one format per column decided once,
instead of per cell, and without cells for missing text. Text still goes through the same
injection check as every export (``looks_like_formula`` → a quote-prefixed string cell).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any

from kol_desk.exporting.xlsx import (
    WIDTH_SAMPLE,
    ExportColumn,
    TableInfo,
    XlsxExport,
    cell_writers,
    display_width,
    number_format,
    print_setup,
    write_line,
)

Progress = Callable[[int], None]


def stream_table(export: XlsxExport, name: str, columns: Sequence[ExportColumn], rows: Iterable[Sequence[Any]],
                 *, title: str | None = None, subtitle: str | None = None,
                 progress: Progress | None = None, every: int = 2000) -> TableInfo:
    """Write a table sheet; ``progress(rows_written)`` every ``every`` rows."""
    info = export.add_table(name, columns, [], title=title, subtitle=subtitle)
    sheet = info.sheet
    formats: list[Any] = []
    for column in columns:
        shown = number_format(column.kind, column.currency)
        # None for text: see write_line.
        formats.append(export.format(valign="vcenter", num_format=shown) if shown else None)
    dash = export.format(align="center", valign="vcenter")
    quoted = export.format(quote_prefix=True, valign="vcenter")
    writers = cell_writers(sheet)
    iterator = iter(rows)
    sample = list(itertools.islice(iterator, WIDTH_SAMPLE))
    widths = [display_width(c.header) for c in columns]
    for values in sample:
        for c, value in enumerate(values):
            if value is not None:
                shown = f"{value:,.2f}" if isinstance(value, Decimal | float) else str(value)
                widths[c] = max(widths[c], display_width(shown))
    widths = [column.width or min(max(widths[c] + 2, 8), 60) for c, column in enumerate(columns)]
    for c, width in enumerate(widths):
        sheet.set_column(c, c, width)
    print_setup(sheet, widths, title=title or name, header_row=info.header_row)
    row = info.header_row
    for row, values in enumerate(itertools.chain(sample, iterator), start=info.header_row + 1):
        write_line(writers, row, values, formats, dash, quoted)
        if progress is not None and (row - info.header_row) % every == 0:
            progress(row - info.header_row)
    if columns:
        sheet.autofilter(info.header_row, 0, max(row, info.header_row), len(columns) - 1)
    return TableInfo(sheet, info.name, info.header_row, info.header_row + 1, row, len(columns))
