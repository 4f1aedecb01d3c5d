"""Writing workbooks that a boss can open in Excel, WPS or LibreOffice without touching
them, and that can never run anything.

One writer for every export: XlsxWriter in constant-memory mode (flat memory for
100k-row lists; PERFORMANCE.md), tables with a bold frozen header, filters, number
formats, sensible widths, landscape fit-to-width printing, optional totals as
formulas with their values cached. The file is written under a temporary name and
renamed when complete, so a failed export never leaves a half-written workbook.

Formula injection (OWASP "CSV injection"): text that a spreadsheet might treat as a
formula -- starting with = + - @, a tab or a carriage return, also after leading
spaces, and the full-width ＝ ＋ － ＠ -- is written as a string cell carrying Excel's
quote-prefix flag. Excel and WPS then show it as text and keep it text when the cell is
edited, while the stored value stays exactly the original, so it survives a round trip
through our own import.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal

from kol_desk.errors import N_, KnownError
from kol_desk.metrics import DASH
from kol_desk.store.files import refuse_to_overwrite_database

if TYPE_CHECKING:
    from xlsxwriter.format import Format
    from xlsxwriter.workbook import Workbook
    from xlsxwriter.worksheet import Worksheet

ColumnKind = Literal["text", "int", "money", "percent", "decimal", "date"]
FORMULA_TRIGGERS = frozenset("=+-@\t\r＝＋－＠")
CURRENCY_FORMATS = {
    "CNY": '"¥"#,##0.00',
    "USD": '"$"#,##0.00',
    "EUR": '"€"#,##0.00',
    "HKD": '"HK$"#,##0.00',
}
MAX_CELL_TEXT = 32_767  # Excel's limit for one cell
WIDTH_SAMPLE = 200  # rows read to size the columns
_NUMBER_FORMATS = {"int": "#,##0", "percent": "0.00%", "decimal": "#,##0.00", "date": "yyyy-mm-dd"}


def number_format(kind: str, currency: str = "CNY") -> str | None:
    """The Excel number format of a column kind ("money", "int", ...); None for text."""
    if kind == "money":
        return CURRENCY_FORMATS.get(currency, "#,##0.00")
    return _NUMBER_FORMATS.get(kind)


class ExportError(KnownError):
    """The workbook could not be written (folder missing, disk full, file open elsewhere)."""


# Text can be a formula only if it starts with one of these (the quick test of the
# per-cell loops, before ``looks_like_formula``).
MAYBE_FORMULA = FORMULA_TRIGGERS | frozenset(" \u3000\u00a0")


def cell_writers(sheet: Worksheet) -> tuple[Any, Any, Any]:
    """``write_string``, ``write_number`` and ``write_datetime`` of ``sheet`` for the
    per-cell loop of long tables, without the decorator that first tries to read the row
    as "A1" notation: they take (row, col, value, format) like the public ones. That
    decorator was about a tenth of a 10,000-post report's writing time; these are the
    undecorated twins XlsxWriter itself calls (its "Undecorated version of ..." methods,
    present in every release since 1.0)."""
    return sheet._write_string, sheet._write_number, sheet._write_datetime


def write_line(writers: tuple[Any, Any, Any], row: int, values: Sequence[Any],
               formats: Sequence[Format | None], dash: Format, quoted: Format) -> None:
    """One line of a long table (the report's groups and posts, the creator list), with
    ``writers`` from ``cell_writers``. ``formats[col]`` None marks a text column: no style
    (in one-line rows vertical centring shows nothing, and a style on every text cell of a
    100k-row list was a fifth of the writer's time), and nothing for a missing value; a
    number nobody knows is a centred dash. Text goes through the same injection check as
    every export."""
    write_string, write_number, write_datetime = writers
    for col, value in enumerate(values):
        fmt, kind = formats[col], type(value)
        if (kind is int or kind is Decimal or kind is float) and fmt is not None:
            write_number(row, col, float(value), fmt)  # first: most cells are counts and money
        elif value is None:
            if fmt is not None:
                write_string(row, col, DASH, dash)
        elif kind is str:
            text = value[:MAX_CELL_TEXT]
            # Only text starting with one of these can be a formula (looks_like_formula).
            risky = bool(text) and text[0] in MAYBE_FORMULA and looks_like_formula(text)
            write_string(row, col, text, quoted if risky else fmt)
        elif isinstance(value, date):  # datetime too
            write_datetime(row, col, value, fmt)
        elif fmt is None:
            write_string(row, col, str(value), None)
        else:
            write_number(row, col, float(value), fmt)


def looks_like_formula(text: str) -> bool:
    """Would a spreadsheet program read this text as a formula or a command?"""
    if not text:
        return False
    if text[0] in "\t\r":
        return True
    stripped = text.lstrip(" \u3000\u00a0")
    return bool(stripped) and stripped[0] in FORMULA_TRIGGERS


@dataclass(frozen=True)
class ExportColumn:
    header: str
    kind: ColumnKind = "text"
    width: float | None = None
    currency: str = "CNY"


@dataclass(frozen=True)
class TableInfo:
    """Where a table landed, for charts and cross-sheet formulas (0-based rows/cols)."""

    sheet: Worksheet
    name: str
    header_row: int
    first_row: int
    last_row: int  # equals header_row when the table is empty
    columns: int


def display_width(text: str) -> float:
    # East-Asian wide characters take about two Latin character widths in Excel.
    return sum(2.0 if unicodedata.east_asian_width(ch) in "WF" else 1.0 for ch in text)


class XlsxExport:
    """A workbook being written. Use as a context manager: leaving the block normally
    publishes the file; an exception discards it."""

    def __init__(self, path: str | os.PathLike[str], *, constant_memory: bool = True) -> None:
        from xlsxwriter.workbook import Workbook

        self.path = Path(path)
        if not self.path.parent.is_dir():
            raise ExportError(N_("Cannot write {file}: the folder does not exist; choose "
                                 "another folder."), file=str(self.path))
        # The finished workbook is renamed over the target: never over a database.
        refuse_to_overwrite_database(self.path)
        self._partial = self.path.with_name(f".{self.path.name}.partial")
        self.workbook: Workbook = Workbook(
            str(self._partial),
            {
                "constant_memory": constant_memory,
                # Never turn text into formulas, links or numbers behind the user's back.
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
                "default_date_format": "yyyy-mm-dd",
            },
        )
        self._formats: dict[tuple[Any, ...], Format] = {}
        self._closed = False

    # -- formats ---------------------------------------------------------------------
    def format(self, **properties: Any) -> Format:
        key = tuple(sorted(properties.items()))
        if key not in self._formats:
            self._formats[key] = self.workbook.add_format(properties)
        return self._formats[key]

    def _cell_format(self, column: ExportColumn, *, bold: bool = False) -> Format:
        base: dict[str, Any] = {"valign": "vcenter"}
        if bold:
            base.update(bold=True, top=1)
        shown = number_format(column.kind, column.currency)
        if shown is not None:
            base["num_format"] = shown
        return self.format(**base)

    # -- cells -----------------------------------------------------------------------
    def write_cell(self, sheet: Worksheet, row: int, col: int, value: Any, column: ExportColumn) -> None:
        if value is None:
            if column.kind == "text":
                sheet.write_blank(row, col, None, self._cell_format(column))
            else:
                sheet.write_string(row, col, DASH, self.format(align="center", valign="vcenter"))
            return
        if column.kind == "text" or isinstance(value, str):
            self.write_text(sheet, row, col, str(value))
        elif isinstance(value, datetime | date):
            sheet.write_datetime(row, col, value, self._cell_format(column))
        elif isinstance(value, bool):
            sheet.write_boolean(row, col, value, self._cell_format(column))
        else:
            # Excel stores doubles; Decimal amounts with two decimals are exact enough there.
            sheet.write_number(row, col, float(value) if isinstance(value, Decimal) else value,
                               self._cell_format(column))

    def write_text(self, sheet: Worksheet, row: int, col: int, text: str, fmt: Format | None = None) -> None:
        text = text[:MAX_CELL_TEXT]
        if looks_like_formula(text):
            fmt = self.format(quote_prefix=True, valign="vcenter")
        sheet.write_string(row, col, text, fmt or self.format(valign="vcenter"))

    # -- tables ----------------------------------------------------------------------
    def add_table(
        self,
        name: str,
        columns: Sequence[ExportColumn],
        rows: Iterable[Sequence[Any]],
        *,
        title: str | None = None,
        subtitle: str | None = None,
        totals_label: str | None = None,
        landscape: bool = True,
    ) -> TableInfo:
        """A sheet with an optional title, a header and the rows; with ``totals_label``,
        a last row summing the int and money columns (SUBTOTAL, so filters work)."""
        sheet = self.workbook.add_worksheet(name[:31])
        row_index = 0
        if title:
            self.write_text(sheet, row_index, 0, title, self.format(bold=True, font_size=14))
            row_index += 1
        if subtitle:
            self.write_text(sheet, row_index, 0, subtitle, self.format(font_color="#666666"))
            row_index += 1
        if title or subtitle:
            row_index += 1
        header_row = row_index
        rows_iter = iter(rows)
        sample = list(itertools.islice(rows_iter, WIDTH_SAMPLE))
        widths = self._set_widths(sheet, columns, sample)
        header_format = self.format(bold=True, bg_color="#F2F2F2", bottom=1, text_wrap=True,
                                    valign="vcenter")
        for col, column in enumerate(columns):
            self.write_text(sheet, header_row, col, column.header, header_format)
        sums: list[Decimal | int] = [0] * len(columns)
        last = header_row
        for last, values in enumerate(itertools.chain(sample, rows_iter), start=header_row + 1):
            for col, (value, column) in enumerate(zip(values, columns, strict=False)):
                self.write_cell(sheet, last, col, value, column)
                if column.kind in ("int", "money") and isinstance(value, int | Decimal) and not isinstance(value, bool):
                    sums[col] += value
        if totals_label is not None:
            self._write_totals(sheet, columns, header_row, last, sums, totals_label)
        sheet.freeze_panes(header_row + 1, 0)
        if columns:
            sheet.autofilter(header_row, 0, max(last, header_row), len(columns) - 1)
        print_setup(sheet, widths, title=title or name, header_row=header_row, landscape=landscape)
        return TableInfo(sheet, name, header_row, header_row + 1, last, len(columns))

    def _write_totals(
        self, sheet: Worksheet, columns: Sequence[ExportColumn], header_row: int, last: int,
        sums: list[Decimal | int], label: str,
    ) -> None:
        from xlsxwriter.utility import xl_rowcol_to_cell

        total_row = last + 1
        self.write_text(sheet, total_row, 0, label, self.format(bold=True, top=1))
        for col, column in enumerate(columns):
            if col == 0 or column.kind not in ("int", "money"):
                continue
            first_cell = xl_rowcol_to_cell(header_row + 1, col)
            last_cell = xl_rowcol_to_cell(max(last, header_row + 1), col)
            # The cached value lets viewers that do not recalculate show the total too.
            sheet.write_formula(total_row, col, f"=SUBTOTAL(9,{first_cell}:{last_cell})",
                                self._cell_format(column, bold=True), float(sums[col]))

    def _set_widths(self, sheet: Worksheet, columns: Sequence[ExportColumn],
                    sample: list[Sequence[Any]]) -> list[float]:
        widths = []
        for col, column in enumerate(columns):
            if column.width is not None:
                width = column.width
            else:
                longest = display_width(column.header)
                for values in sample:
                    if col < len(values) and values[col] is not None:
                        shown = values[col]
                        text = f"{shown:,.2f}" if isinstance(shown, Decimal | float) else str(shown)
                        longest = max(longest, display_width(text))
                width = min(max(longest + 2, 8), 60)
            sheet.set_column(col, col, width)
            widths.append(width)
        return widths

    # -- publishing ------------------------------------------------------------------
    def close(self) -> Path:
        if self._closed:
            return self.path
        self._closed = True
        try:
            self.workbook.close()
            os.replace(self._partial, self.path)
        except OSError as exc:
            self._partial.unlink(missing_ok=True)
            raise ExportError(N_("Cannot write {file}: {reason}."), file=str(self.path),
                              reason=exc.strerror or exc) from exc
        return self.path

    def discard(self) -> None:
        if not self._closed:
            self._closed = True
            with contextlib.suppress(Exception):
                self.workbook.close()
        self._partial.unlink(missing_ok=True)

    def __enter__(self) -> XlsxExport:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, _tb: TracebackType | None
    ) -> None:
        if kind is None:
            self.close()
        else:
            self.discard()


# Printing on A4 with 0.4" side margins: the width a page holds, in pixels at 100 %.
PAGE_WIDTH_PX = {True: (11.69 - 0.8) * 96, False: (8.27 - 0.8) * 96}
# Fitting to the width may shrink the 11 pt body text to no less than 8 pt.
SMALLEST_SCALE = 8 / 11


def column_px(width: float) -> float:
    """Excel's pixel width of a column ``width`` characters wide (Calibri 11)."""
    return width * 7 + 5


def print_setup(sheet: Worksheet, widths: Sequence[float], *, title: str,
                header_row: int | None = None, landscape: bool = True) -> None:
    """A4 with the sheet's title in the page header and page numbers in the footer; the
    header row repeats on every page. Fitted to one page wide only when the text stays at
    8 pt or more; a wider sheet prints at that smallest scale across pages, its first
    column repeated so every page says whose row it is."""
    if landscape:
        sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.set_margins(left=0.4, right=0.4, top=0.7, bottom=0.7)
    # "&" starts a code in page headers: a literal one is doubled.
    # Excel refuses a page header over 255 characters: a long title is cut.
    sheet.set_header("&L&\"-,Bold\"" + title[:120].replace("&", "&&") + "&R&A", {"margin": 0.3})
    sheet.set_footer("&C&P / &N", {"margin": 0.3})
    total = sum(column_px(w) for w in widths)
    if total * SMALLEST_SCALE <= PAGE_WIDTH_PX[landscape]:
        sheet.fit_to_pages(1, 0)  # one page wide, as many pages down as needed
    else:
        sheet.set_print_scale(int(SMALLEST_SCALE * 100) + 1)
        sheet.repeat_columns(0)
    if header_row is not None:
        sheet.repeat_rows(header_row)

