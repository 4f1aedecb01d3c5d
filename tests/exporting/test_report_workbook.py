"""The boss workbook read back: sheets, values equal to the Reports tab's, number formats,
frozen headers, printing, native charts, and (where LibreOffice is installed) that it and
the creator list open there with every cell and chart intact and convert to PDF."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from kol_desk.exporting.creators import write_creators
from kol_desk.exporting.report import write_report
from kol_desk.i18n import set_language
from kol_desk.metrics import format_money, format_rate
from kol_desk.services.reports import ReportScope, build_report
from kol_desk.store.database import Workspace
from tests import report_factory

SHEETS = ["Summary", "Creators", "Platforms & tiers", "Charts", "Post details"]


def _summary_values(path: Path) -> dict[str, object]:
    sheet = openpyxl.load_workbook(path)["Summary"]
    return {str(row[0].value): row[1].value for row in sheet.iter_rows() if row[0].value is not None}


def _money_text(value: object, fmt: str) -> str:
    """What a spreadsheet shows for a number in our money format."""
    assert fmt == '"¥"#,##0.00', fmt
    return format_money(Decimal(str(value)))


def test_hand_computed_report_reads_back(workspace: Workspace, tmp_path: Path) -> None:
    ids = report_factory.build(workspace)
    report = build_report(workspace, ReportScope((ids.spring,)))
    path = write_report(report, tmp_path / "spring.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == SHEETS
    summary = book["Summary"]
    rows = {str(r[0].value): r for r in summary.iter_rows() if r[0].value is not None}
    assert rows["CPE"][1].value == pytest.approx(25000 / 3000)
    assert rows["CPE"][1].number_format == '"¥"#,##0.00'
    assert rows["CPM"][1].value == 100
    assert rows["ROI"][1].value == pytest.approx(-0.52) and rows["ROI"][1].number_format == "0.00%"
    assert rows["CAC"][1].value == "—"  # no new customers: a dash, not 0
    assert rows["Impressions"][1].value == 250_000 and rows["Impressions"][2].value == 1_000_000
    assert rows["Impressions"][3].value == pytest.approx(0.25) and rows["Impressions"][3].number_format == "0.00%"
    budget_header = next(r for r in summary.iter_rows() if r[0].value == "Planned budget")
    money_row = next(summary.iter_rows(min_row=budget_header[0].row + 1, max_row=budget_header[0].row + 1))
    # remaining is of the allocation (none here), as on the Budget tab; the plan has 72,000 left
    assert [c.value for c in money_row[:6]] == [100000, 0, 16000, 12000, -28000, 72000]
    findings = [str(r[0].value) for r in summary.iter_rows() if str(r[0].value or "").startswith(("1. ", "2. ", "3. "))]
    assert len(findings) == 3 and findings[0] == "1. " + report.findings[0]
    notes = [r[3].value for r in summary.iter_rows() if r[1].value == "Engagement rate"]
    assert notes == ["engagements ÷ views"]

    groups = book["Platforms & tiers"]
    header = next(r for r in groups.iter_rows() if r[0].value == "Platform")
    columns = [c.value for c in header]
    douyin = next(r for r in groups.iter_rows() if r[0].value == "Douyin")
    assert douyin[columns.index("CPM")].value == "—" and douyin[columns.index("CPE")].value == 20
    # the best CPE is green, the worst red
    xhs = next(r for r in groups.iter_rows() if r[0].value == "Xiaohongshu")
    assert xhs[columns.index("CPE")].fill.fgColor.rgb.endswith("E8F5E9")
    assert douyin[columns.index("CPE")].fill.fgColor.rgb.endswith("FDECEA")


def test_demo_workbook_matches_the_reports_tab_and_prints(demo_workspace: Workspace, tmp_path: Path) -> None:
    report = build_report(demo_workspace, ReportScope())
    path = write_report(report, tmp_path / "demo.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == SHEETS
    values = _summary_values(path)
    t = report.totals
    # what the Reports tab shows, to the cent / hundredth of a percent
    assert _money_text(values["CPE"], '"¥"#,##0.00') == format_money(t.cpe)
    assert _money_text(values["CPM"], '"¥"#,##0.00') == format_money(t.cpm)
    assert _money_text(values["CPA"], '"¥"#,##0.00') == format_money(t.cpa)
    assert f"{Decimal(str(values['ROI'])) * 100:.2f}%" == format_rate(t.roi)
    creators = book["Creators"]
    assert creators.freeze_panes == "B2"
    header = [c.value for c in creators[1]]
    total_row = next(r for r in creators.iter_rows() if r[0].value == "Total")
    assert total_row[header.index("Posts")].value == t.posts
    assert total_row[header.index("Cost")].value == float(t.cost)
    data_rows = [r for r in creators.iter_rows(min_row=2) if r[0].value not in (None, "Total")]
    assert len(data_rows) == len(report.group("creator"))
    assert data_rows[0][header.index("Cost")].number_format == '"¥"#,##0.00'
    assert data_rows[0][header.index("Engagement rate")].number_format == "0.00%"
    assert book["Post details"].freeze_panes == "A5"
    assert book["Post details"].max_row == 4 + t.posts
    # How each sheet prints: tests/exporting/test_report_layout.py.
    assert book["Creators"].column_dimensions["A"].width >= 14


def test_native_charts_are_in_the_workbook(demo_workspace: Workspace, tmp_path: Path) -> None:
    path = write_report(build_report(demo_workspace, ReportScope()), tmp_path / "charts.xlsx")
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():  # every part is well-formed XML (no repair prompt)
            if name.endswith((".xml", ".rels")):
                ElementTree.fromstring(archive.read(name))
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 5  # KPI progress on the summary + four on the Charts sheet
        kinds = b"".join(archive.read(n) for n in charts)
    assert kinds.count(b"<c:barChart>") >= 4 and b"<c:lineChart>" in kinds
    book = openpyxl.load_workbook(path)
    assert len(book["Summary"]._charts) == 1 and len(book["Charts"]._charts) == 4


def test_chinese_workbook(demo_workspace: Workspace, tmp_path: Path) -> None:
    set_language("zh_CN")
    path = write_report(build_report(demo_workspace, ReportScope()), tmp_path / "中文报表.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["总览", "达人", "平台与层级", "图表", "内容明细"]
    assert book["总览"]["A1"].value == "KOL 投放效果报告"


def test_empty_scope_still_writes_a_readable_workbook(workspace: Workspace, tmp_path: Path) -> None:
    ids = report_factory.build(workspace)
    path = write_report(build_report(workspace, ReportScope((ids.quiet,))), tmp_path / "quiet.xlsx")
    values = _summary_values(path)
    assert values["CPE"] == "—"
    summary = openpyxl.load_workbook(path)["Summary"]
    assert [r[2].value for r in summary.iter_rows() if r[1].value == "Posts"] == [0]
    assert openpyxl.load_workbook(path)["Creators"].max_row >= 2


def _soffice(target: str, out: Path, profile: Path, *paths: Path) -> None:
    result = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
         "--convert-to", target, "--outdir", str(out), *map(str, paths)],
        capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr


def _same_cells(original: Path, converted: Path) -> None:
    """Every sheet and cell of ``original`` as LibreOffice saved it (it keeps 15
    significant digits of a number, as Excel does)."""
    ours, theirs = CalamineWorkbook.from_path(str(original)), CalamineWorkbook.from_path(str(converted))
    assert theirs.sheet_names == ours.sheet_names
    for name in ours.sheet_names:
        a, b = ours.get_sheet_by_name(name).to_python(), theirs.get_sheet_by_name(name).to_python()
        assert len(a) == len(b), name
        for row, (mine, read) in enumerate(zip(a, b, strict=True)):
            width = max(len(mine), len(read))
            mine, read = [*mine, *[""] * (width - len(mine))], [*read, *[""] * (width - len(read))]
            for col, (x, y) in enumerate(zip(mine, read, strict=True)):
                if isinstance(x, float) and isinstance(y, float):
                    assert y == pytest.approx(x, rel=1e-13), (name, row, col)
                else:
                    assert x == y, (name, row, col)


def _ods_charts(path: Path) -> list[set[str]]:
    """The cell ranges each chart of an .ods draws from."""
    charts = []
    with zipfile.ZipFile(path) as archive:
        for part in archive.namelist():
            if part.startswith("Object ") and part.endswith("/content.xml"):
                text = archive.read(part).decode()
                if "<chart:chart" in text:
                    charts.append({html.unescape(r) for r in re.findall(r'values-cell-range-address="([^"]+)"', text)})
    return charts


@pytest.mark.skipif(shutil.which("soffice") is None,
                    reason="LibreOffice (soffice) is not installed here; tools/system-deps.sh test installs it")
def test_libreoffice_opens_the_workbooks_with_data_and_charts(demo_workspace: Workspace, tmp_path: Path) -> None:
    boss = write_report(build_report(demo_workspace, ReportScope()), tmp_path / "lo.xlsx")
    creators = tmp_path / "creators.xlsx"
    write_creators(demo_workspace, creators)
    out, profile = tmp_path / "out", tmp_path / "lo-profile"
    _soffice("ods", out, profile, boss, creators)
    _soffice("pdf", out, profile, boss)
    assert (out / "lo.pdf").read_bytes().startswith(b"%PDF")
    _same_cells(boss, out / "lo.ods")
    _same_cells(creators, out / "creators.ods")
    charts = _ods_charts(out / "lo.ods")
    assert len(charts) == 5 and all(charts)  # KPI progress + the four on the Charts sheet
    sheets = set(openpyxl.load_workbook(boss).sheetnames)
    for ranges in charts:
        for address in ranges:
            sheet = address.split(".")[0].strip("'")
            assert sheet in sheets, address
