"""The shared workbook writer: formats, totals, atomic publishing, injection safety."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from kol_desk.exporting.xlsx import ExportColumn, ExportError, XlsxExport, looks_like_formula

PAYLOADS = ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)", "\t=1", "\r=1", "  =HYPERLINK(\"x\")",
            "＝1+1", "＋1", "－1", "＠SUM(1)", "\u3000=1"]


@pytest.mark.parametrize("text", PAYLOADS)
def test_formula_like_text_is_recognised(text: str) -> None:
    assert looks_like_formula(text)


@pytest.mark.parametrize("text", ["小鱼", "5000-8000", "a=b", "", "  ", "3.2%"])
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert not looks_like_formula(text)


def test_a_table_reads_back_with_formats_totals_and_safe_text(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    columns = [ExportColumn("达人"), ExportColumn("粉丝", "int"), ExportColumn("报价", "money"),
               ExportColumn("互动率", "percent"), ExportColumn("日期", "date")]
    rows = [["小鱼", 120000, Decimal("5000.50"), Decimal("0.032"), date(2026, 11, 11)],
            [PAYLOADS[0], None, Decimal("1200"), None, None]]
    with XlsxExport(path) as export:
        info = export.add_table("达人", columns, rows, title="达人列表", totals_label="合计")
    assert info.first_row == 3 and info.last_row == 4
    book = openpyxl.load_workbook(path)
    sheet = book["达人"]
    assert sheet["A1"].value == "达人列表"
    assert [c.value for c in sheet[3]] == ["达人", "粉丝", "报价", "互动率", "日期"]
    assert sheet["B4"].value == 120000 and sheet["B4"].number_format == "#,##0"
    assert sheet["C4"].value == 5000.5 and "¥" in sheet["C4"].number_format
    assert sheet["D4"].number_format == "0.00%"
    assert sheet["A5"].value == "=1+1" and sheet["A5"].data_type == "s"
    assert sheet["A5"].quotePrefix
    assert sheet["B5"].value == "—"
    assert sheet["C6"].value == "=SUBTOTAL(9,C4:C5)"
    assert sheet.freeze_panes == "A4"
    assert sheet.page_setup.orientation == "landscape"
    values_only = openpyxl.load_workbook(path, data_only=True)["达人"]
    assert values_only["C6"].value == pytest.approx(6200.5)


def test_a_failed_export_leaves_no_file(tmp_path: Path) -> None:
    path = tmp_path / "report.xlsx"
    with pytest.raises(RuntimeError), XlsxExport(path) as export:
        export.add_table("S", [ExportColumn("x")], [["a"]])
        raise RuntimeError("boom")
    assert not path.exists()
    assert list(tmp_path.iterdir()) == []


def test_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="folder does not exist"):
        XlsxExport(tmp_path / "nowhere" / "x.xlsx")
