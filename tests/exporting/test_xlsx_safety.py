"""Point 6: text that a spreadsheet could run is written as text, in every export, and
survives a round trip through KOL Desk's own import unchanged.

The payloads are the formula-injection cells of the shared sample
p07_formula_injection_text.xlsx plus the edge cases of the OWASP guidance."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import openpyxl
import pytest

from kol_desk.exporting.creators import write_creators
from kol_desk.exporting.xlsx import ExportColumn, XlsxExport
from kol_desk.importing import parse_file
from kol_desk.models import Creator, PlatformAccount
from kol_desk.services.reports import ReportScope, build_report
from kol_desk.store.database import Workspace

EDGE_CASES = [
    "=1+1", "+1+1", "-2+3", "@SUM(1+1)", "\t=1+1", "\r=1+1", "   =1+1", " \u3000+cmd",
    "＝1+1", "＋1", "－2", "＠SUM(1)", "  ＝HYPERLINK(\"x\")",
]


def _p07_payloads(agency_lists: Path) -> list[str]:
    expected = json.loads((agency_lists / "p07_formula_injection_text.expected.json").read_text("utf-8"))
    return [cell["text"] for cell in expected["injection_cells"]]


def _values(path: Path, sheet: int = 0) -> list[list[object]]:
    # calamine, as our import does: openpyxl leaves OOXML escapes such as _x000D_ (a
    # carriage return) undecoded in inline strings, Excel and calamine decode them.
    import python_calamine

    return python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(sheet).to_python()


def _no_formulas(path: Path) -> None:
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/sheet"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name), name


def test_payloads_are_written_as_quoted_text_and_read_back_unchanged(agency_lists: Path, tmp_path: Path) -> None:
    payloads = _p07_payloads(agency_lists) + EDGE_CASES
    target = tmp_path / "payloads.xlsx"
    with XlsxExport(target) as export:
        export.add_table("达人", [ExportColumn("达人昵称"), ExportColumn("备注")],
                         [[f"安全达人{i}", text] for i, text in enumerate(payloads)])
    _no_formulas(target)
    sheet = openpyxl.load_workbook(target).active
    assert sheet is not None
    values = _values(target)
    for row, text in enumerate(payloads, start=2):
        cell = sheet.cell(row, 2)
        assert cell.data_type == "s" and values[row - 1][1] == text
        assert cell.quotePrefix, repr(text)
    assert not sheet.cell(2, 1).quotePrefix  # ordinary text is left alone


def test_payloads_survive_a_round_trip_through_our_import(agency_lists: Path, tmp_path: Path) -> None:
    """Export the sample's creators with their payloads, re-import with parse_file: the
    same nickname, notes, category and contact come back, character for character."""
    original = parse_file(agency_lists / "p07_formula_injection_text.xlsx")
    rows = original.rows
    target = tmp_path / "roundtrip.xlsx"
    columns = [ExportColumn(h) for h in ("达人昵称", "平台", "账号", "领域", "联系方式", "备注")]
    with XlsxExport(target) as export:
        export.add_table("达人", columns, [[r.nickname, r.platform, r.handle_display, r.category,
                                           r.contact, r.notes] for r in rows])
    _no_formulas(target)
    again = parse_file(target).rows
    assert len(again) == len(rows) == 8
    for before, after in zip(rows, again, strict=True):
        assert (after.nickname, after.handle, after.category, after.contact, after.notes) == (
            before.nickname, before.handle, before.category, before.contact, before.notes)
    assert any(r.nickname and r.nickname.startswith("=HYPERLINK") for r in again)


def test_report_and_creator_exports_keep_payload_names_as_text(
        demo_workspace: Workspace, agency_lists: Path, tmp_path: Path) -> None:
    payloads = _p07_payloads(agency_lists)
    with demo_workspace.transaction() as session:
        accounts = session.query(PlatformAccount).join(Creator).order_by(PlatformAccount.id).limit(len(payloads)).all()
        for account, text in zip(accounts, payloads, strict=False):
            account.creator.nickname = text
            account.handle_display = text
    report = build_report(demo_workspace, ReportScope())
    from kol_desk.exporting.report import write_report

    report_path = write_report(report, tmp_path / "report.xlsx")
    creators_path = tmp_path / "creators.xlsx"
    write_creators(demo_workspace, creators_path)
    for path in (report_path, creators_path):
        book = openpyxl.load_workbook(path)
        found = 0
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str) and cell.value in payloads:
                        assert cell.data_type == "s" and cell.quotePrefix, (path.name, sheet.title, cell.coordinate)
                        found += 1
        assert found > 0, path.name
    _no_formulas(creators_path)


@pytest.mark.parametrize("text", EDGE_CASES)
def test_each_edge_case_reimports_identically(text: str, tmp_path: Path) -> None:
    target = tmp_path / "one.xlsx"
    with XlsxExport(target) as export:
        export.add_table("Creators", [ExportColumn("Nickname"), ExportColumn("Handle"), ExportColumn("Notes")],
                         [["plain", "plain_handle", text]])
    cell = openpyxl.load_workbook(target).active["C2"]  # type: ignore[index]
    assert cell.data_type == "s" and cell.quotePrefix and _values(target)[1][2] == text
    # our import strips outer whitespace from every cell, nothing else
    assert parse_file(target).rows[0].notes == text.strip()
